//! The `peo` binary end to end on the bundled corpus: every command on realistic input, and the
//! exit codes and messages on bad input.
//!
//! Invariant: the corpus is only read. The index is built once per test run, in a fresh
//! directory under the system's temp directory named with the process id, and shared by every
//! test; everything else a test writes goes to its own directory beside it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

use crate::common;
use crate::common::{path_str, peo, Run, ROOT};

/// A fresh, empty directory for this test run.
fn scratch(name: &str) -> PathBuf {
    common::scratch_with("cli", name, |_| {})
}

/// The index of the bundled corpus and the run of `peo index` that built it.
struct Indexed {
    dir: PathBuf,
    run: Run,
}

fn indexed() -> &'static Indexed {
    static INDEXED: OnceLock<Indexed> = OnceLock::new();
    INDEXED.get_or_init(|| {
        let dir = scratch("index");
        let run = peo(&["index", "--corpus", "corpus", "--index", path_str(&dir)]);
        Indexed { dir, run }
    })
}

fn index_dir() -> &'static str {
    path_str(&indexed().dir)
}

/// The ids (file stems) of the PDFs in corpus/, sorted.
fn corpus_ids() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("corpus"))
        .expect("corpus/ is readable")
        .map(|e| e.expect("corpus/ is readable").path())
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids
}

/// The documents of corpus/catalog.toml.
fn catalog() -> Vec<toml::Value> {
    let text = std::fs::read_to_string(Path::new(ROOT).join("corpus/catalog.toml"))
        .expect("corpus/catalog.toml is readable");
    let catalog: toml::Table = toml::from_str(&text).expect("corpus/catalog.toml parses");
    catalog["document"]
        .as_array()
        .expect("the catalog lists documents")
        .clone()
}

/// The wave the catalog gives a document id.
fn catalog_wave(doc_id: &str) -> String {
    let file = format!("{doc_id}.pdf");
    catalog()
        .iter()
        .find(|d| d["file"].as_str() == Some(file.as_str()))
        .and_then(|d| d["wave"].as_str())
        .unwrap_or_else(|| panic!("{file} has a wave in the catalog"))
        .to_string()
}

/// The hits of `peo search QUERY --format json` (at most 1000) with the extra arguments.
fn search(query: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec![
        "search",
        query,
        "--index",
        index_dir(),
        "--format",
        "json",
        "--limit",
        "1000",
        "--per-doc",
        "0",
    ];
    args.extend_from_slice(extra);
    let run = peo(&args);
    let json: Value = serde_json::from_str(&run.stdout).expect("search prints JSON");
    assert_eq!(json["query"], query);
    let hits = json["hits"].as_array().expect("hits is an array").clone();
    // Nothing found is exit code 1.
    assert_eq!(
        run.code,
        i32::from(hits.is_empty()),
        "peo {args:?}: {}",
        run.stderr
    );
    hits
}

/// The items `peo recs` or `peo quotes` prints as one JSON array.
fn items(command: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec![command, "--index", index_dir(), "--format", "json"];
    args.extend_from_slice(extra);
    let run = peo(&args);
    assert_eq!(run.code, 0, "peo {args:?}: {}", run.stderr);
    serde_json::from_str::<Value>(&run.stdout)
        .expect("prints JSON")
        .as_array()
        .expect("prints an array")
        .clone()
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is a string in {v}"))
}

/// A hit's passage text, section and title, lowercased with runs of white space made one space:
/// a query term can match any of them.
fn hit_fields(hit: &Value) -> Vec<String> {
    ["text", "section", "title"]
        .iter()
        .map(|k| {
            let s = hit[k].as_str().unwrap_or("").to_lowercase();
            s.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

/// Whether `word` occurs in `text` as a whole word, ignoring case.
fn has_word(text: &str, word: &str) -> bool {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == word)
}

#[test]
fn index_reports_documents_and_the_image_only_page() {
    let run = &indexed().run;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let n_pdfs = corpus_ids().len();
    assert!(n_pdfs >= 8, "corpus/ holds the bundled PDFs");
    let summary = run
        .stderr
        .lines()
        .find(|l| l.starts_with("indexed "))
        .unwrap_or_else(|| panic!("no summary in {:?}", run.stderr));
    assert!(
        summary.starts_with(&format!("indexed {n_pdfs} documents ({n_pdfs} added, ")),
        "{summary}"
    );
    assert!(summary.contains(", 0 failed)"), "{summary}");
    assert!(
        run.stderr.lines().any(|l| l.starts_with(
            "peo: corpus/peo-2022-factsheet-scan.pdf: page 1: text recognised by OCR (tesseract, nld)"
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn search_hits_say_where_they_are_and_what_matched() {
    let hits = search("werkdruk", &[]);
    assert!(!hits.is_empty());
    let mut n_highlighted = 0;
    for hit in &hits {
        assert!(!str_of(hit, "doc_id").is_empty(), "{hit}");
        assert!(!str_of(hit, "wave").is_empty(), "{hit}");
        assert!(hit["page"].as_u64().is_some_and(|p| p >= 1), "{hit}");
        let snippet = str_of(hit, "snippet");
        for range in hit["highlights"].as_array().expect("highlights") {
            let (start, end) = (range[0].as_u64().unwrap(), range[1].as_u64().unwrap());
            let word = common::chars(snippet, start, end)
                .unwrap_or_else(|| panic!("{start}..{end} is not a range of {snippet:?}"));
            assert_eq!(word.to_lowercase(), "werkdruk", "{hit}");
            n_highlighted += 1;
        }
    }
    assert!(n_highlighted > 0, "no hit marks what matched");
}

#[test]
fn search_finds_inflected_forms() {
    // (query, a form the query does not contain that hits must include)
    let cases = [
        ("reflecteer", "reflecteren"),
        ("aanbeveling", "aanbevelingen"),
        ("organisatie", "organisaties"),
        ("gezin", "gezinnen"),
    ];
    for (query, form) in cases {
        let hits = search(query, &[]);
        assert!(
            hits.iter()
                .any(|h| has_word(str_of(h, "text"), form) && !has_word(str_of(h, "text"), query)),
            "{query:?} finds no passage with only {form:?}"
        );
    }
}

#[test]
fn search_reflecteren_finds_reflectie() {
    // The Dutch stemmer makes "reflecteer" of reflecteren and "reflectie" of reflectie; the
    // query widens to the forms of the family the texts use, so a passage that only says
    // "reflectie" is found.
    let hits = search("reflecteren", &[]);
    assert!(!hits.is_empty());
    let only_reflectie = hits.iter().filter(|h| {
        let text = str_of(h, "text").to_lowercase();
        text.contains("reflectie") && !text.contains("reflecter") && !text.contains("reflecteer")
    });
    assert!(only_reflectie.count() > 0);
}

#[test]
fn search_folds_diacritics() {
    // (with diacritics, without)
    let cases = [
        ("cliënten", "clienten"),
        ("intuïtie", "intuitie"),
        ("casuïstiek", "casuistiek"),
    ];
    let key = |h: &Value| {
        (
            str_of(h, "doc_id").to_string(),
            h["page"].as_u64(),
            str_of(h, "kind").to_string(),
            str_of(h, "text").to_string(),
        )
    };
    for (accented, plain) in cases {
        let with: Vec<_> = search(accented, &[]).iter().map(key).collect();
        let without: Vec<_> = search(plain, &[]).iter().map(key).collect();
        assert!(!with.is_empty(), "no hits for {accented:?}");
        assert_eq!(with, without, "{accented:?} and {plain:?} differ");
    }
    assert!(
        search("clienten", &[])
            .iter()
            .any(|h| str_of(h, "text").contains("cliënten")),
        "an unaccented query finds the accented text"
    );
}

#[test]
fn search_filters_keep_only_matching_hits() {
    // (query, flag, value, the hit field that must equal the value)
    let cases = [
        ("werkdruk", "--wave", "2022", "wave"),
        ("werkdruk", "--type", "factsheet", "doc_type"),
        ("reflecteren", "--kind", "quote", "kind"),
        ("reflectie", "--kind", "recommendation", "kind"),
    ];
    for (query, flag, value, field) in cases {
        let all = search(query, &[]);
        assert!(
            all.iter().any(|h| str_of(h, field) != value),
            "{query:?} has nothing for {flag} {value} to remove"
        );
        let kept = search(query, &[flag, value]);
        assert!(!kept.is_empty(), "{query:?} {flag} {value} finds nothing");
        for hit in &kept {
            assert_eq!(str_of(hit, field), value, "{query:?} {flag} {value}: {hit}");
        }
    }
}

#[test]
fn search_phrases_keep_word_order() {
    let hits = search("\"professionele ruimte\"", &[]);
    assert!(!hits.is_empty());
    for hit in &hits {
        assert!(
            hit_fields(hit)
                .iter()
                .any(|f| f.contains("professionele ruimte")),
            "{hit}"
        );
    }
    assert!(hits
        .iter()
        .any(|h| hit_fields(h)[0].contains("professionele ruimte")));
    assert!(!search("ruimte professionele", &[]).is_empty());
    assert_eq!(search("\"ruimte professionele\"", &["--no-fuzzy"]).len(), 0);
}

#[test]
fn search_text_output_names_title_and_page() {
    let run = peo(&["search", "werkdruk", "--index", index_dir()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = peo(&[
        "search",
        "werkdruk",
        "--index",
        index_dir(),
        "--format",
        "json",
    ]);
    let hits: Value = serde_json::from_str(&json.stdout).expect("search prints JSON");
    let hits = hits["hits"].as_array().expect("hits");
    assert!(!hits.is_empty());
    // Each hit heads its entry with rank, title, wave, type and page (a publication: its
    // number of pages), in the JSON's order; the passages not shown and the totals follow.
    let heads: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| !l.starts_with("     ") && !l.starts_with('+'))
        .collect();
    assert_eq!(heads.len(), hits.len() + 1, "{}", run.stdout);
    for (i, (head, hit)) in heads.iter().zip(hits).enumerate() {
        let page = match str_of(hit, "kind") {
            "document" => format!("· {} page", hit["n_pages"]),
            _ => format!("p. {}", str_of(hit, "page_label")),
        };
        let place = format!(
            "{:>3}. {} [{}, {}] {page}",
            i + 1,
            str_of(hit, "title"),
            str_of(hit, "wave"),
            str_of(hit, "doc_type"),
        );
        assert!(
            head.starts_with(&place),
            "{head:?} does not start with {place:?}"
        );
    }
    assert!(
        run.stdout.starts_with("  1. ") && heads[0].contains(" [2022, "),
        "{}",
        run.stdout
    );
    assert!(
        heads[hits.len()].starts_with(&format!("{} of ", hits.len())),
        "{}",
        run.stdout
    );
    // Not a terminal: matches are marked with « » instead of colour.
    assert!(run.stdout.contains("«werkdruk»"), "{}", run.stdout);

    let run = peo(&["search", "zzzqqq", "--index", index_dir()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "peo: no hits for \"zzzqqq\"\n");
}

#[test]
fn recs_have_audiences() {
    let canonical = ["professionals", "organisaties", "opleidingen", "beleid"];
    let recs = items("recs", &[]);
    assert!(!recs.is_empty());
    for rec in &recs {
        assert!(!str_of(rec, "audience_label").is_empty(), "{rec}");
        let audiences = rec["audiences"].as_array().expect("audiences");
        assert!(!audiences.is_empty(), "{rec}");
        for a in audiences {
            assert!(canonical.contains(&a.as_str().unwrap()), "{rec}");
        }
        assert!(!str_of(rec, "text").is_empty(), "{rec}");
    }

    let for_professionals = items("recs", &["--audience", "professionals"]);
    assert!(!for_professionals.is_empty());
    assert!(for_professionals.len() < recs.len());
    for rec in &for_professionals {
        assert!(
            rec["audiences"]
                .as_array()
                .unwrap()
                .contains(&Value::from("professionals")),
            "{rec}"
        );
    }
}

#[test]
fn recs_as_jsonl_and_csv_hold_the_same_items() {
    let recs = items("recs", &[]);

    let run = peo(&["recs", "--index", index_dir(), "--format", "jsonl"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect();
    assert_eq!(lines, recs);

    let run = peo(&["recs", "--index", index_dir(), "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "doc_id",
            "title",
            "wave",
            "doc_type",
            "audience_label",
            "audiences",
            "number",
            "page",
            "page_label",
            "section",
            "text",
            "copy_of",
            "also_in"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .map(|r| r.expect("every row parses"))
        .collect();
    assert_eq!(rows.len(), recs.len());
    for (row, rec) in rows.iter().zip(&recs) {
        assert_eq!(&row[0], str_of(rec, "doc_id"));
        assert_eq!(&row[4], str_of(rec, "audience_label"));
        let audiences: Vec<&str> = rec["audiences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert_eq!(&row[5], audiences.join(";"));
        assert_eq!(&row[10], str_of(rec, "text"));
    }
}

#[test]
fn quotes_with_and_without_a_query() {
    let jsonl = |extra: &[&str]| -> Vec<Value> {
        let mut args = vec!["quotes", "--index", index_dir(), "--format", "jsonl"];
        args.extend_from_slice(extra);
        let run = peo(&args);
        assert_eq!(run.code, 0, "peo {args:?}: {}", run.stderr);
        run.stdout
            .lines()
            .map(|l| serde_json::from_str(l).expect("every line is JSON"))
            .collect()
    };
    let all = jsonl(&[]);
    assert!(!all.is_empty());
    for quote in &all {
        assert!(!str_of(quote, "text").is_empty(), "{quote}");
        assert!(quote["page"].as_u64().is_some_and(|p| p >= 1), "{quote}");
        assert!(quote["audiences"].is_null(), "{quote}");
    }

    let matching = jsonl(&["grijze gebied"]);
    assert!(!matching.is_empty());
    assert!(matching.len() < all.len());
    for quote in &matching {
        let text = str_of(quote, "text");
        assert!(
            has_word(text, "grijze") && has_word(text, "gebied"),
            "{quote}"
        );
        assert!(all.contains(quote), "{quote} is not among all quotes");
    }
}

#[test]
fn extract_prints_the_document_model() {
    let file = "corpus/peo-2023-2024-samenvatting.pdf";
    let run = peo(&["extract", file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let doc: Value = serde_json::from_str(&run.stdout).expect("extract prints JSON");
    for key in [
        "id",
        "path",
        "blake3",
        "title",
        "wave",
        "doc_type",
        "pages",
        "sections",
        "recommendations",
        "quotes",
        "key_figures",
        "warnings",
    ] {
        assert!(doc.get(key).is_some(), "no {key} in the model");
    }
    assert_eq!(doc["id"], "peo-2023-2024-samenvatting");
    assert_eq!(doc["path"], file);
    let bytes = std::fs::read(Path::new(ROOT).join(file)).unwrap();
    assert_eq!(doc["blake3"], blake3::hash(&bytes).to_hex().as_str());
    // From corpus/catalog.toml.
    assert_eq!(doc["title"], "Ruimte om van betekenis te zijn");
    assert_eq!(doc["wave"], "2023-2024");
    assert_eq!(doc["doc_type"], "samenvatting");

    let pages = doc["pages"].as_array().expect("pages");
    assert!(!pages.is_empty());
    for (i, page) in pages.iter().enumerate() {
        assert_eq!(page["number"].as_u64(), Some(i as u64 + 1));
        assert!(!str_of(page, "label").is_empty());
        assert!(!str_of(page, "text").is_empty());
    }
    for key in ["sections", "recommendations", "quotes"] {
        assert!(
            doc[key].as_array().is_some_and(|a| !a.is_empty()),
            "no {key}"
        );
    }
    assert!(doc["key_figures"].is_array());
    assert_eq!(doc["warnings"], Value::Array(Vec::new()));
}

#[test]
fn list_groups_documents_by_wave() {
    let run = peo(&["list", "--index", index_dir()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut waves: Vec<&str> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for line in run.stdout.lines() {
        match line.strip_prefix("  ") {
            None => waves.push(line),
            Some(row) => {
                let id = row
                    .split_whitespace()
                    .next()
                    .expect("a row starts with its id");
                let wave = *waves.last().expect("a wave heads every row");
                assert_eq!(wave, catalog_wave(id), "{id} listed under {wave}");
                ids.push(id.to_string());
            }
        }
    }
    let mut sorted = waves.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(waves, sorted, "each wave once, in order");
    ids.sort();
    assert_eq!(ids, corpus_ids());

    let run = peo(&["list", "--index", index_dir(), "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Value = serde_json::from_str(&run.stdout).expect("list prints JSON");
    assert_eq!(rows.as_array().map(Vec::len), Some(corpus_ids().len()));
}

#[test]
fn quality_scores_every_document_with_gold() {
    let corpus = common::quality_corpus("cli", "quality");
    let run = peo(&[
        "quality",
        "--corpus",
        path_str(&corpus),
        "--gold",
        "tests/gold",
        "--baseline",
        "tests/baseline/pdftotext",
        "--format",
        "json",
    ]);
    // Without --thresholds the scores are reported, never judged.
    assert_eq!(run.code, 0, "{}", run.stderr);
    let scores: Value = serde_json::from_str(&run.stdout).expect("quality prints JSON");
    let mut files: Vec<&str> = scores["documents"]
        .as_array()
        .expect("one score per file")
        .iter()
        .map(|s| str_of(s, "file"))
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["peo-2022-factsheet-scan.pdf", "peo-2022-factsheet.pdf"]
    );
    std::fs::remove_dir_all(&corpus).unwrap();
}

#[test]
fn usage_errors_exit_2() {
    // (arguments, how standard error starts)
    let cases: [(&[&str], &str); 5] = [
        (&["frobnicate"], "peo: unrecognized subcommand 'frobnicate'"),
        (
            &["search", "werkdruk", "--bogus"],
            "peo: unexpected argument '--bogus'",
        ),
        (&["recs", "--format", "xml"], "peo: invalid value 'xml'"),
        (&["search"], "peo: the following required arguments"),
        (
            &[
                "search",
                "werkdruk",
                "--kind",
                "bogus",
                "--index",
                index_dir(),
            ],
            "peo: unknown kind \"bogus\"",
        ),
    ];
    for (args, start) in cases {
        let run = peo(args);
        assert_eq!(run.code, 2, "peo {args:?}");
        assert!(
            run.stderr.starts_with(start),
            "peo {args:?}: {}",
            run.stderr
        );
        assert_eq!(run.stdout, "", "peo {args:?}");
    }
}

#[test]
fn search_without_an_index_exits_2() {
    let run = peo(&["search", "x", "--index", "/nonexistent"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "peo: /nonexistent: no index here (run `peo index` first)\n"
    );
}

#[test]
fn extract_of_a_file_that_is_not_a_pdf_exits_2() {
    let dir = scratch("not-a-pdf");
    let file = dir.join("notitie.pdf");
    std::fs::write(&file, "Dit is een notitie, geen PDF.\n").unwrap();
    let run = peo(&["extract", path_str(&file)]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with(&format!("peo: {}: ", file.display())),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn index_goes_on_past_bad_files() {
    let dir = scratch("bad-corpus");
    let corpus = dir.join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let good = Path::new(ROOT).join("corpus/peo-2022-2023-samenvatting.pdf");
    std::fs::copy(&good, corpus.join("peo-2022-2023-samenvatting.pdf")).unwrap();
    let whole = std::fs::read(Path::new(ROOT).join("corpus/peo-2024-2025-rapport.pdf")).unwrap();
    std::fs::write(corpus.join("afgekapt.pdf"), &whole[..2000]).unwrap();
    std::fs::write(corpus.join("leeg.pdf"), b"").unwrap();
    let index = dir.join("index");

    let run = peo(&[
        "index",
        "--corpus",
        path_str(&corpus),
        "--index",
        path_str(&index),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("indexed 1 document (1 added, "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(", 2 failed)"), "{}", run.stderr);
    // Regression: failed files were reported through the hidden progress bar and never shown
    // when stderr is not a terminal.
    assert!(
        run.stderr.contains("afgekapt.pdf: cannot parse pdf"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("leeg.pdf: the file is empty"),
        "{}",
        run.stderr
    );

    let run = peo(&[
        "search",
        "geluksdruk",
        "--index",
        path_str(&index),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let hits = json["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    for hit in hits {
        assert_eq!(hit["doc_id"], "peo-2022-2023-samenvatting");
    }
}

#[test]
fn an_index_of_another_schema_is_refused_by_search_and_rebuilt_by_index() {
    let dir = scratch("old-schema");
    let corpus = dir.join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("corpus/peo-2022-2023-samenvatting.pdf"),
        corpus.join("peo-2022-2023-samenvatting.pdf"),
    )
    .unwrap();
    let index = dir.join("index");
    std::fs::create_dir(&index).unwrap();
    std::fs::write(index.join("meta.json"), "{}").unwrap();
    std::fs::write(index.join("peo-schema-version"), "0").unwrap();

    let run = peo(&["search", "werkdruk", "--index", path_str(&index)]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(&format!(
            "peo: {}: the index was built by another version of peo",
            index.display()
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("`peo index --force`"), "{}", run.stderr);
    let (corpus, index) = (path_str(&corpus), path_str(&index));
    // `peo index` cannot update it, so it rebuilds it from the corpus and says so.
    let run = peo(&["index", "--corpus", corpus, "--index", index]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the index was built by another version of peo (schema \"0\", this peo uses")
            && run.stderr.contains("rebuilding it from the corpus"),
        "{}",
        run.stderr
    );
    assert!(
        summary(&run).starts_with("indexed 1 document (1 added"),
        "{}",
        run.stderr
    );
    let run = peo(&["search", "geluksdruk", "--index", index, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(!json["hits"].as_array().unwrap().is_empty());
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    // `peo recs | head -1`, with head already gone.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_peo"))
        .args(["recs", "--index", index_dir(), "--format", "jsonl"])
        .current_dir(ROOT)
        .env_remove("PEO_INDEX")
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Regression: println! panicked on a closed stdout and peo exited 101.
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

// Re-indexing: what a librarian does between runs.

fn summary(run: &Run) -> String {
    run.stderr
        .lines()
        .find(|l| l.starts_with("indexed "))
        .unwrap_or_default()
        .to_string()
}

fn hit_ids(index: &str, query: &str, extra: &[&str]) -> Vec<String> {
    let mut args = vec![
        "search", query, "--index", index, "--format", "json", "--limit", "50",
    ];
    args.extend_from_slice(extra);
    let run = peo(&args);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let ids: Vec<String> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| str_of(h, "doc_id").to_string())
        .collect();
    // Nothing found is exit code 1.
    assert_eq!(run.code, i32::from(ids.is_empty()), "{}", run.stderr);
    ids
}

#[test]
fn reindexing_processes_only_what_changed() {
    let dir = scratch("incremental");
    let corpus = dir.join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for name in [
        "peo-2022-2023-samenvatting.pdf",
        "peo-2023-2024-samenvatting.pdf",
    ] {
        std::fs::copy(Path::new(ROOT).join("corpus").join(name), corpus.join(name)).unwrap();
    }
    let catalog = |wave: &str| {
        format!(
            "[[document]]\nfile = \"peo-2022-2023-samenvatting.pdf\"\ntitle = \"De jeugdhulpverlener met de geluksdruk\"\nwave = \"{wave}\"\ndoc_type = \"samenvatting\"\n"
        )
    };
    std::fs::write(corpus.join("catalog.toml"), catalog("2022-2023")).unwrap();
    let index = dir.join("index");
    let (c, i) = (path_str(&corpus).to_string(), path_str(&index).to_string());
    let index_run = || peo(&["index", "--corpus", &c, "--index", &i]);

    let run = index_run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        summary(&run).contains("(2 added, 0 updated, 0 removed, 0 unchanged, 0 failed)"),
        "{}",
        run.stderr
    );

    let run = index_run();
    assert!(
        summary(&run).contains("(0 added, 0 updated, 0 removed, 2 unchanged, 0 failed)"),
        "{}",
        run.stderr
    );

    // A catalog change is applied to the indexed document.
    std::fs::write(corpus.join("catalog.toml"), catalog("2023-2024")).unwrap();
    let run = index_run();
    assert!(
        summary(&run).contains("(0 added, 1 updated, 0 removed, 1 unchanged, 0 failed)"),
        "{}",
        run.stderr
    );
    assert!(hit_ids(&i, "geluksdruk", &["--wave", "2022-2023"]).is_empty());
    assert!(hit_ids(&i, "geluksdruk", &["--wave", "2023-2024"])
        .contains(&"peo-2022-2023-samenvatting".to_string()));

    // A changed file that no longer reads keeps what the index had of it.
    let whole = std::fs::read(corpus.join("peo-2023-2024-samenvatting.pdf")).unwrap();
    std::fs::write(
        corpus.join("peo-2023-2024-samenvatting.pdf"),
        &whole[..1500],
    )
    .unwrap();
    let run = index_run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(summary(&run).contains("1 failed)"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("peo-2023-2024-samenvatting.pdf: cannot parse pdf"),
        "{}",
        run.stderr
    );
    assert!(hit_ids(&i, "uitstroom", &[]).contains(&"peo-2023-2024-samenvatting".to_string()));

    // A file that is gone is removed from the index.
    std::fs::remove_file(corpus.join("peo-2023-2024-samenvatting.pdf")).unwrap();
    let run = index_run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(summary(&run).contains("1 removed"), "{}", run.stderr);
    assert!(!hit_ids(&i, "uitstroom", &[]).contains(&"peo-2023-2024-samenvatting".to_string()));

    // `peo add` copies a publication in and indexes only it.
    let new = Path::new(ROOT).join("corpus/peo-2022-factsheet.pdf");
    let run = peo(&["add", path_str(&new), "--corpus", &c, "--index", &i]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(corpus.join("peo-2022-factsheet.pdf").exists());
    assert!(
        summary(&run).contains("(1 added, 0 updated, 0 removed, 1 unchanged, 0 failed)"),
        "{}",
        run.stderr
    );
    assert!(hit_ids(&i, "werkdruk", &[]).contains(&"peo-2022-factsheet".to_string()));
}

#[test]
fn a_second_indexing_run_on_the_same_index_is_refused() {
    let dir = scratch("locked");
    let corpus = dir.join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let index = dir.join("index");
    let mut held = peo::index::PeoIndex::open_or_create(&index).unwrap();
    held.lock().unwrap();
    let run = peo(&[
        "index",
        "--corpus",
        path_str(&corpus),
        "--index",
        path_str(&index),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the index is being written by another peo"),
        "{}",
        run.stderr
    );
    drop(held);
    // The lock is a flock on a file this test process opened, and a process that another test
    // of this binary forks at the same moment shares that open file until it execs: the lock
    // may outlive `drop` by a moment. The run is tried again for a few seconds, not forever.
    let index_run = || {
        peo(&[
            "index",
            "--corpus",
            path_str(&corpus),
            "--index",
            path_str(&index),
        ])
    };
    let mut run = index_run();
    for _ in 0..20 {
        if !run
            .stderr
            .contains("the index is being written by another peo")
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
        run = index_run();
    }
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A one-page PDF whose page draws a form XObject that draws itself: pdf-extract recursed until
/// the stack overflowed, which aborted the process (no panic to catch); now the form is skipped.
fn self_drawing_pdf() -> Vec<u8> {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let form_id = doc.new_object_id();
    let form = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "X1" => form_id } },
        },
        b"/X1 Do".to_vec(),
    );
    doc.objects.insert(form_id, Object::Stream(form));
    let content_id = doc.add_object(Stream::new(dictionary! {}, b"/X1 Do".to_vec()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Resources" => dictionary! { "XObject" => dictionary! { "X1" => form_id } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 },
        ),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn a_form_that_draws_itself_costs_only_that_form() {
    let dir = scratch("abort");
    let corpus = dir.join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(corpus.join("zelfverwijzend.pdf"), self_drawing_pdf()).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("corpus/peo-2022-2023-samenvatting.pdf"),
        corpus.join("peo-2022-2023-samenvatting.pdf"),
    )
    .unwrap();
    let index = dir.join("index");
    let run = peo(&[
        "index",
        "--corpus",
        path_str(&corpus),
        "--index",
        path_str(&index),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("zelfverwijzend.pdf: page 1: skipped the form /X1: it draws itself"),
        "{}",
        run.stderr
    );
    assert!(
        summary(&run).contains("(2 added, 0 updated, 0 removed, 0 unchanged, 0 failed)"),
        "{}",
        run.stderr
    );
    assert!(hit_ids(path_str(&index), "geluksdruk", &[])
        .contains(&"peo-2022-2023-samenvatting".to_string()));
}

#[test]
fn a_file_over_its_time_budget_is_abandoned() {
    let dir = scratch("timeout");
    let corpus = dir.join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("corpus/peo-2024-2025-rapport.pdf"),
        corpus.join("peo-2024-2025-rapport.pdf"),
    )
    .unwrap();
    let index = dir.join("index");
    let run = peo(&[
        "index",
        "--corpus",
        path_str(&corpus),
        "--index",
        path_str(&index),
        "--timeout",
        "0",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("peo-2024-2025-rapport.pdf: abandoned after 0 s"),
        "{}",
        run.stderr
    );
}

#[test]
fn extract_and_an_in_process_run_keep_to_the_time_budget() {
    // Regression: only worker processes kept to --timeout; `peo extract` and `peo index
    // --in-process` ran a file for as long as it took.
    let dir = scratch("timeout-everywhere");
    let corpus = dir.join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let report = corpus.join("peo-2024-2025-rapport.pdf");
    std::fs::copy(
        Path::new(ROOT).join("corpus/peo-2024-2025-rapport.pdf"),
        &report,
    )
    .unwrap();
    let abandoned = format!(
        "peo: {}: abandoned after 0 s (the time budget of one file)",
        report.display()
    );
    for (mode, extra) in [("worker", None), ("in-process", Some("--in-process"))] {
        let mut args = vec!["extract", path_str(&report), "--timeout", "0"];
        args.extend(extra);
        let run = peo(&args);
        assert_eq!(run.code, 2, "{mode}: {}", run.stderr);
        assert!(run.stderr.contains(&abandoned), "{mode}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{mode}: {}", run.stdout);
        let index = dir.join(format!("index-{mode}"));
        let mut args = vec![
            "index",
            "--corpus",
            path_str(&corpus),
            "--index",
            path_str(&index),
            "--timeout",
            "0",
        ];
        args.extend(extra);
        let run = peo(&args);
        assert_eq!(run.code, 1, "{mode}: {}", run.stderr);
        assert!(run.stderr.contains(&abandoned), "{mode}: {}", run.stderr);
    }
}

#[test]
fn extract_keeps_to_the_memory_limit_of_its_worker() {
    // 20000 pages need more than 64 MiB: the worker that reads them for `peo extract` runs out
    // of its address space, and peo says so.
    let dir = scratch("extract-memory");
    let file = dir.join("dik.pdf");
    std::fs::write(&file, pdf_of_pages(20000, 1)).unwrap();
    let run = peo(&["extract", path_str(&file), "--max-memory", "64"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "peo: {}: exceeded the memory limit of 64 MiB (the memory budget of one file, --max-memory)",
            file.display()
        )),
        "{}",
        run.stderr
    );
}

/// The ids of the documents in an index, sorted.
fn listed_ids(index: &Path) -> Vec<String> {
    let run = peo(&["list", "--index", path_str(index), "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Value = serde_json::from_str(&run.stdout).expect("list prints JSON");
    let mut ids: Vec<String> = rows
        .as_array()
        .expect("an array of documents")
        .iter()
        .map(|r| str_of(r, "id").to_string())
        .collect();
    ids.sort();
    ids
}

/// A corpus in `dir` of copies of the 2022-2023 summary named `good-N.pdf` and the given files.
fn corpus_of_copies(dir: &Path, n_copies: usize, files: &[(&str, Vec<u8>)]) -> PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let summary =
        std::fs::read(Path::new(ROOT).join("corpus/peo-2022-2023-samenvatting.pdf")).unwrap();
    for i in 0..n_copies {
        // A comment after %%EOF gives each copy its own hash.
        let mut bytes = summary.clone();
        bytes.extend_from_slice(format!("% copy {i}\n").as_bytes());
        std::fs::write(corpus.join(format!("good-{i}.pdf")), bytes).unwrap();
    }
    for (name, bytes) in files {
        std::fs::write(corpus.join(name), bytes).unwrap();
    }
    corpus
}

/// The processes `pid`'s threads started.
fn children(pid: u32) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
        .flat_map(|c| {
            c.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect()
}

#[test]
fn a_worker_that_aborts_mid_batch_costs_only_its_file() {
    // One job: one worker at a time takes the files in order. It answers for good-0 and
    // good-1, and is sent SIGABRT (what a stack overflow or an abort in the parser raises)
    // while it reads the 20000 pages of good-1b-dik, which take it 20 s or more; a fresh worker
    // takes good-2 and good-3.
    let dir = scratch("pool-abort");
    let corpus = corpus_of_copies(&dir, 4, &[("good-1b-dik.pdf", pdf_of_pages(20000, 100))]);
    let index = dir.join("index");
    let child = Command::new(env!("CARGO_BIN_EXE_peo"))
        .args(["index", "--corpus", path_str(&corpus), "--index"])
        .arg(&index)
        .args(["--jobs", "1"])
        .env_remove("PEO_INDEX")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let worker = loop {
        if let Some(&worker) = children(child.id()).first() {
            break worker;
        }
        assert!(started.elapsed().as_secs() < 60, "no worker started");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    // The two copies of the summary take a fraction of a second each.
    std::thread::sleep(std::time::Duration::from_secs(5));
    let killed = Command::new("kill")
        .args(["-ABRT", &worker.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert_eq!(run.code, 1, "{}", run.stderr);
    let failures: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("peo: "))
        .collect();
    assert_eq!(
        failures,
        [format!(
            "peo: {}: the extraction process ended abnormally: the pdf parser aborted (for instance a stack overflow on a self-referencing object)",
            corpus.join("good-1b-dik.pdf").display()
        )],
        "{}",
        run.stderr
    );
    assert!(
        summary(&run).contains("(4 added, 0 updated, 0 removed, 0 unchanged, 1 failed)"),
        "{}",
        run.stderr
    );
    assert_eq!(listed_ids(&index), ["good-0", "good-1", "good-2", "good-3"]);
}

#[test]
fn a_worker_over_its_time_budget_is_replaced_for_the_next_files() {
    // 20000 pages of 100 lines take a worker 20 s or more, far over the 2 s budget; a copy
    // of the summary takes a fraction of it. The worker on the big file is killed and a fresh
    // one takes the rest.
    let dir = scratch("pool-timeout");
    let corpus = corpus_of_copies(&dir, 3, &[("good-1b-dik.pdf", pdf_of_pages(20000, 100))]);
    let index = dir.join("index");
    let run = peo(&[
        "index",
        "--corpus",
        path_str(&corpus),
        "--index",
        path_str(&index),
        "--jobs",
        "1",
        "--timeout",
        "2",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let failures: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("peo: "))
        .collect();
    assert_eq!(
        failures,
        [format!(
            "peo: {}: abandoned after 2 s (the time budget of one file)",
            corpus.join("good-1b-dik.pdf").display()
        )],
        "{}",
        run.stderr
    );
    assert_eq!(listed_ids(&index), ["good-0", "good-1", "good-2"]);
}

#[test]
fn a_worker_over_its_memory_limit_is_reported_as_such() {
    // Regression: a worker that ran out of its address space aborted, and was reported as
    // "the pdf parser aborted". 20000 pages need more than 64 MiB.
    let dir = scratch("pool-memory");
    let corpus = corpus_of_copies(&dir, 1, &[("good-1b-dik.pdf", pdf_of_pages(20000, 1))]);
    let index = dir.join("index");
    let run = peo(&[
        "index",
        "--corpus",
        path_str(&corpus),
        "--index",
        path_str(&index),
        "--max-memory",
        "64",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "peo: {}: exceeded the memory limit of 64 MiB (the memory budget of one file, --max-memory)",
            corpus.join("good-1b-dik.pdf").display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(listed_ids(&index), ["good-0"]);
}

/// A PDF of `n_pages` pages, each showing the same `n_lines` lines in Helvetica ("Regel 1",
/// "Regel 2", ...) from one content stream.
fn pdf_of_pages(n_pages: u32, n_lines: u32) -> Vec<u8> {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" },
    );
    let lines: String = (1..=n_lines)
        .map(|line| format!("0 -14 Td (Regel {line}) Tj "))
        .collect();
    let text = format!("BT /F1 12 Tf 72 780 Td {lines}ET");
    let content = doc.add_object(Stream::new(dictionary! {}, text.into_bytes()));
    let mut kids = Vec::new();
    for _ in 0..n_pages {
        kids.push(Object::Reference(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        })));
    }
    let mut root = dictionary! { "Type" => "Pages", "Count" => n_pages as i64 };
    root.set("Kids", kids);
    doc.objects.insert(pages_id, Object::Dictionary(root));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn an_indexing_run_killed_at_any_moment_leaves_the_previous_index_searchable() {
    let dir = scratch("killed");
    let corpus = Path::new(ROOT).join("corpus");
    let index = dir.join("index");
    let (c, i) = (path_str(&corpus).to_string(), path_str(&index).to_string());
    let run = peo(&["index", "--corpus", &c, "--index", &i]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = hit_ids(&i, "werkdruk", &[]);
    assert!(!before.is_empty());
    // Kill rebuilds at several moments, from start-up to the commit.
    for delay_ms in [20, 80, 200, 400, 700, 1000, 1500] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_peo"))
            .args(["index", "--corpus", &c, "--index", &i, "--force"])
            .env_remove("PEO_INDEX")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        // While it runs (or after it is killed), search answers with a whole index.
        assert_eq!(
            hit_ids(&i, "werkdruk", &[]).len(),
            before.len(),
            "after {delay_ms} ms"
        );
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        assert_eq!(
            hit_ids(&i, "werkdruk", &[]).len(),
            before.len(),
            "killed after {delay_ms} ms"
        );
    }
    let run = peo(&["index", "--corpus", &c, "--index", &i]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert!(
        !run.stderr.contains("being written by another peo"),
        "{}",
        run.stderr
    );
    assert_eq!(hit_ids(&i, "werkdruk", &[]).len(), before.len());
}

#[test]
fn by_wave_counts_hits_per_wave_and_type() {
    let run = peo(&[
        "search",
        "werkdruk",
        "--by-wave",
        "--format",
        "json",
        "--index",
        index_dir(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let rows = json["by_wave"].as_array().unwrap();
    let all = search("werkdruk", &[]);
    let total: u64 = rows.iter().map(|r| r["hits"].as_u64().unwrap()).sum();
    assert_eq!(total as usize, all.len());
    for r in rows {
        let n = all
            .iter()
            .filter(|h| h["wave"] == r["wave"] && h["doc_type"] == r["doc_type"])
            .count();
        assert_eq!(r["hits"].as_u64().unwrap() as usize, n, "{r}");
    }
    assert!(
        rows.iter().any(|r| r["wave"] == "2022") && rows.iter().any(|r| r["wave"] == "2024-2025")
    );
}

#[test]
fn group_doc_gives_one_entry_per_document() {
    let run = peo(&[
        "search",
        "reflectie",
        "--group",
        "doc",
        "--format",
        "json",
        "--index",
        index_dir(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let docs = json["documents"].as_array().unwrap();
    let ids: Vec<&str> = docs.iter().map(|d| str_of(d, "doc_id")).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len());
    assert!(docs.len() >= 3);
    assert!(docs
        .iter()
        .all(|d| d["hits"].as_u64().unwrap() >= 1 && d["best"]["doc_id"] == d["doc_id"]));
}

#[test]
fn a_misspelled_word_falls_back_to_fuzzy_matches_marked_as_such() {
    // "jeugdhulprofesionals" is not in any text; the fuzzy fallback finds the real word.
    let hits = search("jeugdhulprofesionals", &[]);
    assert!(!hits.is_empty());
    for h in &hits {
        assert_eq!(h["fuzzy"], true, "{h}");
        let snippet = str_of(h, "snippet");
        let marked: Vec<String> = h["highlights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                common::chars(snippet, r[0].as_u64().unwrap(), r[1].as_u64().unwrap()).unwrap()
            })
            .collect();
        assert!(
            marked
                .iter()
                .any(|w| w.to_lowercase().starts_with("jeugdhu")),
            "{marked:?}"
        );
    }
    let run = peo(&[
        "search",
        "jeugdhulprofesionals",
        "--no-fuzzy",
        "--index",
        index_dir(),
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("peo: no hits"), "{}", run.stderr);
}

/// The words of a hit's snippet that its highlights mark.
fn marked(hit: &serde_json::Value) -> Vec<String> {
    let snippet = str_of(hit, "snippet");
    hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            common::chars(snippet, r[0].as_u64().unwrap(), r[1].as_u64().unwrap())
                .unwrap()
                .to_lowercase()
        })
        .collect()
}

#[test]
fn the_fuzzy_fallback_keeps_fields_and_takes_phrases_and_prefixes() {
    // A misspelled phrase limited to one wave: near spellings, and only that wave.
    let hits = search("\"profesionele ruimte\" wave:2022", &[]);
    assert!(!hits.is_empty());
    for h in &hits {
        assert_eq!(h["fuzzy"], true, "{h}");
        assert_eq!(str_of(h, "wave"), "2022", "{h}");
        assert!(marked(h).iter().any(|w| w == "professionele"), "{h}");
        // still a phrase: the words next to each other, in order
        assert!(hit_fields(h)[0].contains("professionele ruimte"), "{h}");
    }
    // A misspelled prefix (one p short): the words it nearly begins.
    let hits = search("jeugdhulprof*", &[]);
    assert!(!hits.is_empty());
    for h in &hits {
        assert_eq!(h["fuzzy"], true, "{h}");
        assert!(
            marked(h).iter().any(|w| w.starts_with("jeugdhulpprof")),
            "{h}"
        );
    }
    let run = peo(&[
        "search",
        "jeugdhulprof*",
        "--no-fuzzy",
        "--index",
        index_dir(),
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("peo: no hits"), "{}", run.stderr);
}

#[test]
fn show_prints_the_outline_and_a_page() {
    let run = peo(&["show", "peo-2024-2025-rapport", "--index", index_dir()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("Al doende leren [2024-2025, rapport] peo-2024-2025-rapport"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("3.4 Leren waar regels en werkwijzen niet passen"),
        "{}",
        run.stdout
    );
    let run = peo(&[
        "show",
        "peo-2024-2025-rapport:14",
        "--format",
        "json",
        "--index",
        index_dir(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(page["label"], "14");
    assert!(str_of(&page, "text").contains("Ik vraag feedback aan cliënten"));
    let run = peo(&["show", "bestaat-niet", "--index", index_dir()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no document \"bestaat-niet\""),
        "{}",
        run.stderr
    );
}

#[test]
fn a_page_without_text_layer_is_read_by_ocr_or_reported() {
    let file = "corpus/peo-2022-factsheet-scan.pdf";
    let run = peo(&["extract", file, "--ocr", "never"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(str_of(&doc["pages"][0], "text"), "");
    assert!(
        run.stderr
            .contains("page 1 has no text: an image without a text layer (OCR is off)"),
        "{}",
        run.stderr
    );

    // `make test` installs tesseract with Dutch data (make ocr-deps).
    let run = peo(&["extract", file, "--ocr", "auto"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("page 1: text recognised by OCR (tesseract, nld)"),
        "{}",
        run.stderr
    );
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    let text = str_of(&doc["pages"][0], "text").to_lowercase();
    for word in [
        "werkdruk",
        "professionele ruimte",
        "rapportcijfer",
        "aanbevelingen",
    ] {
        assert!(text.contains(word), "{word} not in {text}");
    }
    // Tiles set side by side: tesseract's page segmentation ran their lines together, which
    // garbled these ("Vooren nnen", "139%", "gy eht de kans"); sparse text reads them.
    for words in [
        "voor eigen professionele",
        "13%",
        "acht de kans (redelijk) groot over een jaar nog werkzaam",
    ] {
        assert!(text.contains(words), "{words} not in {text}");
    }
}

#[test]
fn encrypted_pdfs_are_read_with_an_empty_password_and_refused_clearly_otherwise() {
    for file in [
        "tests/fixtures/leeg-wachtwoord.pdf",
        "tests/fixtures/rc4-leeg-wachtwoord.pdf",
    ] {
        let run = peo(&["extract", file]);
        assert_eq!(run.code, 0, "{file}: {}", run.stderr);
        let doc: Value = serde_json::from_str(&run.stdout).unwrap();
        assert!(
            str_of(&doc["pages"][0], "text").contains("Geluksdruk"),
            "{file}"
        );
    }
    let run = peo(&["extract", "tests/fixtures/met-wachtwoord.pdf"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim(),
        "peo: tests/fixtures/met-wachtwoord.pdf: encrypted pdf that needs a password"
    );
}

#[test]
fn paths_with_spaces_and_unicode_and_symlinks_work() {
    let dir = scratch("paden");
    let corpus = dir.join("map met spaties ë");
    std::fs::create_dir_all(corpus.join("één")).unwrap();
    let source = Path::new(ROOT).join("corpus/peo-2022-2023-samenvatting.pdf");
    std::fs::copy(&source, corpus.join("één/samenvatting 2022–2023.pdf")).unwrap();
    std::os::unix::fs::symlink(
        Path::new(ROOT).join("corpus/peo-2023-2024-samenvatting.pdf"),
        corpus.join("koppeling.pdf"),
    )
    .unwrap();
    let index = dir.join("index ü");
    let run = peo(&[
        "index",
        "--corpus",
        path_str(&corpus),
        "--index",
        path_str(&index),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(summary(&run).contains("(2 added,"), "{}", run.stderr);
    // A document id is the file's path in the corpus, without .pdf.
    let ids = hit_ids(path_str(&index), "geluksdruk", &[]);
    assert!(
        ids.contains(&"één/samenvatting 2022–2023".to_string()),
        "{ids:?}"
    );
    assert!(hit_ids(path_str(&index), "uitstroom", &[]).contains(&"koppeling".to_string()));
}

#[test]
fn an_index_that_cannot_be_created_is_a_clear_error() {
    let dir = scratch("geen-index");
    let blocker = dir.join("bestand");
    std::fs::write(&blocker, b"geen map").unwrap();
    let index = blocker.join("index");
    let run = peo(&["index", "--corpus", "corpus", "--index", path_str(&index)]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.lines().next().unwrap_or(""),
        format!(
            "peo: {}: cannot create the index directory: Not a directory (os error 20)",
            index.display()
        )
    );
}

#[test]
fn recs_limit_keeps_the_first_items() {
    let all = peo(&["recs", "--format", "jsonl", "--index", index_dir()]);
    let two = peo(&[
        "recs",
        "--format",
        "jsonl",
        "--limit",
        "2",
        "--index",
        index_dir(),
    ]);
    assert_eq!(two.code, 0, "{}", two.stderr);
    let first: Vec<&str> = all.stdout.lines().take(2).collect();
    assert_eq!(two.stdout.lines().collect::<Vec<_>>(), first);
}

#[test]
fn a_search_beside_a_reindex_sees_the_last_commit_and_a_second_writer_is_told() {
    let dir = scratch("beside");
    let corpus = dir.join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("corpus/peo-2022-factsheet.pdf"),
        corpus.join("peo-2022-factsheet.pdf"),
    )
    .unwrap();
    let index = dir.join("index");
    let (c, i) = (path_str(&corpus).to_string(), path_str(&index).to_string());
    let run = peo(&["index", "--corpus", &c, "--index", &i]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The publications that hold the word.
    let found = |index: &str| -> std::collections::BTreeSet<String> {
        hit_ids(index, "werkdruk", &[]).into_iter().collect()
    };
    let before = found(&i);
    assert_eq!(before, ["peo-2022-factsheet".to_string()].into());
    // A reader opened now, before the next commit, in this process.
    let held = peo::index::PeoIndex::open(&index).unwrap();
    let held_hits = |query: &str| -> std::collections::BTreeSet<String> {
        let filters = peo::search::Filters::default();
        held.search(query, &filters, 50)
            .unwrap()
            .into_iter()
            .map(|h| h.doc_id)
            .collect()
    };
    assert_eq!(held_hits("werkdruk"), before);

    // The whole corpus now: a run of several seconds (OCR of two scans).
    for entry in std::fs::read_dir(Path::new(ROOT).join("corpus")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "pdf") {
            std::fs::copy(&path, corpus.join(path.file_name().unwrap())).unwrap();
        }
    }
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_peo"))
            .args(["index", "--corpus", &c, "--index", &i, "--force"])
            .env_remove("PEO_INDEX")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut writer = spawn();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let second = spawn();
    // While the first run writes, searches see the index of the last commit: the old one
    // until the run commits, then the new one, never a part of it.
    let mut seen = Vec::new();
    while writer.try_wait().unwrap().is_none() {
        seen.push(found(&i));
    }
    let second = second.wait_with_output().unwrap();
    let first = writer.wait_with_output().unwrap();
    let after = found(&i);
    assert!(after.len() > before.len(), "{after:?}");
    let n_old = seen.iter().take_while(|s| **s == before).count();
    assert!(
        n_old >= 2,
        "the run was too short to search beside it: {seen:?}"
    );
    assert!(seen[n_old..].iter().all(|s| *s == after), "{seen:?}");
    // Of two writers at once, one writes and the other is told why it cannot.
    let mut outcomes = [
        (
            first.status.code(),
            String::from_utf8_lossy(&first.stderr).into_owned(),
        ),
        (
            second.status.code(),
            String::from_utf8_lossy(&second.stderr).into_owned(),
        ),
    ];
    outcomes.sort();
    assert_eq!(outcomes[0].0, Some(0), "{}", outcomes[0].1);
    assert_eq!(outcomes[1].0, Some(2), "{}", outcomes[1].1);
    assert_eq!(
        outcomes[1].1.trim(),
        format!("peo: {i}: the index is being written by another peo")
    );
    // The reader opened before the commit keeps the old state and still reads it, though the
    // commit removed its files.
    assert_eq!(held_hits("werkdruk"), before);
    assert_eq!(held.documents().unwrap().len(), 1);
}

/// The lines of `peo extract --format lines` as (page, tree role, block role, source, text),
/// and the JSON model's blocks as (page, role with level, source).
fn lines_and_blocks(
    file: &str,
) -> (
    Vec<(u32, String, String, String, String)>,
    Vec<(u32, String, String)>,
) {
    let run = peo(&["extract", file, "--format", "lines"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run
        .stdout
        .lines()
        .map(|l| {
            let fields: Vec<&str> = l.split_whitespace().collect();
            assert!(fields.len() >= 9, "{l}");
            let text = fields[9..].join(" ");
            (
                fields[0].parse().unwrap(),
                fields[6].to_string(),
                fields[7].to_string(),
                fields[8].to_string(),
                text,
            )
        })
        .collect();
    let run = peo(&["extract", file]);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    let blocks = doc["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let role = b["role"].as_str().unwrap();
            let role = match b["level"].as_u64() {
                Some(level) => format!("{role}-{level}"),
                None => role.to_string(),
            };
            (
                b["page"].as_u64().unwrap() as u32,
                role,
                b["source"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (lines, blocks)
}

#[test]
fn extract_lines_shows_each_lines_role_and_where_it_came_from() {
    use std::collections::BTreeSet;
    // A Chromium print, tagged: its headings are H elements, and peo says so.
    let (lines, blocks) = lines_and_blocks("corpus/peo-2022-factsheet.pdf");
    let heading = lines
        .iter()
        .find(|(_, tree, ..)| tree == "h2")
        .expect("an H2 line");
    assert!(heading.2.starts_with("heading-"), "{heading:?}");
    assert_eq!(heading.3, "tags", "{heading:?}");
    assert!(lines.iter().any(|l| l.3 == "tags") && lines.iter().all(|l| l.3 != "-"));
    // Every block of the model shows on its page with its role and source, and nothing else.
    let shown: BTreeSet<(u32, String, String)> = lines
        .iter()
        .map(|(p, _, r, s, _)| (*p, r.clone(), s.clone()))
        .collect();
    assert_eq!(shown, blocks.into_iter().collect::<BTreeSet<_>>());
    // A LibreOffice export without tags: every role came from layout.
    let (lines, blocks) = lines_and_blocks("corpus/peo-2022-2023-samenvatting.pdf");
    assert!(lines
        .iter()
        .all(|(_, tree, _, source, _)| tree == "-" && source == "layout"));
    assert!(lines.iter().any(|l| l.2.starts_with("heading-")));
    assert!(lines.iter().any(|l| l.2 == "recommendation"));
    let shown: BTreeSet<(u32, String, String)> = lines
        .iter()
        .map(|(p, _, r, s, _)| (*p, r.clone(), s.clone()))
        .collect();
    assert_eq!(shown, blocks.into_iter().collect::<BTreeSet<_>>());
}
