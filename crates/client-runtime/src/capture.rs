//! Buffered responses, and how their bodies reach progenitor's generated code.
//!
//! The generated code decodes a response body only after reading it, and drops the status of
//! a body it cannot decode. So that no failure loses anything, [`RawResponse::into_response`]
//! hands progenitor a body that fails to read, carrying the whole response, whenever the
//! status is not a success or a JSON body is not JSON. [`crate::Error`] takes it back out.

use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A response as the server sent it, fully read.
#[derive(Clone)]
pub struct RawResponse {
    /// The operation that was called (progenitor's operation id).
    pub operation: &'static str,
    /// The request method.
    pub method: reqwest::Method,
    /// The request path, without the query.
    pub path: String,
    /// The response status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The response body, byte for byte (cut at the configured limit when `oversized`).
    pub body: Bytes,
    /// The body was larger than `ClientConfig::max_response_bytes` and was not read past it.
    pub oversized: bool,
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("status", &self.status)
            .field("body", &crate::error::preview(&self.body))
            .finish_non_exhaustive()
    }
}

impl RawResponse {
    /// Whether the body is syntactically JSON.
    pub fn is_json(&self) -> bool {
        serde_json::from_slice::<serde::de::IgnoredAny>(&self.body).is_ok()
    }

    /// Rebuilds a `reqwest::Response` for the generated code.
    ///
    /// A success whose body is JSON (or whose caller did not ask for JSON) reads normally;
    /// any other body fails to read with an error that carries this response.
    pub fn into_response(self, expects_json: bool) -> reqwest::Response {
        let deliver =
            self.status.is_success() && !self.oversized && (!expects_json || self.is_json());
        let mut builder = http::Response::builder().status(self.status);
        if let Some(headers) = builder.headers_mut() {
            headers.clone_from(&self.headers);
        }
        let body = if deliver {
            reqwest::Body::from(self.body.clone())
        } else {
            let carried = Captured(Box::new(self.clone()));
            reqwest::Body::wrap_stream(futures::stream::iter([Err::<Bytes, _>(carried)]))
        };
        let response = builder
            .extension(self)
            .body(body)
            .expect("status and headers come from a valid response");
        reqwest::Response::from(response)
    }

    /// Finds the response carried by a body-read error, if any.
    pub(crate) fn carried_by<'a>(
        error: &'a (dyn std::error::Error + 'static),
    ) -> Option<&'a RawResponse> {
        let mut current = Some(error);
        while let Some(e) = current {
            if let Some(Captured(raw)) = e.downcast_ref::<Captured>() {
                return Some(raw);
            }
            current = e.source();
        }
        None
    }
}

/// The body-read error that carries a response past the generated code.
#[derive(Debug)]
struct Captured(Box<RawResponse>);

impl fmt::Display for Captured {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "HTTP {} response held by the client runtime",
            self.0.status
        )
    }
}

impl std::error::Error for Captured {}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: u16, body: &'static str) -> RawResponse {
        RawResponse {
            operation: "get_thing",
            method: reqwest::Method::GET,
            path: "/things/1".into(),
            status: StatusCode::from_u16(status).expect("valid status"),
            headers: HeaderMap::new(),
            body: Bytes::from_static(body.as_bytes()),
            oversized: false,
        }
    }

    #[tokio::test]
    async fn json_success_reads_normally() {
        let response = raw(200, r#"{"id":1}"#).into_response(true);
        assert_eq!(response.bytes().await.expect("readable"), r#"{"id":1}"#);
    }

    #[tokio::test]
    async fn error_status_body_carries_the_response() {
        let response = raw(404, "<html>gone</html>").into_response(true);
        assert!(response.extensions().get::<RawResponse>().is_some());
        let error = response.bytes().await.expect_err("carried");
        let carried = RawResponse::carried_by(&error).expect("found in the source chain");
        assert_eq!(carried.status, StatusCode::NOT_FOUND);
        assert_eq!(carried.body, "<html>gone</html>");
    }

    #[tokio::test]
    async fn malformed_success_body_carries_the_response() {
        for body in ["", "<html>", r#"{"data": ["#] {
            let error = raw(200, body)
                .into_response(true)
                .bytes()
                .await
                .expect_err(body);
            assert_eq!(RawResponse::carried_by(&error).expect("carried").body, body);
        }
        // A caller that did not ask for JSON gets the body as it is.
        assert_eq!(
            raw(200, "<html>")
                .into_response(false)
                .bytes()
                .await
                .expect("ok"),
            "<html>"
        );
    }
}
