//! The request log: every request a fake received, secrets already replaced.

use std::fmt;
use std::time::SystemTime;

use axum::http::Method;
use axum::http::request::Parts;
use serde_json::Value;

use crate::redact::{self, Redactor};

/// One request as the fake received it, with its secrets replaced by stand-ins (see
/// [`Secret`](crate::Secret)).
#[derive(Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    /// `GET`, `POST`, …
    pub method: Method,
    /// The path as received, without the query: `/qa/tenants/policies`.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// Every header in the order received, names in lower case, values as lossy UTF-8.
    pub headers: Vec<(String, String)>,
    /// The body, byte for byte unless a secret JSON field was replaced.
    pub body: Vec<u8>,
    /// When the fake received the request.
    pub received_at: SystemTime,
    /// Why the fake's gateway refused the request, if it did (see
    /// [`Builder::gateway`](crate::Builder::gateway)).
    pub refused: Option<String>,
    /// Whether an [`Injection`](crate::Injection) answered it.
    pub injected: bool,
}

impl LoggedRequest {
    pub(crate) fn new(parts: &Parts, body: &[u8], redactor: &Redactor) -> Self {
        Self {
            method: parts.method.clone(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(str::to_owned),
            headers: parts
                .headers
                .iter()
                .map(|(name, value)| {
                    let value = String::from_utf8_lossy(value.as_bytes());
                    (
                        name.as_str().to_owned(),
                        redactor.header(name.as_str(), &value),
                    )
                })
                .collect(),
            body: redactor.body(body),
            received_at: SystemTime::now(),
            refused: None,
            injected: false,
        }
    }

    /// The first value of header `name` (any case), if the request had it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The value of parameter `param` of header `name`: `nonce` of
    /// `Authorization: EG1-HMAC-SHA256 …;nonce=…;…`.
    pub fn header_param(&self, name: &str, param: &str) -> Option<&str> {
        let value = self.header(name)?;
        redact::params(value).find_map(|(n, span)| (n == param).then(|| &value[span]))
    }

    /// The body as text (lossy UTF-8).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON, when it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

impl fmt::Debug for LoggedRequest {
    /// Like a derived `Debug`, with the body as text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoggedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("body", &self.body_text())
            .field("received_at", &self.received_at)
            .field("refused", &self.refused)
            .field("injected", &self.injected)
            .finish()
    }
}
