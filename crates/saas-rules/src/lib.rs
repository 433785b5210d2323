//! Akamai SaaS IP/Geo Access (config-saas-rules/v2) API client, EdgeGrid-signed.

#[rustfmt::skip]
mod generated;
pub use generated::*;

/// Per-client state reachable from the request hooks.
pub mod auth {
    /// Per-client state reachable from the request hooks.
    #[derive(Clone, Debug, Default)]
    pub struct Inner;
}

impl progenitor_client::ClientHooks<std::sync::Arc<auth::Inner>> for Client {}
