//! A librarian's mistakes, made on purpose: an index run from the wrong folder or against
//! another corpus, files deleted in bulk, two files of one name in two folders, a renamed file,
//! `peo add` with a bad file or over a file of the same name, a catalog with errors, a scan
//! indexed without OCR, a file that became corrupt. Each test checks the exit code, the message
//! and what the index holds afterwards.
//!
//! Invariant: the bundled corpus is only read; each test works in a directory of its own.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::common::{self, path_str, Run, ROOT};

fn scratch(name: &str) -> PathBuf {
    common::scratch_with("librarian", name, |_| {})
}

/// Runs peo in `dir` with `env` set (and no index directory from the environment otherwise).
fn peo_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_peo"));
    cmd.args(args).current_dir(dir).env_remove("PEO_INDEX");
    for (key, value) in env {
        cmd.env(key, value);
    }
    common::run_as_set(&mut cmd)
}

/// Runs peo in `dir`.
fn peo(dir: &Path, args: &[&str]) -> Run {
    peo_in(dir, args, &[])
}

/// A corpus directory `dir/corpus` with the named files of the bundled corpus (a name may be
/// `source=target` to copy it under another path).
fn corpus_with(dir: &Path, files: &[&str]) -> PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for file in files {
        let (source, target) = file.split_once('=').unwrap_or((file, file));
        let target = corpus.join(target);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(Path::new(ROOT).join("corpus").join(source), target).unwrap();
    }
    corpus
}

/// The summary line of an indexing run.
fn summary(run: &Run) -> &str {
    run.stderr
        .lines()
        .find(|l| l.starts_with("indexed "))
        .unwrap_or_default()
}

/// `peo list --format json` of the index in `dir/index`.
fn listed(dir: &Path) -> Vec<Value> {
    let run = peo(dir, &["list", "--index", "index", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Value = serde_json::from_str(&run.stdout).expect("list prints JSON");
    rows.as_array().expect("an array").clone()
}

/// The ids of the documents in the index in `dir/index`, sorted.
fn ids(dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = listed(dir)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

/// The hits of `peo search QUERY EXTRA... --format json` on the index in `dir/index` (none when
/// the search finds nothing).
fn hits(dir: &Path, query: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["search", query, "--index", "index", "--format", "json"];
    args.extend(extra);
    let run = peo(dir, &args);
    assert!(run.code <= 1, "peo {args:?}: {}", run.stderr);
    let found: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("peo {args:?} prints JSON ({e}): {}", run.stdout));
    found["hits"].as_array().expect("a list of hits").clone()
}

/// The document id of each hit.
fn doc_ids(hits: &[Value]) -> Vec<&str> {
    hits.iter()
        .map(|h| h["doc_id"].as_str().expect("a doc_id"))
        .collect()
}

fn index(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["index", "--corpus", "corpus", "--index", "index"];
    args.extend(extra);
    peo(dir, &args)
}

/// The day the tests run, as peo writes the day a document was indexed.
fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

#[test]
fn an_index_refuses_another_corpus_and_add_finds_its_own() {
    let dir = scratch("wrong-corpus");
    let corpus = corpus_with(
        &dir,
        &["peo-2022-factsheet.pdf", "peo-2022-2023-samenvatting.pdf"],
    );
    let run = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = ids(&dir);
    assert_eq!(before.len(), 2);
    let canonical = corpus.canonicalize().unwrap();

    // Another corpus (an empty folder), against the index and against a copy of it.
    std::fs::create_dir(dir.join("leeg")).unwrap();
    let leeg = dir.join("leeg").canonicalize().unwrap();
    let run = peo(&dir, &["index", "--corpus", "leeg", "--index", "index"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim(),
        format!(
            "peo: index: this index belongs to the corpus {c}, not to {l}; give --corpus {c}, or --corpus-moved if that corpus is now {l}",
            c = canonical.display(),
            l = leeg.display()
        )
    );
    assert_eq!(ids(&dir), before);
    let copy = dir.join("kopie");
    std::fs::create_dir(&copy).unwrap();
    for entry in std::fs::read_dir(dir.join("index")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, copy.join(path.file_name().unwrap())).unwrap();
    }
    let run = peo(&dir, &["index", "--corpus", "leeg", "--index", "kopie"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("belongs to the corpus"),
        "{}",
        run.stderr
    );

    // `peo add` from another folder, the index from the environment and no --corpus: the file
    // goes into the index's own corpus, and no ./corpus is made.
    let elders = dir.join("elders");
    std::fs::create_dir(&elders).unwrap();
    let new = Path::new(ROOT).join("corpus/peo-2022-webpagina.pdf");
    let index_dir = dir.join("index");
    let run = peo_in(
        &elders,
        &["add", path_str(&new)],
        &[("PEO_INDEX", path_str(&index_dir))],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        summary(&run).contains("(1 added, 0 updated, 0 removed, 2 unchanged, 0 failed)"),
        "{}",
        run.stderr
    );
    assert!(corpus.join("peo-2022-webpagina.pdf").exists());
    assert!(!elders.join("corpus").exists());
    assert_eq!(ids(&dir).len(), 3);
    // ...and `peo add --corpus` of another corpus is refused before anything is copied.
    let run = peo_in(
        &elders,
        &["add", path_str(&new), "--corpus", path_str(&leeg)],
        &[("PEO_INDEX", path_str(&index_dir))],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("belongs to the corpus"),
        "{}",
        run.stderr
    );
    assert!(!leeg.join("peo-2022-webpagina.pdf").exists());
    // ...also when it does not exist yet: it is not made.
    let run = peo_in(
        &elders,
        &["add", path_str(&new), "--corpus", "corpus"],
        &[("PEO_INDEX", path_str(&index_dir))],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("(which does not exist); give --corpus"),
        "{}",
        run.stderr
    );
    assert!(!elders.join("corpus").exists());

    // A corpus moved with its files carries its id: the index follows it.
    std::fs::rename(&corpus, dir.join("verhuisd")).unwrap();
    let run = peo(&dir, &["index", "--corpus", "verhuisd", "--index", "index"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(summary(&run).contains("3 unchanged"), "{}", run.stderr);
    // Another corpus is taken on with --corpus-moved only.
    let other = dir.join("ander");
    std::fs::create_dir(&other).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("corpus/peo-2022-factsheet.pdf"),
        other.join("peo-2022-factsheet.pdf"),
    )
    .unwrap();
    let run = peo(&dir, &["index", "--corpus", "ander", "--index", "index"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = peo(
        &dir,
        &[
            "index",
            "--corpus",
            "ander",
            "--index",
            "index",
            "--corpus-moved",
            "--allow-removal",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(summary(&run).contains("2 removed"), "{}", run.stderr);
    assert_eq!(ids(&dir), ["peo-2022-factsheet"]);
}

/// A corpus of three short publications, indexed, with two of them deleted afterwards.
fn indexed_then_two_deleted(name: &str) -> PathBuf {
    let dir = scratch(name);
    let corpus = corpus_with(
        &dir,
        &[
            "peo-2022-factsheet.pdf",
            "peo-2022-webpagina.pdf",
            "peo-2022-2023-samenvatting.pdf",
        ],
    );
    let run = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(ids(&dir).len(), 3);
    std::fs::remove_file(corpus.join("peo-2022-factsheet.pdf")).unwrap();
    std::fs::remove_file(corpus.join("peo-2022-webpagina.pdf")).unwrap();
    dir
}

#[test]
fn a_mass_removal_off_a_terminal_needs_allow_removal() {
    let dir = indexed_then_two_deleted("mass-removal");
    let run = index(&dir, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim(),
        "peo: 2 of the 3 indexed documents would be removed, because their files are not in corpus: peo-2022-factsheet.pdf, peo-2022-webpagina.pdf; nothing was changed (--allow-removal removes them)"
    );
    assert_eq!(ids(&dir).len(), 3);
    // For a script: the same as JSON, on standard error.
    let run = index(&dir, &["--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let error: Value = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(error["exit_code"], 1);
    assert_eq!(ids(&dir).len(), 3);

    let run = index(&dir, &["--allow-removal"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        summary(&run).contains("(0 added, 0 updated, 2 removed, 1 unchanged, 0 failed)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("removed peo-2022-factsheet.pdf\n"));
    assert_eq!(ids(&dir), ["peo-2022-2023-samenvatting"]);
}

/// Runs `peo index` on a pseudo-terminal (util-linux `script`), typing `answer`.
fn index_on_a_terminal(dir: &Path, answer: &str) -> Run {
    let command = format!(
        "{} index --corpus corpus --index index --jobs 1",
        env!("CARGO_BIN_EXE_peo")
    );
    let mut child = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir)
        .env_remove("PEO_INDEX")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answer.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        // The terminal's output, standard error included.
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn a_mass_removal_on_a_terminal_is_asked_about() {
    let dir = indexed_then_two_deleted("mass-removal-tty");
    let run = index_on_a_terminal(&dir, "n\n");
    assert_eq!(run.code, 1, "{run:?}");
    let question = "peo: 2 of the 3 indexed documents would be removed, because their files are not in corpus:\r\n  peo-2022-factsheet.pdf\r\n  peo-2022-webpagina.pdf\r\nremove them from the index? [y/N] ";
    assert!(run.stdout.contains(question), "{run:?}");
    assert!(run.stdout.contains("peo: nothing was changed"), "{run:?}");
    assert_eq!(ids(&dir).len(), 3);

    let run = index_on_a_terminal(&dir, "y\n");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains(question), "{run:?}");
    assert!(
        run.stdout
            .contains("(0 added, 0 updated, 2 removed, 1 unchanged, 0 failed)"),
        "{run:?}"
    );
    assert_eq!(ids(&dir), ["peo-2022-2023-samenvatting"]);
}

#[test]
fn files_of_one_name_in_two_folders_are_two_documents() {
    let dir = scratch("subfolders");
    corpus_with(
        &dir,
        &[
            "peo-2022-2023-samenvatting.pdf=2022/samenvatting.pdf",
            "peo-2023-2024-samenvatting.pdf=2023/samenvatting.pdf",
            "peo-2022-factsheet.pdf",
        ],
    );
    let run = index(&dir, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let done: Value = serde_json::from_str(&run.stdout).expect("the summary as JSON");
    assert_eq!(
        done["added"],
        serde_json::json!([
            "2022/samenvatting.pdf",
            "2023/samenvatting.pdf",
            "peo-2022-factsheet.pdf"
        ])
    );
    assert_eq!(done["documents"], 3);
    assert_eq!(
        ids(&dir),
        [
            "2022/samenvatting",
            "2023/samenvatting",
            "peo-2022-factsheet"
        ]
    );
    let rows = listed(&dir);
    let file_of = |id: &str| {
        rows.iter()
            .find(|r| r["id"] == id)
            .map(|r| r["file"].as_str().unwrap().to_string())
    };
    assert_eq!(
        file_of("2023/samenvatting").as_deref(),
        Some("2023/samenvatting.pdf")
    );

    // Nothing changed: nothing is done, and --quiet says nothing.
    let run = index(&dir, &["--quiet"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{}", run.stderr);
    let run = index(&dir, &[]);
    assert!(
        summary(&run).contains("(0 added, 0 updated, 0 removed, 3 unchanged, 0 failed)"),
        "{}",
        run.stderr
    );
    // Each is found and shown by its id.
    let run = peo(&dir, &["show", "2023/samenvatting", "--index", "index"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("2023/samenvatting"), "{}", run.stdout);
    let found = hits(&dir, "geluksdruk", &[]);
    assert!(doc_ids(&found).contains(&"2022/samenvatting"), "{found:?}");
}

#[test]
fn a_renamed_file_keeps_its_id_and_catalog_entry() {
    let dir = scratch("rename");
    let corpus = corpus_with(
        &dir,
        &["peo-2022-factsheet.pdf", "peo-2022-2023-samenvatting.pdf"],
    );
    std::fs::write(
        corpus.join("catalog.toml"),
        "# de catalogus\n[[document]]\nfile = \"peo-2022-2023-samenvatting.pdf\"\ntitle = \"De toverstaf\"\nwave = \"2022-2023\"\ndoc_type = \"samenvatting\"\n",
    )
    .unwrap();
    let run = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    std::fs::create_dir(corpus.join("2022")).unwrap();
    std::fs::rename(
        corpus.join("peo-2022-2023-samenvatting.pdf"),
        corpus.join("2022/samenvatting.pdf"),
    )
    .unwrap();
    let run = index(&dir, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let done: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        done["renamed"],
        serde_json::json!([{"from": "peo-2022-2023-samenvatting.pdf", "to": "2022/samenvatting.pdf"}])
    );
    assert_eq!(done["removed"], serde_json::json!([]));
    assert_eq!(done["added"], serde_json::json!([]));
    // The document keeps its id, and its catalog entry follows the file.
    assert_eq!(
        ids(&dir),
        ["peo-2022-2023-samenvatting", "peo-2022-factsheet"]
    );
    let rows = listed(&dir);
    let doc = rows
        .iter()
        .find(|r| r["id"] == "peo-2022-2023-samenvatting")
        .unwrap();
    assert_eq!(doc["file"], "2022/samenvatting.pdf");
    assert_eq!(doc["title"], "De toverstaf");
    let catalog = std::fs::read_to_string(corpus.join("catalog.toml")).unwrap();
    assert_eq!(
        catalog,
        "# de catalogus\n[[document]]\nfile = \"2022/samenvatting.pdf\"\ntitle = \"De toverstaf\"\nwave = \"2022-2023\"\ndoc_type = \"samenvatting\"\n"
    );
    // The next run finds nothing to do.
    let run = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        summary(&run).contains("(0 added, 0 updated, 0 removed, 2 unchanged, 0 failed)"),
        "{}",
        run.stderr
    );
    // In text, the summary says it too.
    std::fs::rename(
        corpus.join("peo-2022-factsheet.pdf"),
        corpus.join("factsheet.pdf"),
    )
    .unwrap();
    let run = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("renamed peo-2022-factsheet.pdf to factsheet.pdf\n"),
        "{}",
        run.stderr
    );
    assert!(
        summary(&run).contains("(0 added, 0 updated, 0 removed, 1 renamed, 1 unchanged, 0 failed)"),
        "{}",
        run.stderr
    );
    assert_eq!(
        ids(&dir),
        ["peo-2022-2023-samenvatting", "peo-2022-factsheet"]
    );
}

#[test]
fn add_is_all_or_nothing() {
    let dir = scratch("add-bad-file");
    let corpus = corpus_with(&dir, &["peo-2022-factsheet.pdf"]);
    let run = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let inbox = dir.join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("corpus/peo-2022-webpagina.pdf"),
        inbox.join("goed.pdf"),
    )
    .unwrap();
    std::fs::write(inbox.join("notities.txt"), "aantekeningen").unwrap();
    std::fs::write(inbox.join("nep.pdf"), "dit is geen pdf").unwrap();
    let add = |files: &[&str]| {
        let mut args = vec!["add", "--corpus", "corpus", "--index", "index"];
        args.extend(files);
        peo(&dir, &args)
    };
    let run = add(&["inbox/goed.pdf", "inbox/notities.txt", "inbox/nep.pdf"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim(),
        "peo: inbox/notities.txt: not a PDF (its name does not end in .pdf)\n\
         peo: inbox/nep.pdf: not a pdf (no %PDF header)\n\
         peo: nothing was added: 2 of the 3 files cannot be added"
    );
    let mut in_corpus: Vec<String> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    in_corpus.sort();
    assert_eq!(in_corpus, ["peo-2022-factsheet.pdf"]);
    assert_eq!(ids(&dir), ["peo-2022-factsheet"]);

    // The good file alone is added and indexed; later runs are not troubled by the bad ones.
    let run = add(&["inbox/goed.pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("added goed.pdf\n"), "{}", run.stderr);
    assert_eq!(ids(&dir), ["goed", "peo-2022-factsheet"]);
    let run = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn add_over_a_file_of_the_same_name_needs_replace() {
    let dir = scratch("add-replace");
    let corpus = corpus_with(&dir, &["peo-2022-factsheet.pdf"]);
    std::fs::write(
        corpus.join("catalog.toml"),
        "[[document]]\nfile = \"peo-2022-factsheet.pdf\"\ntitle = \"Quickscan 2022\"\nwave = \"2022\"\ndoc_type = \"factsheet\"\n",
    )
    .unwrap();
    let run = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Another publication under the same name.
    let inbox = dir.join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let other = Path::new(ROOT).join("corpus/peo-2022-webpagina.pdf");
    std::fs::copy(&other, inbox.join("peo-2022-factsheet.pdf")).unwrap();
    let original = std::fs::read(corpus.join("peo-2022-factsheet.pdf")).unwrap();

    let args = [
        "add",
        "inbox/peo-2022-factsheet.pdf",
        "--corpus",
        "corpus",
        "--index",
        "index",
    ];
    let run = peo(&dir, &args);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim(),
        "peo: inbox/peo-2022-factsheet.pdf: corpus holds a different file of this name; --replace replaces it (and flags its catalog entry for review)\n\
         peo: nothing was added: 1 of the 1 files cannot be added"
    );
    assert_eq!(
        std::fs::read(corpus.join("peo-2022-factsheet.pdf")).unwrap(),
        original
    );
    let title_before = listed(&dir)[0]["title"].clone();

    let mut replace = args.to_vec();
    replace.push("--replace");
    let run = peo(&dir, &replace);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "peo: corpus/catalog.toml: the entry of peo-2022-factsheet.pdf is flagged for review"
        ),
        "{}",
        run.stderr
    );
    assert!(
        summary(&run).contains("(0 added, 1 updated,"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(corpus.join("peo-2022-factsheet.pdf")).unwrap(),
        std::fs::read(&other).unwrap()
    );
    let catalog = std::fs::read_to_string(corpus.join("catalog.toml")).unwrap();
    assert!(
        catalog.contains("file = \"peo-2022-factsheet.pdf\"\nreview = \"peo-2022-factsheet.pdf was replaced by a different file (peo add --replace): check its title, wave and type, then remove this line\"\n"),
        "{catalog}"
    );
    // The index holds the new file (its text), still under the old entry until reviewed.
    let rows = listed(&dir);
    assert_eq!(rows[0]["title"], title_before);
    assert_eq!(rows[0]["pages"], 2);
    // Every run reports the flag; --strict refuses to index until it is cleared.
    let run = index(&dir, &[]);
    assert!(
        run.stderr.contains(
            "peo: corpus/catalog.toml: entry \"peo-2022-factsheet.pdf\": flagged for review: "
        ),
        "{}",
        run.stderr
    );
    let run = index(&dir, &["--strict"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn catalog_errors_are_reported_and_strict_makes_them_errors() {
    let dir = scratch("catalog");
    let corpus = corpus_with(
        &dir,
        &["peo-2022-factsheet.pdf", "peo-2022-2023-samenvatting.pdf"],
    );
    let run = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::write(
        corpus.join("catalog.toml"),
        "[[document]]\nfile = \"peo-2022-2023-samenvatting.pdf\"\ntitle = \"De toverstaf\"\nwave = \"2024/2025\"\ndoc_type = \"brochure\"\nauteur = \"KJH\"\n\n\
         [[document]]\nfile = \"peo-2022-factsheet.pdf\"\nwave = \"2022-2024\"\n\n\
         [[document]]\nfile = \"peo-2022-facstheet.pdf\"\ntitle = \"Verkeerd gespeld\"\n",
    )
    .unwrap();
    let problems = [
        "corpus/catalog.toml: entry \"peo-2022-2023-samenvatting.pdf\": unknown key \"auteur\" (known: file, wave, doc_type, gold, title, variant, producer, publisher, source, licence, review, same_as)",
        "corpus/catalog.toml: entry \"peo-2022-2023-samenvatting.pdf\": not a document type: \"brochure\" (rapport, samenvatting, factsheet, webpagina), left out",
        "corpus/catalog.toml: entry \"peo-2022-2023-samenvatting.pdf\": wave \"2024/2025\" read as \"2024-2025\" (write it so)",
        "corpus/catalog.toml: entry \"peo-2022-factsheet.pdf\": wave \"2022-2024\" is not a wave (2022 or 2022-2023), left out",
        "corpus/catalog.toml: entry \"peo-2022-facstheet.pdf\": no such file in the corpus",
    ];
    // --strict: every problem is an error, and the index stays as it was.
    let run = index(&dir, &["--strict"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("peo: corpus/catalog.toml: 5 problems, and --strict makes them errors (nothing was indexed):"),
        "{}",
        run.stderr
    );
    for problem in &problems {
        let (_, what) = problem.split_once(": ").unwrap();
        assert!(
            run.stderr.contains(&format!("\n  {what}")),
            "{problem}\n{}",
            run.stderr
        );
    }
    let rows = listed(&dir);
    let wave_of =
        |rows: &[Value], id: &str| rows.iter().find(|r| r["id"] == id).unwrap()["wave"].clone();
    assert_eq!(wave_of(&rows, "peo-2022-2023-samenvatting"), "2022-2023");

    // Without: each is a warning, and what can be read of the catalog is applied.
    let run = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for problem in &problems {
        assert!(
            run.stderr.lines().any(|l| l == format!("peo: {problem}")),
            "{problem}\n{}",
            run.stderr
        );
    }
    let rows = listed(&dir);
    let toverstaf = rows
        .iter()
        .find(|r| r["id"] == "peo-2022-2023-samenvatting")
        .unwrap();
    assert_eq!(toverstaf["wave"], "2024-2025");
    assert_eq!(toverstaf["title"], "De toverstaf");
    assert_eq!(toverstaf["doc_type"], "samenvatting");
    // The normalised wave is the one a search filters by.
    let found = hits(&dir, "geluksdruk", &["--wave", "2024-2025"]);
    assert!(
        doc_ids(&found).contains(&"peo-2022-2023-samenvatting"),
        "{found:?}"
    );
}

#[test]
fn a_scan_indexed_without_ocr_is_read_by_the_next_run_that_can() {
    let dir = scratch("ocr-pending");
    corpus_with(&dir, &["peo-2022-factsheet-scan.pdf"]);
    let run = index(&dir, &["--ocr", "never"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warning = "page 1 has no text: an image without a text layer (OCR is off)";
    assert!(run.stderr.contains(warning), "{}", run.stderr);

    // The warning is kept with the document: counted by list, listed by show, in both JSONs.
    let run = peo(&dir, &["list", "--index", "index"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let row = run.stdout.lines().nth(1).unwrap();
    assert!(row.starts_with("  peo-2022-factsheet-scan "), "{row}");
    assert!(row.contains("  1 warning "), "{row}");
    assert!(row.ends_with("[OCR pending: page 1]"), "{row}");
    let rows = listed(&dir);
    assert_eq!(rows[0]["warnings"], serde_json::json!([warning]));
    assert_eq!(rows[0]["ocr_pending"], serde_json::json!([1]));
    let run = peo(
        &dir,
        &["show", "peo-2022-factsheet-scan", "--index", "index"],
    );
    assert!(
        run.stdout
            .contains("\nOCR pending: page 1 (read again by the next `peo index` that can OCR)\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with(&format!("\nwarnings:\n  {warning}\n")),
        "{}",
        run.stdout
    );
    let run = peo(
        &dir,
        &[
            "show",
            "peo-2022-factsheet-scan",
            "--index",
            "index",
            "--format",
            "json",
        ],
    );
    let shown: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(shown["warnings"], serde_json::json!([warning]));
    assert_eq!(shown["ocr_pending"], serde_json::json!([1]));

    // Tesseract missing: the run cannot OCR, and leaves the document as it is.
    let no_tesseract = dir.join("bin");
    std::fs::create_dir(&no_tesseract).unwrap();
    let run = peo_in(
        &dir,
        &["index", "--corpus", "corpus", "--index", "index"],
        &[("PATH", path_str(&no_tesseract))],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(summary(&run).contains("1 unchanged"), "{}", run.stderr);
    assert_eq!(listed(&dir)[0]["ocr_pending"], serde_json::json!([1]));

    // With tesseract (`make test` installs it), the next run reads it, without --force.
    let run = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        summary(&run).contains("(0 added, 1 updated, 0 removed, 0 unchanged, 0 failed)"),
        "{}",
        run.stderr
    );
    let rows = listed(&dir);
    assert!(rows[0]
        .get("ocr_pending")
        .unwrap()
        .as_array()
        .unwrap()
        .is_empty());
    assert!(
        rows[0]["warnings"][0]
            .as_str()
            .unwrap()
            .starts_with("page 1: text recognised by OCR (tesseract, nld)"),
        "{}",
        rows[0]
    );
    assert!(!hits(&dir, "werkdruk", &[]).is_empty());
}

#[test]
fn a_file_that_became_corrupt_stays_as_its_last_good_version_marked_stale() {
    let dir = scratch("stale");
    let corpus = corpus_with(
        &dir,
        &["peo-2022-factsheet.pdf", "peo-2023-2024-samenvatting.pdf"],
    );
    let run = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = corpus.join("peo-2023-2024-samenvatting.pdf");
    let whole = std::fs::read(&file).unwrap();
    std::fs::write(&file, &whole[..1500]).unwrap();

    let run = index(&dir, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("peo-2023-2024-samenvatting.pdf: cannot parse pdf"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "stale peo-2023-2024-samenvatting.pdf: it can no longer be read, its last good version stays\n"
        ),
        "{}",
        run.stderr
    );
    assert!(summary(&run).contains("1 failed)"), "{}", run.stderr);
    let note = format!("stale: last good version indexed on {}", today());

    // list, show and search hits say so, in text and JSON.
    let run = peo(&dir, &["list", "--index", "index"]);
    let row = run
        .stdout
        .lines()
        .find(|l| l.starts_with("  peo-2023-2024-samenvatting "))
        .unwrap();
    assert!(row.ends_with(&format!("[{note}]")), "{row}");
    let current = run
        .stdout
        .lines()
        .find(|l| l.starts_with("  peo-2022-factsheet "))
        .unwrap();
    assert!(!current.contains("stale"), "{current}");
    let rows = listed(&dir);
    let stale = rows
        .iter()
        .find(|r| r["id"] == "peo-2023-2024-samenvatting")
        .unwrap();
    assert_eq!(stale["stale"]["last_good_version"], today());
    assert!(stale["stale"]["error"]
        .as_str()
        .unwrap()
        .starts_with("cannot parse pdf"));
    assert!(rows
        .iter()
        .find(|r| r["id"] == "peo-2022-factsheet")
        .unwrap()["stale"]
        .is_null());
    let run = peo(
        &dir,
        &["show", "peo-2023-2024-samenvatting", "--index", "index"],
    );
    assert!(
        run.stdout.contains(&format!(
            "\n{note} (the file peo-2023-2024-samenvatting.pdf: cannot parse pdf"
        )),
        "{}",
        run.stdout
    );
    let run = peo(&dir, &["search", "uitstroom", "--index", "index"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The hit's kind line carries the note; its document is named under it.
    let lines: Vec<&str> = run.stdout.lines().collect();
    let kind = lines
        .iter()
        .position(|l| l.contains(&format!(" · {note})")));
    assert!(
        kind.is_some_and(|k| lines
            .get(k + 1)
            .is_some_and(|l| l.trim() == "peo-2023-2024-samenvatting")),
        "{}",
        run.stdout
    );
    assert_eq!(hits(&dir, "uitstroom", &[])[0]["stale"], today());

    // Repaired, the file is read again and is current.
    std::fs::write(&file, &whole).unwrap();
    let run = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        summary(&run).contains("(0 added, 1 updated, 0 removed, 1 unchanged, 0 failed)"),
        "{}",
        run.stderr
    );
    assert!(listed(&dir).iter().all(|r| r["stale"].is_null()));
}

#[test]
fn a_scan_declared_same_as_its_original_is_one_publication_with_it() {
    let dir = scratch("same-as");
    let corpus = corpus_with(
        &dir,
        &["peo-2022-factsheet.pdf", "peo-2022-factsheet-scan.pdf"],
    );
    // The librarian catalogues the original under a title of the library's own, not the one
    // it prints; the scan's entry gives none, so peo reads the printed one from the scan.
    let original = "[[document]]\nfile = \"peo-2022-factsheet.pdf\"\ntitle = \"Factsheet PEO quickscan 2022\"\nwave = \"2022\"\ndoc_type = \"factsheet\"\n\n";
    let scan = "[[document]]\nfile = \"peo-2022-factsheet-scan.pdf\"\nvariant = \"scan-image\"\n";
    let publications = |dir: &Path| {
        let run = peo(
            dir,
            &["search", "werkdruk", "--index", "index", "--format", "json"],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let found: Value = serde_json::from_str(&run.stdout).unwrap();
        found
    };
    std::fs::write(corpus.join("catalog.toml"), format!("{original}{scan}")).unwrap();
    let run = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(publications(&dir)["total_documents"], 2);

    // Declared a copy, by the original's document id, the scan is the same publication.
    std::fs::write(
        corpus.join("catalog.toml"),
        format!("{original}{scan}same_as = \"peo-2022-factsheet\"\n"),
    )
    .unwrap();
    let run = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let found = publications(&dir);
    assert_eq!(found["total_documents"], 1, "{found}");
    let best = &found["hits"][0];
    assert_eq!(best["doc_id"], "peo-2022-factsheet", "{best}");
    assert_eq!(best["also_in"][0], "peo-2022-factsheet-scan", "{best}");
    let rows = listed(&dir);
    let scan_row = rows
        .iter()
        .find(|r| r["id"] == "peo-2022-factsheet-scan")
        .unwrap();
    assert_eq!(scan_row["title"], "Factsheet PEO quickscan 2022");

    // A same_as that names no entry is a problem naming the catalog and the entry, an error
    // with --strict.
    std::fs::write(
        corpus.join("catalog.toml"),
        format!("{original}{scan}same_as = \"peo-2022-factsheet.pfd\"\n"),
    )
    .unwrap();
    let run = index(&dir, &["--strict"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "entry \"peo-2022-factsheet-scan.pdf\": same_as \"peo-2022-factsheet.pfd\" names no entry of the catalog (a file or document id), left out"
        ),
        "{}",
        run.stderr
    );
    let run = index(&dir, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l
            == "peo: corpus/catalog.toml: entry \"peo-2022-factsheet-scan.pdf\": same_as \"peo-2022-factsheet.pfd\" names no entry of the catalog (a file or document id), left out"),
        "{}",
        run.stderr
    );
}
