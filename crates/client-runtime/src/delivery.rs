//! How a buffered response reaches progenitor's generated code, and how a progenitor error
//! finds that response again.
//!
//! The runtime hands the generated code the response as the server sent it: status, headers
//! and body, so that `send()` reports errors exactly as progenitor documents them
//! (`ErrorResponse` for a documented error status, `UnexpectedResponse` for an undocumented
//! one, `InvalidResponsePayload` for a body that does not decode). Two of those variants drop
//! what a caller needs: `InvalidResponsePayload(body, error)` keeps neither status nor
//! headers, and `ErrorResponse` keeps the decoded body but not the raw one.
//!
//! So each delivered response is recorded in a process-wide ledger, keyed by the address of
//! memory that travels with the response into those variants, and held only as long as that
//! memory lives:
//! - the body: its bytes are a [`Bytes`] whose owner keeps the record; reqwest returns a body
//!   held in one piece without copying it, and progenitor puts exactly those bytes into
//!   `InvalidResponsePayload`;
//! - for an error status, one header value: its bytes keep the record the same way, and
//!   progenitor's `ResponseValue` clones the headers (a clone shares the bytes).
//!
//! The data itself is never altered: the body and every header read exactly as sent. An empty
//! body has no memory to key it by, so where the caller expects JSON it is delivered as a body
//! that fails to read with [`Withheld`] (as is a body cut at the size limit), and the error
//! names the response. `docs/upstream/` holds the progenitor-client change that would make the
//! ledger unnecessary; the integration tests (`tests/tests/integration/progenitor_errors.rs`)
//! fail if an upgrade of reqwest, http or progenitor stops carrying the keys.

use std::fmt;
use std::sync::{Arc, LazyLock, Mutex, PoisonError, Weak};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{ResponseBuilderExt, StatusCode};
use rustc_hash::FxHashMap;

use crate::RawResponse;

/// A response handed to the generated code, as the ledger keeps it.
pub(crate) struct Record {
    /// The response, byte for byte.
    pub(crate) raw: RawResponse,
    /// A copy of the header value that keys this record (error statuses only).
    tag: Option<Bytes>,
}

/// Live records by the address of the memory that keys them.
static LEDGER: LazyLock<Mutex<FxHashMap<usize, Weak<Record>>>> = LazyLock::new(Default::default);

fn ledger() -> std::sync::MutexGuard<'static, FxHashMap<usize, Weak<Record>>> {
    LEDGER.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Record {
    /// The addresses this record is found by (memory of length zero has none).
    fn keys(&self) -> impl Iterator<Item = usize> + '_ {
        [Some(&self.raw.body), self.tag.as_ref()]
            .into_iter()
            .flatten()
            .filter(|bytes| !bytes.is_empty())
            .map(|bytes| bytes.as_ptr() as usize)
    }

    /// The live record keyed by the memory of `bytes`, if any.
    fn find(bytes: &[u8]) -> Option<Arc<Record>> {
        if bytes.is_empty() {
            return None;
        }
        ledger().get(&(bytes.as_ptr() as usize))?.upgrade()
    }

    /// The record a body handed to the generated code belongs to.
    pub(crate) fn of_body(body: &Bytes) -> Option<Arc<Record>> {
        Self::find(body)
    }

    /// The record whose headers these are a copy of.
    pub(crate) fn of_headers(headers: &HeaderMap) -> Option<Arc<Record>> {
        headers
            .values()
            .find_map(|value| Self::find(value.as_bytes()))
    }

    /// The record a failed body read names, if the runtime withheld that body.
    pub(crate) fn of_read_error(
        error: &(dyn std::error::Error + 'static),
    ) -> Option<(Arc<Record>, Withholding)> {
        let mut current = Some(error);
        while let Some(e) = current {
            if let Some(Withheld { record, why }) = e.downcast_ref::<Withheld>() {
                return Some((Arc::clone(record), *why));
            }
            current = e.source();
        }
        None
    }
}

impl Drop for Record {
    fn drop(&mut self) {
        let mut ledger = ledger();
        for key in self.keys() {
            // Only this record's own entry: a static body can key two records at once.
            if ledger.get(&key).is_some_and(|w| w.strong_count() == 0) {
                ledger.remove(&key);
            }
        }
    }
}

/// Memory that keeps its record alive while the generated code holds it.
struct Keyed {
    /// Held, never read: the record lives while the generated code holds `bytes`.
    _record: Arc<Record>,
    bytes: Bytes,
}

impl AsRef<[u8]> for Keyed {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

/// Why the runtime did not hand the generated code a body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Withholding {
    /// The body was larger than the configured limit; the record holds what was read.
    Oversized,
    /// The caller expected JSON and the body was empty.
    Empty,
}

/// The read error of a body the runtime withheld; it names the response.
pub(crate) struct Withheld {
    record: Arc<Record>,
    why: Withholding,
}

impl fmt::Debug for Withheld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Withheld")
            .field("response", &self.record.raw)
            .field("why", &self.why)
            .finish()
    }
}

impl fmt::Display for Withheld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.record.raw.status;
        match self.why {
            Withholding::Oversized => write!(
                f,
                "HTTP {status} body larger than the {} bytes the client reads",
                self.record.raw.body.len()
            ),
            Withholding::Empty => write!(f, "HTTP {status} response has no body"),
        }
    }
}

impl std::error::Error for Withheld {}

/// Whether a status never has a body (RFC 9110): an empty one is not missing.
fn is_bodiless(status: StatusCode) -> bool {
    status.is_informational()
        || matches!(
            status,
            StatusCode::NO_CONTENT | StatusCode::RESET_CONTENT | StatusCode::NOT_MODIFIED
        )
}

/// Records `raw` and rebuilds it as a `reqwest::Response` for the generated code.
pub(crate) fn deliver(raw: RawResponse, expects_json: bool) -> reqwest::Response {
    let withholding = if raw.oversized {
        Some(Withholding::Oversized)
    } else if raw.body.is_empty()
        && expects_json
        && raw.method != reqwest::Method::HEAD
        && !is_bodiless(raw.status)
    {
        Some(Withholding::Empty)
    } else {
        None
    };
    let mut headers = raw.headers.clone();
    let tagged = if raw.status.is_success() {
        None
    } else {
        headers
            .iter_mut()
            .map(|(_, value)| value)
            .find(|value| !value.is_empty())
    };
    let tag = tagged
        .as_ref()
        .map(|value| Bytes::copy_from_slice(value.as_bytes()));
    let (status, url) = (raw.status, raw.url.clone());
    let record = Arc::new(Record { raw, tag });
    {
        let mut ledger = ledger();
        for key in record.keys() {
            ledger.insert(key, Arc::downgrade(&record));
        }
    }
    if let (Some(value), Some(tag)) = (tagged, &record.tag) {
        let keyed = Bytes::from_owner(Keyed {
            _record: Arc::clone(&record),
            bytes: tag.clone(),
        });
        let sensitive = value.is_sensitive();
        if let Ok(mut same) = HeaderValue::from_maybe_shared(keyed) {
            same.set_sensitive(sensitive);
            *value = same;
        }
    }
    let body = match withholding {
        Some(why) => {
            let withheld = Withheld { record, why };
            reqwest::Body::wrap_stream(futures::stream::iter([Err::<Bytes, _>(withheld)]))
        }
        None => {
            let bytes = record.raw.body.clone();
            reqwest::Body::from(Bytes::from_owner(Keyed {
                _record: record,
                bytes,
            }))
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: u16, body: &str) -> RawResponse {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", "application/json".parse().expect("value"));
        RawResponse {
            operation: "get_thing",
            method: reqwest::Method::GET,
            url: "https://api.example.com/things/1".parse().expect("URL"),
            status: StatusCode::from_u16(status).expect("status"),
            headers,
            body: Bytes::copy_from_slice(body.as_bytes()),
            oversized: false,
        }
    }

    #[tokio::test]
    async fn bodies_read_as_sent_and_lead_back_to_their_response() {
        let response = deliver(raw(502, "<html>bad gateway</html>"), true);
        assert_eq!(response.url().as_str(), "https://api.example.com/things/1");
        assert_eq!(response.headers()["content-type"], "application/json");
        let headers = response.headers().clone();
        let body = response.bytes().await.expect("readable");
        assert_eq!(body, "<html>bad gateway</html>");
        let record = Record::of_body(&body).expect("the body keys its record");
        assert_eq!(record.raw.status, StatusCode::BAD_GATEWAY);
        let record = Record::of_headers(&headers).expect("the headers key it too");
        assert_eq!(record.raw.body, "<html>bad gateway</html>");
    }

    #[tokio::test]
    async fn records_live_as_long_as_their_memory() {
        let body = deliver(raw(200, r#"{"id": 1"#), true)
            .bytes()
            .await
            .expect("readable");
        let copy = Bytes::copy_from_slice(&body);
        assert!(Record::of_body(&copy).is_none(), "a copy is not the body");
        let key = body.as_ptr() as usize;
        drop(body);
        assert!(!ledger().contains_key(&key), "dropped with its body");
    }

    #[tokio::test]
    async fn success_headers_are_not_keyed() {
        let response = deliver(raw(200, "{}"), true);
        assert!(Record::of_headers(response.headers()).is_none());
    }

    #[tokio::test]
    async fn empty_and_oversized_bodies_fail_to_read_naming_the_response() {
        let error = deliver(raw(201, ""), true)
            .bytes()
            .await
            .expect_err("withheld");
        let (record, why) = Record::of_read_error(&error).expect("named");
        assert_eq!(
            (record.raw.status, why),
            (StatusCode::CREATED, Withholding::Empty)
        );

        let mut big = raw(200, "[1, 2");
        big.oversized = true;
        let error = deliver(big, true).bytes().await.expect_err("withheld");
        let (record, why) = Record::of_read_error(&error).expect("named");
        assert_eq!(
            (&record.raw.body[..], why),
            (&b"[1, 2"[..], Withholding::Oversized)
        );

        // Nothing is missing from a 204, nor from a body the caller did not ask JSON of.
        for (status, json) in [(204, true), (200, false)] {
            let body = deliver(raw(status, ""), json).bytes().await.expect("empty");
            assert!(body.is_empty());
        }
    }
}
