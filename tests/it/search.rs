//! `peo search` as a researcher uses it, end to end on the bundled corpus: the query language
//! (field filters in the query, boolean operators, prefixes), word families and compounds,
//! ranking and duplicates, and the JSON every command prints, errors included.
//!
//! Invariant: the corpus is only read. The index is built once per test run, in a fresh
//! directory under the system's temp directory named with the process id, and shared by every
//! test.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use crate::common;
use crate::common::{peo, ROOT};

fn index_dir() -> &'static str {
    static INDEX: OnceLock<PathBuf> = OnceLock::new();
    let dir = INDEX.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("peo-search-{}-index", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("a stale index can be removed");
        }
        let run = peo(&[
            "index",
            "--corpus",
            "corpus",
            "--index",
            dir.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        dir
    });
    dir.to_str().expect("temp paths are UTF-8")
}

/// The JSON of `peo search QUERY --format json --limit 1000` with the extra arguments.
fn search_json(query: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "search",
        query,
        "--index",
        index_dir(),
        "--format",
        "json",
        "--limit",
        "1000",
    ];
    args.extend_from_slice(extra);
    let run = peo(&args);
    assert_eq!(run.code, 0, "peo {args:?}: {}", run.stderr);
    serde_json::from_str(&run.stdout).expect("search prints JSON")
}

/// The hits of `peo search QUERY --format json` (at most 1000) with the extra arguments.
fn search(query: &str, extra: &[&str]) -> Vec<Value> {
    search_json(query, extra)["hits"]
        .as_array()
        .expect("hits is an array")
        .clone()
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is a string in {v}"))
}

/// The words of a text, lowercase.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The marked words of a hit's snippet, lowercase.
fn marked(hit: &Value) -> Vec<String> {
    let snippet = str_of(hit, "snippet");
    hit["highlights"]
        .as_array()
        .expect("highlights")
        .iter()
        .map(|r| {
            snippet[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize].to_lowercase()
        })
        .collect()
}

/// A hit as a set member: where it is and what it says.
fn key(hit: &Value) -> (String, u64, String, String) {
    (
        str_of(hit, "doc_id").to_string(),
        hit["page"].as_u64().unwrap(),
        str_of(hit, "kind").to_string(),
        str_of(hit, "text").to_string(),
    )
}

fn keys(hits: &[Value]) -> Vec<(String, u64, String, String)> {
    let mut k: Vec<_> = hits.iter().map(key).collect();
    k.sort();
    k
}

#[test]
fn reflecteren_reflectie_and_gereflecteerd_meet() {
    // (query, a word that some hit has without any form of the query's own stem)
    let cases = [
        ("reflectie", "reflecteren"),
        ("reflecteren", "reflectie"),
        ("gereflecteerd", "reflectie"),
    ];
    for (query, other) in cases {
        let hits = search(query, &[]);
        assert!(
            hits.iter().any(|h| {
                let w = words(str_of(h, "text"));
                w.iter().any(|x| x == other) && !w.iter().any(|x| x == query)
            }),
            "{query:?} finds no passage that says only {other:?}"
        );
        // No false conflation: every hit has a word of the family.
        for h in &hits {
            assert!(
                words(str_of(h, "text"))
                    .iter()
                    .any(|w| w.contains("reflect")),
                "{query:?}: {h}"
            );
        }
    }
}

#[test]
fn a_word_without_a_family_in_the_texts_finds_only_its_own_forms() {
    // "relatie" has a Latinate ending but too short a root ("rel"); "situatie" has a root whose
    // other forms (situeren) the texts do not use: neither widens to other words.
    for (query, stem) in [("relatie", "relatie"), ("situatie", "situatie")] {
        let hits = search(query, &[]);
        assert!(!hits.is_empty(), "{query}");
        for h in &hits {
            assert!(
                words(str_of(h, "text")).iter().any(|w| w.contains(stem)),
                "{query:?}: {h}"
            );
        }
    }
}

#[test]
fn a_word_finds_the_compounds_made_with_it_and_marks_them() {
    let hits = search("professionals", &[]);
    let only_compound: Vec<&Value> = hits
        .iter()
        .filter(|h| {
            let w = words(str_of(h, "text"));
            w.iter().any(|x| x == "jeugdhulpprofessionals")
                && !w
                    .iter()
                    .any(|x| x == "professionals" || x == "professional")
        })
        .collect();
    assert!(
        !only_compound.is_empty(),
        "no hit says only jeugdhulpprofessionals"
    );
    for h in &only_compound {
        assert!(
            marked(h).iter().any(|m| m == "jeugdhulpprofessionals"),
            "the compound is not marked: {h}"
        );
    }
    // A compound in the query asks for the compound: it is not split.
    for h in search("jeugdhulpprofessionals", &["--no-fuzzy"]) {
        assert!(
            str_of(&h, "text")
                .to_lowercase()
                .contains("jeugdhulpprofessional"),
            "{h}"
        );
    }
}

#[test]
fn words_that_only_look_like_compounds_are_not_split() {
    // verschillen is no vers|chillen, kinderen no kind|eren, belangrijk no belang|rijk.
    for (query, not_in) in [
        ("chillen", "verschillen"),
        ("eren", "kinderen"),
        ("rijk", "belangrijk"),
    ] {
        for h in search(query, &["--no-fuzzy"]) {
            let w = words(str_of(&h, "text"));
            assert!(
                !w.iter().any(|x| x == not_in) || w.iter().any(|x| x == query),
                "{query:?} found {not_in:?}: {h}"
            );
        }
    }
}

#[test]
fn a_ge_that_belongs_to_the_word_is_not_stemmed_away() {
    // Snowball's Dutch stemmer makes begeleiding "beleid" and gemeente "meen"; peo keeps the
    // "ge": beleid (policy) does not find begeleiden (guidance), nor begeleiding beleid.
    for (query, not) in [("beleid", "begeleid"), ("begeleiding", "beleid")] {
        let hits = search(query, &["--no-fuzzy"]);
        assert!(!hits.is_empty(), "{query}");
        for h in &hits {
            for m in marked(h) {
                assert!(
                    !m.contains(not) || m.contains(query.trim_end_matches("ing")),
                    "{query:?} marked {m:?}: {h}"
                );
            }
        }
    }
    // A participle still meets its verb: geleerd and leren share a stem.
    let hits = search("geleerd", &["--no-fuzzy"]);
    assert!(hits
        .iter()
        .any(|h| words(str_of(h, "text")).iter().any(|w| w == "leren")));
}

#[test]
fn a_prefix_finds_every_word_it_begins() {
    let hits = search("werkdr*", &[]);
    assert!(!hits.is_empty());
    for h in &hits {
        assert!(
            words(str_of(h, "text"))
                .iter()
                .any(|w| w.starts_with("werkdr")),
            "{h}"
        );
        let m = marked(h);
        assert!(
            !m.is_empty() && m.iter().all(|w| w.starts_with("werkdr")),
            "{h}"
        );
    }
    assert_eq!(
        keys(&search("werkdr*", &[])),
        keys(&search("\"werkdr\"*", &[]))
    );
    // On a field: the section's words, unstemmed.
    let hits = search("section:aanbevel*", &[]);
    assert!(!hits.is_empty());
    for h in &hits {
        assert!(
            words(h["section"].as_str().unwrap_or(""))
                .iter()
                .any(|w| w.starts_with("aanbevel")),
            "{h}"
        );
    }
}

#[test]
fn field_filters_in_the_query_work_like_the_flags() {
    // (in the query, as flags)
    let cases: [(&str, &[&str]); 6] = [
        ("werkdruk wave:2024/2025", &["--wave", "2024-2025"]),
        ("werkdruk wave:2022", &["--wave", "2022"]),
        ("opleiding type:Rapport", &["--type", "rapport"]),
        ("reflecteren kind:quote", &["--kind", "quote"]),
        ("werkdruk kind:key-figure", &["--kind", "key_figure"]),
        (
            "opleiding audience:opleidingen",
            &["--audience", "opleidingen"],
        ),
    ];
    for (query, flags) in cases {
        let words_only = query.split_whitespace().next().unwrap();
        let mut flags = flags.to_vec();
        flags.push("--duplicates");
        let with_flags = search(words_only, &flags);
        assert!(!with_flags.is_empty(), "{query}");
        assert_eq!(
            keys(&search(query, &["--duplicates"])),
            keys(&with_flags),
            "{query}"
        );
    }
    for h in search("title:toverstaf", &[]) {
        assert_eq!(str_of(&h, "doc_id"), "peo-2022-2023-samenvatting", "{h}");
    }
    for h in search("werkdruk doc:peo-2022-webpagina", &[]) {
        assert_eq!(str_of(&h, "doc_id"), "peo-2022-webpagina", "{h}");
    }
}

#[test]
fn boolean_operators_combine_and_exclude() {
    // Every copy of a passage, so that sets can be compared.
    let all = ["--duplicates"];
    let werkdruk = keys(&search("werkdruk", &all));
    let caseload = keys(&search("caseload", &all));
    let either = keys(&search("werkdruk OR caseload", &all));
    assert!(werkdruk.iter().chain(&caseload).all(|k| either.contains(k)));
    assert!(either
        .iter()
        .all(|k| werkdruk.contains(k) || caseload.contains(k)));
    let both = keys(&search("+werkdruk +caseload", &all));
    assert!(both
        .iter()
        .all(|k| werkdruk.contains(k) && caseload.contains(k)));
    assert_eq!(both, keys(&search("werkdruk AND caseload", &all)));
    for h in search("werkdruk -wave:2022", &[]) {
        assert_ne!(str_of(&h, "wave"), "2022", "{h}");
    }
    // A query of only exclusions is taken against every passage.
    let quotes = search("kind:quote -opleiding", &[]);
    assert!(!quotes.is_empty());
    for h in &quotes {
        assert_eq!(str_of(h, "kind"), "quote");
        assert!(
            !words(str_of(h, "text")).contains(&"opleiding".to_string()),
            "{h}"
        );
    }
    assert_eq!(
        keys(&search("werkdruk (wave:2023-2024 OR wave:2024-2025)", &all)),
        keys(&search(
            "werkdruk",
            &["--wave", "2023-2024", "--wave", "2024-2025", "--duplicates"]
        ))
    );
}

#[test]
fn an_unknown_field_is_a_usage_error() {
    let run = peo(&["search", "auteur:jansen", "--index", index_dir()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("peo: unknown field \"auteur\" in the query"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_passage_in_a_scan_and_its_original_is_shown_once() {
    let phrase = "\"daarop werd altijd heel erg gehamerd\"";
    let hits = search(phrase, &[]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    let also: Vec<&str> = hits[0]["also_in"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let mut ids = vec![str_of(&hits[0], "doc_id")];
    ids.extend(&also);
    ids.sort();
    assert_eq!(ids, ["peo-2024-2025-rapport", "peo-2024-2025-rapport-scan"]);
    let all = search(phrase, &["--duplicates"]);
    assert_eq!(all.len(), 2, "{all:?}");
    assert!(all
        .iter()
        .all(|h| h["also_in"].as_array().unwrap().is_empty()));
}

#[test]
fn fragments_do_not_outrank_sentences() {
    // The factsheet scan has one-word OCR fragments ("werkdruk"); the first hits are passages
    // that say something about it.
    let hits = search("werkdruk", &[]);
    for h in hits.iter().take(3) {
        assert!(words(str_of(h, "text")).len() >= 3, "{h}");
    }
}

/// The keys of a JSON object, sorted.
fn fields(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v
        .as_object()
        .unwrap_or_else(|| panic!("an object: {v}"))
        .keys()
        .cloned()
        .collect();
    k.sort();
    k
}

#[test]
fn json_output_has_the_documented_fields() {
    let hit = &search("werkdruk", &[])[0];
    assert_eq!(
        fields(hit),
        [
            "also_in",
            "audience_label",
            "audiences",
            "doc_id",
            "doc_type",
            "fuzzy",
            "highlights",
            "kind",
            "number",
            "page",
            "page_label",
            "score",
            "section",
            "snippet",
            "text",
            "title",
            "wave"
        ]
    );
    assert_eq!(fields(&search_json("werkdruk", &[])), ["hits", "query"]);
    let grouped = search_json("werkdruk", &["--group", "doc"]);
    assert_eq!(fields(&grouped), ["documents", "query"]);
    assert_eq!(
        fields(&grouped["documents"][0]),
        ["best", "doc_id", "doc_type", "hits", "title", "wave"]
    );
    let by_wave = search_json("werkdruk", &["--by-wave"]);
    assert_eq!(fields(&by_wave), ["by_wave", "query"]);
    assert_eq!(fields(&by_wave["by_wave"][0]), ["doc_type", "hits", "wave"]);

    let run = peo(&["list", "--index", index_dir(), "--format", "json"]);
    let rows: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        fields(&rows[0]),
        [
            "doc_type",
            "file",
            "id",
            "key_figures",
            "ocr_pending",
            "pages",
            "quotes",
            "recommendations",
            "sections",
            "stale",
            "title",
            "warnings",
            "wave"
        ]
    );
    let run = peo(&[
        "show",
        "peo-2024-2025-rapport",
        "--index",
        index_dir(),
        "--format",
        "json",
    ]);
    let outline: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        fields(&outline),
        [
            "doc_type",
            "file",
            "id",
            "key_figures",
            "ocr_pending",
            "pages",
            "quotes",
            "recommendations",
            "sections",
            "stale",
            "title",
            "warnings",
            "wave"
        ]
    );
    let run = peo(&["recs", "--index", index_dir(), "--format", "json"]);
    let recs: Value = serde_json::from_str(&run.stdout).unwrap();
    let with_number = recs
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r.get("number").is_some())
        .expect("a numbered recommendation");
    assert_eq!(
        fields(with_number),
        [
            "audience_label",
            "audiences",
            "doc_id",
            "doc_type",
            "number",
            "page",
            "page_label",
            "section",
            "text",
            "title",
            "wave"
        ]
    );
}

#[test]
fn errors_are_json_when_json_is_asked_for() {
    let missing = Path::new(ROOT).join("no-such-index");
    let missing = missing.to_str().unwrap();
    let not_pdf = Path::new(ROOT).join("Cargo.toml");
    let not_pdf = not_pdf.to_str().unwrap();
    // (arguments, the start of the message)
    let cases: [(&[&str], &str); 10] = [
        (&["search", "werkdruk", "--index", missing], missing),
        (
            &["search", "auteur:x", "--index", index_dir()],
            "unknown field",
        ),
        (&["recs", "--index", missing], missing),
        (&["quotes", "--index", missing, "--format=jsonl"], missing),
        (&["list", "--index", missing], missing),
        (
            &["show", "nope", "--index", index_dir()],
            "no document \"nope\"",
        ),
        (
            &["show", "peo-2022-factsheet:99", "--index", index_dir()],
            "peo-2022-factsheet has no page",
        ),
        (&["extract", not_pdf], not_pdf),
        (
            &["search", "werkdruk", "--bogus"],
            "unexpected argument '--bogus'",
        ),
        (
            &["search"],
            "the following required arguments were not provided: <QUERY>",
        ),
    ];
    for (args, start) in cases {
        let mut args = args.to_vec();
        if !args.iter().any(|a| a.starts_with("--format")) {
            args.extend(["--format", "json"]);
        }
        let run = peo(&args);
        assert_eq!(run.code, 2, "peo {args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "peo {args:?}");
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one line: {}", run.stderr);
        let error: Value = serde_json::from_str(lines[0])
            .unwrap_or_else(|e| panic!("peo {args:?}: {e}: {}", run.stderr));
        assert_eq!(fields(&error), ["error", "exit_code"], "{error}");
        assert_eq!(error["exit_code"], 2);
        assert!(str_of(&error, "error").starts_with(start), "{error}");
    }
    // Without JSON, the same error is a line of text.
    let run = peo(&["list", "--index", missing]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(&format!("peo: {missing}")),
        "{}",
        run.stderr
    );
}

#[test]
fn quality_as_json_is_one_object() {
    let corpus = common::quality_corpus("search", "quality");
    let run = peo(&[
        "quality",
        "--corpus",
        corpus.to_str().unwrap(),
        "--thresholds",
        "tests/quality-thresholds.toml",
        "--format",
        "json",
    ]);
    let value: Value = serde_json::from_str(&run.stdout).expect("quality prints one JSON value");
    assert_eq!(
        fields(&value),
        ["documents", "failed", "passed", "relevance"]
    );
    assert!(value["relevance"].is_null());
    assert_eq!(run.code, if value["failed"] == 0 { 0 } else { 1 });
    for line in run.stderr.lines() {
        let v: Value = serde_json::from_str(line).expect("every line of stderr is JSON");
        assert_eq!(v["exit_code"], 1, "{v}");
    }
    std::fs::remove_dir_all(&corpus).unwrap();
}
