//! A scripted HTTP/1.1 server on 127.0.0.1 that misbehaves on purpose, one connection at a
//! time: resets, slow or hanging answers, truncated, oversized or mislabelled bodies.
//! Every connection serves one request (`Connection: close`), so connections count attempts.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Answer normally.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Close the connection without answering (the client sees a reset / incomplete message).
    Reset,
    /// Wait, then answer.
    SlowHeaders(Duration, Box<Fault>),
    /// Send the headers and half the body, wait, then the rest.
    SlowBody {
        status: u16,
        body: Vec<u8>,
        pause: Duration,
    },
    /// Accept and never answer (until the server is dropped).
    Hang,
    /// Declare `Content-Length` of the whole body but send only `sent` bytes, then close.
    Truncated {
        status: u16,
        body: Vec<u8>,
        sent: usize,
    },
}

impl Fault {
    /// A JSON answer.
    pub fn json(status: u16, body: &str) -> Fault {
        Fault::with_type(status, "application/json", body.as_bytes())
    }

    /// An answer with a content type.
    pub fn with_type(status: u16, content_type: &str, body: &[u8]) -> Fault {
        Fault::Respond {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.to_vec(),
        }
    }

    /// The same fault with an extra response header.
    pub fn header(mut self, name: &str, value: &str) -> Fault {
        if let Fault::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

/// One request as received: method, path with query, and body length.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// `GET`, `POST`, …
    pub method: String,
    /// Path and query as sent.
    pub target: String,
    /// The request's headers, names lower-cased.
    pub headers: Vec<(String, String)>,
}

struct Script {
    /// Answers for requests whose target starts with a prefix, served every time.
    fixed: Vec<(String, Fault)>,
    /// Answers for every other request, in order; the last one repeats.
    queue: VecDeque<Fault>,
    received: Vec<Received>,
}

/// A running fault server; it stops when dropped.
pub struct FaultServer {
    addr: SocketAddr,
    script: Arc<Mutex<Script>>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultServer {
    /// Serves `queue` in order (repeating its last entry) to requests no fixed route takes.
    pub async fn start(queue: Vec<Fault>) -> FaultServer {
        Self::with_routes(Vec::new(), queue).await
    }

    /// Like [`FaultServer::start`], with fixed answers for target prefixes (e.g. a token route).
    pub async fn with_routes(fixed: Vec<(&str, Fault)>, queue: Vec<Fault>) -> FaultServer {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("bound address");
        let script = Arc::new(Mutex::new(Script {
            fixed: fixed.into_iter().map(|(p, f)| (p.to_string(), f)).collect(),
            queue: queue.into(),
            received: Vec::new(),
        }));
        let shared = script.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, shared.clone()));
            }
        });
        FaultServer { addr, script, task }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.script.lock().expect("script lock").received.clone()
    }

    /// How many received requests have a target starting with `prefix`.
    pub fn count(&self, prefix: &str) -> usize {
        self.received()
            .iter()
            .filter(|r| r.target.starts_with(prefix))
            .count()
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, script: Arc<Mutex<Script>>) {
    let Some(received) = read_request(&mut stream).await else {
        return;
    };
    let fault = {
        let mut script = script.lock().expect("script lock");
        let fixed = script
            .fixed
            .iter()
            .find(|(p, _)| received.target.starts_with(p))
            .map(|(_, f)| f.clone());
        let fault = fixed.unwrap_or_else(|| {
            if script.queue.len() > 1 {
                script.queue.pop_front()
            } else {
                script.queue.front().cloned()
            }
            .unwrap_or(Fault::Reset)
        });
        script.received.push(received);
        fault
    };
    act(&mut stream, fault).await;
}

async fn act(stream: &mut TcpStream, fault: Fault) {
    match fault {
        Fault::Respond {
            status,
            headers,
            body,
        } => {
            let _ = stream.write_all(&head(status, &headers, body.len())).await;
            let _ = stream.write_all(&body).await;
        }
        Fault::Reset => {}
        Fault::SlowHeaders(pause, then) => {
            tokio::time::sleep(pause).await;
            Box::pin(act(stream, *then)).await;
        }
        Fault::SlowBody {
            status,
            body,
            pause,
        } => {
            let half = body.len() / 2;
            let _ = stream.write_all(&head(status, &[], body.len())).await;
            let _ = stream.write_all(&body[..half]).await;
            tokio::time::sleep(pause).await;
            let _ = stream.write_all(&body[half..]).await;
        }
        Fault::Hang => std::future::pending::<()>().await,
        Fault::Truncated { status, body, sent } => {
            let _ = stream.write_all(&head(status, &[], body.len())).await;
            let _ = stream.write_all(&body[..sent.min(body.len())]).await;
        }
    }
    let _ = stream.shutdown().await;
}

fn head(status: u16, headers: &[(String, String)], length: usize) -> Vec<u8> {
    let mut text =
        format!("HTTP/1.1 {status} X\r\nContent-Length: {length}\r\nConnection: close\r\n");
    if !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
    {
        text.push_str("Content-Type: application/json\r\n");
    }
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.into_bytes()
}

/// Reads one request's head and body (by Content-Length).
async fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        let read = stream.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let (method, target) = (
        request_line.next()?.to_string(),
        request_line.next()?.to_string(),
    );
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0usize);
    while buffer.len() < head_end + length {
        let read = stream.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
        buffer.extend_from_slice(&chunk[..read]);
    }
    Some(Received {
        method,
        target,
        headers,
    })
}
