//! Spawning a fake on 127.0.0.1, the path of every request through it, and shutdown.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

use crate::injection::{Injection, Injections};
use crate::log::LoggedRequest;
use crate::redact::{Redactor, Secret};

/// Largest request body a fake reads.
const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// How long shutdown waits for requests in flight before it drops their connections.
const GRACE: Duration = Duration::from_secs(2);

/// A check every request meets before injections and routes, as an API gateway in front of
/// the API: `Err` refuses the request.
type Gateway = dyn Fn(&Parts, &Bytes) -> Result<(), Refusal> + Send + Sync;

/// A gateway's answer to a request it refuses, and why (the log's
/// [`refused`](LoggedRequest::refused)).
pub struct Refusal {
    reason: String,
    // Boxed: a small `Err` keeps gateways' `Result`s cheap (clippy's `result_large_err`).
    response: Box<Response>,
}

impl Refusal {
    /// Refuses with `response`, logging `reason`.
    pub fn new(reason: impl Into<String>, response: Response) -> Self {
        Self {
            reason: reason.into(),
            response: Box::new(response),
        }
    }
}

impl fmt::Debug for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Refusal")
            .field("reason", &self.reason)
            .field("status", &self.response.status())
            .finish_non_exhaustive()
    }
}

/// Settings of a [`Server`]; start with [`Server::builder`].
#[derive(Default)]
pub struct Builder {
    base_path: String,
    secrets: Vec<Secret>,
    gateway: Option<Arc<Gateway>>,
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("base_path", &self.base_path)
            .field("secrets", &self.secrets)
            .field("gateway", &self.gateway.is_some())
            .finish()
    }
}

impl Builder {
    /// The path the API lives under (`/qa`, `/config-saas-rules/v2`): part of
    /// [`Server::base_url`], and what [`Injection::path`] prefixes are relative to.
    pub fn base_path(mut self, path: &str) -> Self {
        let path = path.trim_matches('/');
        self.base_path = if path.is_empty() {
            String::new()
        } else {
            format!("/{path}")
        };
        self
    }

    /// Where requests carry a secret that the log must not keep; call once per place.
    pub fn secret(mut self, secret: Secret) -> Self {
        self.secrets.push(secret);
        self
    }

    /// A check every request meets first, before injections and routes, given the request's
    /// head and whole body. A refused request is logged with the reason and answered with the
    /// refusal's response; it does not use up an injection.
    pub fn gateway(
        mut self,
        check: impl Fn(&Parts, &Bytes) -> Result<(), Refusal> + Send + Sync + 'static,
    ) -> Self {
        self.gateway = Some(Arc::new(check));
        self
    }

    /// Binds 127.0.0.1 on an ephemeral port and serves `router` there, from a task on the
    /// current Tokio runtime.
    pub async fn start(self, router: Router) -> io::Result<Server> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let (stop, stopping) = watch::channel(false);
        let inner = Arc::new(Inner {
            base_path: self.base_path,
            redactor: Redactor::new(self.secrets),
            gateway: self.gateway,
            router,
            log: Mutex::default(),
            injections: Injections::default(),
        });
        let task = tokio::spawn(accept(listener, inner.clone(), Stop(stopping)));
        Ok(Server {
            addr,
            inner,
            stop,
            task: Mutex::new(Some(task)),
        })
    }
}

/// A running fake: its address, request log and injections. It shuts down gracefully when
/// dropped, or with [`Server::shutdown`].
pub struct Server {
    addr: SocketAddr,
    inner: Arc<Inner>,
    stop: watch::Sender<bool>,
    task: Mutex<Option<JoinHandle<()>>>,
}

/// What every connection of a server shares.
struct Inner {
    base_path: String,
    redactor: Redactor,
    gateway: Option<Arc<Gateway>>,
    router: Router,
    log: Mutex<Vec<LoggedRequest>>,
    injections: Injections,
}

impl Server {
    /// Settings: no base path, no secrets, no gateway.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The origin and the base path: `http://127.0.0.1:PORT/qa`.
    pub fn base_url(&self) -> String {
        format!("{}{}", self.origin(), self.inner.base_path)
    }

    /// Queues `injection`: the first injection that matches a request answers it, before the
    /// routes (after the gateway, if any). The request is logged like any other.
    pub fn inject(&self, injection: Injection) {
        self.inner.injections.push(injection);
    }

    /// How many injections have not been used up yet.
    pub fn pending_injections(&self) -> usize {
        self.inner.injections.len()
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        crate::lock(&self.inner.log).clone()
    }

    /// The most recent request, if any.
    pub fn last_request(&self) -> Option<LoggedRequest> {
        crate::lock(&self.inner.log).last().cloned()
    }

    /// How many requests were received so far.
    pub fn request_count(&self) -> usize {
        crate::lock(&self.inner.log).len()
    }

    /// How many requests had this method (any case) and exactly this path (base path
    /// included, without the query).
    pub fn count(&self, method: &str, path: &str) -> usize {
        crate::lock(&self.inner.log)
            .iter()
            .filter(|r| r.method.as_str().eq_ignore_ascii_case(method) && r.path == path)
            .count()
    }

    /// Forgets the logged requests.
    pub fn clear_requests(&self) {
        crate::lock(&self.inner.log).clear();
    }

    /// What the log shows in place of `secret`, to compare a logged value with a known one.
    pub fn redacted(&self, secret: &str) -> String {
        self.inner.redactor.stand_in(secret)
    }

    /// Stops accepting connections and frees the port, lets requests in flight finish (for at
    /// most two seconds; hanging injections end at once), and returns when all is closed.
    pub async fn shutdown(&self) {
        self.stop.send_replace(true);
        let task = crate::lock(&self.task).take();
        if let Some(task) = task {
            // The accept loop does not panic; a runtime shutting down cancels it, which is fine.
            let _ = task.await;
        }
    }
}

impl Drop for Server {
    /// Starts a graceful shutdown that finishes in the background.
    fn drop(&mut self) {
        self.stop.send_replace(true);
    }
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

/// The server's stop signal, as each connection and request sees it.
#[derive(Clone)]
pub(crate) struct Stop(watch::Receiver<bool>);

impl Stop {
    /// Returns once the server is stopping.
    pub(crate) async fn stopped(&mut self) {
        // An error means the `Server` is gone: stopping too.
        let _ = self.0.wait_for(|stopping| *stopping).await;
    }
}

/// The error that makes hyper close a connection without answering.
#[derive(Debug)]
pub(crate) struct Closed;

impl fmt::Display for Closed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the injection closes the connection")
    }
}

impl std::error::Error for Closed {}

/// Accepts connections until the server stops, then drops the listener and waits (at most
/// [`GRACE`]) for the connections to finish.
async fn accept(listener: TcpListener, inner: Arc<Inner>, mut stop: Stop) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(connection(stream, inner.clone(), stop.clone()));
                }
                // Out of file descriptors, say: wait rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            () = stop.stopped() => break,
        }
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let drained = async { while connections.join_next().await.is_some() {} };
    // Past the grace period, dropping the set aborts what is left.
    let _ = tokio::time::timeout(GRACE, drained).await;
}

/// Serves one HTTP/1.1 connection; on stop, finishes the request in flight and closes.
async fn connection(stream: TcpStream, inner: Arc<Inner>, mut stop: Stop) {
    let requests = stop.clone();
    let service =
        hyper::service::service_fn(move |request| handle(inner.clone(), requests.clone(), request));
    let mut serving = pin!(
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service)
    );
    tokio::select! {
        // A connection error (a client gone, an injection closing) ends only this connection.
        _ = serving.as_mut() => return,
        () = stop.stopped() => {}
    }
    serving.as_mut().graceful_shutdown();
    let _ = serving.await;
}

/// One request: read the body, meet the gateway, log, then an injection or the routes.
async fn handle(
    inner: Arc<Inner>,
    stop: Stop,
    request: hyper::Request<Incoming>,
) -> Result<Response, Closed> {
    let (parts, body) = request.into_parts();
    let (body, refusal) = match axum::body::to_bytes(Body::new(body), BODY_LIMIT).await {
        Ok(body) => {
            let refusal = inner
                .gateway
                .as_ref()
                .and_then(|check| check(&parts, &body).err());
            (body, refusal)
        }
        Err(error) => {
            let response = (StatusCode::PAYLOAD_TOO_LARGE, "request body too large");
            let refusal = Refusal::new(
                format!("reading the body failed: {error}"),
                response.into_response(),
            );
            (Bytes::new(), Some(refusal))
        }
    };
    let injection = match &refusal {
        None => {
            let path = parts.uri.path();
            let relative = path
                .strip_prefix(&inner.base_path)
                .filter(|rest| rest.is_empty() || rest.starts_with('/'))
                .unwrap_or(path);
            inner.injections.take(&parts.method, relative)
        }
        Some(_) => None,
    };
    let mut logged = LoggedRequest::new(&parts, &body, &inner.redactor);
    logged.refused = refusal.as_ref().map(|r| r.reason.clone());
    logged.injected = injection.is_some();
    crate::lock(&inner.log).push(logged);

    if let Some(refusal) = refusal {
        return Ok(*refusal.response);
    }
    if let Some(injection) = injection {
        return injection.answer(stop).await;
    }
    let request = Request::from_parts(parts, Body::from(body));
    let response = inner.router.clone().oneshot(request).await;
    Ok(response.unwrap_or_else(|never| match never {}))
}
