//! The `xtask` binary behind `cargo xtask` (the alias in `.cargo/config.toml`). Everything it
//! does is in the `xtask` library; this package is a workspace of its own only so that each
//! `cargo xtask` resolves xtask's dependencies, not the whole repository's.

fn main() -> std::process::ExitCode {
    xtask::run_cli(std::env::args().skip(1).collect())
}
