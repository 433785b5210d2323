//! `cargo xtask bench`: runs every benchmark and writes the figures to `BENCHMARKS.md`.
//!
//! 1. the criterion benches of `crates/benchmarks` (`cargo bench -p benchmarks`, release):
//!    client overhead against raw reqwest and against the OpenAPI Generator client of the same
//!    spec (`client_overhead`), EdgeGrid signing and the SHA-256 floor, the pager's time and
//!    peak heap;
//! 2. Akamai's Python EdgeGrid signer on the same inputs (`crates/benchmarks/python`, in a venv
//!    under `target/bench-venv` with the pinned `requirements.txt`);
//! 3. code generation: in-process per spec and in total (this binary built in release), the
//!    wall time of `target/release/xtask codegen --check` (a full generation: codegen stamps
//!    removed), the README's `cargo xtask codegen --check` with nothing changed, after one spec
//!    edit and with no stamps, the first builds the launcher's optimised generator crates cost
//!    and the main workspace saves, and OpenAPI Generator's Rust generator on the same specs;
//! 4. `BENCHMARKS.md` at the workspace root: the machine, the date, every figure, the ratios
//!    against the targets, and how to reproduce.
//!
//! Benchmarks are not part of CI. `--quick` is a smoke run (criterion `--quick`, fewer
//! repetitions) that writes `target/bench-results/BENCHMARKS.md` instead. `--codegen` measures
//! only code generation (without OpenAPI Generator) and `--overhead` only the client-overhead
//! bench (section 1); each rewrites `BENCHMARKS.md` with the last run's other figures and says
//! where and when its section was measured. `--report` only rewrites it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::apis::{self, Api};
use crate::{codegen, workspace_root};

mod client_overhead;

/// Criterion groups of `crates/benchmarks`, removed before a run so no stale figure survives.
const GROUP_PREFIXES: &[&str] = &[
    "harmony_list_users_",
    "cipherscale_list_policies_",
    "edgegrid_",
    "pager_",
];

/// Targets of the issue.
const EDGEGRID_MIN_SPEEDUP: f64 = 20.0;
const EDGEGRID_MAX_OVER_SHA256: f64 = 1.1;
const PAGER_MAX_TIME_RATIO: f64 = 1.1;
const PAGER_MAX_MEMORY_GROWTH: f64 = 1.1;
const CODEGEN_MAX_SECONDS: f64 = 0.25;
const CODEGEN_MIN_SPEEDUP: f64 = 10.0;

/// The manifest of `cargo xtask`'s binary, a workspace of its own (relative to the root).
const LAUNCHER: &str = "xtask/launcher/Cargo.toml";

/// Entry point of `cargo xtask bench [--quick]`.
pub fn run(args: &[String]) -> Result<ExitCode> {
    let mut quick = false;
    let mut report_only = false;
    let mut codegen_only = false;
    let mut overhead_only = false;
    for arg in args {
        match arg.as_str() {
            "--quick" => quick = true,
            "--report" => report_only = true,
            "--codegen" => codegen_only = true,
            "--overhead" => overhead_only = true,
            // Internal: run by the orchestrator on the release build of this binary.
            "--codegen-inprocess" => return codegen_inprocess(),
            other => {
                bail!(
                    "usage: cargo xtask bench [--quick | --report | --codegen | --overhead] (unknown \
                     option \
                     `{other}`)"
                )
            }
        }
    }
    let root = workspace_root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        })
        .unwrap_or_else(|| root.join("target"));
    let results = target.join("bench-results");
    if report_only {
        return report(root, target, results);
    }
    if overhead_only {
        if quick {
            bail!("--overhead measures in full; it does not go with --quick");
        }
        step("client overhead only (the other sections keep the last run's figures)");
        client_overhead_alone(&root, &results)?;
        return report(root, target, results);
    }
    if codegen_only {
        if quick {
            bail!("--codegen measures in full; it does not go with --quick");
        }
        step("code generation only (the other sections keep the last run's figures)");
        let run = Run::new(root.clone(), target.clone(), results.clone(), quick);
        std::fs::create_dir_all(&results)
            .with_context(|| format!("creating {}", results.display()))?;
        if let Err(reason) = run.codegen() {
            bail!("codegen: {reason}");
        }
        return report(root, target, results);
    }
    reset_results(&target, &results)?;
    let started = Instant::now();
    let mut run = Run::new(root, target, results, quick);

    step("criterion benches (cargo bench -p benchmarks)");
    let mut bench = Command::new(cargo());
    bench
        .current_dir(&run.root)
        .args(["bench", "-p", "benchmarks"])
        .env("BENCH_RESULTS_DIR", &run.results);
    if quick {
        bench.args(["--", "--quick"]);
    }
    let status = bench.status().context("running cargo bench")?;
    if !status.success() {
        bail!("cargo bench -p benchmarks failed ({status})");
    }

    step("Python EdgeGrid signer");
    let venv = run.python_env();
    let python = match &venv {
        Ok(venv) => run.python_edgegrid(venv),
        Err(reason) => Err(reason.clone()),
    };
    let python = run.note("Python EdgeGrid signer", python);

    step("code generation (in-process, release binary)");
    let codegen = run.codegen();
    let codegen = run.note("codegen", codegen);

    step("OpenAPI Generator (Rust generator)");
    let oag = match &venv {
        Ok(venv) => run.openapi_generator(venv),
        Err(reason) => Err(reason.clone()),
    };
    let oag = run.note("OpenAPI Generator", oag);

    run.machine["load_end"] = json!(load_average());
    run.machine["run_seconds"] = json!(started.elapsed().as_secs());
    let record = json!({"machine": run.machine, "problems": run.problems, "quick": quick});
    std::fs::write(run.results.join("run.json"), record.to_string()).context("writing run.json")?;
    run.write(python.as_ref(), codegen.as_ref(), oag.as_ref())?;
    for problem in &run.problems {
        eprintln!("not measured: {problem}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `--report`: writes the Markdown again from the last run's results, measuring nothing.
fn report(root: PathBuf, target: PathBuf, results: PathBuf) -> Result<ExitCode> {
    let dir = results.clone();
    let read = |name: &str| -> Option<Value> {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).ok()?).ok()
    };
    let record = read("run.json")
        .context("no target/bench-results/run.json: run `cargo xtask bench` first")?;
    let problems: Vec<String> = record["problems"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let run = Run {
        root,
        target,
        quick: record["quick"].as_bool().unwrap_or(false),
        machine: record["machine"].clone(),
        problems,
        results,
    };
    let load = |name: &str, what: &str| {
        read(name).ok_or_else(|| {
            run.problems
                .iter()
                .find(|p| p.starts_with(what))
                .cloned()
                .unwrap_or_else(|| format!("{what}: no {name}"))
        })
    };
    let python = load("edgegrid_python.json", "Python EdgeGrid signer");
    let codegen = load("codegen.json", "codegen");
    let oag = load("openapi_generator.json", "OpenAPI Generator");
    run.write(python.as_ref(), codegen.as_ref(), oag.as_ref())?;
    Ok(ExitCode::SUCCESS)
}

/// `--overhead`: runs the client-overhead bench alone and records, beside its figures, the
/// machine, commit and load it ran on ([`measured_alone`] cites them in section 1).
fn client_overhead_alone(root: &Path, results: &Path) -> Result<()> {
    std::fs::create_dir_all(results).with_context(|| format!("creating {}", results.display()))?;
    let machine = machine_info();
    let status = Command::new(cargo())
        .current_dir(root)
        .args(["bench", "-p", "benchmarks", "--bench", "client_overhead"])
        .env("BENCH_RESULTS_DIR", results)
        .status()
        .context("running cargo bench --bench client_overhead")?;
    if !status.success() {
        bail!("cargo bench -p benchmarks --bench client_overhead failed ({status})");
    }
    let path = results.join("client_overhead.json");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut value: Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    value["machine"] = machine;
    std::fs::write(&path, value.to_string()).with_context(|| format!("writing {}", path.display()))
}

/// The note a section measured on its own (`cargo xtask bench FLAG`) gets when its `machine`
/// record names another commit than the run at the top of the report.
fn measured_alone(section: &Value, run_machine: &Value, flag: &str) -> Option<String> {
    let machine = &section["machine"];
    if !machine.is_object() || machine["commit"] == run_machine["commit"] {
        return None;
    }
    let text = |key: &str| machine[key].as_str().unwrap_or("unknown").to_string();
    Some(format!(
        "This section was measured on its own (`cargo xtask bench {flag}`) on {}, commit {}, \
         load average {} at the start; the other sections come from the run described at the \
         top.\n",
        text("date"),
        text("commit"),
        text("load_start"),
    ))
}

fn step(what: &str) {
    eprintln!("\n=== bench: {what}");
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Removes the previous run's figures (our criterion groups and result files).
fn reset_results(target: &Path, results: &Path) -> Result<()> {
    if results.exists() {
        std::fs::remove_dir_all(results)
            .with_context(|| format!("removing {}", results.display()))?;
    }
    std::fs::create_dir_all(results).with_context(|| format!("creating {}", results.display()))?;
    let criterion = target.join("criterion");
    if let Ok(entries) = std::fs::read_dir(&criterion) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if GROUP_PREFIXES.iter().any(|p| name.starts_with(p)) {
                std::fs::remove_dir_all(entry.path())
                    .with_context(|| format!("removing {}", entry.path().display()))?;
            }
        }
    }
    Ok(())
}

/// Output of a command, trimmed, or `None` when it cannot run or fails.
fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = if out.stdout.is_empty() {
        out.stderr
    } else {
        out.stdout
    };
    Some(String::from_utf8_lossy(&text).trim().to_string())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".into())
}

fn machine_info() -> Value {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let field = |name: &str| {
        cpuinfo
            .lines()
            .find(|line| line.starts_with(name))
            .and_then(|line| line.split_once(':'))
            .map(|(_, value)| value.trim().to_string())
    };
    let sha_ni =
        field("flags").is_some_and(|flags| flags.split_whitespace().any(|f| f == "sha_ni"));
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let kb: f64 = text
                .lines()
                .find(|l| l.starts_with("MemTotal:"))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            Some(format!("{:.0} GiB", kb / 1024.0 / 1024.0))
        });
    let commit = output("git", &["rev-parse", "--short", "HEAD"]);
    let dirty = output("git", &["status", "--porcelain"]).is_some_and(|s| !s.is_empty());
    json!({
        "nproc": output("nproc", &[]).unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(0, |n| n.get()).to_string()
        }),
        "cpu": field("model name").unwrap_or_else(|| "unknown".into()),
        "sha_ni": sha_ni,
        "memory": memory.unwrap_or_else(|| "unknown".into()),
        "date": output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_else(|| "unknown".into()),
        "rustc": output("rustc", &["-V"]).unwrap_or_else(|| "unknown".into()),
        "java": output("java", &["-version"])
            .and_then(|v| v.lines().next().map(str::to_string))
            .unwrap_or_else(|| "not found".into()),
        "commit": match commit {
            Some(c) if dirty => format!("{c} (with uncommitted changes)"),
            Some(c) => c,
            None => "unknown".into(),
        },
        "load_start": load_average(),
    })
}

/// Median of some values (the lower middle for an even count).
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted
        .get(sorted.len().saturating_sub(1) / 2)
        .copied()
        .unwrap_or(f64::NAN)
}

/// The median of the paired ratios in `values` (a JSON array), with the first and third
/// quartiles and how many there are.
fn paired(values: &Value) -> Option<Paired> {
    let mut ratios: Vec<f64> = values
        .as_array()?
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    ratios.sort_by(f64::total_cmp);
    let n = ratios.len();
    (n > 0).then(|| Paired {
        median: ratios[(n - 1) / 2],
        q1: ratios[n / 4],
        q3: ratios[(3 * n) / 4],
        rounds: n,
    })
}

/// A paired measurement's ratios, summarised.
struct Paired {
    median: f64,
    q1: f64,
    q3: f64,
    rounds: usize,
}

impl std::fmt::Display for Paired {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.3}× ({:.3}–{:.3}, {} rounds)",
            self.median, self.q1, self.q3, self.rounds
        )
    }
}

/// Wall seconds of running a command `times` times (median and every run), and whether the
/// last run succeeded.
fn wall(mut make: impl FnMut() -> Command, times: usize) -> Result<(f64, Vec<f64>, bool)> {
    let mut runs = Vec::new();
    let mut ok = true;
    for _ in 0..times {
        let mut command = make();
        command.stdout(Stdio::null()).stderr(Stdio::null());
        let start = Instant::now();
        let status = command
            .status()
            .with_context(|| format!("running {command:?}"))?;
        runs.push(start.elapsed().as_secs_f64());
        ok = status.success();
    }
    Ok((median(&runs), runs, ok))
}

/// `--codegen-inprocess`: times `codegen::run` in check mode (load, generate, compare; writes
/// nothing) per spec and for all specs, in this process; prints JSON.
fn codegen_inprocess() -> Result<ExitCode> {
    let root = workspace_root();
    let all: Vec<&Api> = apis::APIS.iter().collect();
    let start = Instant::now();
    let stale = codegen::run(&root, &all, true, None)?.stale;
    let first = start.elapsed().as_secs_f64();
    let rounds = 5;
    let mut per_api = vec![Vec::new(); all.len()];
    let mut totals = Vec::new();
    for _ in 0..rounds {
        for (i, api) in all.iter().enumerate() {
            let start = Instant::now();
            codegen::run(&root, &[*api], true, None)?;
            per_api[i].push(start.elapsed().as_secs_f64());
        }
        let start = Instant::now();
        codegen::run(&root, &all, true, None)?;
        totals.push(start.elapsed().as_secs_f64());
    }
    let apis: Vec<Value> = all
        .iter()
        .zip(&per_api)
        .map(|(api, runs)| json!({"name": api.name, "median_s": median(runs), "runs_s": runs}))
        .collect();
    let report = json!({
        "profile": if cfg!(debug_assertions) { "debug" } else { "release" },
        "rounds": rounds,
        "first_total_s": first,
        "total_median_s": median(&totals),
        "total_runs_s": totals,
        "apis": apis,
        "stale": stale.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
    });
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}

/// One benchmark run: where things are and what could not be measured.
struct Run {
    root: PathBuf,
    target: PathBuf,
    results: PathBuf,
    quick: bool,
    machine: Value,
    problems: Vec<String>,
}

impl Run {
    /// A run about to measure, on this machine, with nothing failed yet.
    fn new(root: PathBuf, target: PathBuf, results: PathBuf, quick: bool) -> Self {
        Self {
            root,
            target,
            results,
            quick,
            machine: machine_info(),
            problems: Vec::new(),
        }
    }

    /// Renders and writes `BENCHMARKS.md` (a `--quick` run: into the results directory).
    fn write(
        &self,
        python: Result<&Value, &String>,
        codegen: Result<&Value, &String>,
        oag: Result<&Value, &String>,
    ) -> Result<()> {
        let markdown = self.render(python, codegen, oag);
        let out = if self.quick {
            self.results.join("BENCHMARKS.md")
        } else {
            self.root.join("BENCHMARKS.md")
        };
        std::fs::write(&out, markdown).with_context(|| format!("writing {}", out.display()))?;
        eprintln!("\nwrote {}", out.display());
        Ok(())
    }

    /// Keeps `Ok`, records `Err` as a problem.
    fn note<T>(&mut self, what: &str, result: Result<T, String>) -> Result<T, String> {
        if let Err(reason) = &result {
            eprintln!("bench: {what}: {reason}");
            self.problems.push(format!("{what}: {reason}"));
        }
        result
    }

    /// The venv with the pinned Python packages, created or updated.
    fn python_env(&self) -> Result<PathBuf, String> {
        let venv = self.target.join("bench-venv");
        let python = venv.join("bin/python");
        if !python.exists() {
            let status = Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv)
                .status()
                .map_err(|e| format!("python3 not runnable: {e}"))?;
            if !status.success() {
                return Err(format!("python3 -m venv failed ({status})"));
            }
        }
        let requirements = self.root.join("crates/benchmarks/python/requirements.txt");
        let status = Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "-r"])
            .arg(&requirements)
            .status()
            .map_err(|e| format!("pip not runnable: {e}"))?;
        if !status.success() {
            return Err(format!(
                "pip install -r {} failed ({status})",
                requirements.display()
            ));
        }
        Ok(venv)
    }

    fn python_edgegrid(&self, venv: &Path) -> Result<Value, String> {
        let inputs = self.results.join("edgegrid_inputs.json");
        let mut command = Command::new(venv.join("bin/python"));
        command
            .arg(self.root.join("crates/benchmarks/python/edgegrid_sign.py"))
            .arg(&inputs);
        if self.quick {
            command.arg("--quick");
        }
        let out = command
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("running edgegrid_sign.py: {e}"))?;
        if !out.status.success() {
            return Err(format!("edgegrid_sign.py failed ({})", out.status));
        }
        let value: Value = serde_json::from_slice(&out.stdout)
            .map_err(|e| format!("edgegrid_sign.py printed no JSON: {e}"))?;
        let _ = std::fs::write(self.results.join("edgegrid_python.json"), &out.stdout);
        Ok(value)
    }

    /// In-process timings from the release binary; its wall time and the debug one's for a
    /// full generation (no codegen stamps); the README's command as users run it, with nothing
    /// changed, after one spec edit, and with no stamps; the first builds.
    fn codegen(&self) -> Result<Value, String> {
        let status = Command::new(cargo())
            .current_dir(&self.root)
            .args(["build", "--release", "--manifest-path", LAUNCHER])
            .status()
            .map_err(|e| format!("cargo build --release --manifest-path {LAUNCHER}: {e}"))?;
        if !status.success() {
            return Err(format!(
                "cargo build --release --manifest-path {LAUNCHER} failed ({status})"
            ));
        }
        let release = self.target.join("release/xtask");
        let out = Command::new(&release)
            .args(["bench", "--codegen-inprocess"])
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("running {}: {e}", release.display()))?;
        if !out.status.success() {
            return Err(format!(
                "xtask bench --codegen-inprocess failed ({})",
                out.status
            ));
        }
        let mut value: Value = serde_json::from_slice(&out.stdout)
            .map_err(|e| format!("--codegen-inprocess printed no JSON: {e}"))?;
        value["machine"] = machine_info();
        let times = if self.quick { 2 } else { 5 };
        // A binary's stamps are beside it; removing them (before the clock starts) makes the
        // next run generate: all APIs (`None`) or one.
        let forget = |binary: &Path, api: Option<&str>| {
            let dir = binary.with_file_name(codegen::stamps::DIR);
            let _ = match api {
                Some(api) => std::fs::remove_file(dir.join(api)),
                None => std::fs::remove_dir_all(dir),
            };
        };
        let check = |binary: &Path, api: Option<&str>| {
            let binary = binary.to_path_buf();
            let root = self.root.clone();
            let api = api.map(str::to_string);
            move || {
                forget(&binary, None);
                let mut command = Command::new(&binary);
                command.current_dir(&root).args(["codegen", "--check"]);
                if let Some(api) = &api {
                    command.args(["--api", api]);
                }
                command
            }
        };
        let (median_s, runs, ok) =
            wall(check(&release, None), times).map_err(|e| format!("{e:#}"))?;
        value["release_wall"] = json!({"median_s": median_s, "runs_s": runs, "fresh": ok});
        let mut per_api = serde_json::Map::new();
        for api in apis::APIS {
            let (median_s, runs, _) = wall(check(&release, Some(api.name)), times.min(3))
                .map_err(|e| format!("{e:#}"))?;
            per_api.insert(
                api.name.into(),
                json!({"median_s": median_s, "runs_s": runs}),
            );
        }
        value["release_wall_per_api"] = per_api.into();
        let debug = self.target.join("debug/xtask");
        if let Ok((median_s, runs, true)) = wall(check(&debug, None), 2) {
            value["debug_wall"] = json!({"median_s": median_s, "runs_s": runs,
                "binary": debug.display().to_string()});
        }
        // The README's command as a user types it: cargo's alias, the launcher's dev profile,
        // cargo's own start-up and freshness check included (one unmeasured run builds it if
        // needed and leaves the stamps of every API).
        let alias = |forgotten: Option<Option<&str>>| {
            let forgotten = forgotten.map(|api| api.map(str::to_string));
            let debug = debug.clone();
            move || {
                if let Some(api) = &forgotten {
                    forget(&debug, api.as_deref());
                }
                let mut command = Command::new(cargo());
                command
                    .current_dir(&self.root)
                    .args(["xtask", "codegen", "--check"]);
                command
            }
        };
        wall(alias(None), 1).map_err(|e| format!("{e:#}"))?;
        // The largest spec: the slowest single regeneration.
        let edited = apis::APIS
            .iter()
            .max_by_key(|api| {
                std::fs::metadata(self.root.join(api.spec())).map_or(0, |meta| meta.len())
            })
            .map_or("", |api| api.name);
        for (key, forgotten) in [
            ("alias_wall", None),
            ("alias_wall_one_spec", Some(Some(edited))),
            ("alias_wall_no_stamps", Some(None)),
        ] {
            let (median_s, runs, ok) =
                wall(alias(forgotten), times).map_err(|e| format!("{e:#}"))?;
            value[key] = json!({"median_s": median_s, "runs_s": runs, "fresh": ok});
        }
        value["alias_wall_one_spec"]["api"] = json!(edited);
        if !self.quick {
            value["first_build"] = self.first_build().unwrap_or_else(|reason| {
                eprintln!("bench: first builds: {reason}");
                json!({ "error": reason })
            });
        }
        let _ = std::fs::write(self.results.join("codegen.json"), value.to_string());
        Ok(value)
    }

    /// What the dev-profile optimisation of the generator crates (`[profile.dev.package.*]`
    /// with an `opt-level` in the launcher's manifest) costs a first build, each into an empty
    /// target directory: the launcher (`cargo build --manifest-path xtask/launcher/Cargo.toml`,
    /// what the first `cargo xtask` does) as configured and with the overrides set back to 0,
    /// and the main workspace's xtask with its tests (`cargo build -p xtask --tests`, part of
    /// `cargo test --workspace`) as configured (no overrides) and with them.
    fn first_build(&self) -> Result<Value, String> {
        let manifest = std::fs::read_to_string(self.root.join(LAUNCHER))
            .map_err(|e| format!("reading {LAUNCHER}: {e}"))?;
        let optimised = optimised_packages(&manifest);
        let build = |args: &[&str], opt_level: Option<u8>| -> Result<f64, String> {
            let what = format!("cargo {}", args.join(" "));
            let target = self.results.join("first-build");
            let _ = std::fs::remove_dir_all(&target);
            let mut command = Command::new(cargo());
            command
                .current_dir(&self.root)
                .env("CARGO_TARGET_DIR", &target)
                .args(args);
            for package in opt_level.map_or(&[][..], |_| &optimised[..]) {
                command.arg("--config").arg(format!(
                    "profile.dev.package.{package}.opt-level={}",
                    opt_level.unwrap_or_default()
                ));
            }
            let start = Instant::now();
            let out = command.output().map_err(|e| format!("{what}: {e}"));
            let seconds = start.elapsed().as_secs_f64();
            let _ = std::fs::remove_dir_all(&target);
            match out? {
                out if out.status.success() => Ok(seconds),
                out => Err(format!(
                    "{what} (opt-level {opt_level:?}) failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                )),
            }
        };
        let launcher = ["build", "--quiet", "--manifest-path", LAUNCHER];
        let main = ["build", "--quiet", "-p", "xtask", "--tests"];
        Ok(json!({
            "launcher": {"optimised_s": build(&launcher, None)?, "unoptimised_s": build(&launcher, Some(0))?},
            "main_xtask": {"unoptimised_s": build(&main, None)?, "optimised_s": build(&main, Some(3))?},
            "packages": optimised,
        }))
    }

    /// OpenAPI Generator's `rust` generator on every spec, from the PyPI wheel (bundled jar).
    fn openapi_generator(&self, venv: &Path) -> Result<Value, String> {
        let cli = venv.join("bin/openapi-generator-cli");
        let version = output(&cli.display().to_string(), &["version"])
            .ok_or("openapi-generator-cli version failed (is `java` on PATH?)")?;
        let times = if self.quick { 1 } else { 3 };
        let base = self.results.join("openapi-generator");
        let mut per_api = serde_json::Map::new();
        for api in apis::APIS {
            let out_dir = base.join(api.name);
            let spec = self.root.join(api.spec());
            let log_path = self
                .results
                .join(format!("openapi-generator-{}.log", api.name));
            let mut runs = Vec::new();
            for _ in 0..times {
                let _ = std::fs::remove_dir_all(&out_dir);
                let log = std::fs::File::create(&log_path).map_err(|e| format!("log file: {e}"))?;
                let log_err = log.try_clone().map_err(|e| format!("log file: {e}"))?;
                let start = Instant::now();
                let status = Command::new(&cli)
                    .args(["generate", "-g", "rust", "-i"])
                    .arg(&spec)
                    .arg("-o")
                    .arg(&out_dir)
                    .stdout(log)
                    .stderr(log_err)
                    .status()
                    .map_err(|e| format!("running openapi-generator-cli: {e}"))?;
                runs.push(start.elapsed().as_secs_f64());
                if !status.success() {
                    return Err(format!(
                        "openapi-generator-cli generate failed on {} ({status}); see {}",
                        api.spec(),
                        log_path.display()
                    ));
                }
            }
            let files = count_files(&out_dir);
            per_api.insert(
                api.name.into(),
                json!({"median_s": median(&runs), "runs_s": runs, "files": files}),
            );
        }
        let value = json!({"version": version, "apis": per_api});
        let _ = std::fs::write(
            self.results.join("openapi_generator.json"),
            value.to_string(),
        );
        Ok(value)
    }

    /// A criterion estimate (ns): the slope for linear sampling, else the mean; with its 95 %
    /// confidence interval.
    fn estimate(&self, group: &str, function: &str) -> Option<Estimate> {
        let path = self
            .target
            .join("criterion")
            .join(group)
            .join(function)
            .join("new/estimates.json");
        let value: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
        let e = value
            .get("slope")
            .filter(|s| !s.is_null())
            .or_else(|| value.get("mean"))?;
        Some(Estimate {
            ns: e["point_estimate"].as_f64()?,
            lo: e["confidence_interval"]["lower_bound"].as_f64()?,
            hi: e["confidence_interval"]["upper_bound"].as_f64()?,
        })
    }

    fn result_file(&self, name: &str) -> Option<Value> {
        serde_json::from_str(&std::fs::read_to_string(self.results.join(name)).ok()?).ok()
    }

    fn render(
        &self,
        python: Result<&Value, &String>,
        codegen: Result<&Value, &String>,
        oag: Result<&Value, &String>,
    ) -> String {
        let mut summary = Vec::<[String; 4]>::new();
        let mut body = String::new();
        self.render_client(&mut body, &mut summary);
        self.render_edgegrid(&mut body, &mut summary, python);
        self.render_pager(&mut body, &mut summary);
        self.render_codegen(&mut body, &mut summary, codegen, oag);

        let m = &self.machine;
        let text = |key: &str| {
            m[key]
                .as_str()
                .map_or_else(|| m[key].to_string(), str::to_string)
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# Benchmarks\n\n\
             Written by `cargo xtask bench`{quick} — do not edit by hand; re-run it instead. \
             Benchmarks are not part of CI.\n\n\
             | | |\n|---|---|\n\
             | date | {date} |\n\
             | machine | {nproc} CPU cores (`nproc`), {cpu}, {memory} RAM; SHA extensions (`sha_ni`): {sha} |\n\
             | load average (1/5/15 min) | {ls} at the start, {le} at the end |\n\
             | toolchain | {rustc}; {java} |\n\
             | commit | {commit} |\n\
             | duration of the run | {secs} s |\n\n\
             **Figures come from one run on a 2-core machine shared with other builds (possibly under \
             load, see the load average), so they are noisy. Criterion measures each variant on its \
             own, seconds to minutes apart; the client and 128 KiB EdgeGrid targets are therefore \
             checked against paired measurements that alternate the two sides.** Every figure is \
             reported as measured; where a target is missed the likely cause is given.\n",
            quick = if self.quick {
                " `--quick` (smoke run: figures are rough)"
            } else {
                ""
            },
            date = text("date"),
            nproc = text("nproc"),
            cpu = text("cpu"),
            memory = text("memory"),
            sha = if m["sha_ni"].as_bool() == Some(true) {
                "yes"
            } else {
                "no"
            },
            ls = text("load_start"),
            le = text("load_end"),
            rustc = text("rustc"),
            java = text("java"),
            commit = text("commit"),
            secs = text("run_seconds"),
        );
        out.push_str(
            "## Summary\n\n| requirement | measured | target | result |\n|---|---|---|---|\n",
        );
        for [what, measured, target, result] in &summary {
            let _ = writeln!(out, "| {what} | {measured} | {target} | {result} |");
        }
        out.push('\n');
        out.push_str(&body);
        if !self.problems.is_empty() {
            out.push_str("## Not measured\n\n");
            for problem in &self.problems {
                let _ = writeln!(out, "- {problem}");
            }
            out.push('\n');
        }
        out.push_str(REPRODUCE);
        out
    }

    fn render_client(&self, out: &mut String, summary: &mut Vec<[String; 4]>) {
        let results = self
            .result_file("client_overhead.json")
            .unwrap_or(Value::Null);
        let inputs = client_overhead::Inputs {
            results: &results,
            estimate: &|group, function| self.estimate(group, function),
            peer: client_overhead::Peer::read(&self.root),
            alone: measured_alone(&results, &self.machine, "--overhead"),
        };
        client_overhead::render(&inputs, out, summary);
    }

    fn render_edgegrid(
        &self,
        out: &mut String,
        summary: &mut Vec<[String; 4]>,
        python: Result<&Value, &String>,
    ) {
        let inputs = self
            .result_file("edgegrid_inputs.json")
            .unwrap_or(Value::Null);
        out.push_str(
            "## 2. EdgeGrid signing\n\n\
             `crates/benchmarks/benches/edgegrid_sign.rs` and `crates/benchmarks/python/edgegrid_sign.py`, \
             on the same credential, URLs and bodies (the Python signature for a fixed timestamp \
             and nonce is checked against the Rust one). Per request: Rust \
             `Credentials::sign_request` on a `reqwest::Request` (fresh timestamp and nonce) vs \
             Python `EdgeGridAuthHeaders.make_auth_header(prepared_request, eg_timestamp(), \
             new_nonce())` — what `EdgeGridAuth.__call__` does per request, minus registering \
             its redirect hook. Pure: both signers with a fixed timestamp and nonce.\n\n",
        );
        let python_version = python.ok().map(|p| {
            format!(
                "Python {} with edgegrid-python {} (requests {})",
                p["python"].as_str().unwrap_or("?"),
                p["edgegrid_python"].as_str().unwrap_or("?"),
                p["requests"].as_str().unwrap_or("?")
            )
        });
        if let Some(version) = &python_version {
            let _ = writeln!(out, "Python side: {version}.\n");
        }
        out.push_str(
            "| request | Rust `sign_request` | Rust pure | Python per request | Python pure | same signature | Python ÷ Rust (per request) |\n\
             |---|---|---|---|---|---|---|\n",
        );
        let mut small_worst: Option<(f64, String)> = None;
        for case in ["get", "post_1k", "post_128k"] {
            let group = format!("edgegrid_{case}");
            let sign = self.estimate(&group, "sign_request");
            let pure = self.estimate(&group, "authorization_fixed");
            let py = python.ok().map(|p| &p["cases"][case]);
            let py_sign = py.and_then(|c| c["sign_ns"].as_f64());
            let py_pure = py.and_then(|c| c["pure_ns"].as_f64());
            let same = py
                .and_then(|c| c["signature_matches_rust"].as_bool())
                .map_or("?", |b| if b { "yes" } else { "**no**" });
            let speedup = match (&sign, py_sign) {
                (Some(sign), Some(py)) => {
                    let s = py / sign.ns;
                    if case != "post_128k" && small_worst.as_ref().is_none_or(|(w, _)| s < *w) {
                        small_worst = Some((s, case.to_string()));
                    }
                    format!("**{s:.1}×**")
                }
                _ => "not measured".into(),
            };
            let _ = writeln!(
                out,
                "| `{case}` | {} | {} | {} | {} | {same} | {speedup} |",
                per_request(&sign),
                per_request(&pure),
                py_sign.map_or("not measured".into(), duration),
                py_pure.map_or("not measured".into(), duration),
            );
        }
        let timestamp = self.estimate("edgegrid_get", "format_timestamp");
        let nonce = self.estimate("edgegrid_get", "new_nonce");
        let _ = writeln!(
            out,
            "\nOf Rust's per-request time, making the fresh inputs costs: timestamp \
             (`format_timestamp(Utc::now())`) {}, nonce (`new_nonce()`, a UUID v4) {}.",
            per_request(&timestamp),
            per_request(&nonce),
        );
        if let Some((speedup, _)) = &small_worst
            && *speedup < EDGEGRID_MIN_SPEEDUP
        {
            let _ = writeln!(
                out,
                "\n**Target missed** for small requests. Where Rust's time goes: the pure column \
                 is the signer alone (two HMAC-SHA256, plus the body's SHA-256 for a POST); the \
                 rest of the per-request column is the fresh timestamp and nonce above, the \
                 `Authorization` header and the machine's load (see the load average)."
            );
        }
        let sign = self.estimate("edgegrid_post_128k", "sign_request");
        let sha = self.estimate("edgegrid_post_128k", "sha256");
        let fallback = self.estimate("edgegrid_post_128k", "sha2_asm_fallback");
        let py_sha = python.ok().and_then(|p| p["sha256_128k_ns"].as_f64());
        let gbps = |ns: f64| format!("{:.2} GB/s", 131_072.0 / ns);
        let _ = writeln!(
            out,
            "\n128 KiB POST against the SHA-256 floor (`sha2` crate, same run, same bytes):\n\n\
             | | time | throughput |\n|---|---|---|\n\
             | Rust `sign_request`, 128 KiB POST | {} | {} |\n\
             | `Sha256::digest` of the 128 KiB body (floor) | {} | {} |\n\
             | `sha2-asm` compression alone (what `sha2` falls back to without SHA-NI) | {} | {} |\n\
             | Python `hashlib.sha256` (OpenSSL), same body | {} | {} |\n",
            per_request(&sign),
            sign.as_ref().map_or("".into(), |e| gbps(e.ns)),
            per_request(&sha),
            sha.as_ref().map_or("".into(), |e| gbps(e.ns)),
            per_request(&fallback),
            fallback.as_ref().map_or("".into(), |e| gbps(e.ns)),
            py_sha.map_or("not measured".into(), duration),
            py_sha.map_or("".into(), gbps),
        );
        let floor = paired(&inputs["post_128k_over_sha256_paired"]);
        if let Some(floor) = &floor {
            let _ = writeln!(
                out,
                "Paired (batches of 50 `sign_request` and 50 `Sha256::digest` back to back, the \
                 order alternating, so that load changes between criterion's separate runs do \
                 not skew the ratio): `sign_request` takes {floor} of the floor's time, median \
                 and middle half of the rounds. The target is checked against this ratio.\n"
            );
        }
        let cpu_sha = inputs["cpu_has_sha_ni"].as_bool();
        if let (Some(sha), Some(fallback)) = (&sha, &fallback) {
            let _ = writeln!(
                out,
                "SHA-256 check: the CPU {} the SHA extensions (`is_x86_feature_detected!(\"sha\")`). \
                 `sha2` 0.10 detects SHA-NI at run time whatever its features; its `asm` feature \
                 (enabled by the workspace) only swaps the fallback for `sha2-asm`. `sha2` ran \
                 {:.1}× faster than that fallback, so {} (and the `asm` feature, which only replaces the fallback, makes no difference on \
                 this CPU). The ~1.5–2 GB/s expected of SHA-NI \
                 compares with the {} measured here{}.\n",
                match cpu_sha {
                    Some(true) => "has",
                    Some(false) => "lacks",
                    None => "may have",
                },
                fallback.ns / sha.ns,
                if fallback.ns / sha.ns > 2.0 {
                    "the hardware (SHA-NI) path is the one in use"
                } else {
                    "the hardware path does not appear to be in use"
                },
                gbps(sha.ns),
                py_sha.map_or(String::new(), |py| format!(
                    " (OpenSSL through Python: {}, i.e. Rust takes {:.2}× OpenSSL's time)",
                    gbps(py),
                    sha.ns / py
                )),
            );
        }
        match &small_worst {
            Some((speedup, case)) => {
                let met = *speedup >= EDGEGRID_MIN_SPEEDUP;
                summary.push(row(
                    "2. EdgeGrid signing, small requests: Python time ÷ Rust time (worst of GET, 1 KiB POST)",
                    &format!("{speedup:.1}× (`{case}`)"),
                    &format!("≥ {EDGEGRID_MIN_SPEEDUP}×"),
                    Some(met),
                ));
            }
            None => summary.push(row(
                "2. EdgeGrid signing, small requests vs Python",
                &format!(
                    "not measured{}",
                    python.err().map_or(String::new(), |e| format!(": {e}"))
                ),
                &format!("≥ {EDGEGRID_MIN_SPEEDUP}×"),
                None,
            )),
        }
        match (&floor, &sign, &sha) {
            (Some(floor), ..) => summary.push(row(
                "2. EdgeGrid signing, 128 KiB POST ÷ SHA-256 of the body (paired)",
                &format!("{:.3}×", floor.median),
                &format!("≤ {EDGEGRID_MAX_OVER_SHA256}×"),
                Some(floor.median <= EDGEGRID_MAX_OVER_SHA256),
            )),
            (None, Some(sign), Some(sha)) => {
                let r = sign.ns / sha.ns;
                summary.push(row(
                    "2. EdgeGrid signing, 128 KiB POST ÷ SHA-256 of the body",
                    &format!("{r:.3}× ({} vs {})", duration(sign.ns), duration(sha.ns)),
                    &format!("≤ {EDGEGRID_MAX_OVER_SHA256}×"),
                    Some(r <= EDGEGRID_MAX_OVER_SHA256),
                ));
            }
            _ => summary.push(row(
                "2. EdgeGrid 128 KiB vs SHA-256",
                "not measured",
                "≤ 1.1×",
                None,
            )),
        }
        out.push('\n');
    }

    fn render_pager(&self, out: &mut String, summary: &mut Vec<[String; 4]>) {
        out.push_str(
            "## 3. Listing users through the pager\n\n\
             `crates/benchmarks/benches/pager.rs`. `client.users(|q| q.limit(100))` (counted as \
             it streams, not collected) against fetching the pages by hand \
             (`list_users().page(p).limit(100)` in a loop with the same stopping rule). The \
             `harmony-sase-fake` server runs in a child process, so the bench binary's counting \
             global allocator sees the client alone. Peak = highest live heap during the listing \
             minus the live heap just before it. `collect all` (the stream collected into a \
             `Vec`) is a control showing that the measurement does see growth.\n\n\
             | users | pages | stream peak | by hand peak | collect all peak |\n|---|---|---|---|---|\n",
        );
        let memory = self.result_file("pager_memory.json");
        let runs: Vec<Value> = memory
            .as_ref()
            .and_then(|m| m["runs"].as_array().cloned())
            .unwrap_or_default();
        for run in &runs {
            let kb = |key: &str| {
                run[key]
                    .as_f64()
                    .map_or("?".into(), |b| format!("{:.1} KB", b / 1000.0))
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                run["users"],
                run["pages"],
                kb("stream_peak_bytes"),
                kb("by_hand_peak_bytes"),
                kb("collect_all_peak_bytes")
            );
        }
        let peaks: Vec<f64> = runs
            .iter()
            .filter_map(|r| r["stream_peak_bytes"].as_f64())
            .collect();
        match (peaks.first(), peaks.last()) {
            (Some(first), Some(last)) if peaks.len() > 1 => {
                let growth = last / first;
                summary.push(row(
                    "3. pager peak heap, 10,000 users ÷ 1,000 users (100 vs 10 pages)",
                    &format!(
                        "{growth:.3}× ({:.1} KB → {:.1} KB)",
                        first / 1000.0,
                        last / 1000.0
                    ),
                    &format!("flat (≤ {PAGER_MAX_MEMORY_GROWTH}×)"),
                    Some(growth <= PAGER_MAX_MEMORY_GROWTH),
                ));
            }
            _ => summary.push(row("3. pager peak heap", "not measured", "flat", None)),
        }
        out.push_str(
            "\n| time to list 10,000 users | stream | by hand | stream ÷ by hand |\n|---|---|---|---|\n",
        );
        for (group, label) in [
            (
                "pager_fake_10000",
                "harmony-sase-fake, 10,000 users (required)",
            ),
            (
                "pager_local_10000",
                "minimal local server, 100 pages of 100 fixed users",
            ),
        ] {
            let stream = self.estimate(group, "stream");
            let by_hand = self.estimate(group, "by_hand");
            let ratio = match (&stream, &by_hand) {
                (Some(s), Some(h)) => {
                    let r = s.ns / h.ns;
                    summary.push(row(
                        &format!("3. pager time ÷ pages by hand ({label})"),
                        &format!("{r:.3}×"),
                        &format!("≤ {PAGER_MAX_TIME_RATIO}×"),
                        Some(r <= PAGER_MAX_TIME_RATIO),
                    ));
                    format!("**{r:.3}×**")
                }
                _ => "not measured".into(),
            };
            let _ = writeln!(
                out,
                "| {label} | {} | {} | {ratio} |",
                per_request(&stream),
                per_request(&by_hand)
            );
        }
        out.push_str(
            "\nThe fake copies its whole user list for every page it serves, so with 10,000 users \
             its own time dominates that row; the minimal server's row shows the client-side \
             cost of the stream itself.\n\n",
        );
    }

    fn render_codegen(
        &self,
        out: &mut String,
        summary: &mut Vec<[String; 4]>,
        codegen: Result<&Value, &String>,
        oag: Result<&Value, &String>,
    ) {
        out.push_str(
            "## 4. Code generation\n\n\
             In-process: `codegen::run` in check mode (read and parse the spec, run progenitor, \
             format with prettyplease, compare with the checked-in file; writes nothing; no \
             codegen stamps), timed inside the release build of xtask (`xtask bench \
             --codegen-inprocess`), median of 5 rounds after one warm-up. Wall: the built binary \
             `target/release/xtask codegen --check` (all specs, or `--api NAME`) with its codegen \
             stamps removed first (a full generation), process start to exit. OpenAPI Generator: \
             `openapi-generator-cli generate -g rust -i specs/NAME.yaml -o …` from the PyPI \
             package (its wheel bundles the jar, so it runs offline; needs `java`), wall time \
             including JVM start-up, median of 3.\n\n",
        );
        if let Some(note) = codegen
            .ok()
            .and_then(|c| measured_alone(c, &self.machine, "--codegen"))
        {
            let _ = writeln!(out, "{note}");
        }
        let codegen = match codegen {
            Ok(c) => c,
            Err(reason) => {
                let _ = writeln!(out, "Not measured: {reason}\n");
                summary.push(row(
                    "4. codegen",
                    &format!("not measured: {reason}"),
                    "≤ 0.25 s",
                    None,
                ));
                return;
            }
        };
        let oag_version = oag.ok().and_then(|o| o["version"].as_str()).unwrap_or("");
        if !oag_version.is_empty() {
            let _ = writeln!(out, "OpenAPI Generator version: {oag_version}.\n");
        }
        out.push_str(
            "| spec | in-process | xtask wall (`--api`) | OpenAPI Generator wall | OpenAPI Generator ÷ xtask (wall) |\n\
             |---|---|---|---|---|\n",
        );
        let mut oag_total = 0.0;
        let mut oag_complete = true;
        for api in codegen["apis"].as_array().cloned().unwrap_or_default() {
            let name = api["name"].as_str().unwrap_or("?");
            let inproc = api["median_s"].as_f64();
            let wall_api = codegen["release_wall_per_api"][name]["median_s"].as_f64();
            let theirs = oag.ok().and_then(|o| o["apis"][name]["median_s"].as_f64());
            match theirs {
                Some(t) => oag_total += t,
                None => oag_complete = false,
            }
            let ratio = match (theirs, wall_api) {
                (Some(t), Some(w)) => format!("{:.0}×", t / w),
                _ => "not measured".into(),
            };
            let _ = writeln!(
                out,
                "| `{name}` | {} | {} | {} | {ratio} |",
                inproc.map_or("?".into(), seconds),
                wall_api.map_or("?".into(), seconds),
                theirs.map_or_else(
                    || format!(
                        "not measured{}",
                        oag.err().map_or(String::new(), |e| format!(": {e}"))
                    ),
                    seconds
                ),
            );
        }
        let total = codegen["total_median_s"].as_f64();
        let release_wall = codegen["release_wall"]["median_s"].as_f64();
        let debug_wall = codegen["debug_wall"]["median_s"].as_f64();
        let _ = writeln!(
            out,
            "| **all specs** | {} (first call in the process: {}) | {} (`codegen --check`) | {} (sum) | {} |\n",
            total.map_or("?".into(), seconds),
            codegen["first_total_s"]
                .as_f64()
                .map_or("?".into(), seconds),
            release_wall.map_or("?".into(), seconds),
            if oag_complete {
                seconds(oag_total)
            } else {
                "not measured".into()
            },
            match release_wall {
                Some(w) if oag_complete => format!("**{:.0}×**", oag_total / w),
                _ => "not measured".into(),
            },
        );
        if let Some(debug) = debug_wall {
            let _ = writeln!(
                out,
                "The debug binary (`target/debug/xtask codegen --check` as built by the alias, \
                 stamps removed first) takes {} wall for all specs.\n",
                seconds(debug)
            );
        } else {
            out.push_str(
                "The debug binary's wall time was not measured in this run (it was missing, \
                 replaced by a concurrent build, or failed).\n\n",
            );
        }
        let alias = |key: &str| codegen[key]["median_s"].as_f64();
        let (alias_wall, alias_one, alias_none) = (
            alias("alias_wall"),
            alias("alias_wall_one_spec"),
            alias("alias_wall_no_stamps"),
        );
        let edited = codegen["alias_wall_one_spec"]["api"]
            .as_str()
            .unwrap_or("one API");
        if let Some(unchanged) = alias_wall {
            let _ = writeln!(
                out,
                "The README's command, `cargo xtask codegen --check` as users type it (cargo's \
                 alias runs the launcher `xtask/launcher`, a workspace of its own, in the dev \
                 profile with the generator crates optimised; cargo's start-up and freshness check \
                 included), median of {} runs: {} with nothing changed (every API's codegen stamp \
                 matches: no generation), {} after one spec changed (`{edited}`, the largest, \
                 regenerated: its stamp removed before each run) and {} with no stamps (every API \
                 generated, as on a fresh clone or after a rebuild of xtask).\n",
                codegen["alias_wall"]["runs_s"]
                    .as_array()
                    .map_or(0, Vec::len),
                seconds(unchanged),
                alias_one.map_or("not measured".into(), seconds),
                alias_none.map_or("not measured".into(), seconds),
            );
        }
        let first = &codegen["first_build"];
        let packages = first["packages"]
            .as_array()
            .map(|p| {
                p.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        let pair = |what: &str, with: &str, without: &str| {
            Some((first[what][with].as_f64()?, first[what][without].as_f64()?))
        };
        if let Some((with, without)) = pair("launcher", "optimised_s", "unoptimised_s") {
            let _ = writeln!(
                out,
                "What that optimisation costs the launcher's first build (`cargo build \
                 --manifest-path xtask/launcher/Cargo.toml` into an empty target directory, what \
                 the first `cargo xtask` does): {} with it, {} without it ({:+.1} s; packages: \
                 {packages}).\n",
                seconds(with),
                seconds(without),
                with - without,
            );
            summary.push(row(
                "4. first build of the `cargo xtask` launcher (dev), generator crates optimised vs not",
                &format!(
                    "{} vs {} ({:+.1} s)",
                    seconds(with),
                    seconds(without),
                    with - without
                ),
                "recorded",
                None,
            ));
        }
        if let Some(reason) = first["error"].as_str() {
            let _ = writeln!(out, "The first builds were not measured: {reason}\n");
        }
        if let Some((plain, optimised)) = pair("main_xtask", "unoptimised_s", "optimised_s") {
            let _ = writeln!(
                out,
                "The main workspace leaves those crates unoptimised (its xtask tests only need \
                 correctness): `cargo build -p xtask --tests` into an empty target directory takes \
                 {} as configured, {} with the same overrides ({:+.1} s saved for `cargo test \
                 --workspace`'s first build).\n",
                seconds(plain),
                seconds(optimised),
                optimised - plain,
            );
            summary.push(row(
                "4. first build of xtask's tests in the main workspace (dev), as configured (unoptimised) vs optimised",
                &format!(
                    "{} vs {} ({:+.1} s)",
                    seconds(plain),
                    seconds(optimised),
                    plain - optimised
                ),
                "recorded",
                None,
            ));
        }
        if codegen["release_wall"]["fresh"].as_bool() == Some(false) {
            out.push_str(
                "Note: `codegen --check` reported stale generated files during the run (specs \
                 were being edited); timings are unaffected, nothing was written.\n\n",
            );
        }
        let one_spec = format!(
            "4. codegen, README command `cargo xtask codegen --check` wall, one spec changed \
             (`{edited}` regenerated)"
        );
        for (label, value) in [
            (
                "4. codegen, all specs, in-process (release), full generation",
                total,
            ),
            (
                "4. codegen, all specs, `target/release/xtask codegen --check` wall, full generation",
                release_wall,
            ),
            (
                "4. codegen, README command `cargo xtask codegen --check` wall, nothing changed",
                alias_wall,
            ),
            (one_spec.as_str(), alias_one),
            (
                "4. codegen, README command `cargo xtask codegen --check` wall, no stamps (full generation)",
                alias_none,
            ),
        ] {
            match value {
                Some(s) => {
                    let met = s <= CODEGEN_MAX_SECONDS;
                    summary.push(row(
                        label,
                        &seconds(s),
                        &format!("≤ {CODEGEN_MAX_SECONDS} s"),
                        Some(met),
                    ));
                }
                None => summary.push(row(label, "not measured", "≤ 0.25 s", None)),
            }
        }
        let missed = [total, release_wall, alias_wall, alias_one, alias_none]
            .iter()
            .any(|s| s.is_some_and(|s| s > CODEGEN_MAX_SECONDS));
        if missed {
            out.push_str(
                "**Target missed** where marked above. Generation itself is progenitor plus \
                 formatting with prettyplease (`codegen::generate`; parsing progenitor's tokens \
                 with syn alone takes about 0.1 s for Harmony's client), over specs whose generated \
                 files run to thousands of lines (each client also includes the httpmock \
                 extension, a second generator pass); xtask adds only reading, parsing and \
                 comparing files, and cargo's start-up adds about 0.15 s to the README's command. \
                 The command therefore meets the target only when the stamps let it skip \
                 generation.\n\n",
            );
        }
        match (release_wall, oag_complete) {
            (Some(w), true) => {
                let r = oag_total / w;
                summary.push(row(
                    "4. OpenAPI Generator (rust, all specs) ÷ xtask codegen wall",
                    &format!("{r:.0}× ({} vs {})", seconds(oag_total), seconds(w)),
                    &format!("≥ {CODEGEN_MIN_SPEEDUP}×"),
                    Some(r >= CODEGEN_MIN_SPEEDUP),
                ));
            }
            _ => summary.push(row(
                "4. OpenAPI Generator vs xtask codegen",
                &format!(
                    "not measured{}",
                    oag.err().map_or(String::new(), |e| format!(": {e}"))
                ),
                "≥ 10×",
                None,
            )),
        }
    }
}

/// The packages Cargo.toml gives an `opt-level` in the dev profile (`[profile.dev.package.X]`).
fn optimised_packages(manifest: &str) -> Vec<String> {
    let mut packages = Vec::new();
    let mut current = None;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            current = line
                .strip_prefix("[profile.dev.package.")
                .and_then(|rest| rest.strip_suffix(']'))
                .filter(|name| !name.starts_with('"'))
                .map(str::to_string);
        } else if line.starts_with("opt-level")
            && let Some(name) = current.take()
        {
            packages.push(name);
        }
    }
    packages
}

/// A criterion estimate in ns with its 95 % confidence interval.
struct Estimate {
    ns: f64,
    lo: f64,
    hi: f64,
}

fn row(what: &str, measured: &str, target: &str, met: Option<bool>) -> [String; 4] {
    [
        what.to_string(),
        measured.to_string(),
        target.to_string(),
        match met {
            Some(true) => "met".into(),
            Some(false) => "**missed**".into(),
            None => "—".into(),
        },
    ]
}

/// `1.23 µs`, `4.56 ms`, …
fn duration(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn per_request(estimate: &Option<Estimate>) -> String {
    estimate
        .as_ref()
        .map_or("not measured".into(), |e| duration(e.ns))
}

fn seconds(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.2} s")
    } else {
        format!("{:.0} ms", s * 1000.0)
    }
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|e| {
                let path = e.path();
                if path.is_dir() { count_files(&path) } else { 1 }
            })
            .sum()
    })
}

const REPRODUCE: &str = "\
## How to reproduce

```sh
cargo xtask bench            # everything, about 10 minutes on 2 cores once built; rewrites BENCHMARKS.md
cargo xtask bench --quick    # smoke run; writes target/bench-results/BENCHMARKS.md instead
cargo xtask bench --overhead # section 1 alone (--codegen: section 4 alone); rewrites BENCHMARKS.md
cargo bench -p benchmarks --bench client_overhead   # one criterion bench (also: edgegrid_sign, pager)
```

Needs `python3` (with `venv`) and `java` on PATH; `cargo xtask bench` creates `target/bench-venv`
and installs the pinned `crates/benchmarks/python/requirements.txt` (edgegrid-python,
openapi-generator-cli) from PyPI. Raw results: `target/bench-results/*.json` and
`target/criterion/`. Criterion settings: 1 s warm-up, 3 s measurement, 20 samples (the pager
groups: 10 flat samples). The OpenAPI Generator peers of section 1 are checked in under
`crates/benchmarks/peer`; its `generate.sh` regenerates them after a spec change (see its README).
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optimised_packages_are_read_from_the_manifest() {
        let manifest = "[profile.dev.package.syn]\nopt-level = 3\n\n\
                        [profile.dev.package.\"*\"]\ndebug = false\n\n\
                        [profile.dev.package.quote]\ndebug = false\n\n\
                        [profile.dev.package.serde_yaml]\n# fast parsing\nopt-level = 3\n";
        assert_eq!(optimised_packages(manifest), ["syn", "serde_yaml"]);
    }
}
