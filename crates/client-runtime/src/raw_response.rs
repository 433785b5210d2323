//! A response as the server sent it, fully read.

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
    /// Rebuilds a `reqwest::Response` for the generated code: status, headers and body as the
    /// server sent them, so that `send()` reports errors as progenitor documents them, while
    /// [`crate::Error`] can still find this response from any error the generated code makes
    /// of it (see the `delivery` module). `expects_json` says whether the caller asked for
    /// JSON: an empty body then fails to read, naming this response, since progenitor would
    /// report it without its status.
    pub fn into_response(self, expects_json: bool) -> reqwest::Response {
        crate::delivery::deliver(self, expects_json)
    }

    /// The response a progenitor error was made of, found without taking the error (as a
    /// generated CLI's error hook, which only borrows it, needs): `None` for failures without
    /// a response, for responses this runtime did not deliver, and for an undocumented
    /// success status (whose body progenitor has not read). Taking the error,
    /// [`crate::Error::from`] finds it in every case.
    pub fn of_error<E>(error: &progenitor_client::Error<E>) -> Option<RawResponse> {
        use crate::delivery::Record;
        use progenitor_client::Error as P;
        let record = match error {
            P::ErrorResponse(value) => Record::of_headers(value.headers()),
            P::UnexpectedResponse(response) => Record::of_headers(response.headers()),
            P::InvalidResponsePayload(body, _) => Record::of_body(body),
            P::ResponseBodyError(e) => Record::of_read_error(e).map(|(record, _)| record),
            _ => None,
        }?;
        Some(record.raw.clone())
    }

    /// The body as text for messages: lossy UTF-8, at most 512 characters.
    pub fn body_preview(&self) -> String {
        crate::error::preview(&self.body)
    }
}
