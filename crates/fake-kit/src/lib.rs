//! What every fake API server of the workspace needs, once: spawning an axum [`Router`] on
//! 127.0.0.1 with an ephemeral port, graceful shutdown, a request log with secrets redacted
//! when recorded, and one way to inject raw responses and faults (a closed connection, a
//! hang, a delay, a stalled or truncated body) ahead of the fake's routes.
//!
//! A fake keeps only its API's state and routes:
//!
//! ```
//! use axum::{Router, routing::get};
//! use fake_kit::{Injection, Method, Secret, Server};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let routes = Router::new().route("/qa/items", get(|| async { "[]" }));
//! let fake = Server::builder()
//!     .base_path("/qa")
//!     .secret(Secret::Header("apikey"))
//!     .start(routes)
//!     .await?;
//! fake.inject(Injection::status(503).header("retry-after", "1").on(Method::GET, "/items"));
//! assert!(fake.base_url().ends_with("/qa"));
//! fake.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! A request goes through, in order: the body is read whole; the [gateway](Builder::gateway)
//! may refuse it; it is logged ([`Server::requests`]); the first matching
//! [injection](Server::inject) answers it; otherwise the router does.
//!
//! With the `edgegrid` feature, `edgegrid::EdgeGridGateway` verifies Akamai EdgeGrid
//! signatures for a fake's gateway.
//!
//! [`Router`]: axum::Router

#![deny(missing_docs)]

#[cfg(feature = "edgegrid")]
pub mod edgegrid;
mod injection;
mod log;
mod redact;
mod server;

use std::sync::{Arc, Mutex, MutexGuard};

pub use axum::http::Method;
pub use injection::Injection;
pub use log::LoggedRequest;
pub use redact::Secret;
pub use server::{Builder, Refusal, Server};

/// A fake's state, shared by its handle and its handlers. A handler that panicked while
/// holding the lock does not poison it for the rest of a test.
pub struct Shared<T>(Arc<Mutex<T>>);

impl<T> Shared<T> {
    /// Shares `state`.
    pub fn new(state: T) -> Self {
        Self(Arc::new(Mutex::new(state)))
    }

    /// Locks the state.
    pub fn lock(&self) -> MutexGuard<'_, T> {
        lock(&self.0)
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

/// Locks `mutex`, recovering it from a panic of an earlier holder.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
