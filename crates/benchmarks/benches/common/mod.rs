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

/// Rounds of a paired measurement.
pub const PAIRED_ROUNDS: usize = 60;

/// Time of `first` ÷ time of `second` in each of [`PAIRED_ROUNDS`] rounds; each closure runs
/// one batch of the work measured. The two batches of a round run back to back and their
/// order alternates, so that load which comes and goes affects both alike: the ratio
/// criterion's separate, consecutive runs cannot give.
pub fn paired_ratios(mut first: impl FnMut(), mut second: impl FnMut()) -> Vec<f64> {
    let time = |batch: &mut dyn FnMut()| {
        let start = std::time::Instant::now();
        batch();
        start.elapsed().as_secs_f64()
    };
    (0..PAIRED_ROUNDS)
        .map(|round| {
            if round % 2 == 0 {
                let first_time = time(&mut first);
                first_time / time(&mut second)
            } else {
                let second_time = time(&mut second);
                time(&mut first) / second_time
            }
        })
        .collect()
}
