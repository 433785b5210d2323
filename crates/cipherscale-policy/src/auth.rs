//! Authentication through progenitor's hooks: the `apikey` header on every attempt.

use client_runtime::{ExposeSecret, Runtime, SecretString};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{HeaderName, HeaderValue};

use crate::generated::Client as Generated;

/// The header the API reads the tenant's key from.
pub(crate) const API_KEY_HEADER: HeaderName = HeaderName::from_static("apikey");

/// What every request of one client shares: the runtime (retries, timeouts, rate limit) and
/// the API key. Reached by the hooks as the generated client's inner value; its `Debug` output
/// never shows the key.
pub struct Inner {
    pub(crate) runtime: Runtime,
    pub(crate) api_key: SecretString,
}

impl Inner {
    /// The `apikey` header value, marked sensitive so that HTTP tooling does not print it.
    /// `None` only for a key that is not a valid header value, which the builder rejects.
    fn api_key_header(&self) -> Option<HeaderValue> {
        let mut value = HeaderValue::from_str(self.api_key.expose_secret()).ok()?;
        value.set_sensitive(true);
        Some(value)
    }
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inner")
            .field("runtime", &self.runtime)
            .field("api_key", &"[redacted]")
            .finish()
    }
}

impl ClientHooks<std::sync::Arc<Inner>> for Generated {
    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let inner = &**self.inner();
        inner
            .runtime
            .execute(self.client(), request, info, |attempt| {
                if let Some(key) = inner.api_key_header() {
                    attempt.headers_mut().insert(API_KEY_HEADER, key);
                }
            })
            .await
    }
}

/// Whether `key` can be sent as a header value: checked when a client is built, so that no
/// request goes out without it.
pub(crate) fn is_valid_header_value(key: &str) -> bool {
    HeaderValue::from_str(key).is_ok()
}
