//! The `promboard` binary. On wasm32 it is the web app's entry point (built by trunk); natively it
//! is the command-line tool (`promboard check|migrate|export`).

#[cfg(target_arch = "wasm32")]
fn main() {
    promboard::app::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    promboard::cli::main()
}
