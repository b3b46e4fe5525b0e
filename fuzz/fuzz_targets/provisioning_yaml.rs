//! Any text as a provisioning YAML file: the YAML reader, the datasources registry, Prometheus's
//! scrape interval, and the secrets split, whose browser copy must never hold a secret.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = promboard::yaml::parse(text);
    let _ = promboard::datasource::Registry::from_provisioning(text);
    let _ = promboard::prom::config::global_scrape_interval_ms(text);
    let lookup = |name: &str| (name == "SECRET").then(|| "s3cr3t".to_string());
    if let Ok(split) = promboard::datasource_secrets::split(text, &lookup) {
        let browser = promboard::yaml::parse(&split.browser_yaml).expect("the browser copy is YAML we can read");
        assert_eq!(promboard::datasource_secrets::secrets_in(&browser), Vec::<String>::new(), "{}", split.browser_yaml);
    }
});
