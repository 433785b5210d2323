//! The client's authentication, as the generated client names it: a bearer token on every
//! call but the exchange, renewed once and the call replayed on a 401 (see [`TokenCache`]).

use crate::token::TokenCache;

/// What every request of one client shares: the runtime (retries, rate limit) and the token
/// cache. Reached by the hooks as the generated client's inner value.
pub type Inner = client_runtime::Inner<TokenCache>;

client_runtime::hooks!(crate::generated::Client, TokenCache);
