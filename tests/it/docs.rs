//! The command reference in docs/commands/ against the binary: each page holds its command's
//! help exactly as `peo CMD --help` prints it (between the two markers below), so the reference
//! cannot go stale. `make docs` runs this test with `PEO_WRITE_DOCS=1`, which writes the help
//! into the pages (and starts a page for a new command) instead of comparing.

use std::path::PathBuf;
use std::process::Command;

use crate::common::{run, ROOT};

const BEGIN: &str = "<!-- help: written by `make docs` from the binary; do not edit by hand -->";
const END: &str = "<!-- end of help -->";

/// Every command a user can call, as its words after `peo` (none for peo itself): the ones
/// `peo --help` lists, from the same clap definition.
fn commands() -> Vec<Vec<String>> {
    let cli = peo::cli::command();
    let mut commands = vec![vec![]];
    for sub in cli.get_subcommands() {
        if !sub.is_hide_set() {
            commands.push(vec![sub.get_name().to_string()]);
        }
    }
    commands
}

/// The page of a command: docs/commands/peo.md, docs/commands/peo-search.md, ...
fn page(words: &[String]) -> PathBuf {
    let name = std::iter::once("peo".to_string())
        .chain(words.iter().cloned())
        .collect::<Vec<_>>()
        .join("-");
    PathBuf::from(ROOT).join(format!("docs/commands/{name}.md"))
}

/// The block a page holds: the help as the binary prints it, with the command line that
/// printed it.
fn help_block(words: &[String]) -> String {
    let mut args: Vec<&str> = words.iter().map(String::as_str).collect();
    args.push("--help");
    // clap wraps help to the terminal, or to COLUMNS when it is set: the pages are written at
    // clap's width for a pipe (100 columns)
    let run = run(Command::new(env!("CARGO_BIN_EXE_peo"))
        .args(&args)
        .env_remove("COLUMNS")
        .current_dir(ROOT));
    assert_eq!(run.code, 0, "peo {args:?}: {}", run.stderr);
    let line = std::iter::once("$ peo")
        .chain(args.iter().copied())
        .collect::<Vec<_>>()
        .join(" ");
    format!("{BEGIN}\n```\n{line}\n{}```\n{END}", run.stdout)
}

/// Where the help block stands in a page, markers included.
fn block_range(text: &str) -> Option<std::ops::Range<usize>> {
    let start = text.find(BEGIN)?;
    let end = start + text[start..].find(END)? + END.len();
    Some(start..end)
}

#[test]
fn help_in_docs_matches_the_binary() {
    let write = std::env::var_os("PEO_WRITE_DOCS").is_some();
    let mut stale = Vec::new();
    for words in commands() {
        let path = page(&words);
        let block = help_block(&words);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let range = block_range(&text);
        if range.as_ref().is_some_and(|r| text[r.clone()] == block) {
            continue;
        }
        if !write {
            stale.push(path.display().to_string());
            continue;
        }
        let new = match range {
            Some(r) => format!("{}{block}{}", &text[..r.start], &text[r.end..]),
            None => format!("# peo {}\n\n{block}\n{text}", words.join(" ")),
        };
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, new).unwrap();
    }
    assert!(
        stale.is_empty(),
        "the help in these pages is not what the binary prints (`make docs` writes it): {stale:?}"
    );
}

#[test]
fn every_page_of_docs_commands_is_a_command() {
    let pages: Vec<PathBuf> = commands().iter().map(|w| page(w)).collect();
    for entry in std::fs::read_dir(PathBuf::from(ROOT).join("docs/commands")).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n == "README.md") {
            continue;
        }
        assert!(
            pages.contains(&path),
            "{} documents no command of peo",
            path.display()
        );
    }
}
