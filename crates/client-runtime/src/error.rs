//! The error every client returns: what failed, with status and raw body kept.

use std::fmt;

use bytes::Bytes;
use futures::FutureExt;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::{RawResponse, status_trailer};

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
        /// The headers, kept for a body cut at the size limit or a success status the API
        /// does not document; the generated code drops them for a body it cannot decode.
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

    /// Builds the error for a response the runtime kept from the generated code: cut at the
    /// size limit, or with an error status.
    fn from_carried(response: RawResponse) -> Self
    where
        E: DeserializeOwned,
    {
        if response.oversized {
            return Error::InvalidResponse {
                status: Some(response.status),
                reason: format!(
                    "body larger than the {} bytes the client reads",
                    response.body.len()
                ),
                headers: Some(response.headers),
                body: response.body,
            };
        }
        Self::from_response(response)
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
            Some(Err(e)) => {
                return match RawResponse::carried_by(&e) {
                    Some(raw) => Self::from_carried(raw.clone()),
                    None => Error::Transport(e),
                };
            }
            Some(Ok(body)) if status.is_success() => (
                status_trailer::split(&body).map_or(body, |(_, body)| body),
                "success status the API does not document",
            ),
            Some(Ok(body)) => (body, "response the API does not document"),
            None => (Bytes::new(), "response the API does not document"),
        };
        Error::InvalidResponse {
            status: Some(status),
            headers: Some(headers),
            body,
            reason: reason.into(),
        }
    }

    /// Builds the error for a body the generated code could not decode as `decoding` says.
    fn undecodable(body: Bytes, decoding: serde_json::Error) -> Self {
        let (status, body) = match status_trailer::split(&body) {
            Some((status, body)) => (Some(status), body),
            None => (None, body),
        };
        // The typed decoder's position is past the trailer when the body ends early; the syntax
        // of the body alone says better what is wrong with it.
        let reason = match serde_json::from_slice::<serde::de::IgnoredAny>(&body) {
            Err(e) if body.is_empty() => format!("empty body ({e})"),
            Err(e) => format!("body is not JSON: {e}"),
            Ok(_) => format!("body is not the documented JSON: {decoding}"),
        };
        Error::InvalidResponse {
            status,
            headers: None,
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
            P::ResponseBodyError(e) => match RawResponse::carried_by(&e) {
                Some(raw) => Self::from_carried(raw.clone()),
                None => Error::Transport(e),
            },
            // The runtime never hands the generated code an error status's body, so this comes
            // only from a progenitor error made elsewhere: what it does not say is left blank.
            P::ErrorResponse(value) => {
                let status = value.status();
                let headers = value.headers().clone();
                Error::Api {
                    response: RawResponse {
                        operation: "",
                        method: reqwest::Method::GET,
                        url: reqwest::Url::parse("about:blank").expect("a valid URL"),
                        status,
                        headers,
                        body: Bytes::new(),
                        oversized: false,
                    },
                    error: Some(value.into_inner()),
                }
            }
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

    type Failure = Error<serde_json::Value>;

    fn raw(status: u16, body: &'static str) -> RawResponse {
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
            body: Bytes::from_static(body.as_bytes()),
            oversized: false,
        }
    }

    /// What the generated code makes of a response the runtime delivered: the body read, then
    /// decoded as `T`.
    async fn decoded<T: DeserializeOwned>(raw: RawResponse) -> Failure {
        let body = raw.into_response(true).bytes().await;
        match body {
            Err(e) => Failure::from(progenitor_client::Error::ResponseBodyError(e)),
            Ok(body) => match serde_json::from_slice::<T>(&body) {
                Ok(_) => panic!("decoded"),
                Err(e) => Failure::from(progenitor_client::Error::InvalidResponsePayload(body, e)),
            },
        }
    }

    #[tokio::test]
    async fn undecodable_success_bodies_keep_status_and_exact_bytes() {
        #[derive(serde::Deserialize)]
        struct Thing {
            #[allow(dead_code)]
            id: u64,
        }
        for (body, reason) in [
            ("", "empty body"),
            ("<html>login</html>", "not JSON"),
            // The position is that of the body as sent, not of the trailer after it.
            (
                r#"{"id": 1"#,
                "EOF while parsing an object at line 1 column 8",
            ),
            (r#"{"name": "x"}"#, "missing field `id`"),
        ] {
            let error = decoded::<Thing>(raw(203, body)).await;
            let Error::InvalidResponse {
                status,
                body: kept,
                reason: why,
                ..
            } = &error
            else {
                panic!("{body:?}: {error:?}");
            };
            assert_eq!(*status, Some(StatusCode::NON_AUTHORITATIVE_INFORMATION));
            assert_eq!(kept, body, "the trailer is cut off");
            assert!(why.contains(reason), "{body:?}: {why}");
        }
    }

    #[tokio::test]
    async fn error_statuses_keep_the_whole_response() {
        let error = decoded::<serde_json::Value>(raw(404, r#"{"message":"gone"}"#)).await;
        let Error::Api { response, error } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(response.status, StatusCode::NOT_FOUND);
        assert_eq!(response.headers["x-request-id"], "r-1");
        assert_eq!(error.as_ref().expect("decoded")["message"], "gone");
    }

    #[test]
    fn undocumented_statuses_are_read_without_waiting() {
        let success = Failure::from(progenitor_client::Error::UnexpectedResponse(
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

        let failure = Failure::from(progenitor_client::Error::UnexpectedResponse(
            raw(418, "teapot").into_response(true),
        ));
        assert_eq!(failure.status(), Some(StatusCode::IM_A_TEAPOT));
        assert_eq!(failure.body().map(|b| &b[..]), Some(&b"teapot"[..]));
        assert!(
            failure.to_string().starts_with("list_things (GET /things)"),
            "{failure}"
        );
    }
}
