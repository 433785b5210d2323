//! The client's authentication, as the generated client names it: EdgeGrid signing of every
//! attempt ([`edgegrid::EdgeGrid`]).

use edgegrid::EdgeGrid;

/// What every request of one client shares, reached by the hooks as the generated client's
/// inner value: the runtime and the EdgeGrid credentials (`Debug` shows no token or secret).
pub type Inner = client_runtime::Inner<EdgeGrid>;

client_runtime::hooks!(crate::generated::Client, EdgeGrid);
