//! Where a client sends its requests: a Harmony SASE region or any origin URL.

use std::fmt;

use client_runtime::{ConfigError, Names, UrlPath, parse_base_url};

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
    /// The origin (scheme, host, port) requests go to, without a trailing slash; an error
    /// named by `names` when it is neither a region nor an http(s) origin.
    pub(crate) fn origin(&self, names: &Names) -> Result<String, ConfigError> {
        let text = match self {
            Endpoint::Region(region) => return Ok(region.origin().to_string()),
            Endpoint::Text(text) => text.trim(),
        };
        match Region::ALL
            .iter()
            .find(|r| r.name().eq_ignore_ascii_case(text))
        {
            Some(region) => Ok(region.origin().to_string()),
            None => parse_base_url(text, UrlPath::None).map_err(|e| {
                names.base_url_error(format!(
                    "neither a region (us, eu, au, in, ca) nor an origin URL: {e}"
                ))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: Names = Names {
        source: "environment",
        credentials: "HARMONY_SASE_API_KEY",
        base_url: "HARMONY_SASE_URL",
    };

    #[test]
    fn regions_names_and_origins() {
        let origin = |endpoint: Endpoint| endpoint.origin(&NAMES).unwrap();
        let eu = "https://api.eu.sase.checkpoint.com";
        assert_eq!(origin(Region::Eu.into()), eu);
        assert_eq!(origin("EU".into()), eu);
        assert_eq!(
            origin("http://127.0.0.1:8080/".into()),
            "http://127.0.0.1:8080"
        );
    }

    #[test]
    fn bad_endpoints_name_source_and_key() {
        let error = Endpoint::from("mars").origin(&NAMES).unwrap_err();
        assert_eq!(error.key, "HARMONY_SASE_URL");
        let text = error.to_string();
        assert!(
            text.starts_with("environment: HARMONY_SASE_URL: neither a region"),
            "{text}"
        );
        assert!(text.contains("`mars`"), "{text}");
        let error = Endpoint::from("https://api.perimeter81.com/api/rest").origin(&NAMES);
        assert!(error.unwrap_err().message.contains("origin only"));
        assert!(Endpoint::from("ftp://x").origin(&NAMES).is_err());
    }
}
