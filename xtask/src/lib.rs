//! Workspace automation behind `cargo xtask`. Run `cargo xtask help` for the commands.
//!
//! This is a library: the `xtask` binary is the launcher in `xtask/launcher`, a workspace of
//! its own so that cargo resolves only xtask's dependencies on every `cargo xtask` (see
//! ARCHITECTURE.md). The tests live here and run with `cargo test --workspace`.

#![deny(missing_docs)]

mod apis;
mod bench;
mod cli_codegen;
mod codegen;
mod diff;
mod lint;
mod new_api;
mod spec_transform;
mod surface;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen [--check] [--api NAME]   write crates/<api>/src/generated.rs and the secapi
                                   subcommands crates/cli/src/generated/<api>.rs from
                                   specs/<api>.yaml; --check writes nothing and fails when a
                                   file is stale. An API is skipped when its stamp (in
                                   codegen-stamps/ beside the xtask binary) shows that neither
                                   the spec, the binary nor the output files changed since it
                                   was last generated or checked; delete that directory to
                                   force a full generation
  surface [--api NAME]             print the Rust API surface of the generated clients and
                                   the commands of the generated secapi CLI
  lint [SPEC...]                   check every spec in specs/, or the given spec files, against
                                   specs/README.md and progenitor (generation is one check); one
                                   line per finding, non-zero exit when there is any
  diff [BASE] [--fail-on-breaking] Markdown report of what specs/ changes between the git ref
                                   BASE (default origin/main, else main) and the working tree,
                                   breaking changes marked; --fail-on-breaking exits non-zero
                                   when there is one
  diff --base OLD --head NEW [--fail-on-breaking]
                                   the same report for two spec files
  new-api NAME --auth header-key|bearer-exchange|edgegrid|none [--spec FILE]
                                   scaffold specs/NAME.yaml (the template, or a copy of FILE),
                                   its apis.rs entry, crates/NAME (client), crates/NAME-fake and
                                   one integration test, and generate the client
  bench [--quick]                  run every benchmark and write BENCHMARKS.md (not CI)
  help                             this text";

/// Runs one `cargo xtask` command line (the arguments after `xtask`), reporting errors on
/// stderr.
pub fn run_cli(args: Vec<String>) -> ExitCode {
    match run(args) {
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
        "new-api" => new_api_command(rest),
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
    let stamps = codegen::stamps::Stamps::for_current_exe();
    let stale = codegen::run(&workspace_root(), &selected, check, stamps.as_ref())?.stale;
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
        if let Some(cli) = cli_codegen::generate(api, &spec)? {
            out.push_str(&cli_codegen::surface(api.name, &cli)?);
            out.push('\n');
        }
    }
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), out.as_bytes());
    Ok(ExitCode::SUCCESS)
}

fn lint_command(args: &[String]) -> Result<ExitCode> {
    if let Some(flag) = args.iter().find(|a| a.starts_with('-')) {
        bail!("unknown lint option `{flag}`\n\n{USAGE}");
    }
    let root = workspace_root();
    let files: Vec<PathBuf> = args.iter().map(PathBuf::from).collect();
    let count = if files.is_empty() {
        lint::run(&root)?
    } else {
        lint::run_files(&files)?
    };
    match count {
        0 => Ok(ExitCode::SUCCESS),
        n => {
            eprintln!("lint: {n} finding(s); the rules are in specs/README.md");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// What `cargo xtask diff` compares.
#[derive(Debug, PartialEq, Eq)]
enum DiffInput {
    /// `specs/` at a git ref (default: origin/main, else main) against the working tree.
    Git(Option<String>),
    /// Two spec files.
    Files { base: PathBuf, head: PathBuf },
}

/// Parses `diff`'s arguments: the inputs and whether `--fail-on-breaking` was given.
fn parse_diff_args(args: &[String]) -> Result<(DiffInput, bool)> {
    const DIFF_USAGE: &str = "usage: cargo xtask diff [BASE] [--fail-on-breaking]\n       \
                              cargo xtask diff --base OLD.yaml --head NEW.yaml [--fail-on-breaking]";
    let mut git_ref = None;
    let (mut base, mut head) = (None, None);
    let mut fail_on_breaking = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--fail-on-breaking" => fail_on_breaking = true,
            "--base" | "--head" => {
                let Some(file) = args.next() else {
                    bail!("{arg} needs a spec file\n\n{DIFF_USAGE}");
                };
                let slot = if arg == "--base" {
                    &mut base
                } else {
                    &mut head
                };
                *slot = Some(PathBuf::from(file));
            }
            flag if flag.starts_with('-') => bail!("unknown diff option `{flag}`\n\n{DIFF_USAGE}"),
            _ if git_ref.is_none() => git_ref = Some(arg.clone()),
            _ => bail!("{DIFF_USAGE}"),
        }
    }
    let input = match (git_ref, base, head) {
        (git_ref, None, None) => DiffInput::Git(git_ref),
        (None, Some(base), Some(head)) => DiffInput::Files { base, head },
        (Some(_), _, _) => bail!("a git ref and --base/--head do not go together\n\n{DIFF_USAGE}"),
        _ => bail!("--base and --head go together\n\n{DIFF_USAGE}"),
    };
    Ok((input, fail_on_breaking))
}

fn diff_command(args: &[String]) -> Result<ExitCode> {
    let (markdown, breaking) = diff_output(args)?;
    let _ = std::io::Write::write_all(&mut std::io::stdout(), markdown.as_bytes());
    if let Some(count) = breaking {
        eprintln!("diff: {count} breaking change(s)");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// `diff`'s report, and the number of breaking changes when they fail the command
/// (`--fail-on-breaking` given and at least one found).
fn diff_output(args: &[String]) -> Result<(String, Option<usize>)> {
    let (input, fail_on_breaking) = parse_diff_args(args)?;
    let report = match &input {
        DiffInput::Git(base) => diff::run(&workspace_root(), base.as_deref())?,
        DiffInput::Files { base, head } => diff::run_files(base, head)?,
    };
    let failing = (fail_on_breaking && report.breaking > 0).then_some(report.breaking);
    Ok((report.markdown, failing))
}

fn new_api_command(args: &[String]) -> Result<ExitCode> {
    let request = new_api::parse_args(args)?;
    for file in new_api::run(&workspace_root(), &request)? {
        eprintln!("wrote {}", file.display());
    }
    eprintln!(
        "next: `cargo xtask codegen && cargo test -p {0} -p {0}-fake`; then write the API's spec \
         (specs/README.md) and the fake's routes",
        request.name
    );
    Ok(ExitCode::SUCCESS)
}

/// The SHA-256 of `bytes` in lowercase hex (64 digits).
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The workspace root: the nearest directory above the running package's manifest directory
/// that holds `xtask/Cargo.toml` (the launcher's is `xtask/launcher`, this crate's `xtask`).
/// `cargo run` and `cargo test` name that directory at run time; the value compiled in serves
/// only a binary started by hand. (Cargo reuses a build across copies of the workspace that
/// share a target directory, so the compiled-in path can name another copy.)
pub fn workspace_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest_dir
        .ancestors()
        .find(|dir| dir.join("xtask/Cargo.toml").is_file())
        .unwrap_or_else(|| manifest_dir.parent().unwrap_or(&manifest_dir))
        .to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stale generated file fails `cargo test`, not only `cargo xtask codegen --check`.
    #[test]
    fn generated_code_is_fresh() {
        let apis: Vec<_> = apis::APIS.iter().collect();
        let stale = codegen::run(&workspace_root(), &apis, true, None)
            .expect("every spec generates")
            .stale;
        assert!(
            stale.is_empty(),
            "stale: {stale:?}; run `cargo xtask codegen` and commit"
        );
    }

    #[test]
    fn diff_arguments() {
        let parse = |args: &[&str]| {
            parse_diff_args(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(parse(&[]).unwrap(), (DiffInput::Git(None), false));
        assert_eq!(
            parse(&["v1", "--fail-on-breaking"]).unwrap(),
            (DiffInput::Git(Some("v1".into())), true)
        );
        assert_eq!(
            parse(&["--head", "new.yaml", "--base", "old.yaml"]).unwrap(),
            (
                DiffInput::Files {
                    base: "old.yaml".into(),
                    head: "new.yaml".into()
                },
                false
            )
        );
        for bad in [
            &["--base", "old.yaml"][..],
            &["main", "--base", "a", "--head", "b"],
            &["--head"],
            &["--frobnicate"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?} is refused");
        }
    }

    use crate::diff::tests::SMALL as DIFF_BASE;

    /// `diff --base OLD --head NEW --fail-on-breaking` on two temporary spec files, from the
    /// arguments to the report and the exit decision (all but the printing).
    #[test]
    fn diff_two_spec_files() {
        let dir = std::env::temp_dir().join(format!("xtask-diff-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let diff = |head: &str| {
            let (old, new) = (dir.join("old.yaml"), dir.join("new.yaml"));
            std::fs::write(&old, DIFF_BASE).expect("write base");
            std::fs::write(&new, head).expect("write head");
            let args = [
                "--base",
                &old.display().to_string(),
                "--head",
                &new.display().to_string(),
                "--fail-on-breaking",
            ];
            diff_output(&args.map(str::to_string)).expect("diff runs")
        };

        let breaking = DIFF_BASE
            .replace("[active, retired]", "[active]")
            .replace(
                "{name: page, in: query, schema",
                "{name: page, in: query, required: true, schema",
            )
            .replace(
                "size: {type: integer, format: int64}",
                "size: {type: string}",
            );
        let (report, failing) = diff(&breaking);
        assert_eq!(
            failing,
            Some(3),
            "--fail-on-breaking fails on a breaking change:\n{report}"
        );
        for line in [
            "**3 breaking changes**",
            "- **breaking** `listThings` (`GET /things`): parameter `page` (query) is now required",
            "- **breaking** `Status`: enum value `retired` removed",
            "- **breaking** `Thing`.`size`: type changed from integer(int64) to string",
        ] {
            assert!(report.contains(line), "missing `{line}` in\n{report}");
        }

        let (report, failing) =
            diff(&DIFF_BASE.replace("[active, retired]", "[active, retired, lost]"));
        assert_eq!(
            failing, None,
            "an added open-enum value is not breaking:\n{report}"
        );
        assert!(report.contains("No breaking change"), "{report}");

        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The launcher's own Cargo.lock pins what the main workspace's pins: the generator that
    /// `cargo xtask codegen` runs is the one the tests here check. After `cargo update`, copy
    /// Cargo.lock to xtask/launcher/ and run `cargo xtask help` (cargo prunes the copy).
    #[test]
    fn launcher_lock_matches_workspace_lock() {
        let packages = |path: &str| -> std::collections::BTreeSet<(String, String)> {
            let text = std::fs::read_to_string(workspace_root().join(path)).expect(path);
            text.split("[[package]]")
                .skip(1)
                .filter_map(|entry| {
                    let field = |key: &str| {
                        entry.lines().find_map(|line| {
                            Some(line.strip_prefix(key)?.trim_matches('"').to_string())
                        })
                    };
                    Some((field("name = ")?, field("version = ")?))
                })
                .collect()
        };
        let workspace = packages("Cargo.lock");
        let launcher = packages("xtask/launcher/Cargo.lock");
        let differing: Vec<_> = launcher
            .iter()
            .filter(|(name, _)| name != "xtask-launcher")
            .filter(|package| !workspace.contains(*package))
            .collect();
        assert!(launcher.len() > 50, "{launcher:?}");
        assert!(
            differing.is_empty(),
            "xtask/launcher/Cargo.lock pins versions Cargo.lock does not: {differing:?}"
        );
    }

    /// The generated API surface of each client, reviewed with `cargo insta review`. Read off
    /// the checked-in file, which `generated_code_is_fresh` holds to what the spec generates.
    #[test]
    fn api_surface() {
        let root = workspace_root();
        for api in apis::APIS {
            let code = std::fs::read_to_string(root.join(api.output)).expect(api.output);
            let surface = surface::render(api.name, &code).expect("generated code parses");
            insta::assert_snapshot!(api.name, surface);
        }
    }
}
