//! Shared runtime of the workspace's generated API clients.
//!
//! Every client crate generates its operations with progenitor and plugs this crate in through
//! progenitor's `ClientHooks::exec`: [`Runtime::execute`] sends each request (with retries,
//! rate limiting, per-attempt authentication and a tracing span) and buffers the response so
//! that `send()` reports errors as progenitor documents them, while every failure converts into
//! an [`Error`] that keeps the status, headers and raw body (see `delivery`).
//!
//! One copy of this behaviour serves all clients, together with their construction
//! ([`client!`], [`ClientBuilder`], [`Api`]) and their hooks ([`hooks!`], [`Inner`]); a client adds only its
//! authentication (an [`Auth`]) and what is specific to its API.

#![deny(missing_docs)]

mod auth;
mod bearer;
mod builder;
mod client;
mod config;
mod delivery;
mod error;
mod execute;
pub mod hooks;
mod paging;
mod rate_limit;
mod raw_response;
mod retry;

pub use auth::{Auth, AuthError, Call, HeaderKey, NoAuth};
pub use bearer::{BearerExchange, Exchange, Issued};
pub use builder::{Api, ClientBuilder, Names, UrlPath, parse_base_url};
pub use client::Assemble;
pub use config::{ClientConfig, ConfigError, ENVIRONMENT, Environment};
pub use error::Error;
pub use execute::{Runtime, expects_json};
pub use hooks::Inner;
pub use paging::{Page, is_last_page, pages};
pub use rate_limit::RateLimit;
pub use raw_response::RawResponse;
pub use retry::RetryPolicy;
pub use secrecy::{ExposeSecret, SecretString};

/// What [`hooks!`] expands to refers to, so that a client crate needs no extra imports.
#[doc(hidden)]
pub mod __private {
    pub use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
    pub use reqwest::{self, Request, Response};
}
