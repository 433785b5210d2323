//! Injected raw responses and faults, served instead of the fake's routes.

use std::io;
use std::sync::Mutex;
use std::time::Duration;

use axum::body::Body;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use futures::{StreamExt, stream};

use crate::server::{Closed, Stop};

/// How long a cut body's connection stays open after its last byte, so that the byte is
/// flushed before the connection closes.
const FLUSH_PAUSE: Duration = Duration::from_millis(20);

/// A raw response or a fault that answers matching requests instead of the fake's routes.
///
/// Build one from [`Injection::status`], [`Injection::close`] or [`Injection::hang`], narrow
/// it with [`on`](Injection::on), [`method`](Injection::method) or [`path`](Injection::path),
/// and give it to [`Server::inject`](crate::Server::inject):
///
/// ```
/// use fake_kit::{Injection, Method};
///
/// let busy = Injection::status(503)
///     .header("retry-after", "1")
///     .body("busy")
///     .times(2)
///     .on(Method::GET, "/tenants/policies");
/// let cut = Injection::status(200).json(r#"{"id": 1}"#).truncate(5);
/// # let _ = (busy, cut);
/// ```
#[derive(Clone, Debug)]
pub struct Injection {
    method: Option<Method>,
    path: String,
    uses: Option<usize>,
    delay: Duration,
    answer: Answer,
}

#[derive(Clone, Debug)]
enum Answer {
    Respond(Canned),
    Close,
    Hang,
}

#[derive(Clone, Debug)]
struct Canned {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    stall: Option<Duration>,
    cut_at: Option<usize>,
}

impl Injection {
    fn new(answer: Answer) -> Self {
        Self {
            method: None,
            path: String::new(),
            uses: Some(1),
            delay: Duration::ZERO,
            answer,
        }
    }

    /// A response with this status (100 to 999), no headers and an empty body, answering the
    /// next request, whatever its method and path.
    ///
    /// # Panics
    ///
    /// When `status` is not a valid HTTP status code.
    pub fn status(status: u16) -> Self {
        let status = StatusCode::from_u16(status)
            .unwrap_or_else(|_| panic!("{status} is not an HTTP status code"));
        Self::new(Answer::Respond(Canned {
            status,
            headers: HeaderMap::new(),
            body: Bytes::new(),
            stall: None,
            cut_at: None,
        }))
    }

    /// Closes the connection without answering, as a server that crashed or reset would.
    pub fn close() -> Self {
        Self::new(Answer::Close)
    }

    /// Never answers; the connection closes when the server shuts down.
    pub fn hang() -> Self {
        Self::new(Answer::Hang)
    }

    /// Adds a response header (a response made by [`Injection::status`] only).
    ///
    /// # Panics
    ///
    /// When `name` or `value` cannot be a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let Answer::Respond(canned) = &mut self.answer {
            let name = HeaderName::from_bytes(name.as_bytes())
                .unwrap_or_else(|_| panic!("{name:?} is not a header name"));
            let value = HeaderValue::from_str(value)
                .unwrap_or_else(|_| panic!("{value:?} is not a header value"));
            canned.headers.append(name, value);
        }
        self
    }

    /// Sets the body, byte for byte (a response made by [`Injection::status`] only).
    pub fn body(mut self, body: impl AsRef<[u8]>) -> Self {
        if let Answer::Respond(canned) = &mut self.answer {
            canned.body = Bytes::copy_from_slice(body.as_ref());
        }
        self
    }

    /// Sets the body and `Content-Type: application/json`; the body is sent as given, valid
    /// JSON or not.
    pub fn json(self, body: impl AsRef<[u8]>) -> Self {
        self.header(CONTENT_TYPE.as_str(), "application/json")
            .body(body)
    }

    /// Only for requests with this method and a path that starts with `path` (see
    /// [`Injection::path`]).
    pub fn on(self, method: Method, path: &str) -> Self {
        self.method(method).path(path)
    }

    /// Only for requests with this method.
    pub fn method(mut self, method: Method) -> Self {
        self.method = Some(method);
        self
    }

    /// Only for requests whose path starts with `prefix`, the path taken below the server's
    /// [base path](crate::Builder::base_path) when it is there.
    pub fn path(mut self, prefix: &str) -> Self {
        self.path = prefix.to_owned();
        self
    }

    /// Answers `count` matching requests (1 unless set), then is gone.
    ///
    /// # Panics
    ///
    /// When `count` is 0.
    pub fn times(mut self, count: usize) -> Self {
        assert!(count > 0, "an injection answers at least once");
        self.uses = Some(count);
        self
    }

    /// Answers every matching request for as long as the server runs.
    pub fn always(mut self) -> Self {
        self.uses = None;
        self
    }

    /// Waits this long before answering (or closing, or hanging).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Sends the headers and the first half of the body, waits `pause`, then sends the rest (a
    /// response made by [`Injection::status`] only).
    pub fn stall_body(mut self, pause: Duration) -> Self {
        if let Answer::Respond(canned) = &mut self.answer {
            canned.stall = Some(pause);
        }
        self
    }

    /// Declares the whole body's `Content-Length` but sends only its first `sent` bytes, then
    /// closes the connection (a response made by [`Injection::status`] only).
    pub fn truncate(mut self, sent: usize) -> Self {
        if let Answer::Respond(canned) = &mut self.answer {
            canned.cut_at = Some(sent);
        }
        self
    }

    fn matches(&self, method: &Method, path: &str) -> bool {
        self.method.as_ref().is_none_or(|m| m == method) && path.starts_with(&self.path)
    }

    /// Answers one request: the response, or [`Closed`] when the connection is to close.
    pub(crate) async fn answer(self, mut stop: Stop) -> Result<Response, Closed> {
        if !self.delay.is_zero() {
            tokio::select! {
                () = tokio::time::sleep(self.delay) => {}
                () = stop.stopped() => return Err(Closed),
            }
        }
        match self.answer {
            Answer::Respond(canned) => Ok(canned.into_response()),
            Answer::Close => Err(Closed),
            Answer::Hang => {
                stop.stopped().await;
                Err(Closed)
            }
        }
    }
}

impl Canned {
    fn into_response(self) -> Response {
        let length = self.body.len();
        let body = if self.stall.is_none() && self.cut_at.is_none() {
            Body::from(self.body)
        } else {
            let sent = self.body.slice(..self.cut_at.unwrap_or(length).min(length));
            let half = if self.stall.is_some() {
                sent.len() / 2
            } else {
                sent.len()
            };
            let (first, rest) = (sent.slice(..half), sent.slice(half..));
            let pause = self.stall.unwrap_or_default();
            let cut = self.cut_at.is_some();
            let chunks = stream::once(async move { Ok::<_, io::Error>(first) })
                .chain(stream::once(async move {
                    tokio::time::sleep(pause).await;
                    Ok(rest)
                }))
                .chain(stream::iter(cut.then_some(())).then(|()| async {
                    tokio::time::sleep(FLUSH_PAUSE).await;
                    Err(io::Error::other("the injection cuts the body here"))
                }));
            Body::from_stream(chunks)
        };
        let mut response = Response::new(body);
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers;
        if self.stall.is_some() || self.cut_at.is_some() {
            response
                .headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from(length));
        }
        response
    }
}

/// The injections of one server, in the order given.
#[derive(Default)]
pub(crate) struct Injections(Mutex<Vec<Injection>>);

impl Injections {
    pub(crate) fn push(&self, injection: Injection) {
        self.lock().push(injection);
    }

    /// The first injection that matches, counted as used.
    pub(crate) fn take(&self, method: &Method, path: &str) -> Option<Injection> {
        let mut injections = self.lock();
        let at = injections.iter().position(|i| i.matches(method, path))?;
        match &mut injections[at].uses {
            Some(1) => Some(injections.remove(at)),
            Some(left) => {
                *left -= 1;
                Some(injections[at].clone())
            }
            None => Some(injections[at].clone()),
        }
    }

    /// How many injections still wait for a request.
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Injection>> {
        crate::lock(&self.0)
    }
}
