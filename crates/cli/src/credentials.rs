//! Clients from credentials, read the way each client crate's `from_env` reads them; a
//! problem is a usage error naming the variable, file, section or key, never a secret.

use std::fmt::Display;
use std::path::PathBuf;

use clap::ArgMatches;

use crate::commands::{ACCOUNT_KEY, EDGERC, SECTION};

/// Harmony SASE: `HARMONY_SASE_API_KEY` and `HARMONY_SASE_URL`.
pub fn harmony() -> anyhow::Result<harmony_sase::Client> {
    harmony_sase::Client::from_env().map_err(|error| config("Harmony SASE credentials", error))
}

/// SaaS rules: the `AKAMAI_*` variables, else the `.edgerc` file and section given by
/// `--edgerc` and `--section` (or `AKAMAI_EDGERC`, `AKAMAI_SECTION`); `--account-key`
/// replaces the account switch key they may carry (`account_key`, `AKAMAI_ACCOUNT_KEY`).
pub fn saas_rules(matches: &ArgMatches) -> anyhow::Result<saas_rules::Client> {
    let edgerc = matches.get_one::<PathBuf>(EDGERC);
    let section = matches.get_one::<String>(SECTION);
    let credentials = saas_rules::Credentials::from_edgerc(
        edgerc.map(PathBuf::as_path),
        section.map(String::as_str),
    )
    .map_err(|error| config(EDGEGRID, error))?;
    // The flag overrides the credentials' own `account_key`; without it that one stays.
    let credentials = match matches.get_one::<String>(ACCOUNT_KEY) {
        Some(key) => credentials.with_account_key(Some(key.clone())),
        None => credentials,
    };
    saas_rules::Client::new(credentials).map_err(|error| config(EDGEGRID, error))
}

/// Cipherscale: `CIPHERSCALE_API_KEY` and `CIPHERSCALE_URL`.
pub fn cipherscale() -> anyhow::Result<cipherscale_policy::Client> {
    cipherscale_policy::Client::from_env().map_err(|error| config("Cipherscale credentials", error))
}

const EDGEGRID: &str = "Akamai EdgeGrid credentials";

/// A configuration error, in one line: the errors' own text already names their cause.
fn config(what: &str, error: impl Display) -> anyhow::Error {
    anyhow::anyhow!("{what}: {error}")
}
