//! Akamai EdgeGrid authentication: the `EG1-HMAC-SHA256` request signer and the `.edgerc`
//! credential loader, compatible with Akamai's official signers (Python, Node, Go) and tested
//! against their published test vectors.
//!
//! * [`Credentials`] holds an API client credential (host, client token, client secret,
//!   access token, `max_body`, optional account switch key and signed headers); the tokens and
//!   secret are [`secrecy::SecretString`]s, so they never appear in `Debug` output.
//! * [`Credentials::from_edgerc`] loads one from the environment or an `.edgerc` file with the
//!   same lookup as Akamai's tools.
//! * [`Credentials::sign_request`] signs a [`reqwest::Request`] as it will be sent, with a
//!   fresh timestamp and nonce: call it before every attempt, including retries.
//! * [`Credentials::authorization`] is the pure signing function over explicit inputs.
//! * With the `client-runtime` feature, `EdgeGrid` is the `client_runtime::Auth` of an
//!   EdgeGrid API client (every attempt signed), and an [`EdgercError`] converts into
//!   `client_runtime::ConfigError`.
//!
//! # The algorithm
//!
//! signing key = base64(HMAC-SHA256(client secret, timestamp)); string to sign = method,
//! scheme, host, path and query, canonical signed headers, content hash (base64 SHA-256 of the
//! first `max_body` bytes of a non-empty POST body, else empty) and the unsigned
//! `Authorization` value, joined by tabs; signature = base64(HMAC-SHA256(signing key, string
//! to sign)). The scheme is the URL's own: `https` for Akamai, `http` for a local test server
//! at `http://127.0.0.1:PORT` (Akamai's Python, Node and Go signers all take it from the URL).
//!
//! # Example
//!
//! ```
//! use edgegrid::Credentials;
//!
//! let credentials = Credentials::new(
//!     "akab-xxxxxxxx.luna.akamaiapis.net",
//!     "akab-client-token",
//!     "client-secret",
//!     "akab-access-token",
//! )?;
//! let url = credentials.base_url().join("/config-saas-rules/v2/policies/1133")?;
//! let mut request = reqwest::Request::new(reqwest::Method::GET, url);
//!
//! credentials.sign_request(&mut request)?;
//!
//! let authorization = request.headers()[reqwest::header::AUTHORIZATION].to_str()?;
//! assert!(authorization.starts_with("EG1-HMAC-SHA256 client_token=akab-client-token;"));
//! assert!(authorization.contains(";signature="));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

#[cfg(feature = "client-runtime")]
mod client;
mod credentials;
mod edgerc;
mod error;
mod sign;

#[cfg(feature = "client-runtime")]
pub use client::EdgeGrid;
pub use credentials::{Credentials, DEFAULT_MAX_BODY};
pub use edgerc::{DEFAULT_SECTION, EnvLookup};
pub use error::{EdgercError, InvalidHost, SignError};
pub use secrecy::{ExposeSecret, SecretString};
pub use sign::{ACCOUNT_SWITCH_KEY_PARAM, AUTH_SCHEME, format_timestamp, new_nonce};
