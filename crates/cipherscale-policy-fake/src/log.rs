//! What tests read and steer: the request log and injected responses.

use std::fmt;

use axum::body::Body;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// Header names whose values the log's `Debug` output hides.
const SECRET_HEADERS: &[&str] = &["apikey", "authorization"];

/// One request as the fake received it.
#[derive(Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, stage included, without the query: `/qa/tenants/policies`.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// Every header in the order received, names in lower case (values as lossy UTF-8).
    pub headers: Vec<(String, String)>,
    /// The body, byte for byte.
    pub body: Vec<u8>,
}

impl LoggedRequest {
    pub(crate) fn new(parts: &Parts, body: &[u8]) -> Self {
        Self {
            method: parts.method.to_string(),
            path: parts.uri.path().to_string(),
            query: parts.uri.query().map(str::to_string),
            headers: parts
                .headers
                .iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_string(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: body.to_vec(),
        }
    }

    /// The first value of header `name` (any case), if the request had it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
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
    /// Like a derived `Debug`, with the values of `apikey` and `authorization` hidden.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if SECRET_HEADERS.contains(&name.as_str()) {
                    "[redacted]"
                } else {
                    value.as_str()
                };
                (name.as_str(), shown)
            })
            .collect();
        f.debug_struct("LoggedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("body", &self.body_text())
            .finish()
    }
}

/// A raw response for [`FakeServer::inject`](crate::FakeServer::inject) to serve instead of
/// the API's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Injected {
    /// The status code (any value from 100 to 999; an invalid one is served as 500).
    pub status: u16,
    /// The `Content-Type` header, or none at all.
    pub content_type: Option<String>,
    /// The body, byte for byte.
    pub body: Vec<u8>,
}

impl Injected {
    /// A response with this status, `Content-Type` and body, e.g.
    /// `Injected::new(200, "text/html", "<html>…")`.
    pub fn new(status: u16, content_type: impl Into<String>, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            content_type: Some(content_type.into()),
            body: body.into(),
        }
    }

    /// A response with this status, no `Content-Type` and an empty body.
    pub fn empty(status: u16) -> Self {
        Self {
            status,
            content_type: None,
            body: Vec::new(),
        }
    }

    /// A JSON response with this status and body.
    pub fn json(status: u16, body: &Value) -> Self {
        Self::new(status, "application/json", body.to_string())
    }
}

impl IntoResponse for Injected {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = Response::new(Body::from(self.body));
        *response.status_mut() = status;
        if let Some(value) = self
            .content_type
            .and_then(|c| HeaderValue::from_str(&c).ok())
        {
            response.headers_mut().insert(CONTENT_TYPE, value);
        }
        response
    }
}
