//! Codegen stamps: what lets `cargo xtask codegen` skip an API whose outputs are fresh.
//!
//! Generation is deterministic and depends only on the spec's text and on the binary (the API
//! table and the generator are compiled in). After an API is generated or verified, its stamp
//! records the binary's identity (length and modification time), the SHA-256 of the spec's text
//! and the SHA-256 of each output file as written or verified. When all three still match,
//! the outputs are what generation would produce, and `codegen` (or `--check`) skips the API.
//! A hand-edited output no longer matches its hash and is generated again (so `--check` still
//! reports it); a missing, unreadable or corrupt stamp means the API is generated, never an
//! error. The stamps live next to the binary, in `<exe dir>/codegen-stamps/<api>`.

use std::path::{Path, PathBuf};

use crate::apis::Api;

/// The stamps' directory, next to the binary.
pub const DIR: &str = "codegen-stamps";

/// The first line of every stamp: a stamp in another format is not a stamp.
const FORMAT: &str = "xtask codegen stamp 1";

/// The stamps of one generator binary.
#[derive(Debug, Clone)]
pub struct Stamps {
    /// Where the stamps are, one file per API.
    dir: PathBuf,
    /// The binary's identity: a stamp written by another build does not count.
    binary: String,
}

impl Stamps {
    /// The running binary's stamps (`<exe dir>/codegen-stamps`), or `None` when the binary
    /// cannot be identified (then every API is generated).
    pub fn for_current_exe() -> Option<Stamps> {
        let exe = std::env::current_exe().ok()?;
        let meta = std::fs::metadata(&exe).ok()?;
        let modified = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        Some(Stamps {
            dir: exe.parent()?.join(DIR),
            binary: format!("{} {}", meta.len(), modified.as_nanos()),
        })
    }

    /// Stamps in `dir` for a binary identified by `binary` (tests).
    #[cfg(test)]
    pub fn new(dir: PathBuf, binary: &str) -> Stamps {
        Stamps {
            dir,
            binary: binary.into(),
        }
    }

    fn path(&self, api: &Api) -> PathBuf {
        self.dir.join(api.name)
    }

    /// Whether `api`'s outputs under `root` are fresh for this spec text: its stamp names this
    /// binary and this spec, and every output file still has the stamped hash.
    pub fn is_fresh(&self, root: &Path, api: &Api, spec: &str) -> bool {
        let Ok(stamp) = std::fs::read_to_string(self.path(api)) else {
            return false;
        };
        let mut lines = stamp.lines();
        if lines.next() != Some(FORMAT)
            || lines.next() != Some(&format!("binary {}", self.binary))
            || lines.next() != Some(&format!("spec {}", sha256(spec)))
        {
            return false;
        }
        let mut outputs = 0;
        for line in lines {
            let Some((output, hash)) = line
                .strip_prefix("output ")
                .and_then(|rest| rest.rsplit_once(' '))
            else {
                return false;
            };
            match std::fs::read_to_string(root.join(output)) {
                Ok(text) if sha256(&normalized(&text)) == hash => outputs += 1,
                _ => return false,
            }
        }
        outputs > 0
    }

    /// Records that `api`'s outputs (path relative to the root, contents) were generated from
    /// `spec` by this binary. Failing to write a stamp only costs a generation next time.
    pub fn record(&self, api: &Api, spec: &str, outputs: &[(&str, &str)]) {
        let mut stamp = format!("{FORMAT}\nbinary {}\nspec {}\n", self.binary, sha256(spec));
        for (output, contents) in outputs {
            stamp.push_str(&format!("output {output} {}\n", sha256(contents)));
        }
        let _ = std::fs::create_dir_all(&self.dir);
        // Written whole then renamed: a concurrent reader sees the old stamp or the new one.
        let path = self.path(api);
        let partial = path.with_extension(format!("partial-{}", std::process::id()));
        if std::fs::write(&partial, stamp).is_err() || std::fs::rename(&partial, &path).is_err() {
            let _ = std::fs::remove_file(&partial);
        }
    }
}

/// A file's text as `ensure_file` compares it: line endings normalised to `\n`.
fn normalized(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        text.replace("\r\n", "\n").into()
    } else {
        text.into()
    }
}

fn sha256(text: &str) -> String {
    crate::sha256_hex(text.as_bytes())
}
