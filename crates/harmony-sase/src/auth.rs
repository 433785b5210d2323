//! Authentication through progenitor's hooks: a bearer token on every call but the token
//! exchange, one re-authorization and replay when the server answers 401.

use client_runtime::{Runtime, expects_json};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::StatusCode;
use reqwest::header::AUTHORIZATION;

use crate::generated::Client as Generated;
use crate::token::{AUTHORIZE, TokenCache};

/// What every request of one client shares: the runtime (retries, rate limit) and the token
/// cache. Reached by the hooks as the generated client's inner value.
#[derive(Debug)]
pub struct Inner {
    pub(crate) runtime: Runtime,
    pub(crate) tokens: TokenCache,
}

impl ClientHooks<std::sync::Arc<Inner>> for Generated {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        if info.operation_id == AUTHORIZE {
            return Ok(());
        }
        let Inner { runtime, tokens } = &**self.inner();
        let bearer = tokens
            .bearer(runtime, self.client())
            .await
            .map_err(|e| e.into_progenitor())?;
        request.headers_mut().insert(AUTHORIZATION, bearer);
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let Inner { runtime, tokens } = &**self.inner();
        let http = self.client();
        let expects_json = expects_json(&request);
        let (mut raw, replay) = runtime.send_replayable(http, request, info, |_| {}).await?;
        if raw.status == StatusCode::UNAUTHORIZED
            && let Some(mut replay) = replay
            && let Some(rejected) = replay.headers_mut().remove(AUTHORIZATION)
            && let Ok(bearer) = tokens.renew(runtime, http, &rejected).await
        {
            tracing::debug!(
                operation = info.operation_id,
                "token rejected; re-authorized, replaying once"
            );
            replay.headers_mut().insert(AUTHORIZATION, bearer);
            raw = runtime.send(http, replay, info, |_| {}).await?;
        }
        Ok(raw.into_response(expects_json))
    }
}
