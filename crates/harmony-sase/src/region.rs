//! Harmony SASE's regions; a client takes one, by value or name, wherever a base URL goes.

use std::fmt;

/// A Harmony SASE region; a tenant's data lives in exactly one. It converts into its origin,
/// so `Client::new(key, Region::Eu)` works as `Client::new(key, "eu")` does.
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

    /// The short name (`us`, `eu`, …), accepted in any case as a base URL and in
    /// `HARMONY_SASE_URL`.
    pub fn name(self) -> &'static str {
        self.row().0
    }

    /// The region's API origin.
    pub fn origin(self) -> &'static str {
        self.row().1
    }

    fn row(self) -> (&'static str, &'static str) {
        match self {
            Region::Us => ("us", "https://api.perimeter81.com"),
            Region::Eu => ("eu", "https://api.eu.sase.checkpoint.com"),
            Region::Au => ("au", "https://api.au.sase.checkpoint.com"),
            Region::In => ("in", "https://api.in.sase.checkpoint.com"),
            Region::Ca => ("ca", "https://api.ca.sase.checkpoint.com"),
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl From<Region> for String {
    fn from(region: Region) -> String {
        region.origin().to_string()
    }
}
