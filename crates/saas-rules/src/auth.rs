//! EdgeGrid signing through progenitor's hooks: every attempt of every request is signed with
//! a fresh timestamp and nonce, over the bytes that attempt sends.
//!
//! Signing can fail only for requests this crate never builds (a streaming POST body, a
//! repeated or non-UTF-8 header listed in `headers_to_sign`), and `exec` returns a
//! `reqwest::Result`, which cannot carry such a failure. So `pre` signs the request once, as a
//! check: a request that cannot be signed is refused there, before anything is sent, as
//! [`crate::Error::Auth`]. `exec` then signs every attempt again inside
//! [`Runtime::execute`](client_runtime::Runtime::execute); the attempt differs from the checked
//! request only in its timestamp and nonce (both plain ASCII), so that signing cannot fail.

use client_runtime::Runtime;
use edgegrid::Credentials;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::generated::Client as Generated;

/// What every request of one client shares: the runtime (retries, rate limit, tracing) and
/// the EdgeGrid credentials. Reached by the hooks as the generated client's inner value.
///
/// Its `Debug` output shows the host and signing options but never a token or the secret.
#[derive(Debug)]
pub struct Inner {
    pub(crate) runtime: Runtime,
    pub(crate) credentials: Credentials,
}

impl ClientHooks<std::sync::Arc<Inner>> for Generated {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        // Also appends `accountSwitchKey` to the query when the credentials carry one, so
        // every attempt (and its retry copy) sends the same URL.
        self.inner().credentials.sign_request(request).map_err(|e| {
            progenitor_client::Error::Custom(format!(
                "cannot sign {} with EdgeGrid: {e}",
                info.operation_id
            ))
        })
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let Inner {
            runtime,
            credentials,
        } = &**self.inner();
        runtime
            .execute(self.client(), request, info, |attempt| {
                if let Err(error) = credentials.sign_request(attempt) {
                    // Unreachable: `pre` signed this very request. Sent with the signature
                    // `pre` left, the server answers 401 and the caller sees it.
                    tracing::error!(operation = info.operation_id, %error, "re-signing failed");
                }
            })
            .await
    }
}
