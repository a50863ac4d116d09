//! The conventions of the command line that users of grep, ripgrep and fd expect: usage errors
//! that start "peo:", `--version` naming the index schema it reads, shell completions, man
//! pages, an empty index that says so, and counts in proper grammar.

use std::process::Command;

use crate::common::{path_str, peo, run, scratch_with};

fn scratch(name: &str) -> std::path::PathBuf {
    scratch_with("conventions", name, |_| {})
}

#[test]
fn usage_errors_start_with_peo() {
    for args in [
        &["frobnicate"][..],
        &["search", "werkdruk", "--bogus"],
        &["recs", "--format", "xml"],
        &["search"],
        &["completions", "tcsh"],
    ] {
        let run = peo(args);
        assert_eq!(run.code, 2, "peo {args:?}");
        assert!(
            run.stderr.starts_with("peo: "),
            "peo {args:?}: {}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("error:"),
            "peo {args:?}: {}",
            run.stderr
        );
    }
}

/// The help of the flags that say how a file is processed (--timeout to --ocr) in `peo COMMAND
/// --help`.
fn processing_flags(command: &str) -> String {
    let run = peo(&[command, "--help"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ours = ["--timeout", "--max-memory", "--in-process", "--ocr"];
    let mut block = String::new();
    let mut inside = false;
    for line in run.stdout.lines() {
        let flag = line.trim_start();
        if line.len() - flag.len() <= 6 && flag.starts_with('-') {
            inside = ours
                .iter()
                .any(|f| flag == *f || flag.starts_with(&format!("{f} ")));
        }
        if inside {
            block.push_str(line);
            block.push('\n');
        }
    }
    block
}

#[test]
fn index_add_and_extract_take_the_same_processing_flags_with_the_same_defaults() {
    let index = processing_flags("index");
    for flag in [
        "--timeout <SECS>",
        "--max-memory <MIB>",
        "--in-process",
        "--ocr <OCR>",
    ] {
        assert!(index.contains(flag), "{flag}: {index}");
    }
    assert!(index.contains("[default: 120]"), "{index}");
    assert!(index.contains("[default: 4096]"), "{index}");
    assert_eq!(processing_flags("add"), index);
    assert_eq!(processing_flags("extract"), index);
}

#[test]
fn version_names_the_index_schema() {
    let version = format!(
        "{} (index schema {})\n",
        env!("CARGO_PKG_VERSION"),
        peo::index::SCHEMA_VERSION
    );
    // clap names a command's version after the command
    for (args, name) in [
        (&["--version"][..], "peo"),
        (&["search", "--version"], "peo-search"),
    ] {
        let run = peo(args);
        assert_eq!(run.code, 0, "peo {args:?}");
        assert_eq!(run.stdout, format!("{name} {version}"), "peo {args:?}");
    }
}

#[test]
fn bash_completion_loads() {
    let dir = scratch("bash");
    let run_ = peo(&["completions", "bash"]);
    assert_eq!(run_.code, 0, "{}", run_.stderr);
    let script = dir.join("peo.bash");
    std::fs::write(&script, &run_.stdout).unwrap();
    // Parses, and once sourced completes peo's commands and a command's flags.
    let check = run(Command::new("bash").arg("-n").arg(&script));
    assert_eq!(check.code, 0, "bash -n: {}", check.stderr);
    let words = run(Command::new("bash").arg("-c").arg(format!(
        "source {}; COMP_WORDS=(peo se); COMP_CWORD=1; COMP_LINE='peo se'; COMP_POINT=6; \
         _peo peo se peo; echo \"${{COMPREPLY[@]}}\"; \
         COMP_WORDS=(peo search --wa); COMP_CWORD=2; COMP_LINE='peo search --wa'; COMP_POINT=15; \
         _peo peo --wa search; echo \"${{COMPREPLY[@]}}\"",
        path_str(&script)
    )));
    assert_eq!(words.code, 0, "{}", words.stderr);
    let lines: Vec<&str> = words.stdout.lines().collect();
    assert!(lines[0].split(' ').any(|w| w == "search"), "{lines:?}");
    assert!(lines[1].split(' ').any(|w| w == "--wave"), "{lines:?}");
    // the hidden commands are not offered
    let all = run(Command::new("bash").arg("-c").arg(format!(
        "source {}; COMP_WORDS=(peo ''); COMP_CWORD=1; COMP_LINE='peo '; COMP_POINT=4; \
         _peo peo '' peo; echo \"${{COMPREPLY[@]}}\"",
        path_str(&script)
    )));
    let offered: Vec<&str> = all.stdout.split_whitespace().collect();
    assert!(offered.contains(&"completions"), "{offered:?}");
    assert!(
        !offered.contains(&"worker") && !offered.contains(&"man"),
        "{offered:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn zsh_and_fish_completions_name_every_command() {
    for (shell, start) in [("zsh", "#compdef peo"), ("fish", "")] {
        let run = peo(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.starts_with(start), "{shell}");
        for command in [
            "index", "add", "search", "recs", "quotes", "extract", "list", "show",
        ] {
            assert!(run.stdout.contains(command), "{shell}: {command}");
        }
        assert!(
            !run.stdout.contains("'worker:"),
            "{shell}: the hidden worker"
        );
        assert!(
            !run.stdout.contains("peo worker"),
            "{shell}: the hidden worker"
        );
    }
}

#[test]
fn man_pages_are_written() {
    let dir = scratch("man");
    let run = peo(&["man", path_str(&dir)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(dir.join("peo.1")).expect("peo.1 is written");
    assert!(page.contains(".TH peo 1"), "{page}");
    assert!(page.contains("index schema"), "the version is in the page");
    let search = std::fs::read_to_string(dir.join("peo-search.1")).expect("peo-search.1");
    assert!(search.contains("wave"), "{search}");
    assert!(
        !dir.join("peo-worker.1").exists(),
        "no page for the hidden worker"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn list_of_an_empty_index_says_so() {
    let dir = scratch("empty");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    let indexed = peo(&[
        "index",
        "--corpus",
        path_str(&corpus),
        "--index",
        path_str(&index),
    ]);
    assert_eq!(indexed.code, 0, "{}", indexed.stderr);
    assert!(
        indexed.stderr.contains("indexed 0 documents (") && indexed.stderr.contains("0 pages"),
        "{}",
        indexed.stderr
    );
    let list = peo(&["list", "--index", path_str(&index)]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert_eq!(list.stdout, "");
    assert!(
        list.stderr.starts_with("peo: ") && list.stderr.contains("holds no publications yet"),
        "{}",
        list.stderr
    );
    let json = peo(&["list", "--index", path_str(&index), "--format", "json"]);
    assert_eq!(json.stdout.trim(), "[]");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn one_document_is_counted_in_the_singular() {
    let dir = scratch("one");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::copy(
        format!("{}/corpus/peo-2022-factsheet.pdf", crate::common::ROOT),
        corpus.join("peo-2022-factsheet.pdf"),
    )
    .unwrap();
    let indexed = peo(&[
        "index",
        "--corpus",
        path_str(&corpus),
        "--index",
        path_str(&index),
    ]);
    assert_eq!(indexed.code, 0, "{}", indexed.stderr);
    let summary = indexed.stderr.lines().last().unwrap();
    assert!(
        summary.starts_with("indexed 1 document (1 added, ") && summary.contains(": 1 page, "),
        "{summary}"
    );
    let shown = peo(&["show", "peo-2022-factsheet", "--index", path_str(&index)]);
    assert!(shown.stdout.contains("\n1 page, "), "{}", shown.stdout);
    let list = peo(&["list", "--index", path_str(&index)]);
    assert!(list.stdout.contains("  1 p "), "{}", list.stdout);
    assert!(!list.stdout.contains(" 1 recs"), "{}", list.stdout);
    std::fs::remove_dir_all(&dir).unwrap();
}
