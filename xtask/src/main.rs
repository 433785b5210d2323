//! Workspace automation. Run `cargo xtask help` for the commands.

mod apis;
mod bench;
mod codegen;
mod diff;
mod lint;
mod spec_transform;
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
  lint                             check every spec in specs/ (rules: specs/README.md); one line
                                   per finding, non-zero exit when there is any
  diff [BASE] [--fail-on-breaking] Markdown report of what specs/ changes between the git ref
                                   BASE (default origin/main, else main) and the working tree,
                                   breaking changes marked; --fail-on-breaking exits non-zero
                                   when there is one
  bench [--quick]                  run every benchmark and write BENCHMARKS.md (not CI)
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
        "bench" => bench::run(rest),
        "lint" => lint_command(rest),
        "diff" => diff_command(rest),
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

fn lint_command(args: &[String]) -> Result<ExitCode> {
    if !args.is_empty() {
        bail!("usage: cargo xtask lint");
    }
    match lint::run(&workspace_root())? {
        0 => Ok(ExitCode::SUCCESS),
        n => {
            eprintln!("lint: {n} finding(s); the rules are in specs/README.md");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn diff_command(args: &[String]) -> Result<ExitCode> {
    let mut base = None;
    let mut fail_on_breaking = false;
    for arg in args {
        match arg.as_str() {
            "--fail-on-breaking" => fail_on_breaking = true,
            flag if flag.starts_with('-') => bail!("unknown diff option `{flag}`\n\n{USAGE}"),
            _ if base.is_none() => base = Some(arg.as_str()),
            _ => bail!("usage: cargo xtask diff [BASE] [--fail-on-breaking]"),
        }
    }
    let report = diff::run(&workspace_root(), base)?;
    let _ = std::io::Write::write_all(&mut std::io::stdout(), report.markdown.as_bytes());
    if fail_on_breaking && report.breaking > 0 {
        eprintln!("diff: {} breaking change(s)", report.breaking);
        return Ok(ExitCode::FAILURE);
    }
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
