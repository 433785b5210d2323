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

/// Time of `first` ÷ time of `second` in each of [`PAIRED_ROUNDS`] rounds (see
/// [`rotated_times`]); each closure runs one batch of the work measured.
pub fn paired_ratios(mut first: impl FnMut(), mut second: impl FnMut()) -> Vec<f64> {
    rotated_times(&mut [&mut first, &mut second])
        .iter()
        .map(|round| round[0] / round[1])
        .collect()
}

/// The seconds each of `batches` takes in each of [`PAIRED_ROUNDS`] rounds (`[round][batch]`).
/// The batches of a round run back to back, each round starting one batch further on, so
/// that load which comes and goes affects them all alike: ratios between them that
/// criterion's separate, consecutive runs cannot give.
pub fn rotated_times(batches: &mut [&mut dyn FnMut()]) -> Vec<Vec<f64>> {
    let n = batches.len();
    (0..PAIRED_ROUNDS)
        .map(|round| {
            let mut times = vec![0.0; n];
            for i in (0..n).map(|k| (round + k) % n) {
                let start = std::time::Instant::now();
                batches[i]();
                times[i] = start.elapsed().as_secs_f64();
            }
            times
        })
        .collect()
}
