//! A server on 127.0.0.1 that misbehaves on purpose, scripted with [`fake_kit::Injection`]s:
//! closed connections, slow or hanging answers, truncated, oversized or mislabelled bodies.

use std::ops::Deref;

use fake_kit::{Injection, Server};

/// A running fault server; it stops when dropped. Its log and injections are those of the
/// [`fake_kit::Server`] it dereferences to.
pub struct FaultServer(Server);

impl FaultServer {
    /// Answers requests with `script` in order, one entry per request, repeating the last.
    pub async fn start(script: Vec<Injection>) -> FaultServer {
        Self::with_routes(Vec::new(), script).await
    }

    /// Like [`FaultServer::start`], with fixed answers for path prefixes (e.g. a token route),
    /// served every time.
    pub async fn with_routes(fixed: Vec<(&str, Injection)>, script: Vec<Injection>) -> FaultServer {
        let server = Server::builder()
            .start(axum::Router::new())
            .await
            .expect("bind 127.0.0.1");
        for (path, answer) in fixed {
            server.inject(answer.path(path).always());
        }
        let last = script.len().saturating_sub(1);
        for (at, answer) in script.into_iter().enumerate() {
            server.inject(if at == last { answer.always() } else { answer });
        }
        FaultServer(server)
    }

    /// How many received requests have a path starting with `prefix`.
    pub fn count(&self, prefix: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.path.starts_with(prefix))
            .count()
    }
}

impl Deref for FaultServer {
    type Target = Server;

    fn deref(&self) -> &Server {
        &self.0
    }
}
