//! Progenitor's request hooks, written once for every client: [`pre`] authorizes the call,
//! [`exec`] sends it through the [`Runtime`], signing each attempt and replaying once after a
//! 401 when the [`Auth`] can renew. [`crate::hooks!`] wires them into a generated client.

use std::sync::Arc;

use progenitor_client::{ClientInfo, OperationInfo};
use reqwest::{Request, Response, StatusCode};

use crate::auth::{Auth, Call};
use crate::{ClientConfig, Runtime, expects_json};

/// What every request of one client shares: the runtime (retries, rate limit, tracing) and
/// the authentication. The generated client holds it as `Arc<Inner<A>>`; clones share it.
#[derive(Debug)]
pub struct Inner<A> {
    /// Retries, rate limit, response delivery.
    pub runtime: Runtime,
    /// The API's authentication.
    pub auth: A,
}

impl<A: Auth> Inner<A> {
    /// The shared state for `auth` with the runtime `config` describes.
    pub fn new(config: &ClientConfig, auth: A) -> Self {
        Self {
            runtime: Runtime::new(config),
            auth,
        }
    }
}

/// The `pre` hook: lets the [`Auth`] authorize the call.
pub async fn pre<C, A, E>(
    client: &C,
    request: &mut Request,
    info: &OperationInfo,
) -> Result<(), progenitor_client::Error<E>>
where
    C: ClientInfo<Arc<Inner<A>>>,
    A: Auth,
{
    let Inner { runtime, auth } = &**client.inner();
    let call = Call {
        runtime,
        http: client.client(),
        info,
    };
    auth.authorize(call, request)
        .await
        .map_err(|e| e.into_progenitor())
}

/// The `exec` hook: sends the request through the runtime, signing every attempt; a 401 is
/// offered to [`Auth::renew`] and, if it renews, the call is replayed once.
pub async fn exec<C, A>(
    client: &C,
    request: Request,
    info: &OperationInfo,
) -> reqwest::Result<Response>
where
    C: ClientInfo<Arc<Inner<A>>>,
    A: Auth,
{
    let Inner { runtime, auth } = &**client.inner();
    let http = client.client();
    let sign = |attempt: &mut Request| auth.sign(attempt, info);
    if !A::RENEWS {
        return runtime.execute(http, request, info, sign).await;
    }
    let expects_json = expects_json(&request);
    let (mut raw, replay) = runtime.send_replayable(http, request, info, sign).await?;
    if raw.status == StatusCode::UNAUTHORIZED
        && let Some(mut replay) = replay
        && auth
            .renew(
                Call {
                    runtime,
                    http,
                    info,
                },
                &mut replay,
            )
            .await
    {
        tracing::debug!(
            operation = info.operation_id,
            "credentials rejected; renewed, replaying once"
        );
        raw = runtime.send(http, replay, info, sign).await?;
    }
    Ok(raw.into_response(expects_json))
}

/// Implements progenitor's `ClientHooks` for a generated client whose inner type is
/// `Arc<client_runtime::Inner<Auth>>`, with [`pre`] and [`exec`]; [`client!`](crate::client!)
/// does it for the client it declares:
/// `client_runtime::hooks!(crate::generated::Client, client_runtime::HeaderKey);`
#[macro_export]
macro_rules! hooks {
    ($client:ty, $auth:ty) => {
        impl $crate::__private::ClientHooks<::std::sync::Arc<$crate::Inner<$auth>>> for $client {
            async fn pre<E>(
                &self,
                request: &mut $crate::__private::Request,
                info: &$crate::__private::OperationInfo,
            ) -> ::std::result::Result<(), $crate::__private::Error<E>> {
                $crate::hooks::pre(self, request, info).await
            }

            async fn exec(
                &self,
                request: $crate::__private::Request,
                info: &$crate::__private::OperationInfo,
            ) -> $crate::__private::reqwest::Result<$crate::__private::Response> {
                $crate::hooks::exec(self, request, info).await
            }
        }
    };
}
