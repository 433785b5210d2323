//! Shared helpers of the workspace integration tests.

pub mod fault;
pub mod spec_document;

/// The README's Rust examples, compiled as doctests so that they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// A row of a fixture table: the file, the generated type it decodes into (and where that
/// type sits), and the decoder that checks it.
pub type Decoded = (&'static str, &'static str, fn(&str) -> Result<(), String>);

/// Path of a fixture file under `tests/fixtures/<api>/`.
pub fn fixture_path(api: &str, file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(api)
        .join(file)
}

/// Every `*.json` fixture of one API, sorted by file name.
pub fn fixture_files(api: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(api);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

/// A unique temporary file holding some text (an `.edgerc`, say), removed with its directory
/// when dropped.
pub struct TempFile(PathBuf);

impl TempFile {
    /// Writes `text` to `<temp dir>/workspace-tests-<pid>-<nanos>/edgerc`.
    pub fn new(text: &str) -> Self {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        let dir =
            std::env::temp_dir().join(format!("workspace-tests-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("edgerc");
        std::fs::write(&path, text).expect("write the temporary file");
        TempFile(path)
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
