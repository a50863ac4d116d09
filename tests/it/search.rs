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

/// The JSON of `peo search QUERY --format json --limit 1000` with the extra arguments, and
/// every passage of a publication unless they say `--per-doc`.
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
    if !extra.contains(&"--per-doc") {
        args.extend(["--per-doc", "0"]);
    }
    args.extend_from_slice(extra);
    let run = peo(&args);
    let json: Value = serde_json::from_str(&run.stdout).expect("search prints JSON");
    // Nothing found is exit code 1.
    let empty = json["hits"].as_array().is_some_and(Vec::is_empty)
        || json["documents"].as_array().is_some_and(Vec::is_empty);
    assert_eq!(run.code, i32::from(empty), "peo {args:?}: {}", run.stderr);
    json
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
            common::chars(snippet, r[0].as_u64().unwrap(), r[1].as_u64().unwrap())
                .unwrap()
                .to_lowercase()
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
            "id",
            "kind",
            "n_pages",
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
    assert_eq!(
        fields(&search_json("werkdruk", &[])),
        ["hits", "more", "query", "total_documents", "total_hits"]
    );
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
            "also_in",
            "audience_label",
            "audiences",
            "copy_of",
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
        [
            "compounds",
            "documents",
            "failed",
            "families",
            "passed",
            "relevance"
        ]
    );
    assert!(value["relevance"].is_null());
    assert!(value["compounds"].is_null());
    assert!(value["families"].is_null());
    assert_eq!(run.code, if value["failed"] == 0 { 0 } else { 1 });
    for line in run.stderr.lines() {
        let v: Value = serde_json::from_str(line).expect("every line of stderr is JSON");
        assert_eq!(v["exit_code"], 1, "{v}");
    }
    std::fs::remove_dir_all(&corpus).unwrap();
}

/// `peo search ARGS... --index INDEX`, as a user types it.
fn search_run(args: &[&str]) -> common::Run {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend(["--index", index_dir()]);
    peo(&all)
}

#[test]
fn a_title_word_finds_the_publication_first() {
    // "toverstaf" is only in the title of the 2022-2023 summary, which no passage repeats.
    let hits = search("toverstaf", &[]);
    assert_eq!(str_of(&hits[0], "kind"), "document", "{hits:?}");
    assert_eq!(str_of(&hits[0], "doc_id"), "peo-2022-2023-samenvatting");
    assert_eq!(hits[0]["n_pages"], 1);
    let run = search_run(&["toverstaf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The first entry: its lines up to the next hit or the totals.
    let first: Vec<&str> = run
        .stdout
        .lines()
        .enumerate()
        .take_while(|(i, l)| *i == 0 || l.starts_with("     "))
        .map(|(_, l)| l)
        .collect();
    assert!(
        first[0].contains("De jeugdhulpverlener met de toverstaf")
            && first.join(" ").contains("1 page"),
        "{}",
        run.stdout
    );
    assert_eq!(
        first.last().unwrap().trim(),
        "peo show peo-2022-2023-samenvatting"
    );
    // A word of a title ranks its publication above the passages that use it, also when many
    // passages do.
    for (query, doc) in [
        ("\"al doende leren\"", "peo-2024-2025-rapport"),
        ("\"ruimte om van betekenis\"", "peo-2023-2024-samenvatting"),
    ] {
        let hits = search(query, &[]);
        assert_eq!(str_of(&hits[0], "kind"), "document", "{query}: {}", hits[0]);
        assert_eq!(str_of(&hits[0], "doc_id"), doc, "{query}");
    }
    // The kind is a filter like the others.
    for h in search("opleiding", &["--kind", "document"]) {
        assert_eq!(str_of(&h, "kind"), "document", "{h}");
    }
}

/// The publication of a hit: its title, wave and type, which its copies share.
fn publication(hit: &Value) -> (String, String, String) {
    (
        str_of(hit, "title").to_string(),
        str_of(hit, "wave").to_string(),
        str_of(hit, "doc_type").to_string(),
    )
}

#[test]
fn at_most_three_passages_of_a_publication_by_default_and_the_rest_counted() {
    let all = search_json("professionals", &["--per-doc", "0"]);
    let limited = search_json("professionals", &["--per-doc", "3"]);
    let n_all = all["hits"].as_array().unwrap().len();
    // The report alone has more than 3 passages about professionals.
    let report = |v: &Value| {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| str_of(h, "title") == "Al doende leren" && str_of(h, "kind") != "document")
            .count()
    };
    assert!(report(&all) > 3, "{all}");
    assert_eq!(report(&limited), 3);
    let mut per: std::collections::BTreeMap<_, usize> = Default::default();
    // The publication itself (kind document) takes no place of a passage.
    for h in limited["hits"].as_array().unwrap() {
        if str_of(h, "kind") != "document" {
            *per.entry(publication(h)).or_default() += 1;
        }
    }
    assert!(per.values().all(|&n| n <= 3), "{per:?}");
    // Totals: every passage found, whatever is shown, in every publication.
    assert_eq!(all["total_hits"], n_all);
    assert_eq!(limited["total_hits"], n_all);
    let publications: std::collections::BTreeSet<_> = all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(publication)
        .collect();
    assert_eq!(limited["total_documents"], publications.len());
    // What is not shown is counted per publication, and the counts add up.
    let more: usize = limited["more"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["hits"].as_u64().unwrap() as usize)
        .sum();
    assert_eq!(more + limited["hits"].as_array().unwrap().len(), n_all);
    assert!(all["more"].as_array().unwrap().is_empty());

    // The default is 3, with the limit of 10 shown, counted in the text output.
    let run = search_run(&["professionals"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("more in peo-2024-2025-rapport\n"),
        "{}",
        run.stdout
    );
    let last = run.stdout.lines().last().unwrap();
    assert_eq!(
        last,
        format!("10 of {n_all} hits in {} publications", publications.len())
    );
}

#[test]
fn the_born_digital_copy_is_shown_and_the_scan_named() {
    // The bundled corpus holds three publications also as a scan ("-scan"). Whatever ranked
    // first, a passage both hold is shown from the born-digital file.
    let mut folded = 0;
    for query in [
        "professionals",
        "werkdruk",
        "opleiding",
        "jeugdhulp",
        "ruimte",
    ] {
        for h in search(query, &[]) {
            let also: Vec<&str> = h["also_in"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            let id = str_of(&h, "doc_id");
            if also.iter().any(|a| *a == format!("{id}-scan")) {
                folded += 1;
            }
            assert!(
                !also.iter().any(|a| id == format!("{a}-scan")),
                "{query}: the scan is shown, its original named: {h}"
            );
        }
    }
    assert!(folded > 10, "only {folded} passages found in both copies");
    // The publication itself too.
    let hits = search("\"ruimte om van betekenis\"", &[]);
    assert_eq!(str_of(&hits[0], "doc_id"), "peo-2023-2024-samenvatting");
    assert_eq!(hits[0]["also_in"][0], "peo-2023-2024-samenvatting-scan");
}

#[test]
fn a_filter_value_the_index_does_not_hold_is_a_usage_error() {
    // (flag, value, what the error proposes)
    let cases = [
        ("--wave", "2023", "did you mean"),
        (
            "--wave",
            "2025-2026",
            "the index holds 2022, 2022-2023, 2023-2024, 2024-2025",
        ),
        ("--type", "report", "did you mean rapport?"),
        ("--audience", "studenten", "the index holds beleid"),
        ("--kind", "citaat", "the kinds are document, heading"),
    ];
    for (flag, value, proposal) in cases {
        let run = search_run(&["werkdruk", flag, value]);
        assert_eq!(run.code, 2, "{flag} {value}: {}", run.stderr);
        assert!(
            run.stderr.contains(proposal),
            "{flag} {value}: {}",
            run.stderr
        );
        assert_eq!(run.stdout, "");
    }
    for query in [
        "werkdruk wave:2023",
        "werkdruk type:report",
        "werkdruk kind:citaat",
    ] {
        let run = search_run(&[query]);
        assert_eq!(run.code, 2, "{query}: {}", run.stderr);
    }
    // recs and quotes check their filters the same way.
    let run = peo(&["recs", "--audience", "studenten", "--index", index_dir()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn filter_values_are_accepted_as_researchers_write_them() {
    let slash = search("werkdruk", &["--wave", "2023/2024", "--duplicates"]);
    assert!(!slash.is_empty());
    assert!(slash.iter().all(|h| str_of(h, "wave") == "2023-2024"));
    assert_eq!(
        keys(&slash),
        keys(&search(
            "werkdruk",
            &["--wave", "2023-2024", "--duplicates"]
        ))
    );
    assert_eq!(
        keys(&search("opleiding", &["--type", "Rapport"])),
        keys(&search("opleiding", &["--type", "rapport"]))
    );
    let audience = search("opleiding", &["--audience", "Opleidingen"]);
    assert!(!audience.is_empty());
    assert_eq!(
        keys(&audience),
        keys(&search("opleiding audience:opleidingen", &[]))
    );
    // kind: and --kind take the same names, plural and hyphenated included.
    for (in_query, flag) in [
        ("quotes", "quote"),
        ("Key-Figures", "key_figure"),
        ("recs", "recommendation"),
    ] {
        let q = search(&format!("opleiding kind:{in_query}"), &[]);
        assert_eq!(
            keys(&q),
            keys(&search("opleiding", &["--kind", flag])),
            "{in_query}"
        );
        assert_eq!(
            keys(&q),
            keys(&search("opleiding", &["--kind", in_query])),
            "{in_query}"
        );
    }
    assert!(!search("reflecteren kind:quotes", &[]).is_empty());
}

#[test]
fn the_words_after_search_are_one_query() {
    let run = search_run(&["werkdruk", "professionele"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, search_run(&["werkdruk professionele"]).stdout);
    assert!(run.stdout.contains("werkdruk"), "{}", run.stdout);
    // After --, a query may begin with - (an exclusion).
    let mut args = vec!["search", "--index", index_dir(), "--format", "json", "--"];
    args.extend(["-kind:key_figure", "werkdruk"]);
    let run = peo(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let hits: Value = serde_json::from_str(&run.stdout).unwrap();
    let hits = hits["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| str_of(h, "kind") != "key_figure"));
    assert!(search("werkdruk", &[])
        .iter()
        .any(|h| str_of(h, "kind") == "key_figure"));
}

#[test]
fn an_empty_query_or_an_unbalanced_parenthesis_is_a_usage_error() {
    for (query, message) in [
        ("", "empty query"),
        ("  ", "empty query"),
        ("(werkdruk OR caseload", "unbalanced parenthesis"),
        ("werkdruk)", "unbalanced parenthesis"),
    ] {
        let run = search_run(&[query]);
        assert_eq!(run.code, 2, "{query:?}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{query:?}: {}", run.stderr);
        assert_eq!(run.stdout, "");
    }
    // A parenthesis inside a phrase is text.
    assert_eq!(search_run(&["\"werkdruk (\""]).code, 0);
}

#[test]
fn recs_and_quotes_give_each_item_once_from_the_best_copy() {
    let rows = |extra: &[&str]| -> Vec<csv::StringRecord> {
        let mut args = vec!["recs", "--index", index_dir(), "--format", "csv"];
        args.extend_from_slice(extra);
        let run = peo(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
        let header = reader.headers().unwrap().clone();
        assert_eq!(&header[11], "copy_of");
        assert_eq!(&header[12], "also_in");
        reader.records().map(|r| r.unwrap()).collect()
    };
    let once = rows(&[]);
    let every = rows(&["--all-copies"]);
    assert!(once.iter().all(|r| r[11].is_empty()));
    let copies: Vec<_> = every.iter().filter(|r| !r[11].is_empty()).collect();
    assert_eq!(once.len() + copies.len(), every.len());
    // Each copy is in the scan of the file it names, and that file names it back.
    for c in &copies {
        assert_eq!(&c[0], &format!("{}-scan", &c[11]), "{c:?}");
    }
    assert!(once
        .iter()
        .any(|r| r[12].split(';').any(|a| a.ends_with("-scan"))));
    // A wave counts its recommendations once: the 2023-2024 summary has 11, in two files.
    let in_wave = |rows: &[csv::StringRecord]| rows.iter().filter(|r| &r[2] == "2023-2024").count();
    assert_eq!(in_wave(&once), 11);
    assert_eq!(in_wave(&every), 22);
    // With a query too: a quote found in the scan and the report is given once, from the report.
    let run = peo(&[
        "quotes",
        "\"daarop werd altijd heel erg gehamerd\"",
        "--index",
        index_dir(),
        "--format",
        "json",
    ]);
    let quotes: Value = serde_json::from_str(&run.stdout).unwrap();
    let quotes = quotes.as_array().unwrap();
    assert_eq!(quotes.len(), 1, "{quotes:?}");
    assert_eq!(str_of(&quotes[0], "doc_id"), "peo-2024-2025-rapport");
    assert!(quotes[0]["copy_of"].is_null());
    assert_eq!(quotes[0]["also_in"][0], "peo-2024-2025-rapport-scan");
}

#[test]
fn json_highlights_are_character_offsets_as_python_slices_them() {
    // Snippets with ë, é and ’ before their matches: byte offsets would land beside the words.
    let run = search_run(&["cliënten", "--format", "json", "--limit", "50"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let script = "import json, sys, unicodedata\n\
        for h in json.load(sys.stdin)['hits']:\n\
        \x20   for s, e in h['highlights']:\n\
        \x20       w = unicodedata.normalize('NFD', h['snippet'][s:e].lower())\n\
        \x20       print(''.join(c for c in w if not unicodedata.combining(c)))\n";
    let mut python = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    use std::io::Write;
    python
        .stdin
        .take()
        .unwrap()
        .write_all(run.stdout.as_bytes())
        .unwrap();
    let out = python.wait_with_output().unwrap();
    assert!(out.status.success());
    let marked = String::from_utf8(out.stdout).unwrap();
    assert!(marked.lines().count() > 5, "{marked}");
    for word in marked.lines() {
        assert!(word.starts_with("client"), "Python sliced {word:?}");
    }
}

#[test]
fn nothing_found_is_exit_code_1_with_the_message_on_stderr() {
    let run = search_run(&["zzzqqq", "--format", "json"]);
    assert_eq!(run.code, 1);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["total_hits"], 0);
    assert!(run.stderr.contains("no hits for"), "{}", run.stderr);
    for command in ["recs", "quotes"] {
        let run = peo(&[command, "zzzqqq", "--index", index_dir()]);
        assert_eq!(run.code, 1, "{command}: {}", run.stderr);
        assert_eq!(run.stdout, "");
        assert!(run.stderr.starts_with("peo: no "), "{}", run.stderr);
    }
}

#[test]
fn color_marks_matches_in_colour_or_with_guillemets() {
    let always = search_run(&["werkdruk", "--color", "always"]);
    assert!(
        always.stdout.contains("\x1b[1;33mwerkdruk\x1b[0m"),
        "{}",
        always.stdout
    );
    assert!(!always.stdout.contains('«'));
    let never = search_run(&["werkdruk", "--color", "never"]);
    assert!(never.stdout.contains("«werkdruk»"), "{}", never.stdout);
    assert!(!never.stdout.contains('\x1b'));
    // Not a terminal: auto is never.
    assert_eq!(search_run(&["werkdruk"]).stdout, never.stdout);
}

/// The lines of `peo export --format jsonl` of an index.
fn export(index: &str) -> Vec<Value> {
    let run = peo(&["export", "--format", "jsonl", "--index", index]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect()
}

#[test]
fn export_round_trips_into_a_fresh_tantivy_index() {
    use tantivy::schema::{Schema, STORED, STRING, TEXT};
    let lines = export(index_dir());
    let ids: Vec<&str> = lines.iter().map(|l| str_of(l, "id")).collect();
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "ids are unique");
    for l in &lines {
        assert_eq!(
            fields(l),
            [
                "audience_label",
                "audiences",
                "doc_id",
                "doc_type",
                "id",
                "kind",
                "n_pages",
                "number",
                "page",
                "page_label",
                "section",
                "text",
                "title",
                "wave"
            ]
        );
        assert!(str_of(l, "id").starts_with(&format!("{}:", str_of(l, "doc_id"))));
    }
    assert!(lines.iter().any(|l| str_of(l, "kind") == "document"));

    // Loaded into a fresh index, a word finds the passages that hold it, by their ids; peo
    // finds each of them under the same id.
    let mut builder = Schema::builder();
    let id = builder.add_text_field("id", STRING | STORED);
    let text = builder.add_text_field("text", TEXT);
    let index = tantivy::Index::create_in_ram(builder.build());
    let mut writer: tantivy::IndexWriter = index.writer(50_000_000).unwrap();
    for l in &lines {
        writer
            .add_document(tantivy::doc!(id => str_of(l, "id"), text => str_of(l, "text")))
            .unwrap();
    }
    writer.commit().unwrap();
    let searcher = index.reader().unwrap().searcher();
    let parser = tantivy::query::QueryParser::for_index(&index, vec![text]);
    for word in [
        "werkdruk",
        "caseload",
        "reflectie",
        "toverstaf",
        "intervisie",
        "stage",
        "gastlessen",
        "wachtlijsten",
        "zelfzorg",
        "burn",
    ] {
        let found: std::collections::BTreeSet<String> = searcher
            .search(
                &parser.parse_query(word).unwrap(),
                &tantivy::collector::TopDocs::with_limit(10_000).order_by_score(),
            )
            .unwrap()
            .into_iter()
            .map(|(_, addr)| {
                let d: tantivy::TantivyDocument = searcher.doc(addr).unwrap();
                use tantivy::schema::Value as _;
                d.get_first(id).unwrap().as_str().unwrap().to_string()
            })
            .collect();
        let holding: std::collections::BTreeSet<String> = lines
            .iter()
            .filter(|l| words(str_of(l, "text")).iter().any(|w| w == word))
            .map(|l| str_of(l, "id").to_string())
            .collect();
        assert!(!holding.is_empty(), "{word}");
        assert_eq!(found, holding, "{word}");
        let by_peo: std::collections::BTreeSet<String> =
            search(word, &["--duplicates", "--no-fuzzy"])
                .iter()
                .filter(|h| words(str_of(h, "text")).iter().any(|w| w == word))
                .map(|h| str_of(h, "id").to_string())
                .collect();
        assert_eq!(by_peo, holding, "{word}");
    }
}

#[test]
fn export_ids_stay_the_same_across_reindexing() {
    let dir = std::env::temp_dir().join(format!("peo-search-{}-reindexed", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    let run = peo(&[
        "index",
        "--corpus",
        "corpus",
        "--index",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(export(dir.to_str().unwrap()), export(index_dir()));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_word_written_together_finds_the_text_that_hyphenates_it() {
    // The 2022-2023 summary writes "psycho-educatie", which the tokenizer reads as two words;
    // a researcher types "psychoeducatie", which no text uses whole, and nothing near it in
    // spelling either.
    let hits = search("psychoeducatie", &[]);
    assert!(
        hits.iter()
            .any(|h| str_of(h, "doc_id") == "peo-2022-2023-samenvatting"
                && str_of(h, "text").contains("psycho-educatie")),
        "{hits:?}"
    );
    // Both parts are marked.
    let hit = &hits[0];
    let marked: Vec<String> = hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| {
            common::chars(
                str_of(hit, "snippet"),
                r[0].as_u64().unwrap(),
                r[1].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        marked.iter().any(|m| m.to_lowercase().contains("educatie")),
        "{marked:?}"
    );
    // A word the texts use whole is not looked for apart: "werkdruk" finds no "werk druk".
    for h in search("werkdruk", &[]) {
        assert!(
            str_of(&h, "text").to_lowercase().contains("werkdruk"),
            "{h}"
        );
    }
}

#[test]
fn audience_labels_are_shown_as_printed_where_ocr_damaged_them() {
    // The report scan's summary page reads "Voor orgatmenten:" where the report prints
    // "Voor organisaties:".
    let run = peo(&[
        "recs",
        "--all-copies",
        "--index",
        index_dir(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let items: Value = serde_json::from_str(&run.stdout).unwrap();
    let scan: Vec<&Value> = items
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["doc_id"] == "peo-2024-2025-rapport-scan")
        .collect();
    assert!(!scan.is_empty());
    for r in &scan {
        let label = str_of(r, "audience_label");
        assert!(
            [
                "Voor organisaties",
                "Voor opleidingen",
                "Voor professionals"
            ]
            .contains(&label),
            "{r}"
        );
    }
    assert!(
        scan.iter()
            .any(|r| r["audience_label"] == "Voor organisaties"
                && r["audiences"][0] == "organisaties"),
        "{scan:?}"
    );
}

/// The hits of `peo search` with `args`, on the index in `index`.
fn hits_in(index: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec![
        "search",
        "--index",
        index.to_str().unwrap(),
        "--format",
        "json",
    ];
    all.extend_from_slice(args);
    let run = peo(&all);
    assert!(run.code <= 1, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).expect("search prints JSON");
    json["hits"].as_array().unwrap().clone()
}

#[test]
fn the_alt_text_of_a_figure_is_found_by_the_numbers_it_holds() {
    // A Chromium print whose two images have Alt text; the numbers are in no other text.
    let dir = common::scratch_with("search", "alt-text", |_| {});
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let fixture = Path::new(ROOT).join("tests/fixtures/figuur-alt.pdf");
    std::fs::copy(&fixture, corpus.join("figuur-alt.pdf")).unwrap();
    let index = dir.join("index");
    let run = peo(&[
        "index",
        "--corpus",
        corpus.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let alt: Vec<(u64, String)> = hits_in(&index, &["1.240", "--kind", "alt_text"])
        .iter()
        .map(|h| (h["page"].as_u64().unwrap(), str_of(h, "text").to_string()))
        .collect();
    assert_eq!(
        alt,
        [(
            1,
            "Staafdiagram: 37% van de 1.240 professionals in de jeugdzorg ervaart een hoge \
             werkdruk, tegen 22% in het onderwijs."
                .to_string()
        )]
    );
    // The pictogram on the second page, found by its number; kind:alt and --kind alt-text
    // are the same filter.
    let clock = hits_in(&index, &["6,5 uur kind:alt"]);
    assert_eq!(clock.len(), 1, "{clock:?}");
    assert_eq!(
        (str_of(&clock[0], "kind"), clock[0]["page"].as_u64()),
        ("alt_text", Some(2))
    );
    assert_eq!(clock, hits_in(&index, &["6,5 uur", "--kind", "alt-text"]));
    // The publication's own passage holds them too.
    let documents = hits_in(&index, &["pictogram klok", "--kind", "document"]);
    assert_eq!(documents.len(), 1, "{documents:?}");
    // peo extract gives them in the model, each with its page.
    let run = peo(&["extract", fixture.to_str().unwrap()]);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    let pages: Vec<u64> = doc["alt_texts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["page"].as_u64().unwrap())
        .collect();
    assert_eq!(pages, [1, 2]);
}
