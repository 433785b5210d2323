//! `.edgerc` loading errors as [`ConfigError`]s: `source` is the file (or `environment`),
//! `key` the section and key or line at fault, `message` what is wrong. Never a secret: the
//! edgegrid crate's errors carry none.

use client_runtime::{ConfigError, ENVIRONMENT};
use edgegrid::EdgercError;

/// Converts a credential loading error into the configuration error of the clients.
pub(crate) fn config_error(error: EdgercError) -> ConfigError {
    let message = error.to_string();
    let file = |path: &std::path::Path| path.display().to_string();
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
            format!("[{section}] {key}"),
            "the key occurs more than once",
        ),
        EdgercError::MissingKeys {
            path,
            section,
            keys,
        } => ConfigError::new(
            file(path),
            format!("[{section}] {}", keys.join(", ")),
            "missing or empty",
        ),
        EdgercError::InvalidMaxBody { path, section } => ConfigError::new(
            file(path),
            format!("[{section}] max_body"),
            "not a positive integer",
        ),
        EdgercError::InvalidHeaderName {
            path,
            section,
            name,
        } => ConfigError::new(
            file(path),
            format!("[{section}] headers_to_sign"),
            format!("`{name}` is not a valid header name"),
        ),
        EdgercError::InvalidHost {
            path,
            section,
            source,
        } => ConfigError::new(file(path), format!("[{section}] host"), source.to_string()),
        EdgercError::InvalidEnv { var, reason } => {
            ConfigError::new(ENVIRONMENT, var.clone(), reason.clone())
        }
        EdgercError::IncompleteEnvironment { missing, .. } => {
            ConfigError::new(ENVIRONMENT, missing.join(", "), message)
        }
        EdgercError::NoHomeDirectory => ConfigError::new(ENVIRONMENT, "HOME", message),
        _ => ConfigError::new("edgerc", "credentials", message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str, section: Option<&str>) -> ConfigError {
        let dir = std::env::temp_dir().join(format!("saas-rules-edgerc-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("edgerc");
        std::fs::write(&path, text).expect("write edgerc");
        let error = edgegrid::Credentials::from_edgerc_with_env(Some(&path), section, &|_| None)
            .expect_err("malformed");
        let _ = std::fs::remove_dir_all(&dir);
        config_error(error)
    }

    #[test]
    fn names_file_section_and_key() {
        let error = load("[default]\nhost = example.net\nclient_token = a\n", None);
        assert!(error.source.ends_with("edgerc"), "{error}");
        assert_eq!(error.key, "[default] client_secret, access_token");

        let error = load("[default]\nthis line is wrong\n", None);
        assert_eq!(error.key, "line 2");

        let error = load("[other]\nhost = h\n", Some("prod"));
        assert_eq!(error.key, "[prod]");
        assert!(error.message.contains("other"), "{error}");
    }
}
