//! The error every client returns: what failed, with status, headers and raw body kept.

use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::RawResponse;

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
        /// The status, when known: the generated code drops it for JSON of the wrong shape.
        status: Option<StatusCode>,
        /// The headers, when known.
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
        if response.status.is_success() {
            let reason = match serde_json::from_slice::<serde::de::IgnoredAny>(&response.body) {
                Err(e) if response.body.is_empty() => format!("empty body ({e})"),
                Err(e) => format!("body is not JSON: {e}"),
                Ok(_) => "body is not the documented JSON".into(),
            };
            Error::InvalidResponse {
                status: Some(response.status),
                headers: Some(response.headers),
                body: response.body,
                reason,
            }
        } else {
            Self::from_response(response)
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
            P::ErrorResponse(value) => {
                let status = value.status();
                let headers = value.headers().clone();
                Error::Api {
                    response: RawResponse {
                        operation: "",
                        method: reqwest::Method::GET,
                        path: String::new(),
                        status,
                        headers,
                        body: Bytes::new(),
                        oversized: false,
                    },
                    error: Some(value.into_inner()),
                }
            }
            P::InvalidResponsePayload(body, e) => Error::InvalidResponse {
                status: None,
                headers: None,
                body,
                reason: format!("body is not the documented JSON: {e}"),
            },
            P::UnexpectedResponse(response) => {
                match response.extensions().get::<RawResponse>().cloned() {
                    Some(raw) if raw.status.is_success() => Error::InvalidResponse {
                        status: Some(raw.status),
                        headers: Some(raw.headers),
                        body: raw.body,
                        reason: "success status the API does not document".into(),
                    },
                    Some(raw) => Self::from_response(raw),
                    None => Error::InvalidResponse {
                        status: Some(response.status()),
                        headers: Some(response.headers().clone()),
                        body: Bytes::new(),
                        reason: "response the API does not document".into(),
                    },
                }
            }
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
                        path,
                        ..
                    } = response;
                    write!(f, "{operation} ({method} {path})")?;
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
