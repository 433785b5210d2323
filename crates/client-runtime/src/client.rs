//! An API crate's `Client`, declared once for all: [`client!`](crate::client!) writes the
//! newtype over the generated client and the constructors every client has, each served by
//! the crate's [`Api`](crate::Api) impl.

use std::sync::Arc;

use crate::{Auth, Inner};

/// A client made of its generated client's parts; implemented by [`client!`](crate::client!).
pub trait Assemble: Sized {
    /// The API's authentication.
    type Auth: Auth;

    /// The client for a checked base URL, an HTTP client and the shared state.
    fn assemble(base_url: &str, http: reqwest::Client, inner: Arc<Inner<Self::Auth>>) -> Self;
}

/// Declares an API crate's `Client`, a newtype that derefs to the generated client (every
/// operation is a method of it), and its `ClientBuilder`, and wires the shared hooks into the
/// generated client ([`hooks!`](crate::hooks!)), whose inner type must be
/// `std::sync::Arc<client_runtime::Inner<Auth>>`; the crate then implements
/// [`Api`](crate::Api) for it. The `Client` gets `builder`, `from_env`, `from_env_with`,
/// `default_config` and `base_url`:
///
/// ```ignore
/// client_runtime::client! {
///     /// A Cipherscale policy API client.
///     pub struct Client(crate::generated::Client, client_runtime::HeaderKey);
/// }
/// ```
#[macro_export]
macro_rules! client {
    ($(#[$attr:meta])* pub struct $client:ident($generated:ty, $auth:ty);) => {
        $(#[$attr])*
        #[derive(Clone, Debug)]
        pub struct $client {
            api: $generated,
        }

        /// Builds a [`Client`]; start with [`Client::builder`]. Its `Debug` output shows no
        /// secret.
        pub type ClientBuilder = $crate::ClientBuilder<$client>;

        $crate::hooks!($generated, $auth);

        impl ::std::ops::Deref for $client {
            type Target = $generated;

            fn deref(&self) -> &$generated {
                &self.api
            }
        }

        impl $crate::Assemble for $client {
            type Auth = $auth;

            fn assemble(
                base_url: &str,
                http: $crate::__private::reqwest::Client,
                inner: ::std::sync::Arc<$crate::Inner<$auth>>,
            ) -> Self {
                Self { api: <$generated>::new_with_client(base_url, http, inner) }
            }
        }

        impl $client {
            /// A builder for these credentials, for finer control: `base_url`, `config`
            /// (timeouts, retries, rate limit, user agent), `http_client`.
            pub fn builder(
                credentials: impl Into<<Self as $crate::Api>::Credentials>,
            ) -> ClientBuilder {
                ClientBuilder::new(credentials.into())
            }

            /// A client configured by the environment variables the crate documents.
            pub fn from_env() -> ::std::result::Result<Self, $crate::ConfigError> {
                Self::from_env_with(|name| ::std::env::var(name).ok())
            }

            /// Like [`Client::from_env`], reading variables through `lookup` (a blank one
            /// counts as unset).
            pub fn from_env_with(
                lookup: impl Fn(&str) -> ::std::option::Option<String>,
            ) -> ::std::result::Result<Self, $crate::ConfigError> {
                <Self as $crate::Api>::from_env(&lookup)?.build()
            }

            /// The settings a client gets by default (see the crate documentation).
            pub fn default_config() -> $crate::ClientConfig {
                <Self as $crate::Api>::default_config()
            }

            /// The base URL requests go to, without a trailing slash.
            pub fn base_url(&self) -> &str {
                $crate::__private::ClientInfo::baseurl(&self.api)
            }
        }
    };
}
