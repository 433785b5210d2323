//! Shared pieces of the workspace benchmarks in `benches/`: a minimal local API server,
//! fixed payloads, the EdgeGrid signing inputs and a counting allocator.
//!
//! Run every benchmark and record the figures in `BENCHMARKS.md` with `cargo xtask bench`;
//! run one with `cargo bench -p benchmarks --bench NAME`.

pub mod alloc;
pub mod payloads;
pub mod server;

use std::path::PathBuf;

/// Environment variable naming the directory where benches write their JSON results
/// (set by `cargo xtask bench`).
pub const RESULTS_DIR_ENV: &str = "BENCH_RESULTS_DIR";

/// Where benches write JSON results: `$BENCH_RESULTS_DIR`, else `target/bench-results` of this
/// workspace. The directory is created.
pub fn results_dir() -> PathBuf {
    let dir = std::env::var_os(RESULTS_DIR_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-results")
        });
    std::fs::create_dir_all(&dir).expect("creating the bench results directory");
    dir
}

/// Writes `value` as pretty JSON to `<results_dir>/<name>`.
pub fn write_result(name: &str, value: &serde_json::Value) {
    let path = results_dir().join(name);
    let text = serde_json::to_string_pretty(value).expect("JSON value serialises");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}
