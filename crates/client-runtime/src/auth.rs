//! Authentication: what an API adds to each call and to each attempt, and how it recovers
//! from a 401. Each API implements [`Auth`]; the hooks ([`crate::hooks!`]) call it.

use std::fmt;
use std::future::Future;

use progenitor_client::OperationInfo;
use reqwest::Request;
use reqwest::header::{HeaderName, HeaderValue};

use crate::{ExposeSecret, RawResponse, Runtime, SecretString};

/// How one API authenticates its requests: [`Auth::authorize`] once per call (progenitor's
/// `pre` hook, where I/O such as a token exchange may happen), [`Auth::sign`] on every attempt
/// (retries included), and, when [`Auth::RENEWS`], [`Auth::renew`] once after a 401.
///
/// `Debug` output of an implementation must never show a secret.
pub trait Auth: fmt::Debug + Send + Sync + 'static {
    /// Whether a call answered 401 is offered to [`Auth::renew`] and replayed once.
    const RENEWS: bool = false;

    /// Adds per-call credentials to `request` before its first attempt, or refuses the call.
    /// The default adds nothing.
    fn authorize(
        &self,
        call: Call<'_>,
        request: &mut Request,
    ) -> impl Future<Output = Result<(), AuthError>> + Send {
        let _ = (call, request);
        async { Ok(()) }
    }

    /// Adds per-attempt credentials (a signature, a key header) to one attempt. It cannot
    /// fail: check in [`Auth::authorize`] or at construction what could make it fail. The
    /// default adds nothing.
    fn sign(&self, attempt: &mut Request, info: &OperationInfo) {
        let _ = (attempt, info);
    }

    /// After a 401: replaces the rejected credentials on `replay` (the unsent copy of the call
    /// as [`Auth::authorize`] left it) and says whether to send it. The default declines.
    fn renew(&self, call: Call<'_>, replay: &mut Request) -> impl Future<Output = bool> + Send {
        let _ = (call, replay);
        async { false }
    }
}

/// What an [`Auth`] may use during a call: the client's runtime and HTTP client (to send a
/// token exchange through the same retries and rate limit) and the operation being called.
#[derive(Clone, Copy)]
pub struct Call<'a> {
    /// The client's runtime.
    pub runtime: &'a Runtime,
    /// The client's HTTP client.
    pub http: &'a reqwest::Client,
    /// The operation being called.
    pub info: &'a OperationInfo,
}

/// Why [`Auth::authorize`] refused a call. It reaches the caller as progenitor's error and
/// converts into [`crate::Error`] like any other failure.
#[derive(Debug)]
pub enum AuthError {
    /// The credentials could not be fetched (connection, timeout).
    Transport(reqwest::Error),
    /// The server refused to issue credentials (a bad key, a rate limit, an outage).
    Rejected(Box<RawResponse>),
    /// The credentials cannot be used; why, never what they hold.
    Unusable(String),
}

impl AuthError {
    /// As the generated code's error: a refusal keeps its response, so that
    /// [`crate::Error`] shows its status and body.
    pub(crate) fn into_progenitor<E>(self) -> progenitor_client::Error<E> {
        match self {
            AuthError::Transport(e) => progenitor_client::Error::CommunicationError(e),
            AuthError::Rejected(raw) => {
                progenitor_client::Error::UnexpectedResponse(raw.into_response(true))
            }
            AuthError::Unusable(reason) => progenitor_client::Error::Custom(reason),
        }
    }
}

/// No credentials: for an API that needs none (or a client whose credentials travel some
/// other way, such as a proxy's).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoAuth;

impl Auth for NoAuth {}

/// An API key sent in one header on every attempt (Cipherscale's `apikey`, say). The header
/// value is made once, marked sensitive (HTTP tooling prints it as `Sensitive`), and copied
/// onto each attempt.
pub struct HeaderKey {
    header: HeaderName,
    value: HeaderValue,
}

impl HeaderKey {
    /// A key for `header`, trimmed; an error (never showing the key) when it is empty or not
    /// a valid header value, so that no request goes out without it.
    pub fn new(header: HeaderName, key: &SecretString) -> Result<Self, &'static str> {
        let key = key.expose_secret().trim();
        if key.is_empty() {
            return Err("is empty");
        }
        let Ok(mut value) = HeaderValue::from_str(key) else {
            return Err("contains characters not allowed in an HTTP header");
        };
        value.set_sensitive(true);
        Ok(Self { header, value })
    }
}

impl Auth for HeaderKey {
    fn sign(&self, attempt: &mut Request, _: &OperationInfo) {
        let value = self.value.clone();
        attempt.headers_mut().insert(self.header.clone(), value);
    }
}

impl fmt::Debug for HeaderKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HeaderKey")
            .field("header", &self.header)
            .field("key", &"[redacted]")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: HeaderName = HeaderName::from_static("apikey");

    #[test]
    fn header_keys_are_checked_and_never_shown() {
        let key = |text: &str| HeaderKey::new(HEADER, &SecretString::from(text));
        assert_eq!(key("  ").unwrap_err(), "is empty");
        assert!(key("bad\nkey").is_err());
        let auth = key(" k-s3cret ").expect("valid key");
        assert!(!format!("{auth:?}").contains("s3cret"));
        let mut request = Request::new(reqwest::Method::GET, "http://x/".parse().unwrap());
        let info = OperationInfo { operation_id: "op" };
        auth.sign(&mut request, &info);
        let sent = &request.headers()["apikey"];
        assert_eq!(sent, "k-s3cret");
        assert!(sent.is_sensitive());
    }
}
