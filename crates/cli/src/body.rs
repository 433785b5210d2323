//! `--body FILE|-`: the whole request body as JSON, from a file or standard input.
//!
//! The generated commands read the body from a path (their `json-body` argument); the shell
//! renames the flag to `--body` and maps `-` to standard input.

use std::path::PathBuf;

/// The help text of `--body`.
pub const HELP: &str = "The whole request body as JSON, from FILE or `-` (standard input); \
                        it replaces the body built from the field flags";

/// Parses the value of `--body`: a path, or `-` for standard input.
pub fn parse(value: &str) -> Result<PathBuf, String> {
    if value == "-" {
        stdin_path()
    } else if value.is_empty() {
        Err("expected a file name or `-` for standard input".into())
    } else {
        Ok(PathBuf::from(value))
    }
}

#[cfg(unix)]
fn stdin_path() -> Result<PathBuf, String> {
    Ok(PathBuf::from("/dev/stdin"))
}

#[cfg(not(unix))]
fn stdin_path() -> Result<PathBuf, String> {
    Err("reading the body from standard input (`-`) needs a Unix system; pass a file".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dash_is_standard_input_and_anything_else_a_path() {
        assert_eq!(parse("body.json").unwrap(), PathBuf::from("body.json"));
        assert!(parse("").is_err());
        #[cfg(unix)]
        assert_eq!(parse("-").unwrap(), PathBuf::from("/dev/stdin"));
    }
}
