//! Listing users through the pager (`Client::users`) against fetching the pages by hand, and
//! the pager's peak heap as the number of pages grows.
//!
//! The `harmony-sase-fake` server runs in a child process (this binary, re-run with
//! `BENCH_FAKE_USERS=N`), so that the counting allocator below sees only the client and the
//! fake's own cost does not share this process.
//!
//! * Memory (before the timings; written to `pager_memory.json` in the results directory):
//!   for 1,000 / 5,000 / 10,000 users at 100 per page, the peak live heap above the level
//!   before listing, for the stream (counted, not collected), for the hand-written loop, and
//!   for collecting every user into a `Vec` (a control that must grow with the pages).
//! * Time: group `pager_fake_10000` (the fake with 10,000 users; each of its pages costs the
//!   fake a copy of every user, so the server dominates) and group `pager_local_10000` (100
//!   pages of a fixed 100-user body from the minimal local server, so client costs dominate),
//!   each with `stream` and `by_hand`.

mod common;

use std::hint::black_box;
use std::io::{BufRead, BufReader, Read};
use std::num::NonZeroU64;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use benchmarks::alloc::{self, CountingAlloc};
use benchmarks::server::LocalServer;
use criterion::{Criterion, SamplingMode};
use futures::TryStreamExt;
use harmony_sase::Client;
use serde_json::json;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Set in the child process: how many users the fake seeds.
const FAKE_ENV: &str = "BENCH_FAKE_USERS";

/// Users per page.
const LIMIT: NonZeroU64 = NonZeroU64::new(100).expect("non-zero");

/// The fake in a child process; killed when dropped.
struct FakeProcess {
    child: Child,
    origin: String,
    api_key: String,
}

impl FakeProcess {
    fn start(users: usize) -> Self {
        let mut child = Command::new(std::env::current_exe().expect("own path"))
            .env(FAKE_ENV, users.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("starting the fake server process");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().expect("piped stdout"))
            .read_line(&mut line)
            .expect("reading the fake's origin");
        let (origin, api_key) = line.trim().split_once(' ').expect("`origin api_key`");
        FakeProcess {
            origin: origin.to_string(),
            api_key: api_key.to_string(),
            child,
        }
    }
}

impl Drop for FakeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Child-process mode: serve a fake with `users` users until stdin closes.
fn serve_fake(users: usize) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("fake runtime");
    let fake = runtime.block_on(
        harmony_sase_fake::FakeServer::builder()
            .users(users)
            .start(),
    );
    println!("{} {}", fake.origin(), fake.api_key());
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    drop(fake);
}

fn client(origin: &str, api_key: &str) -> Client {
    let config = harmony_sase::ClientConfig {
        rate_limit: None,
        ..Client::default_config()
    };
    Client::builder(api_key)
        .base_url(origin)
        .config(config)
        .build()
        .expect("harmony client")
}

/// Every user through the stream, counted.
async fn stream(client: &Client) -> usize {
    client
        .users(|q| q.limit(LIMIT))
        .try_fold(0, |n, user| async move {
            black_box(user);
            Ok(n + 1)
        })
        .await
        .expect("listing")
}

/// Every user page by page, by hand, with the stream's stopping rule.
async fn by_hand(client: &Client) -> usize {
    let mut count = 0;
    let mut page = NonZeroU64::MIN;
    loop {
        let list = client
            .list_users()
            .page(page)
            .limit(LIMIT)
            .send()
            .await
            .expect("page")
            .into_inner();
        let last = list.data.is_empty()
            || list
                .total_page
                .is_none_or(|total| page.get() >= total.max(0) as u64);
        for user in list.data {
            black_box(user);
            count += 1;
        }
        if last {
            return count;
        }
        page = page.checked_add(1).expect("page number");
    }
}

/// Every user collected into a `Vec`: memory grows with the pages (the control).
async fn collect_all(client: &Client) -> usize {
    let users: Vec<_> = client
        .users(|q| q.limit(LIMIT))
        .try_collect()
        .await
        .expect("listing");
    users.len()
}

/// Peak live heap above the level before `run`, and what `run` returned.
fn peak_of(
    rt: &tokio::runtime::Runtime,
    run: impl std::future::Future<Output = usize>,
) -> (usize, usize) {
    let base = alloc::reset_peak();
    let count = rt.block_on(run);
    (alloc::peak().saturating_sub(base), count)
}

fn memory(rt: &tokio::runtime::Runtime) {
    let mut runs = Vec::new();
    for users in [1_000, 5_000, 10_000] {
        let fake = FakeProcess::start(users);
        let client = client(&fake.origin, &fake.api_key);
        // Token exchange, connection, and one page, before measuring.
        rt.block_on(by_hand(&client));
        let (stream_peak, n1) = peak_of(rt, stream(&client));
        let (hand_peak, n2) = peak_of(rt, by_hand(&client));
        let (collect_peak, n3) = peak_of(rt, collect_all(&client));
        assert_eq!((n1, n2, n3), (users, users, users));
        let pages = users.div_ceil(LIMIT.get() as usize);
        eprintln!(
            "pager memory: {users} users / {pages} pages: peak above base {stream_peak} B (stream), \
             {hand_peak} B (by hand), {collect_peak} B (collect all)"
        );
        runs.push(json!({
            "users": users,
            "pages": pages,
            "stream_peak_bytes": stream_peak,
            "by_hand_peak_bytes": hand_peak,
            "collect_all_peak_bytes": collect_peak,
        }));
    }
    benchmarks::write_result(
        "pager_memory.json",
        &json!({"limit": LIMIT.get(), "runs": runs}),
    );
}

fn timings(c: &mut Criterion, rt: &tokio::runtime::Runtime) {
    let fake = FakeProcess::start(10_000);
    let local = LocalServer::start();
    let targets = [
        ("pager_fake_10000", client(&fake.origin, &fake.api_key)),
        (
            "pager_local_10000",
            client(&local.origin(), "bench-api-key"),
        ),
    ];
    for (name, client) in &targets {
        assert_eq!(rt.block_on(by_hand(client)), 10_000);
        let mut group = c.benchmark_group(*name);
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .measurement_time(Duration::from_secs(5));
        group.bench_function("stream", |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    for _ in 0..iters {
                        assert_eq!(stream(client).await, 10_000);
                    }
                    start.elapsed()
                })
            })
        });
        group.bench_function("by_hand", |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    for _ in 0..iters {
                        assert_eq!(by_hand(client).await, 10_000);
                    }
                    start.elapsed()
                })
            })
        });
        group.finish();
    }
}

fn main() {
    if let Ok(users) = std::env::var(FAKE_ENV) {
        serve_fake(users.parse().expect("BENCH_FAKE_USERS is a number"));
        return;
    }
    let rt = common::runtime();
    memory(&rt);
    let mut c = common::criterion();
    timings(&mut c, &rt);
    c.final_summary();
}
