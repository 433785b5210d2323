//! Authentication: a bearer token on every call but the token exchange, renewed once and the
//! call replayed when the server answers 401.

use client_runtime::{Auth, AuthError, Call};
use reqwest::Request;
use reqwest::header::AUTHORIZATION;

use crate::token::{AUTHORIZE, TokenCache};

/// What every request of one client shares: the runtime (retries, rate limit) and the token
/// cache. Reached by the hooks as the generated client's inner value.
pub type Inner = client_runtime::Inner<TokenCache>;

client_runtime::hooks!(crate::generated::Client, TokenCache);

impl Auth for TokenCache {
    const RENEWS: bool = true;

    async fn authorize(&self, call: Call<'_>, request: &mut Request) -> Result<(), AuthError> {
        if call.info.operation_id != AUTHORIZE {
            let bearer = self.bearer(call.runtime, call.http).await?;
            request.headers_mut().insert(AUTHORIZATION, bearer);
        }
        Ok(())
    }

    async fn renew(&self, call: Call<'_>, replay: &mut Request) -> bool {
        let Some(rejected) = replay.headers_mut().remove(AUTHORIZATION) else {
            return false;
        };
        let Ok(bearer) = self.replace(call.runtime, call.http, &rejected).await else {
            return false;
        };
        replay.headers_mut().insert(AUTHORIZATION, bearer);
        true
    }
}
