//! The error every client returns: what failed, with status and raw body kept.

use std::fmt;

use bytes::Bytes;
use futures::FutureExt;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::RawResponse;
use crate::delivery::{Record, Withholding};

/// A failed API call. `E` is the API's documented error body.
pub enum Error<E> {
    /// The server answered with an error status. `error` is the body decoded as the API's
    /// error type, when it has that shape.
    Api {
        /// The response, byte for byte.
        response: RawResponse,
        /// The decoded API error, when the body has the documented shape.
        error: Option<E>,
    },
    /// The server answered with a success status but a body that is not what the API
    /// documents (empty, HTML, truncated or mis-shaped JSON).
    InvalidResponse {
        /// The status (`None` only for an error built from a progenitor error that did not
        /// come through this runtime).
        status: Option<StatusCode>,
        /// The headers (`None` only for an error built from a progenitor error that did not
        /// come through this runtime).
        headers: Option<HeaderMap>,
        /// The body, byte for byte.
        body: Bytes,
        /// Why it could not be decoded.
        reason: String,
    },
    /// The request could not be sent, or the response not read (connection, timeout, TLS).
    Transport(reqwest::Error),
    /// The request was refused before it was sent (an invalid or missing parameter).
    InvalidRequest(String),
    /// Authentication failed before the request could be sent.
    Auth(String),
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { response, .. } => Some(response.status),
            Error::InvalidResponse { status, .. } => *status,
            Error::Transport(e) => e.status(),
            Error::InvalidRequest(_) | Error::Auth(_) => None,
        }
    }

    /// The raw response body, when the server answered.
    pub fn body(&self) -> Option<&Bytes> {
        match self {
            Error::Api { response, .. } => Some(&response.body),
            Error::InvalidResponse { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The response headers, when known.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api { response, .. } => Some(&response.headers),
            Error::InvalidResponse { headers, .. } => headers.as_ref(),
            _ => None,
        }
    }

    /// The decoded API error body, when the server sent one of the documented shape.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api { error, .. } => error.as_ref(),
            _ => None,
        }
    }

    /// Builds the error for an error-status response, decoding its body if it has the shape.
    pub fn from_response(response: RawResponse) -> Self
    where
        E: DeserializeOwned,
    {
        let error = serde_json::from_slice(&response.body).ok();
        Error::Api { response, error }
    }

    /// Builds the error for a response the runtime recorded when it handed it to the
    /// generated code; `error` is the decoded error body, when the generated code had one.
    fn recorded(response: RawResponse, error: Option<E>, withheld: Option<Withholding>) -> Self
    where
        E: DeserializeOwned,
    {
        let reason = match withheld {
            Some(Withholding::Oversized) => format!(
                "body larger than the {} bytes the client reads",
                response.body.len()
            ),
            _ if !response.status.is_success() => {
                return match error {
                    Some(error) => Error::Api {
                        response,
                        error: Some(error),
                    },
                    None => Self::from_response(response),
                };
            }
            Some(Withholding::Empty) => "empty body".into(),
            None => "success status the API does not document".into(),
        };
        Error::InvalidResponse {
            status: Some(response.status),
            headers: Some(response.headers),
            body: response.body,
            reason,
        }
    }

    /// Builds the error for a status the operation does not document. The runtime hands the
    /// generated code bodies held in memory, so this reads the body without waiting.
    fn unexpected(response: reqwest::Response) -> Self
    where
        E: DeserializeOwned,
    {
        let status = response.status();
        let headers = response.headers().clone();
        let (body, reason) = match response.bytes().now_or_never() {
            Some(Ok(body)) => match Record::of_body(&body) {
                Some(record) => return Self::recorded(record.raw.clone(), None, None),
                None if status.is_success() => (body, "success status the API does not document"),
                None => (body, "response the API does not document"),
            },
            Some(Err(e)) => return Self::read_failure(e),
            None => (
                Bytes::new(),
                "response the API does not document (body not read)",
            ),
        };
        Error::InvalidResponse {
            status: Some(status),
            headers: Some(headers),
            body,
            reason: reason.into(),
        }
    }

    /// Builds the error for a body that could not be read: one the runtime withheld (empty
    /// where JSON was expected, or over the size limit), else a transport failure.
    fn read_failure(error: reqwest::Error) -> Self
    where
        E: DeserializeOwned,
    {
        match Record::of_read_error(&error) {
            Some((record, why)) => Self::recorded(record.raw.clone(), None, Some(why)),
            None => Error::Transport(error),
        }
    }

    /// Builds the error for a body the generated code could not decode as `decoding` says.
    fn undecodable(body: Bytes, decoding: serde_json::Error) -> Self {
        let record = Record::of_body(&body);
        if let Some(record) = record.as_ref().filter(|r| !r.raw.status.is_success()) {
            return Error::Api {
                response: record.raw.clone(),
                error: None,
            };
        }
        let reason = match serde_json::from_slice::<serde::de::IgnoredAny>(&body) {
            Err(e) if body.is_empty() => format!("empty body ({e})"),
            Err(_) => format!("body is not JSON: {decoding}"),
            Ok(_) => format!("body is not the documented JSON: {decoding}"),
        };
        Error::InvalidResponse {
            status: record.as_ref().map(|r| r.raw.status),
            headers: record.map(|r| r.raw.headers.clone()),
            body,
            reason,
        }
    }
}

impl<E: DeserializeOwned> From<progenitor_client::Error<E>> for Error<E> {
    fn from(error: progenitor_client::Error<E>) -> Self {
        use progenitor_client::Error as P;
        match error {
            P::InvalidRequest(message) => Error::InvalidRequest(message),
            P::Custom(message) => Error::Auth(message),
            P::CommunicationError(e) | P::InvalidUpgrade(e) => Error::Transport(e),
            P::ResponseBodyError(e) => Self::read_failure(e),
            P::ErrorResponse(value) => match Record::of_headers(value.headers()) {
                Some(record) => Self::recorded(record.raw.clone(), Some(value.into_inner()), None),
                // Not a response of this runtime: keep what progenitor kept.
                None => Error::Api {
                    response: RawResponse {
                        operation: "",
                        method: reqwest::Method::GET,
                        url: reqwest::Url::parse("about:blank").expect("a valid URL"),
                        status: value.status(),
                        headers: value.headers().clone(),
                        body: Bytes::new(),
                        oversized: false,
                    },
                    error: Some(value.into_inner()),
                },
            },
            P::InvalidResponsePayload(body, e) => Self::undecodable(body, e),
            P::UnexpectedResponse(response) => Self::unexpected(response),
        }
    }
}

/// What a caller can do about an error status.
fn advice(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 422 => "the server rejected the request; see its message",
        401 => "check the credentials",
        403 => "check the credentials' permissions",
        404 => "check the identifiers in the request",
        409 => "the request conflicts with the current state; fetch it and retry",
        429 => "rate limited; wait before retrying",
        500..=599 => "server-side failure; retry later",
        _ => "see the response body",
    }
}

/// The body as text for messages: lossy UTF-8, at most 512 characters.
pub(crate) fn preview(body: &[u8]) -> String {
    const MAX: usize = 512;
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api { response, .. } => {
                if response.operation.is_empty() {
                    f.write_str("request")?;
                } else {
                    let RawResponse {
                        operation,
                        method,
                        url,
                        ..
                    } = response;
                    write!(f, "{operation} ({method} {})", url.path())?;
                }
                write!(
                    f,
                    " failed with HTTP {}: {}; {}",
                    response.status,
                    preview(&response.body),
                    advice(response.status)
                )
            }
            Error::InvalidResponse {
                status,
                body,
                reason,
                ..
            } => {
                let status = status.map_or("a success status".into(), |s| s.to_string());
                write!(
                    f,
                    "the server answered {status} with an undecodable body ({reason}): {:?}; \
                     check the base URL points at the API",
                    preview(body)
                )
            }
            Error::Transport(e) => {
                write!(f, "request failed: {e}")?;
                let mut source = std::error::Error::source(e);
                while let Some(cause) = source {
                    write!(f, ": {cause}")?;
                    source = cause.source();
                }
                write!(f, "; check the network and the base URL")
            }
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Error::Auth(message) => write!(f, "authentication failed: {message}"),
        }
    }
}

impl<E> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api { response, error } => f
                .debug_struct("Api")
                .field("response", response)
                .field("decoded", &error.is_some())
                .finish(),
            Error::InvalidResponse {
                status,
                body,
                reason,
                ..
            } => f
                .debug_struct("InvalidResponse")
                .field("status", status)
                .field("body", &preview(body))
                .field("reason", reason)
                .finish(),
            Error::Transport(e) => f.debug_tuple("Transport").field(e).finish(),
            Error::InvalidRequest(m) => f.debug_tuple("InvalidRequest").field(m).finish(),
            Error::Auth(m) => f.debug_tuple("Auth").field(m).finish(),
        }
    }
}

impl<E> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use progenitor_client::{Error as P, ResponseValue};

    type Failure = Error<serde_json::Value>;

    fn raw(status: u16, body: &str) -> RawResponse {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", "r-1".parse().expect("header value"));
        RawResponse {
            operation: "list_things",
            method: reqwest::Method::GET,
            url: "https://api.example.com/things?page=2"
                .parse()
                .expect("URL"),
            status: StatusCode::from_u16(status).expect("status"),
            headers,
            body: Bytes::copy_from_slice(body.as_bytes()),
            oversized: false,
        }
    }

    /// What progenitor's generated code makes of a delivered response when the operation
    /// documents `status` with a body of type `T`: success, or `ErrorResponse` for an error
    /// status.
    async fn documented<T: DeserializeOwned>(raw: RawResponse) -> P<serde_json::Value> {
        let response = raw.into_response(true);
        if response.status().is_success() {
            match ResponseValue::<T>::from_response::<serde_json::Value>(response).await {
                Ok(_) => panic!("decoded"),
                Err(e) => e,
            }
        } else {
            match ResponseValue::from_response(response).await {
                Ok(value) => P::ErrorResponse(value),
                Err(e) => e,
            }
        }
    }

    #[derive(Debug, serde::Deserialize)]
    struct Thing {
        #[allow(dead_code)]
        id: u64,
    }

    #[tokio::test]
    async fn undecodable_success_bodies_keep_status_headers_and_exact_bytes() {
        for (body, variant, reason) in [
            ("", "body", "empty body"),
            ("<html>login</html>", "payload", "not JSON"),
            (r#"{"id": 1"#, "payload", "EOF while parsing an object"),
            (r#"{"name": "x"}"#, "payload", "missing field `id`"),
        ] {
            let progenitor = documented::<Thing>(raw(203, body)).await;
            match (&progenitor, variant) {
                (P::InvalidResponsePayload(..), "payload") | (P::ResponseBodyError(_), "body") => {}
                _ => panic!("{body:?}: {progenitor:?}"),
            }
            let error = Failure::from(progenitor);
            let Error::InvalidResponse {
                status,
                headers,
                body: kept,
                reason: why,
            } = &error
            else {
                panic!("{body:?}: {error:?}");
            };
            assert_eq!(*status, Some(StatusCode::NON_AUTHORITATIVE_INFORMATION));
            assert_eq!(headers.as_ref().expect("kept")["x-request-id"], "r-1");
            assert_eq!(kept, body);
            assert!(why.contains(reason), "{body:?}: {why}");
        }
    }

    #[tokio::test]
    async fn documented_error_statuses_are_error_responses_and_keep_the_raw_body() {
        let progenitor = documented::<serde_json::Value>(raw(404, r#"{"message": "gone"}"#)).await;
        let P::ErrorResponse(value) = &progenitor else {
            panic!("{progenitor:?}");
        };
        assert_eq!(value.status(), StatusCode::NOT_FOUND);
        assert_eq!(value.headers()["x-request-id"], "r-1");
        assert_eq!(progenitor.status(), Some(StatusCode::NOT_FOUND));
        let error = Failure::from(progenitor);
        let Error::Api { response, error } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(response.status, StatusCode::NOT_FOUND);
        assert_eq!(response.body, r#"{"message": "gone"}"#);
        assert_eq!(error.as_ref().expect("decoded")["message"], "gone");
    }

    #[tokio::test]
    async fn undecodable_error_bodies_keep_the_whole_response() {
        for body in ["<html>bad gateway</html>", "", r#"{"message": "#] {
            let error = Failure::from(documented::<serde_json::Value>(raw(502, body)).await);
            let Error::Api { response, error } = &error else {
                panic!("{body:?}: {error:?}");
            };
            assert_eq!(response.status, StatusCode::BAD_GATEWAY);
            assert_eq!(response.headers["x-request-id"], "r-1");
            assert_eq!(response.body, body);
            assert!(error.is_none());
        }
    }

    #[test]
    fn undocumented_statuses_are_read_without_waiting() {
        let success = Failure::from(P::UnexpectedResponse(
            raw(202, r#"{"queued":true}"#).into_response(true),
        ));
        let Error::InvalidResponse {
            status,
            headers,
            body,
            reason,
        } = &success
        else {
            panic!("{success:?}");
        };
        assert_eq!(*status, Some(StatusCode::ACCEPTED));
        assert_eq!(headers.as_ref().expect("kept")["x-request-id"], "r-1");
        assert_eq!(body, r#"{"queued":true}"#);
        assert!(reason.contains("does not document"), "{reason}");

        let failure = Failure::from(P::UnexpectedResponse(
            raw(418, "teapot").into_response(true),
        ));
        assert_eq!(failure.status(), Some(StatusCode::IM_A_TEAPOT));
        assert_eq!(failure.body().map(|b| &b[..]), Some(&b"teapot"[..]));
        assert!(
            failure.to_string().starts_with("list_things (GET /things)"),
            "{failure}"
        );
    }

    #[tokio::test]
    async fn oversized_bodies_keep_what_was_read() {
        let mut big = raw(200, "[1, 2, 3");
        big.oversized = true;
        let error = Failure::from(documented::<Vec<u8>>(big).await);
        assert_eq!(error.status(), Some(StatusCode::OK));
        assert_eq!(error.body().map(|b| &b[..]), Some(&b"[1, 2, 3"[..]));
        assert!(error.to_string().contains("larger than"), "{error}");
    }
}
