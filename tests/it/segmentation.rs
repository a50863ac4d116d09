//! Segmentation end to end: the `peo` binary on the bundled corpus, for what the layout alone
//! tells (tables read as rows, bold labels, numbered items) and for the quality table per
//! variant.
//!
//! Invariant: the corpus is only read; nothing is written.

use serde_json::Value;

use crate::common;

/// Runs peo in the crate root and returns its exit code and standard output.
fn peo(args: &[&str]) -> (i32, String) {
    let run = common::peo(args);
    (run.code, run.stdout)
}

fn extract(file: &str) -> Value {
    let (code, out) = peo(&["extract", file]);
    assert_eq!(code, 0);
    serde_json::from_str(&out).expect("extract prints JSON")
}

#[test]
fn the_reports_tables_are_rows_with_captions_and_give_key_figures() {
    let doc = extract("corpus/peo-2024-2025-rapport.pdf");
    let tables = doc["tables"].as_array().expect("tables");
    let numbers: Vec<&str> = tables
        .iter()
        .map(|t| t["number"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(numbers, ["Tabel 1", "Tabel 2", "Tabel 3", "Tabel 4"]);
    assert_eq!(
        tables[0]["rows"][0],
        serde_json::json!(["Aantal professionals", "78"])
    );
    assert_eq!(
        tables[2]["header"],
        serde_json::json!([
            "Gebruikte kennis/vaardigheden opleiding",
            "Ervaren professionals",
            "Startende professionals"
        ])
    );
    // No cell of a table is a heading or a paragraph.
    let headings: Vec<&str> = doc["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert!(!headings.iter().any(|h| h.contains("Aantal professionals")));
    assert!(!doc["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["text"].as_str().unwrap().starts_with("Tabel 1")));
    let figures = doc["key_figures"].as_array().unwrap();
    assert!(figures.iter().any(|f| f["value"] == "25"
        && f["statement"]
            .as_str()
            .unwrap()
            .starts_with("De specialistische")));
}

#[test]
fn bold_labels_of_the_summary_are_headings_and_form_fields_are_not() {
    let doc = extract("corpus/peo-2022-2023-samenvatting.pdf");
    let titles: Vec<&str> = doc["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    for label in [
        "Twee achterliggende oorzaken",
        "Meegaan in de verwachting",
        "Niet meegaan in de verwachting",
    ] {
        assert!(titles.contains(&label), "{label} in {titles:?}");
    }
    let report = extract("corpus/peo-2024-2025-rapport.pdf");
    assert!(!report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["title"] == "Naam" || s["title"] == "Dataverzameling"));
}

#[test]
fn the_brochure_in_a_layout_of_its_own_is_segmented() {
    let doc = extract("corpus/peo-2024-2025-brochure.pdf");
    let recs: Vec<(u64, &str)> = doc["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["number"].as_u64().unwrap(),
                r["audience_label"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        recs,
        [
            (1, "Voor opleidingen"),
            (2, "Voor opleidingen"),
            (3, "Voor organisaties"),
            (4, "Voor organisaties"),
            (5, "Voor professionals")
        ]
    );
    let figures: Vec<&str> = doc["key_figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["value"].as_str().unwrap())
        .collect();
    // In reading order, which the print's structure tree gives: the three tiles, then the
    // table under them (as the gold text reads: the brochure's CER went .115 -> .000 when the
    // tree's order replaced the geometric one, which took the table before the other tiles).
    assert_eq!(figures, ["78", "12", "3", "78", "12", "3"]);
}

#[test]
fn quality_prints_each_variant_pooled() {
    let corpus = common::quality_corpus("segmentation", "quality");
    let (code, out) = peo(&[
        "quality",
        "--corpus",
        corpus.to_str().unwrap(),
        "--gold",
        "tests/gold",
        "--baseline",
        "tests/baseline/pdftotext",
    ]);
    assert_eq!(code, 0);
    for variant in ["all born-digital", "all scan-image"] {
        assert!(
            out.lines().any(|l| l.starts_with(variant)),
            "{variant} in\n{out}"
        );
    }
    std::fs::remove_dir_all(&corpus).unwrap();
}

/// `peo extract --explain` says, block by block, which rule made each block what it became
/// and what it saw: every block with a role other than paragraph has a decision that took it,
/// naming the role the document gives it.
#[test]
fn explain_says_why_each_block_became_a_heading_a_recommendation_or_the_title() {
    let file = "corpus/peo-2022-2023-samenvatting.pdf";
    let run = common::peo(&["extract", file, "--explain"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).expect("extract prints JSON");
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("block "))
        .collect();
    let has = |role: &str, rule: &str, opening: &str| {
        lines.iter().any(|l| {
            l.split_whitespace().nth(4) == Some(role)
                && l.contains(&format!(" {rule}: "))
                && l.contains(opening)
        })
    };
    assert!(
        has("title", "title", "De jeugdhulpverlener met de toverstaf"),
        "{lines:#?}"
    );
    assert!(
        has(
            "heading",
            "size-heading",
            "Onderzoek naar maatschappelijke verwachtingen"
        ),
        "{lines:#?}"
    );
    assert!(
        has("heading", "bold-label", "Twee achterliggende oorzaken:"),
        "{lines:#?}"
    );
    assert!(
        has("recommendation", "list-item", "Reflecteer met elkaar"),
        "{lines:#?}"
    );
    // Each block with a role has the decision that gave it that role.
    let blocks = doc["blocks"].as_array().expect("blocks");
    for (i, b) in blocks.iter().enumerate() {
        let role = b["role"].as_str().expect("a role");
        if role == "paragraph" {
            continue;
        }
        let prefix = format!("block {i:>4} ");
        assert!(
            lines.iter().any(|l| l.starts_with(&prefix)
                && l.split_whitespace().nth(4) == Some(role)
                && !l.contains(" declined ")),
            "block {i} ({role}) has no decision: {lines:#?}"
        );
    }
}
