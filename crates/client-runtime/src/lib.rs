//! Shared runtime of the workspace's generated API clients.
//!
//! Every client crate generates its operations with progenitor and plugs this crate in through
//! progenitor's `ClientHooks::exec`: [`Runtime::execute`] sends each request (with retries,
//! rate limiting, per-attempt authentication and a tracing span) and buffers the response so
//! that every failure becomes an [`Error`] that keeps the status and raw body (and the headers,
//! except where progenitor drops them: a success body it cannot decode).
//!
//! One copy of this behaviour serves all clients; a client adds only its authentication.

mod config;
mod delivery;
mod error;
mod execute;
mod rate_limit;
mod raw_response;
mod retry;

pub use config::{ClientConfig, ConfigError, ENVIRONMENT, Environment};
pub use error::Error;
pub use execute::{Runtime, expects_json};
pub use rate_limit::RateLimit;
pub use raw_response::RawResponse;
pub use retry::RetryPolicy;
pub use secrecy::{ExposeSecret, SecretString};
