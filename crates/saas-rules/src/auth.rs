//! EdgeGrid signing: every attempt of every request is signed with a fresh timestamp and
//! nonce, over the bytes that attempt sends.
//!
//! Signing can fail only for requests this crate never builds (a streaming POST body, a
//! repeated or non-UTF-8 header listed in `headers_to_sign`), and an attempt's signing cannot
//! report a failure. So [`Auth::authorize`] signs the request once, as a check: a request that
//! cannot be signed is refused there, before anything is sent, as [`crate::Error::Auth`].
//! [`Auth::sign`] then signs every attempt again; the attempt differs from the checked request
//! only in its timestamp and nonce (both plain ASCII), so that signing cannot fail.

use client_runtime::{Auth, AuthError, Call};
use edgegrid::Credentials;
use progenitor_client::OperationInfo;
use reqwest::Request;

/// What every request of one client shares: the runtime (retries, rate limit, tracing) and
/// the EdgeGrid credentials. Reached by the hooks as the generated client's inner value.
///
/// Its `Debug` output shows the host and signing options but never a token or the secret.
pub type Inner = client_runtime::Inner<EdgeGrid>;

client_runtime::hooks!(crate::generated::Client, EdgeGrid);

/// The client's [`Auth`]: EdgeGrid (`EG1-HMAC-SHA256`) signing with these credentials. Its
/// `Debug` output hides the secrets.
#[derive(Debug)]
pub struct EdgeGrid(pub(crate) Credentials);

impl Auth for EdgeGrid {
    async fn authorize(&self, call: Call<'_>, request: &mut Request) -> Result<(), AuthError> {
        // Also appends `accountSwitchKey` to the query when the credentials carry one, so
        // every attempt (and its retry copy) sends the same URL.
        self.0.sign_request(request).map_err(|e| {
            let operation = call.info.operation_id;
            AuthError::Unusable(format!("cannot sign {operation} with EdgeGrid: {e}"))
        })
    }

    fn sign(&self, attempt: &mut Request, info: &OperationInfo) {
        if let Err(error) = self.0.sign_request(attempt) {
            // Unreachable: `authorize` signed this very request. Sent with the signature
            // `authorize` left, the server answers 401 and the caller sees it.
            tracing::error!(operation = info.operation_id, %error, "re-signing failed");
        }
    }
}
