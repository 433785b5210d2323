//! Criterion settings shared by the benches: short enough that `cargo xtask bench` finishes
//! in minutes on two cores.

#![allow(dead_code)] // each bench uses a subset of these helpers

use std::time::Duration;

use criterion::Criterion;

/// 1 s warm-up, 3 s measurement, 20 samples; command-line flags (`--quick`, `--test`, a
/// filter) still apply.
pub fn criterion() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20)
        .configure_from_args()
}

/// A single-threaded Tokio runtime for the client side (the servers run on other threads or
/// in another process).
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime")
}
