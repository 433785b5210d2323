//! Cipherscale policy-model API client.

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
