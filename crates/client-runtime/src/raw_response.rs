//! Buffered responses, and how their bodies reach progenitor's generated code.
//!
//! The generated code decodes a response body only after reading it, and drops the status of
//! a body it cannot decode. So that no failure loses anything, [`RawResponse::into_response`]
//! hands progenitor a success body with its status appended as trailing whitespace (see
//! `status_trailer`), and any other body (an error status, or one cut at the size limit) as a
//! body that fails to read, carrying the whole response. [`crate::Error`] takes both back out.

use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{ResponseBuilderExt, StatusCode};

use crate::status_trailer;

/// A response as the server sent it, fully read.
#[derive(Clone)]
pub struct RawResponse {
    /// The operation that was called (progenitor's operation id).
    pub operation: &'static str,
    /// The request method.
    pub method: reqwest::Method,
    /// The URL that answered: the request's, or the last redirect's.
    pub url: reqwest::Url,
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
            .field("path", &self.url.path())
            .field("status", &self.status)
            .field("body", &crate::error::preview(&self.body))
            .finish_non_exhaustive()
    }
}

impl RawResponse {
    /// Rebuilds a `reqwest::Response` for the generated code.
    ///
    /// A whole success body reads normally, followed (when the caller asked for JSON) by the
    /// whitespace that spells its status; any other body fails to read with an error that
    /// carries this response.
    pub fn into_response(self, expects_json: bool) -> reqwest::Response {
        let status = self.status;
        let (url, headers, body) = if status.is_success() && !self.oversized {
            let body = match expects_json {
                true => status_trailer::append(self.body, status),
                false => self.body,
            };
            (self.url, self.headers, reqwest::Body::from(body))
        } else {
            let (url, headers) = (self.url.clone(), self.headers.clone());
            let carried = Captured(Box::new(self));
            let body = futures::stream::iter([Err::<Bytes, _>(carried)]);
            (url, headers, reqwest::Body::wrap_stream(body))
        };
        // Handing the URL back spares reqwest parsing a placeholder for it.
        let mut response = http::Response::builder()
            .status(status)
            .url(url)
            .body(body)
            .expect("a status and a URL make a valid response");
        *response.headers_mut() = headers;
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
            url: "https://api.example.com/things/1"
                .parse()
                .expect("valid URL"),
            status: StatusCode::from_u16(status).expect("valid status"),
            headers: HeaderMap::new(),
            body: Bytes::from_static(body.as_bytes()),
            oversized: false,
        }
    }

    #[tokio::test]
    async fn json_success_decodes_as_sent() {
        let response = raw(200, r#"{"id":1}"#).into_response(true);
        assert_eq!(response.url().as_str(), "https://api.example.com/things/1");
        let read = response.bytes().await.expect("readable");
        let value: serde_json::Value = serde_json::from_slice(&read).expect("JSON");
        assert_eq!(value, serde_json::json!({"id": 1}));
    }

    #[tokio::test]
    async fn error_status_body_carries_the_response() {
        let response = raw(404, "<html>gone</html>").into_response(true);
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let error = response.bytes().await.expect_err("carried");
        let carried = RawResponse::carried_by(&error).expect("found in the source chain");
        assert_eq!(carried.status, StatusCode::NOT_FOUND);
        assert_eq!(carried.body, "<html>gone</html>");
    }

    #[tokio::test]
    async fn success_bodies_read_whole_with_their_status_after_them() {
        for body in ["", "<html>", r#"{"data": ["#] {
            let response = raw(201, body).into_response(true);
            let read = response.bytes().await.expect("readable");
            let (status, original) = status_trailer::split(&read).expect("trailer");
            assert_eq!(
                (status, &original[..]),
                (StatusCode::CREATED, body.as_bytes())
            );
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
