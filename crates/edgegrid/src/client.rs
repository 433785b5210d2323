//! EdgeGrid for a `client-runtime` client (the `client-runtime` feature): [`EdgeGrid`], the
//! [`Auth`] that signs every attempt; [`EdgeGrid::connect`], what an
//! [`Api::connect`](client_runtime::Api::connect) of an EdgeGrid API does; and `.edgerc`
//! loading errors as [`ConfigError`]s.
//!
//! Signing can fail only for requests a generated client never builds (a streaming POST body,
//! a repeated or non-UTF-8 header listed in `headers_to_sign`), and an attempt's signing cannot
//! report a failure. So [`Auth::authorize`] signs the request once, as a check: a request that
//! cannot be signed is refused there, before anything is sent, as `client_runtime::Error::Auth`.
//! [`Auth::sign`] then signs every attempt again; the attempt differs from the checked request
//! only in its timestamp and nonce (both plain ASCII), so that signing cannot fail.

use client_runtime::{Auth, AuthError, Call, ConfigError, ENVIRONMENT, Names, UrlPath};
use progenitor_client::OperationInfo;
use reqwest::Request;

use crate::{Credentials, EdgercError};

/// A client's [`Auth`]: EdgeGrid (`EG1-HMAC-SHA256`) signing with these credentials, a fresh
/// timestamp and nonce on every attempt. Its `Debug` output hides the secrets.
#[derive(Debug)]
pub struct EdgeGrid(Credentials);

impl EdgeGrid {
    /// Signing with `credentials`, or an error naming the tokens when no request could be
    /// signed with them (a token with control characters), so that this shows when the client
    /// is built rather than on every call.
    pub fn new(credentials: Credentials) -> Result<Self, ConfigError> {
        let mut probe = Request::new(reqwest::Method::GET, credentials.base_url().clone());
        credentials.sign_request(&mut probe).map_err(|e| {
            ConfigError::new(
                format!("credentials for {}", credentials.host()),
                "client_token, access_token",
                e.to_string(),
            )
        })?;
        Ok(Self(credentials))
    }

    /// The credentials requests are signed with.
    pub fn credentials(&self) -> &Credentials {
        &self.0
    }

    /// The base URL and [`EdgeGrid`] of a client: `base_url` when given (an http(s) URL, with
    /// a path unless `base_path` is empty), else the credential's host followed by
    /// `base_path` (`https://akab-….luna.akamaiapis.net/config-saas-rules/v2`). A bad base URL
    /// is an error named by `names`.
    pub fn connect(
        credentials: Credentials,
        base_url: Option<String>,
        base_path: &str,
        names: &Names,
    ) -> Result<(String, Self), ConfigError> {
        let auth = Self::new(credentials)?;
        let path = match base_path.trim_matches('/') {
            "" => UrlPath::None,
            _ => UrlPath::Required,
        };
        let base_url = match base_url {
            Some(url) => client_runtime::parse_base_url(&url, path)
                .map_err(|message| names.base_url_error(message))?,
            None => format!(
                "{}{base_path}",
                auth.0.base_url().as_str().trim_end_matches('/')
            ),
        };
        Ok((base_url, auth))
    }
}

impl Auth for EdgeGrid {
    async fn authorize(&self, call: Call<'_>, request: &mut Request) -> Result<(), AuthError> {
        // Also appends `accountSwitchKey` to the query when the credentials carry one, so
        // every attempt (and its retry copy) sends the same URL.
        self.0.sign_request(request).map_err(|e| {
            let operation = call.info.operation_id;
            AuthError::Unusable(format!("cannot sign {operation} with EdgeGrid: {e}"))
        })
    }

    fn sign(&self, attempt: &mut Request, info: &OperationInfo) {
        if let Err(error) = self.0.sign_request(attempt) {
            // Unreachable: `authorize` signed this very request. Sent with the signature
            // `authorize` left, the server answers 401 and the caller sees it.
            tracing::error!(operation = info.operation_id, %error, "re-signing failed");
        }
    }
}

/// A credential loading error as the clients' configuration error: `source` is the file (or
/// `environment`), `key` the section and key or line at fault, `message` what is wrong. Never
/// a secret: [`EdgercError`]s carry none.
impl From<EdgercError> for ConfigError {
    fn from(error: EdgercError) -> Self {
        let message = error.to_string();
        let file = |path: &std::path::Path| path.display().to_string();
        let at = |section: &str, key: &str| format!("[{section}] {key}");
        match &error {
            EdgercError::Read { path, source } => {
                ConfigError::new(file(path), "file", format!("cannot read: {source}"))
            }
            EdgercError::Syntax { path, line, reason } => {
                ConfigError::new(file(path), format!("line {line}"), reason.clone())
            }
            EdgercError::MissingSection {
                path,
                section,
                available,
            } => ConfigError::new(
                file(path),
                format!("[{section}]"),
                format!(
                    "no such section (sections found: {})",
                    if available.is_empty() {
                        "none".to_owned()
                    } else {
                        available.join(", ")
                    }
                ),
            ),
            EdgercError::DuplicateSection { path, section } => ConfigError::new(
                file(path),
                format!("[{section}]"),
                "the section occurs more than once",
            ),
            EdgercError::DuplicateKey { path, section, key } => ConfigError::new(
                file(path),
                at(section, key),
                "the key occurs more than once",
            ),
            EdgercError::MissingKeys {
                path,
                section,
                keys,
            } => ConfigError::new(
                file(path),
                at(section, &keys.join(", ")),
                "missing or empty",
            ),
            EdgercError::InvalidMaxBody { path, section } => ConfigError::new(
                file(path),
                at(section, "max_body"),
                "not a positive integer",
            ),
            EdgercError::InvalidHeaderName {
                path,
                section,
                name,
            } => ConfigError::new(
                file(path),
                at(section, "headers_to_sign"),
                format!("`{name}` is not a valid header name"),
            ),
            EdgercError::InvalidHost {
                path,
                section,
                source,
            } => ConfigError::new(file(path), at(section, "host"), source.to_string()),
            EdgercError::InvalidEnv { var, reason } => {
                ConfigError::new(ENVIRONMENT, var.clone(), reason.clone())
            }
            EdgercError::IncompleteEnvironment { missing, .. } => {
                ConfigError::new(ENVIRONMENT, missing.join(", "), message)
            }
            EdgercError::NoHomeDirectory => ConfigError::new(ENVIRONMENT, "HOME", message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str, section: Option<&str>) -> ConfigError {
        let dir = std::env::temp_dir().join(format!("edgegrid-edgerc-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("edgerc");
        std::fs::write(&path, text).expect("write edgerc");
        let error = Credentials::from_edgerc_with_env(Some(&path), section, &|_| None)
            .expect_err("malformed");
        let _ = std::fs::remove_dir_all(&dir);
        error.into()
    }

    #[test]
    fn edgerc_errors_name_file_section_and_key() {
        let error = load("[default]\nhost = example.net\nclient_token = a\n", None);
        assert!(error.source.ends_with("edgerc"), "{error}");
        assert_eq!(error.key, "[default] client_secret, access_token");

        let error = load("[default]\nthis line is wrong\n", None);
        assert_eq!(error.key, "line 2");

        let error = load("[other]\nhost = h\n", Some("prod"));
        assert_eq!(error.key, "[prod]");
        assert!(error.message.contains("other"), "{error}");
    }

    const NAMES: Names = Names {
        source: "Client::builder",
        credentials: "credentials",
        base_url: "base_url",
    };

    fn credentials(client_token: &str) -> Credentials {
        Credentials::new(
            "akab-x.luna.akamaiapis.net",
            client_token,
            "cs-s3cret",
            "at",
        )
        .expect("valid host")
    }

    #[test]
    fn the_base_url_is_the_hosts_unless_given() {
        let connect = |url: Option<&str>, path| {
            EdgeGrid::connect(credentials("ct"), url.map(str::to_owned), path, &NAMES)
                .map(|(url, _)| url)
        };
        let default = "https://akab-x.luna.akamaiapis.net/api/v2";
        assert_eq!(connect(None, "/api/v2").unwrap(), default);
        assert_eq!(
            connect(None, "").unwrap(),
            "https://akab-x.luna.akamaiapis.net"
        );
        let given = connect(Some("http://127.0.0.1:9/proxy/"), "/api/v2");
        assert_eq!(given.unwrap(), "http://127.0.0.1:9/proxy");
        let error = connect(Some("not a url"), "/api/v2").unwrap_err();
        assert_eq!(error.key, "base_url");
        assert!(connect(Some("http://127.0.0.1:9"), "/api/v2").is_err());
        assert!(connect(Some("http://127.0.0.1:9"), "").is_ok());
    }

    #[test]
    fn unsignable_credentials_are_refused_without_a_secret() {
        let error = EdgeGrid::new(credentials("ct\nx")).unwrap_err();
        assert_eq!(error.key, "client_token, access_token");
        let shown = format!("{error} {:?}", EdgeGrid::new(credentials("ct")).unwrap());
        assert!(!shown.contains("s3cret"), "{shown}");
    }
}
