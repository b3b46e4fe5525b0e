//! The `promboard` binary. On wasm32 it is the web app's entry point (built by trunk). Natively it
//! will become the `promboard` CLI; until then it only explains how the app is run.

#[cfg(target_arch = "wasm32")]
fn main() {
    promboard::app::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    eprintln!(
        "promboard is a web app: run `scripts/run` to serve it against a local Prometheus, \
         or see README.md for hosting it behind nginx."
    );
    std::process::ExitCode::from(2)
}
