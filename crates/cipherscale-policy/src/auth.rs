//! Authentication: the tenant's API key in the `apikey` header of every attempt.

use client_runtime::HeaderKey;
use reqwest::header::HeaderName;

/// The header the API reads the tenant's key from.
pub(crate) const API_KEY_HEADER: HeaderName = HeaderName::from_static("apikey");

/// What every request of one client shares: the runtime (retries, timeouts, rate limit) and
/// the API key. Reached by the hooks as the generated client's inner value; its `Debug` output
/// never shows the key.
pub type Inner = client_runtime::Inner<HeaderKey>;

client_runtime::hooks!(crate::generated::Client, HeaderKey);
