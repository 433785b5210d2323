//! The client's authentication, as the generated client names it: EdgeGrid signing of every
//! attempt ([`edgegrid::EdgeGrid`]).

use edgegrid::EdgeGrid;

/// What every request of one client shares: the runtime (retries, rate limit, tracing) and
/// the EdgeGrid credentials. Reached by the hooks as the generated client's inner value. Its
/// `Debug` output shows the host and signing options but never a token or the secret.
pub type Inner = client_runtime::Inner<EdgeGrid>;

client_runtime::hooks!(crate::generated::Client, EdgeGrid);
