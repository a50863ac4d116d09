//! The use cases as library functions, called as `peo index` and `peo search` call them:
//! `corpus::index` on a small corpus (a bad file among good ones, then a second, incremental
//! run) and `search::search` on the index it wrote.

use std::path::Path;

use peo::corpus::{self, IndexConfig, Notice, Processing};
use peo::index::PeoIndex;
use peo::ocr::OcrMode;
use peo::search::{self, Filters, ItemsRequest, SearchRequest, Which};

use crate::common;

#[test]
fn a_corpus_indexed_by_the_library_is_searched_by_the_library() {
    let dir = common::scratch_with("library", "index-and-search", |_| {});
    let corpus_dir = dir.join("corpus");
    std::fs::create_dir_all(&corpus_dir).unwrap();
    for name in ["peo-2022-factsheet.pdf", "peo-2022-webpagina.pdf"] {
        std::fs::copy(
            Path::new(common::ROOT).join("corpus").join(name),
            corpus_dir.join(name),
        )
        .unwrap();
    }
    std::fs::write(corpus_dir.join("kapot.pdf"), b"%PDF-1.4 niets meer").unwrap();
    let config = IndexConfig {
        corpus: corpus_dir.clone(),
        index: dir.join("index"),
        jobs: 2,
        force: false,
        processing: Processing::in_process(OcrMode::Never),
        progress: false,
        allow_removal: false,
        corpus_moved: false,
        strict: false,
    };
    let mut failed = Vec::new();
    let summary = corpus::index(&config, &mut |notice| {
        if let Notice::Failed(path, e) = notice {
            failed.push(format!("{}: {e}", path.display()));
        }
    })
    .unwrap();
    assert_eq!(
        (
            summary.n_files,
            summary.files.added.len(),
            summary.files.failed.len()
        ),
        (3, 2, 1),
        "{summary:?}"
    );
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(
        failed[0].contains("kapot.pdf: cannot parse pdf"),
        "{failed:?}"
    );

    // Nothing changed: nothing is processed again (the bad file is tried again and fails).
    let again = corpus::index(&config, &mut |_| {}).unwrap();
    assert_eq!(
        (
            again.n_unchanged,
            again.files.added.len(),
            again.files.updated.len(),
            again.files.failed.len()
        ),
        (2, 0, 0, 1),
        "{again:?}"
    );

    let index = PeoIndex::open(&config.index).unwrap();
    let request = SearchRequest {
        query: "werkdruk".into(),
        filters: Filters::default(),
        limit: 3,
        fuzzy: true,
        duplicates: false,
        per_doc: search::PER_DOC,
    };
    let hits = search::search(&index, &request).unwrap().hits;
    assert!(!hits.is_empty() && hits.len() <= 3, "{hits:?}");
    for hit in &hits {
        assert!(hit.doc_id.starts_with("peo-2022-"), "{}", hit.doc_id);
        assert!(!hit.fuzzy);
        // marked: the snippet holds the word it was found by
        assert!(!hit.highlights.is_empty(), "{hit:?}");
    }

    // A misspelling finds the word by the fuzzy fallback, and only with it.
    let misspelled = SearchRequest {
        query: "professoinele".into(),
        ..request.clone()
    };
    let hits = search::search(&index, &misspelled).unwrap().hits;
    assert!(!hits.is_empty() && hits.iter().all(|h| h.fuzzy), "{hits:?}");
    let strict = SearchRequest {
        fuzzy: false,
        ..misspelled
    };
    assert!(search::search(&index, &strict).unwrap().hits.is_empty());

    let groups = search::search_by_document(&index, &request).unwrap();
    let mut ids: Vec<&str> = groups.iter().map(|(h, _)| h.doc_id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), groups.len());
    assert!(groups.iter().all(|(_, n)| *n >= 1));

    // Every recommendation, in document order, then the first two.
    let all = ItemsRequest {
        which: Which::Recommendations,
        query: None,
        filters: Filters::default(),
        limit: None,
        all_copies: true,
    };
    let n_recs: usize = index
        .documents()
        .unwrap()
        .iter()
        .map(|d| d.recommendations.len())
        .sum();
    assert!(n_recs > 2, "{n_recs} recommendations");
    assert_eq!(search::items(&index, &all).unwrap().len(), n_recs);
    let first = ItemsRequest {
        limit: Some(2),
        ..all
    };
    assert_eq!(search::items(&index, &first).unwrap().len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}
