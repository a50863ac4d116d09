//! What the integration tests share: running the `peo` binary the tests were built with, and
//! scratch directories under the system's temp directory, named by test binary and process id so
//! that concurrent runs never meet.

// Each test binary uses its own share of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The crate root: `corpus/`, `tests/fixtures/` and `tests/gold/` are found from here.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// How a run of peo ended and what it printed.
#[derive(Debug)]
pub struct Run {
    /// The exit code; -1 when a signal ended the process.
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cmd` (a peo command) with no index directory from the environment.
pub fn run(cmd: &mut Command) -> Run {
    run_as_set(cmd.env_remove("PEO_INDEX"))
}

/// Runs `cmd` (a peo command) with the environment it was given.
pub fn run_as_set(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("the peo binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs peo in the crate root, with no index directory from the environment.
pub fn peo(args: &[&str]) -> Run {
    run(Command::new(env!("CARGO_BIN_EXE_peo"))
        .args(args)
        .current_dir(ROOT))
}

/// A fresh, empty directory `peo-<binary>-<pid>-<name>` for this test run; `clear` is called
/// on a stale one before it is removed (to make it writable again, say).
pub fn scratch_with(binary: &str, name: &str, clear: impl Fn(&Path)) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("peo-{binary}-{}-{name}", std::process::id()));
    if dir.exists() {
        clear(&dir);
        std::fs::remove_dir_all(&dir).expect("a stale scratch directory can be removed");
    }
    std::fs::create_dir_all(&dir).expect("the scratch directory can be made");
    dir
}

/// The characters `start..end` of `text` (counted in Unicode scalar values, as peo's JSON
/// highlights are); None when the range does not fit.
pub fn chars(text: &str, start: u64, end: u64) -> Option<String> {
    let n = text.chars().count() as u64;
    (start <= end && end <= n).then(|| {
        text.chars()
            .skip(start as usize)
            .take((end - start) as usize)
            .collect()
    })
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

/// A corpus of two catalogued files with gold, the factsheet born digital and as a scan that
/// OCR reads: what `peo quality` is tested on, in seconds instead of the minutes of the whole
/// corpus (which `make quality` measures once).
pub fn quality_corpus(binary: &str, name: &str) -> PathBuf {
    let dir = scratch_with(binary, name, |_| {});
    let corpus = Path::new(ROOT).join("corpus");
    let catalog =
        std::fs::read_to_string(corpus.join("catalog.toml")).expect("the corpus has a catalog");
    let files = ["peo-2022-factsheet.pdf", "peo-2022-factsheet-scan.pdf"];
    let mut kept = String::new();
    for entry in catalog.split("[[document]]").skip(1) {
        if files
            .iter()
            .any(|f| entry.contains(&format!("file = \"{f}\"")))
        {
            kept.push_str("[[document]]");
            kept.push_str(entry);
        }
    }
    std::fs::write(dir.join("catalog.toml"), kept).expect("the catalog can be written");
    for file in files {
        std::fs::copy(corpus.join(file), dir.join(file)).expect("the PDF can be copied");
    }
    dir
}
