//! Workspace automation. Run `cargo xtask help` for the commands.

mod apis;
mod codegen;
mod surface;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen [--check] [--api NAME]   write crates/<api>/src/generated.rs from specs/<api>.yaml;
                                   --check writes nothing and fails when a file is stale
  surface [--api NAME]             print the Rust API surface of the generated clients
  help                             this text";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<ExitCode> {
    let Some((command, rest)) = args.split_first() else {
        println!("{USAGE}");
        return Ok(ExitCode::FAILURE);
    };
    match command.as_str() {
        "codegen" => codegen_command(rest),
        "surface" => surface_command(rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => bail!("unknown command `{other}`\n\n{USAGE}"),
    }
}

fn codegen_command(args: &[String]) -> Result<ExitCode> {
    let mut check = false;
    let mut only = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--api" => match args.next() {
                Some(name) => only = Some(apis::find(name)?),
                None => bail!("--api needs a name"),
            },
            other => bail!("unknown codegen option `{other}`\n\n{USAGE}"),
        }
    }
    let selected: Vec<_> = match only {
        Some(api) => vec![api],
        None => apis::APIS.iter().collect(),
    };
    let stale = codegen::run(&workspace_root(), &selected, check)?;
    if stale.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for file in &stale {
        eprintln!("stale: {} does not match its spec", file.display());
    }
    eprintln!("run `cargo xtask codegen` and commit the result");
    Ok(ExitCode::FAILURE)
}

fn surface_command(args: &[String]) -> Result<ExitCode> {
    let selected = match args {
        [] => apis::APIS.iter().collect(),
        [flag, name] if flag == "--api" => vec![apis::find(name)?],
        _ => bail!("usage: cargo xtask surface [--api NAME]"),
    };
    let mut out = String::new();
    for api in selected {
        let spec = codegen::load_spec(&workspace_root(), api)?;
        out.push_str(&surface::render(api.name, &codegen::generate(api, &spec)?)?);
        out.push('\n');
    }
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), out.as_bytes());
    Ok(ExitCode::SUCCESS)
}

/// The workspace root: the parent of this crate's manifest directory.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stale generated file fails `cargo test`, not only `cargo xtask codegen --check`.
    #[test]
    fn generated_code_is_fresh() {
        let apis: Vec<_> = apis::APIS.iter().collect();
        let stale = codegen::run(&workspace_root(), &apis, true).expect("every spec generates");
        assert!(
            stale.is_empty(),
            "stale: {stale:?}; run `cargo xtask codegen` and commit"
        );
    }

    /// The generated API surface of each client, reviewed with `cargo insta review`.
    #[test]
    fn api_surface() {
        let root = workspace_root();
        for api in apis::APIS {
            let spec = codegen::load_spec(&root, api).expect("spec loads");
            let code = codegen::generate(api, &spec).expect("spec generates");
            let surface = surface::render(api.name, &code).expect("generated code parses");
            insta::assert_snapshot!(api.name, surface);
        }
    }
}
