//! Loading credentials from the environment and `.edgerc` files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::credentials::Credentials;
use crate::error::EdgercError;

/// The section used when none is given.
pub const DEFAULT_SECTION: &str = "default";

/// Looks up an environment variable; see [`Credentials::from_edgerc_with_env`].
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The four keys every credential needs, in report order.
const REQUIRED: [&str; 4] = ["host", "client_token", "client_secret", "access_token"];

impl Credentials {
    /// Loads credentials the way Akamai's tools do, reading the process environment.
    ///
    /// Same as [`Credentials::from_edgerc_with_env`] with `std::env::var` as the lookup
    /// (variables that are unset or not Unicode count as unset).
    pub fn from_edgerc(path: Option<&Path>, section: Option<&str>) -> Result<Self, EdgercError> {
        Self::from_edgerc_with_env(path, section, &|name| std::env::var(name).ok())
    }

    /// Loads credentials from environment variables or an `.edgerc` file, with `env` as the
    /// environment (so tests need not touch the process environment). Empty variables count
    /// as unset.
    ///
    /// 1. **Section**: `section`, else `AKAMAI_SECTION`, else `default`.
    /// 2. **Environment first** (the rule of `edgegrid-golang`'s `FromEnv`/`WithEnv`): the
    ///    variable prefix is `AKAMAI_` for the `default` section and `AKAMAI_{SECTION}_`
    ///    (section name upper-cased) for any other. If all four of `{prefix}HOST`,
    ///    `{prefix}CLIENT_TOKEN`, `{prefix}CLIENT_SECRET` and `{prefix}ACCESS_TOKEN` are set,
    ///    the credentials come from the environment alone, with the optional
    ///    `{prefix}MAX_BODY` (a positive integer, else an error — Go silently ignores a bad
    ///    value) and `{prefix}ACCOUNT_KEY`; no file is read, even when `path` is given. There
    ///    is no key-by-key merging of environment and file, and a non-default section does
    ///    not fall back to the unprefixed `AKAMAI_*` variables.
    /// 3. **Otherwise the file**: `path`, else `AKAMAI_EDGERC`, else `~/.edgerc` (home from
    ///    `HOME`, then `USERPROFILE`); a leading `~/` in a path is expanded the same way. If
    ///    only some of the four variables were set and the file fails, the error says which
    ///    variables are missing and why the file failed.
    ///
    /// The file is INI, parsed with `rust-ini`: `[section]` headers (case-sensitive),
    /// `key = value` or `key: value` lines, whole-line comments starting with `;` or `#`,
    /// inline comments after whitespace (` ; …`, ` # …`, as in Akamai's Node loader), one
    /// pair of surrounding `"…"` or `'…'` quotes removed (as the Go and Node loaders do),
    /// backslashes kept verbatim. Keys are case-insensitive and `-` equals `_`
    /// (`client-token`). Keys read: `host`, `client_token`, `client_secret`, `access_token`
    /// (required, non-empty), `max_body` (positive integer, default 131072),
    /// `headers_to_sign` (comma-separated header names) and `account_key`; others are
    /// ignored. A line that is not a comment, section header or `key = value`, an unclosed
    /// quote, a missing or repeated section, a repeated key, a missing key, a bad `max_body`
    /// or host, all give an [`EdgercError`] naming the file, section and key or line.
    pub fn from_edgerc_with_env(
        path: Option<&Path>,
        section: Option<&str>,
        env: EnvLookup<'_>,
    ) -> Result<Self, EdgercError> {
        let get = |name: &str| env(name).filter(|v| !v.is_empty());
        let section = section
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .or_else(|| get("AKAMAI_SECTION"))
            .unwrap_or_else(|| DEFAULT_SECTION.to_owned());

        let prefix = if section == DEFAULT_SECTION {
            "AKAMAI_".to_owned()
        } else {
            format!("AKAMAI_{}_", section.to_uppercase())
        };
        let var = |key: &str| format!("{prefix}{}", key.to_ascii_uppercase());
        let values: Vec<Option<String>> = REQUIRED.iter().map(|key| get(&var(key))).collect();
        if let [
            Some(host),
            Some(client_token),
            Some(client_secret),
            Some(access_token),
        ] = values.as_slice()
        {
            let credentials = Credentials::new(
                host.as_str(),
                client_token.as_str(),
                client_secret.as_str(),
                access_token.as_str(),
            )
            .map_err(|e| EdgercError::InvalidEnv {
                var: var("host"),
                reason: e.to_string(),
            })?;
            return env_options(credentials, &prefix, &get);
        }
        let missing: Vec<String> = REQUIRED
            .iter()
            .zip(&values)
            .filter(|(_, value)| value.is_none())
            .map(|(key, _)| var(key))
            .collect();

        let result = edgerc_path(path, &get).and_then(|path| load_file(&path, &section));
        match result {
            Err(error) if missing.len() < REQUIRED.len() => {
                Err(EdgercError::IncompleteEnvironment {
                    missing,
                    source: Box::new(error),
                })
            }
            other => other,
        }
    }
}

/// Applies the optional `{prefix}MAX_BODY` and `{prefix}ACCOUNT_KEY` variables.
fn env_options(
    mut credentials: Credentials,
    prefix: &str,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Credentials, EdgercError> {
    let max_body_var = format!("{prefix}MAX_BODY");
    if let Some(value) = get(&max_body_var) {
        let max_body = parse_max_body(&value).ok_or_else(|| EdgercError::InvalidEnv {
            var: max_body_var,
            reason: "not a positive integer".to_owned(),
        })?;
        credentials = credentials.with_max_body(max_body);
    }
    Ok(credentials.with_account_key(get(&format!("{prefix}ACCOUNT_KEY"))))
}

/// The file to read: the argument, `AKAMAI_EDGERC`, or `~/.edgerc`; `~/` expanded.
fn edgerc_path(
    path: Option<&Path>,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<PathBuf, EdgercError> {
    let home = || {
        get("HOME")
            .or_else(|| get("USERPROFILE"))
            .map(PathBuf::from)
            .ok_or(EdgercError::NoHomeDirectory)
    };
    let path = match path {
        Some(path) => path.to_path_buf(),
        None => match get("AKAMAI_EDGERC") {
            Some(path) => PathBuf::from(path),
            None => return Ok(home()?.join(".edgerc")),
        },
    };
    if path == Path::new("~") {
        return home();
    }
    match path.strip_prefix("~") {
        Ok(rest) => Ok(home()?.join(rest)),
        Err(_) => Ok(path),
    }
}

/// Reads and parses one section of an `.edgerc` file.
fn load_file(path: &Path, section: &str) -> Result<Credentials, EdgercError> {
    let text = std::fs::read_to_string(path).map_err(|source| EdgercError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_edgerc(&text, path, section)
}

/// Parses `.edgerc` text; `path` is used in error messages only.
pub(crate) fn parse_edgerc(
    text: &str,
    path: &Path,
    section: &str,
) -> Result<Credentials, EdgercError> {
    let path_buf = || path.to_path_buf();
    check_lines(text).map_err(|(line, reason)| EdgercError::Syntax {
        path: path_buf(),
        line,
        reason: reason.to_owned(),
    })?;
    let option = ini::ParseOption {
        enabled_quote: true,
        enabled_escape: false,
        enabled_indented_mutiline_value: false,
        enabled_preserve_key_leading_whitespace: false,
    };
    let ini = ini::Ini::load_from_str_opt(text, option).map_err(|e| EdgercError::Syntax {
        path: path_buf(),
        line: e.line,
        reason: e.msg.into_owned(),
    })?;

    let mut found = ini.section_all(Some(section));
    let Some(properties) = found.next() else {
        let mut available: Vec<String> = Vec::new();
        for name in ini.sections().flatten() {
            if !available.iter().any(|a| a == name) {
                available.push(name.to_owned());
            }
        }
        return Err(EdgercError::MissingSection {
            path: path_buf(),
            section: section.to_owned(),
            available,
        });
    };
    if found.next().is_some() {
        return Err(EdgercError::DuplicateSection {
            path: path_buf(),
            section: section.to_owned(),
        });
    }

    let mut keys: BTreeMap<String, &str> = BTreeMap::new();
    for (key, value) in properties.iter() {
        let key = key.trim().to_ascii_lowercase().replace('-', "_");
        if keys.contains_key(&key) {
            return Err(EdgercError::DuplicateKey {
                path: path_buf(),
                section: section.to_owned(),
                key,
            });
        }
        keys.insert(key, value.trim());
    }
    let value = |key: &str| keys.get(key).copied().filter(|v| !v.is_empty());

    let missing: Vec<String> = REQUIRED
        .iter()
        .filter(|key| value(key).is_none())
        .map(|key| (*key).to_owned())
        .collect();
    let (Some(host), Some(client_token), Some(client_secret), Some(access_token)) = (
        value("host"),
        value("client_token"),
        value("client_secret"),
        value("access_token"),
    ) else {
        return Err(EdgercError::MissingKeys {
            path: path_buf(),
            section: section.to_owned(),
            keys: missing,
        });
    };

    let max_body = match value("max_body") {
        None => None,
        Some(raw) => Some(
            parse_max_body(raw).ok_or_else(|| EdgercError::InvalidMaxBody {
                path: path_buf(),
                section: section.to_owned(),
            })?,
        ),
    };

    let mut headers_to_sign = Vec::new();
    for name in value("headers_to_sign")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(EdgercError::InvalidHeaderName {
                path: path_buf(),
                section: section.to_owned(),
                name: name.to_owned(),
            });
        }
        headers_to_sign.push(name);
    }

    let mut credentials = Credentials::new(host, client_token, client_secret, access_token)
        .map_err(|source| EdgercError::InvalidHost {
            path: path_buf(),
            section: section.to_owned(),
            source,
        })?
        .with_headers_to_sign(headers_to_sign)
        .with_account_key(value("account_key").map(str::to_owned));
    if let Some(max_body) = max_body {
        credentials = credentials.with_max_body(max_body);
    }
    Ok(credentials)
}

/// A positive decimal integer.
fn parse_max_body(raw: &str) -> Option<usize> {
    raw.trim().parse::<usize>().ok().filter(|n| *n > 0)
}

/// Checks every line before `rust-ini` sees the text, so that errors carry the right line
/// number (rust-ini would read a stray line as part of the next key, or report an unclosed
/// quote at the end of the file). Returns the 1-based line and the reason.
fn check_lines(text: &str) -> Result<(), (usize, &'static str)> {
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let number = index + 1;
        if line.is_empty() || line.starts_with(';') || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            if !rest.contains(']') {
                return Err((number, "section header without a closing `]`"));
            }
            continue;
        }
        let Some(split) = line.find(['=', ':']) else {
            return Err((number, "expected `key = value`, a `[section]` or a comment"));
        };
        let (key, value) = line.split_at(split);
        if key.trim().is_empty() {
            return Err((number, "a value without a key"));
        }
        let value = value.get(1..).unwrap_or_default().trim_start();
        if let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'')
            && !closes_quote(value.get(1..).unwrap_or_default(), quote)
        {
            return Err((number, "a quoted value without its closing quote"));
        }
    }
    Ok(())
}

/// Whether `rest` contains `quote`, skipping backslash-escaped characters as rust-ini does.
fn closes_quote(rest: &str, quote: char) -> bool {
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            chars.next();
        } else if c == quote {
            return true;
        }
    }
    false
}
