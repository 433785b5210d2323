//! Error types. No message ever contains a token or secret: they name files, sections, keys,
//! environment variables, header names and line numbers only.

use std::io;
use std::path::PathBuf;

/// The `host` of a credential is not a usable API host.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid EdgeGrid host `{host}`: {reason}")]
pub struct InvalidHost {
    /// The host as configured (host names are not secret).
    pub host: String,
    /// Why it was rejected.
    pub reason: &'static str,
}

/// A request could not be signed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The URL has no host (for example `mailto:` or `data:` URLs).
    #[error("cannot sign a request whose URL has no host")]
    UrlWithoutHost,
    /// A POST request carries a streaming body: EdgeGrid hashes the first `max_body` bytes of a
    /// POST body, so the body must be in memory when the request is signed.
    #[error(
        "cannot sign a POST request with a streaming body: the EdgeGrid content hash needs the \
         body bytes, so buffer the body before signing"
    )]
    StreamingBody,
    /// A header that is part of the signature (or `Host`) is not valid UTF-8.
    #[error("header `{name}` cannot be signed: its value is not valid UTF-8")]
    HeaderNotUtf8 {
        /// Lower-case header name.
        name: String,
    },
    /// A header that is part of the signature occurs more than once in the request, so it is
    /// ambiguous which value the server canonicalises.
    #[error("header `{name}` cannot be signed: it occurs more than once in the request")]
    RepeatedHeader {
        /// Lower-case header name.
        name: String,
    },
    /// The `Authorization` value built from the credentials is not a valid HTTP header value
    /// (a token or the nonce contains control characters).
    #[error(
        "the EdgeGrid Authorization header is not a valid HTTP header value \
         (a token, the timestamp or the nonce contains control characters)"
    )]
    InvalidAuthorization,
    /// The HMAC implementation rejected the key. HMAC accepts keys of any length, so this does
    /// not happen; it exists so that signing has no panicking path.
    #[error("HMAC-SHA256 rejected the signing key")]
    Hmac,
}

/// Credentials could not be loaded from the environment or a `.edgerc` file.
///
/// Messages name the file, the section and the offending key, environment variable or line;
/// they never contain a token or secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EdgercError {
    /// No path was given, `AKAMAI_EDGERC` is unset and the home directory is unknown.
    #[error(
        "cannot locate the .edgerc file: neither HOME nor USERPROFILE is set \
         (pass a path or set AKAMAI_EDGERC)"
    )]
    NoHomeDirectory,
    /// The file could not be read.
    #[error("cannot read .edgerc file {}: {source}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// The file is not valid INI.
    #[error("{}:{line}: malformed .edgerc: {reason}", .path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line (never its content).
        reason: String,
    },
    /// The requested section does not exist.
    #[error(
        "{}: no section [{section}] (sections found: {})",
        .path.display(),
        if .available.is_empty() { "none".to_owned() } else { .available.join(", ") }
    )]
    MissingSection {
        /// The file.
        path: PathBuf,
        /// The section that was asked for.
        section: String,
        /// The sections the file has.
        available: Vec<String>,
    },
    /// The requested section occurs more than once.
    #[error("{}: section [{section}] occurs more than once", .path.display())]
    DuplicateSection {
        /// The file.
        path: PathBuf,
        /// The section.
        section: String,
    },
    /// A key occurs more than once in the section (`client-token` and `client_token` count as
    /// the same key).
    #[error("{}: section [{section}]: key {key} occurs more than once", .path.display())]
    DuplicateKey {
        /// The file.
        path: PathBuf,
        /// The section.
        section: String,
        /// The key, normalised (lower case, `_` for `-`).
        key: String,
    },
    /// Required keys are missing or empty.
    #[error(
        "{}: section [{section}] is missing {}",
        .path.display(),
        .keys.join(", ")
    )]
    MissingKeys {
        /// The file.
        path: PathBuf,
        /// The section.
        section: String,
        /// The missing keys, in the order host, client_token, client_secret, access_token.
        keys: Vec<String>,
    },
    /// `max_body` is not a positive integer.
    #[error("{}: section [{section}]: max_body is not a positive integer", .path.display())]
    InvalidMaxBody {
        /// The file.
        path: PathBuf,
        /// The section.
        section: String,
    },
    /// An entry of `headers_to_sign` is not a valid HTTP header name.
    #[error(
        "{}: section [{section}]: headers_to_sign entry `{name}` is not a valid header name",
        .path.display()
    )]
    InvalidHeaderName {
        /// The file.
        path: PathBuf,
        /// The section.
        section: String,
        /// The offending entry.
        name: String,
    },
    /// `host` is not a usable API host.
    #[error("{}: section [{section}]: {source}", .path.display())]
    InvalidHost {
        /// The file.
        path: PathBuf,
        /// The section.
        section: String,
        /// Details.
        #[source]
        source: InvalidHost,
    },
    /// An environment variable has an unusable value.
    #[error("environment variable {var}: {reason}")]
    InvalidEnv {
        /// The variable, e.g. `AKAMAI_MAX_BODY`.
        var: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Some, but not all, of the four required environment variables are set, and the
    /// `.edgerc` fallback failed too.
    #[error(
        "incomplete EdgeGrid credentials in the environment (missing {}) and the .edgerc \
         fallback failed: {source}",
        .missing.join(", ")
    )]
    IncompleteEnvironment {
        /// The unset variables.
        missing: Vec<String>,
        /// Why the `.edgerc` fallback failed.
        #[source]
        source: Box<EdgercError>,
    },
}
