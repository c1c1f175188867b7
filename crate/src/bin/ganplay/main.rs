//! ganplay's native command line: `ganplay --help` lists the commands, `ganplay COMMAND --help`
//! their options and defaults. Bad options exit 2 with a usage line; a failing run exits 1.

#[cfg(not(target_arch = "wasm32"))]
mod cli;
#[cfg(not(target_arch = "wasm32"))]
mod measure;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

/// The CLI is native only (the wasm test build still compiles every binary).
#[cfg(target_arch = "wasm32")]
fn main() {}
