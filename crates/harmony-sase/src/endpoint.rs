//! Where a client sends its requests: a Harmony SASE region or any origin URL.

use std::fmt;

use client_runtime::ConfigError;

/// A Harmony SASE region; a tenant's data lives in exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Region {
    /// United States, `api.perimeter81.com`.
    Us,
    /// Europe, `api.eu.sase.checkpoint.com`.
    Eu,
    /// Australia, `api.au.sase.checkpoint.com`.
    Au,
    /// India, `api.in.sase.checkpoint.com`.
    In,
    /// Canada, `api.ca.sase.checkpoint.com`.
    Ca,
}

impl Region {
    /// Every region, in the spec's order.
    pub const ALL: [Region; 5] = [Region::Us, Region::Eu, Region::Au, Region::In, Region::Ca];

    /// The region's API origin.
    pub fn origin(self) -> &'static str {
        match self {
            Region::Us => "https://api.perimeter81.com",
            Region::Eu => "https://api.eu.sase.checkpoint.com",
            Region::Au => "https://api.au.sase.checkpoint.com",
            Region::In => "https://api.in.sase.checkpoint.com",
            Region::Ca => "https://api.ca.sase.checkpoint.com",
        }
    }

    /// The short name (`us`, `eu`, …) accepted by [`Endpoint::from`] and `HARMONY_SASE_URL`.
    pub fn name(self) -> &'static str {
        match self {
            Region::Us => "us",
            Region::Eu => "eu",
            Region::Au => "au",
            Region::In => "in",
            Region::Ca => "ca",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A region, or an origin such as `https://api.eu.sase.checkpoint.com` or
/// `http://127.0.0.1:8080`. The client appends `/api/v1/auth/authorize` and `/api/rest/…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// A known region.
    Region(Region),
    /// A region name or an origin URL, checked when the client is built.
    Text(String),
}

impl From<Region> for Endpoint {
    fn from(region: Region) -> Self {
        Endpoint::Region(region)
    }
}

impl From<&str> for Endpoint {
    fn from(text: &str) -> Self {
        Endpoint::Text(text.to_string())
    }
}

impl From<String> for Endpoint {
    fn from(text: String) -> Self {
        Endpoint::Text(text)
    }
}

impl Endpoint {
    /// The origin (scheme, host, port) requests go to, without a trailing slash.
    /// `source` and `key` name where the value came from in the error.
    pub(crate) fn origin(&self, source: &str, key: &str) -> Result<String, ConfigError> {
        let text = match self {
            Endpoint::Region(region) => return Ok(region.origin().to_string()),
            Endpoint::Text(text) => text.trim(),
        };
        if let Some(region) = Region::ALL
            .iter()
            .find(|r| r.name().eq_ignore_ascii_case(text))
        {
            return Ok(region.origin().to_string());
        }
        let url = url::Url::parse(text).map_err(|e| {
            ConfigError::new(
                source,
                key,
                format!("`{text}` is neither a region (us, eu, au, in, ca) nor a URL: {e}"),
            )
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(ConfigError::new(
                source,
                key,
                format!("`{text}` is not an http(s) origin"),
            ));
        }
        if url.path() != "/" || url.query().is_some() {
            return Err(ConfigError::new(
                source,
                key,
                format!("`{text}` must be an origin only (the client adds /api/rest itself)"),
            ));
        }
        Ok(url.as_str().trim_end_matches('/').to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_names_and_origins() {
        assert_eq!(
            Endpoint::from(Region::Eu).origin("t", "k").unwrap(),
            "https://api.eu.sase.checkpoint.com"
        );
        assert_eq!(
            Endpoint::from("EU").origin("t", "k").unwrap(),
            "https://api.eu.sase.checkpoint.com"
        );
        assert_eq!(
            Endpoint::from("http://127.0.0.1:8080/")
                .origin("t", "k")
                .unwrap(),
            "http://127.0.0.1:8080"
        );
    }

    #[test]
    fn bad_endpoints_name_source_and_key() {
        let error = Endpoint::from("mars")
            .origin("environment", "HARMONY_SASE_URL")
            .unwrap_err();
        assert_eq!(error.key, "HARMONY_SASE_URL");
        assert!(
            error
                .to_string()
                .starts_with("environment: HARMONY_SASE_URL: `mars`"),
            "{error}"
        );
        let error = Endpoint::from("https://api.perimeter81.com/api/rest")
            .origin("t", "k")
            .unwrap_err();
        assert!(error.message.contains("origin only"), "{error}");
        assert!(Endpoint::from("ftp://x").origin("t", "k").is_err());
    }
}
