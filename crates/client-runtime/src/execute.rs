//! Sending a request: attempts, waits, rate limit, tracing, and buffering the response.

use std::time::{Duration, Instant};

use progenitor_client::OperationInfo;
use reqwest::{Request, Response};
use tracing::Instrument;

use crate::retry::{RetryCause, RetryTokens};
use crate::{ClientConfig, RateLimit, RawResponse, RetryPolicy};

/// The per-client behaviour behind every generated operation: call [`Runtime::execute`] from
/// the client's `ClientHooks::exec`.
#[derive(Clone, Debug)]
pub struct Runtime {
    retry: RetryPolicy,
    tokens: RetryTokens,
    rate_limit: Option<RateLimit>,
    max_response_bytes: usize,
}

impl Runtime {
    /// The runtime a configuration describes.
    pub fn new(config: &ClientConfig) -> Self {
        Self {
            retry: config.retry.clone(),
            tokens: RetryTokens::new(config.retry.budget),
            rate_limit: config.rate_limit.clone(),
            max_response_bytes: config.max_response_bytes,
        }
    }

    /// Sends `request`, retrying as the policy allows, and returns the response in the form
    /// the generated code expects (see [`RawResponse::into_response`]).
    ///
    /// `prepare` runs before every attempt on a fresh copy of the request: sign it or add
    /// credentials there, so that each attempt carries its own.
    pub async fn execute(
        &self,
        client: &reqwest::Client,
        request: Request,
        info: &OperationInfo,
        prepare: impl FnMut(&mut Request),
    ) -> reqwest::Result<Response> {
        let expects_json = expects_json(&request);
        let raw = self.send(client, request, info, prepare).await?;
        Ok(raw.into_response(expects_json))
    }

    /// Like [`Runtime::execute`], but returns the buffered response for the caller to inspect
    /// before it is handed to the generated code.
    pub async fn send(
        &self,
        client: &reqwest::Client,
        request: Request,
        info: &OperationInfo,
        prepare: impl FnMut(&mut Request),
    ) -> reqwest::Result<RawResponse> {
        let (raw, _) = self.attempts(client, request, info, prepare, false).await?;
        Ok(raw)
    }

    /// Like [`Runtime::send`], and also returns an unsent copy of the request as it was
    /// before `prepare`, to replay it once the caller has mended what the server refused (a
    /// 401 answered by re-authorizing, say). `None` when the request cannot be copied (a
    /// streaming body).
    pub async fn send_replayable(
        &self,
        client: &reqwest::Client,
        request: Request,
        info: &OperationInfo,
        prepare: impl FnMut(&mut Request),
    ) -> reqwest::Result<(RawResponse, Option<Request>)> {
        self.attempts(client, request, info, prepare, true).await
    }

    /// Sends `request` as often as the retry policy allows; with the last response, the copy
    /// kept for another attempt (made when retries are possible or `keep_copy` asks for it).
    async fn attempts(
        &self,
        client: &reqwest::Client,
        request: Request,
        info: &OperationInfo,
        mut prepare: impl FnMut(&mut Request),
        keep_copy: bool,
    ) -> reqwest::Result<(RawResponse, Option<Request>)> {
        let method = request.method().clone();
        let may_retry = self.retry.max_attempts > 1;
        let started = Instant::now();
        let mut next = request;
        let mut attempt = 0;
        let mut spent = 0;
        loop {
            attempt += 1;
            let mut copy = if may_retry || keep_copy {
                next.try_clone()
            } else {
                None
            };
            prepare(&mut next);
            let span = tracing::info_span!(
                "request",
                operation = info.operation_id,
                method = %next.method(),
                path = next.url().path(),
                attempt,
                status = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            // A disabled span (no subscriber wants it) would only add work to every poll.
            let sending = self.attempt(client, next, info, &span);
            let outcome = if span.is_disabled() {
                sending.await
            } else {
                sending.instrument(span.clone()).await
            };
            span.in_scope(|| match &outcome {
                Ok(raw) => tracing::debug!(status = %raw.status, "response"),
                Err(error) => tracing::debug!(%error, "transport error"),
            });
            let retry = self.retry_after(&method, &outcome, attempt);
            let retry = retry.filter(|(wait, _)| {
                may_retry
                    && attempt < self.retry.max_attempts
                    && started.elapsed() + *wait <= self.retry.max_elapsed
            });
            let cost = retry.and_then(|(_, cause)| copy.as_ref().and(self.tokens.spend(cause)));
            if let (Some((wait, _)), Some(cost)) = (retry, cost)
                && let Some(copy) = copy.take()
            {
                span.in_scope(|| tracing::info!(wait_ms = wait.as_millis() as u64, "retrying"));
                spent += cost;
                tokio::time::sleep(wait).await;
                next = copy;
                continue;
            }
            if outcome.as_ref().is_ok_and(|raw| raw.status.is_success()) {
                self.tokens.succeeded(spent);
            }
            return outcome.map(|raw| (raw, copy));
        }
    }

    /// Whether an attempt's outcome is worth another, how long to wait first and why.
    fn retry_after(
        &self,
        method: &reqwest::Method,
        outcome: &reqwest::Result<RawResponse>,
        attempt: u32,
    ) -> Option<(Duration, RetryCause)> {
        match outcome {
            Ok(raw) if RetryPolicy::retries_status(method, raw.status) => {
                Some(match self.retry.server_wait(raw.status, &raw.headers) {
                    Some(wait) => (wait, RetryCause::ServerWait),
                    None => (self.retry.backoff(attempt), RetryCause::Status),
                })
            }
            Ok(_) => None,
            Err(_) if RetryPolicy::is_idempotent(method) => {
                Some((self.retry.backoff(attempt), RetryCause::Transport))
            }
            Err(_) => None,
        }
    }

    /// One attempt: wait for the rate limit, send, read the whole body; the status and
    /// latency are recorded on `span`.
    async fn attempt(
        &self,
        client: &reqwest::Client,
        request: Request,
        info: &OperationInfo,
        span: &tracing::Span,
    ) -> reqwest::Result<RawResponse> {
        if let Some(limit) = &self.rate_limit {
            limit.until_ready().await;
        }
        let method = request.method().clone();
        let sent = Instant::now();
        let mut response = client.execute(request).await?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let (body, oversized) = self.read_body(&mut response).await?;
        span.record("status", status.as_u16());
        span.record("latency_ms", sent.elapsed().as_millis() as u64);
        Ok(RawResponse {
            operation: info.operation_id,
            method,
            url: response.url().clone(),
            status,
            headers,
            body,
            oversized,
        })
    }

    /// Reads the body up to the configured limit; `true` when there was more. A body that
    /// arrives in one chunk is kept as reqwest gave it, without a copy.
    async fn read_body(&self, response: &mut Response) -> reqwest::Result<(bytes::Bytes, bool)> {
        let limit = self.max_response_bytes;
        let mut chunks = Vec::new();
        let mut read = 0;
        let mut oversized = false;
        while let Some(mut chunk) = response.chunk().await? {
            if read + chunk.len() > limit {
                chunk.truncate(limit - read);
                oversized = true;
            }
            read += chunk.len();
            chunks.push(chunk);
            if oversized {
                break;
            }
        }
        let body = match chunks.as_slice() {
            [] => bytes::Bytes::new(),
            [only] => only.clone(),
            _ => {
                let mut body = bytes::BytesMut::with_capacity(read);
                chunks
                    .iter()
                    .for_each(|chunk| body.extend_from_slice(chunk));
                body.freeze()
            }
        };
        Ok((body, oversized))
    }
}

/// Whether the caller asked for JSON (progenitor sets `Accept` for JSON responses).
pub fn expects_json(request: &Request) -> bool {
    request
        .headers()
        .get(reqwest::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"))
}
