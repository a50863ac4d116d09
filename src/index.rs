//! `Document`s ⇄ a tantivy index on disk: one index document per passage (heading, paragraph,
//! recommendation, quote, key figure) and one record per publication holding its whole model.
//! The only module that knows tantivy.
//!
//! Invariant: a change to the index becomes visible all at once (tantivy's commit replaces its
//! meta file atomically), so a reader sees the old or the new state, never half of a run; and
//! an index written under another schema version is refused, never misread.

use std::path::Path;

use anyhow::{bail, Context};
use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, FuzzyTermQuery, Occur, Query, QueryParser, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::model::{Document, PassageKind};
use crate::search::{Filters, Hit};

/// Bumped whenever the schema or the analyzers change: an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 2;
const VERSION_FILE: &str = "peo-schema-version";
const DUTCH: &str = "peo_dutch";
const FOLDED: &str = "peo_folded";
const DOCUMENT_KIND: &str = "document";

struct Fields {
    doc_id: Field,
    title: Field,
    wave: Field,
    doc_type: Field,
    kind: Field,
    audience: Field,
    audience_label: Field,
    section: Field,
    page: Field,
    page_label: Field,
    number: Field,
    ordinal: Field,
    text: Field,
    text_exact: Field,
    blake3: Field,
    model: Field,
    catalog: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let dutch = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(DUTCH)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let o = TextOptions::default().set_indexing_options(indexing);
        if stored {
            o.set_stored()
        } else {
            o
        }
    };
    let folded = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(FOLDED)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        doc_id: b.add_text_field("doc_id", STRING | STORED | FAST),
        title: b.add_text_field("title", dutch(true)),
        wave: b.add_text_field("wave", STRING | STORED | FAST),
        doc_type: b.add_text_field("doc_type", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        audience: b.add_text_field("audience", STRING | STORED),
        audience_label: b.add_text_field("audience_label", STORED),
        section: b.add_text_field("section", dutch(true)),
        page: b.add_u64_field("page", STORED | FAST),
        page_label: b.add_text_field("page_label", STORED),
        number: b.add_u64_field("number", STORED),
        ordinal: b.add_u64_field("ordinal", STORED),
        text: b.add_text_field("text", dutch(true)),
        text_exact: b.add_text_field("text_exact", folded),
        blake3: b.add_text_field("blake3", STRING | STORED),
        model: b.add_text_field("model", STORED),
        catalog: b.add_text_field("catalog", STORED),
    };
    (b.build(), fields)
}

fn register_analyzers(index: &Index) {
    let dutch = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::Dutch).expect("tantivy ships Dutch stop words"))
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::Dutch))
        .build();
    let folded = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    index.tokenizers().register(DUTCH, dutch);
    index.tokenizers().register(FOLDED, folded);
}

/// An open peo index.
pub struct PeoIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    /// Held from `lock` to the commit: only one run writes an index at a time.
    writer: Option<IndexWriter>,
}

impl PeoIndex {
    /// Opens the index in `dir`, creating it when the directory holds none.
    pub fn open_or_create(dir: &Path) -> anyhow::Result<PeoIndex> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot create the index directory", dir.display()))?;
        if dir.join("meta.json").exists() {
            return PeoIndex::open(dir);
        }
        let (schema, fields) = schema();
        let index = Index::create_in_dir(dir, schema)
            .with_context(|| format!("{}: cannot create the index", dir.display()))?;
        std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION.to_string())
            .with_context(|| format!("{}: cannot write the index", dir.display()))?;
        PeoIndex::wrap(index, fields)
    }

    /// Opens the index in `dir` to be rebuilt: an index of another schema version is removed
    /// first (only the files an index consists of), an index of this version is kept until
    /// `replace_all` commits its replacement.
    pub fn open_for_rebuild(dir: &Path) -> anyhow::Result<PeoIndex> {
        let version = std::fs::read_to_string(dir.join(VERSION_FILE)).unwrap_or_default();
        if dir.join("meta.json").exists() && version.trim() != SCHEMA_VERSION.to_string() {
            let entries = std::fs::read_dir(dir)
                .with_context(|| format!("{}: cannot read", dir.display()))?;
            for entry in entries {
                let path = entry?.path();
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let index_file = name == "meta.json"
                    || name == ".managed.json"
                    || name == VERSION_FILE
                    || name.starts_with(".tantivy")
                    || [
                        ".idx",
                        ".pos",
                        ".term",
                        ".store",
                        ".fast",
                        ".fieldnorm",
                        ".del",
                        ".doc",
                    ]
                    .iter()
                    .any(|e| name.ends_with(e));
                if index_file && path.is_file() {
                    std::fs::remove_file(&path)
                        .with_context(|| format!("{}: cannot remove", path.display()))?;
                }
            }
        }
        PeoIndex::open_or_create(dir)
    }

    /// Opens an existing index for reading.
    pub fn open(dir: &Path) -> anyhow::Result<PeoIndex> {
        if !dir.join("meta.json").exists() {
            bail!("{}: no index here (run `peo index` first)", dir.display());
        }
        let version = std::fs::read_to_string(dir.join(VERSION_FILE)).unwrap_or_default();
        if version.trim() != SCHEMA_VERSION.to_string() {
            bail!(
                "{}: the index was built by another version of peo (schema {:?}, this peo uses {}); rebuild it with `peo index --force`",
                dir.display(),
                version.trim(),
                SCHEMA_VERSION
            );
        }
        let index = Index::open_in_dir(dir)
            .with_context(|| format!("{}: cannot open the index", dir.display()))?;
        let (_, fields) = schema();
        PeoIndex::wrap(index, fields)
    }

    fn wrap(index: Index, fields: Fields) -> anyhow::Result<PeoIndex> {
        register_analyzers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(PeoIndex {
            index,
            fields,
            reader,
            writer: None,
        })
    }

    /// Takes the index's write lock (an OS lock, released when the process ends however it
    /// ends): a second run on the same index is told so at once, before doing any work.
    pub fn lock(&mut self) -> anyhow::Result<()> {
        if self.writer.is_none() {
            let writer =
                self.index
                    .writer_with_num_threads(1, 50_000_000)
                    .map_err(|e| match e {
                        tantivy::TantivyError::LockFailure(..) => {
                            anyhow::anyhow!("another indexing run is active on this index")
                        }
                        e => anyhow::anyhow!("cannot write the index: {e}"),
                    })?;
            self.writer = Some(writer);
        }
        Ok(())
    }

    /// Writes `documents` (each with the catalog key it was indexed under), replacing those of
    /// the same id, and removes the `removed` ids; with `everything`, all other documents go
    /// too. One commit: readers see the old index or the new one. Returns the passages written.
    pub fn commit(
        &mut self,
        documents: &[(Document, String)],
        removed: &[String],
        everything: bool,
    ) -> anyhow::Result<usize> {
        self.lock()?;
        let mut writer = self.writer.take().expect("locked above");
        if everything {
            writer.delete_all_documents()?;
        }
        for id in removed.iter().chain(documents.iter().map(|(d, _)| &d.id)) {
            writer.delete_term(Term::from_field_text(self.fields.doc_id, id));
        }
        let mut n_passages: usize = 0;
        for (doc, catalog) in documents {
            for passage in self.passages(doc, catalog)? {
                writer.add_document(passage)?;
                n_passages += 1;
            }
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(n_passages.saturating_sub(documents.len()))
    }

    fn passages(&self, doc: &Document, catalog: &str) -> anyhow::Result<Vec<TantivyDocument>> {
        let f = &self.fields;
        let base = |kind: PassageKind, page: u32, section: Option<&str>| {
            let mut d = TantivyDocument::default();
            d.add_text(f.doc_id, &doc.id);
            d.add_text(f.title, &doc.title);
            d.add_text(f.wave, &doc.wave);
            d.add_text(f.doc_type, &doc.doc_type);
            d.add_text(f.kind, kind.as_str());
            d.add_u64(f.page, page as u64);
            d.add_text(f.page_label, doc.page_label(page));
            if let Some(s) = section {
                d.add_text(f.section, s);
            }
            d
        };
        let with_text = |mut d: TantivyDocument, text: &str| {
            d.add_text(f.text, text);
            d.add_text(f.text_exact, text);
            d
        };
        let mut out = Vec::new();
        let mut record = TantivyDocument::default();
        record.add_text(f.doc_id, &doc.id);
        record.add_text(f.title, &doc.title);
        record.add_text(f.wave, &doc.wave);
        record.add_text(f.doc_type, &doc.doc_type);
        record.add_text(f.kind, DOCUMENT_KIND);
        record.add_text(f.blake3, &doc.blake3);
        record.add_text(f.model, serde_json::to_string(doc)?);
        record.add_text(f.catalog, catalog);
        out.push(record);
        for s in &doc.sections {
            let reference = s.reference();
            out.push(with_text(
                base(PassageKind::Heading, s.page, Some(&reference)),
                &reference,
            ));
        }
        for p in &doc.paragraphs {
            out.push(with_text(
                base(PassageKind::Paragraph, p.page, p.section.as_deref()),
                &p.text,
            ));
        }
        for (i, r) in doc.recommendations.iter().enumerate() {
            let mut d = with_text(
                base(PassageKind::Recommendation, r.page, r.section.as_deref()),
                &r.text,
            );
            for a in &r.audiences {
                d.add_text(f.audience, a);
            }
            d.add_text(f.audience_label, &r.audience_label);
            if let Some(n) = r.number {
                d.add_u64(f.number, n as u64);
            }
            d.add_u64(f.ordinal, i as u64);
            out.push(d);
        }
        for (i, q) in doc.quotes.iter().enumerate() {
            let mut d = with_text(
                base(PassageKind::Quote, q.page, q.section.as_deref()),
                &q.text,
            );
            d.add_u64(f.ordinal, i as u64);
            out.push(d);
        }
        for t in &doc.tables {
            // The caption is a passage of its own, and so is each row, by its own words.
            let caption = [t.number.as_deref(), t.caption.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            let rows = std::iter::once(&t.header).chain(&t.rows).map(|row| {
                let cells: Vec<&str> = row
                    .iter()
                    .map(|c| c.as_str())
                    .filter(|c| !c.is_empty())
                    .collect();
                cells.join(" ")
            });
            for text in std::iter::once(caption).chain(rows) {
                if text.is_empty() {
                    continue;
                }
                out.push(with_text(
                    base(PassageKind::TableRow, t.page, t.section.as_deref()),
                    &text,
                ));
            }
        }
        for (i, k) in doc.key_figures.iter().enumerate() {
            let mut d = with_text(
                base(PassageKind::KeyFigure, k.page, None),
                &format!("{} {}", k.value, k.statement),
            );
            d.add_u64(f.ordinal, i as u64);
            out.push(d);
        }
        Ok(out)
    }

    /// Every indexed publication, by wave and id.
    pub fn documents(&self) -> anyhow::Result<Vec<Document>> {
        Ok(self.records()?.into_iter().map(|(d, _)| d).collect())
    }

    /// Every indexed publication with the catalog key it was indexed under.
    pub fn records(&self) -> anyhow::Result<Vec<(Document, String)>> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.kind, DOCUMENT_KIND),
            IndexRecordOption::Basic,
        );
        let n = searcher.num_docs() as usize;
        let top = searcher.search(&query, &TopDocs::with_limit(n.max(1)).order_by_score())?;
        let mut out = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            let text = |field: Field| {
                d.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let doc: Document = serde_json::from_str(&text(self.fields.model))
                .context("an indexed document record is unreadable")?;
            out.push((doc, text(self.fields.catalog)));
        }
        out.sort_by(|(a, _), (b, _)| a.wave.cmp(&b.wave).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    fn filter_clauses(&self, filters: &Filters) -> Vec<(Occur, Box<dyn Query>)> {
        let f = &self.fields;
        let term = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        let any_of = |field: Field, values: &[String]| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                values
                    .iter()
                    .map(|v| (Occur::Should, term(field, v)))
                    .collect(),
            ))
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::MustNot, term(f.kind, DOCUMENT_KIND))];
        if !filters.waves.is_empty() {
            clauses.push((Occur::Must, any_of(f.wave, &filters.waves)));
        }
        if !filters.doc_types.is_empty() {
            clauses.push((Occur::Must, any_of(f.doc_type, &filters.doc_types)));
        }
        if !filters.kinds.is_empty() {
            let kinds: Vec<String> = filters
                .kinds
                .iter()
                .map(|k| k.as_str().to_string())
                .collect();
            clauses.push((Occur::Must, any_of(f.kind, &kinds)));
        }
        if !filters.audiences.is_empty() {
            clauses.push((Occur::Must, any_of(f.audience, &filters.audiences)));
        }
        if !filters.doc_ids.is_empty() {
            clauses.push((Occur::Must, any_of(f.doc_id, &filters.doc_ids)));
        }
        clauses
    }

    /// Ranked passages for a query in peo's query language (tantivy's: words, "phrases",
    /// AND/OR/NOT, +/-, field:value) with the filters applied. An empty query lists all
    /// passages that pass the filters.
    pub fn search(&self, query: &str, filters: &Filters, limit: usize) -> anyhow::Result<Vec<Hit>> {
        let f = &self.fields;
        let mut parser = QueryParser::for_index(&self.index, vec![f.text, f.text_exact]);
        parser.set_conjunction_by_default();
        // Words are looked for in the passage itself; the title and the section are matched
        // only when asked for (title:, section:), or every passage of a publication whose title
        // names the word would count as a hit.
        let query = rewrite_field_names(query);
        let user: Box<dyn Query> = if query.trim().is_empty() {
            Box::new(AllQuery)
        } else {
            parser.parse_query_lenient(&query).0
        };
        self.run_query(user, filters, limit, false)
    }

    /// Passages whose words are within a small edit distance of all `words` (1 for words of 5 to
    /// 7 letters, 2 from 8; shorter words must match), on the unstemmed field: the fallback for
    /// OCR errors and misspellings. Highlights are left to the caller.
    pub fn search_fuzzy(
        &self,
        words: &str,
        filters: &Filters,
        limit: usize,
    ) -> anyhow::Result<Vec<Hit>> {
        let f = &self.fields;
        let mut analyzer = self
            .index
            .tokenizers()
            .get(FOLDED)
            .expect("registered on open");
        let mut stream = analyzer.token_stream(words);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        while let Some(token) = stream.next() {
            let n = token.text.chars().count();
            let term = Term::from_field_text(f.text_exact, &token.text);
            let q: Box<dyn Query> = match n {
                0..=4 => Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                5..=7 => Box::new(FuzzyTermQuery::new(term, 1, true)),
                _ => Box::new(FuzzyTermQuery::new(term, 2, true)),
            };
            clauses.push((Occur::Must, q));
        }
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        let mut hits =
            self.run_query(Box::new(BooleanQuery::new(clauses)), filters, limit, true)?;
        for h in &mut hits {
            h.fuzzy = true;
        }
        Ok(hits)
    }

    fn run_query(
        &self,
        user: Box<dyn Query>,
        filters: &Filters,
        limit: usize,
        fuzzy: bool,
    ) -> anyhow::Result<Vec<Hit>> {
        let f = &self.fields;
        let searcher = self.reader.searcher();
        let mut clauses = self.filter_clauses(filters);
        clauses.push((Occur::Must, user.box_clone()));
        let full = BooleanQuery::new(clauses);
        let top = searcher.search(&full, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        let snippets = SnippetGenerator::create(&searcher, &*user, f.text)
            .ok()
            .filter(|_| !fuzzy)
            .map(|mut g| {
                g.set_max_num_chars(220);
                g
            });
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            let text_of = |field: Field| {
                d.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let u64_of = |field: Field| d.get_first(field).and_then(|v| v.as_u64());
            let (snippet, highlights) = match &snippets {
                Some(g) => {
                    let s = g.snippet_from_doc(&d);
                    let h: Vec<(usize, usize)> =
                        s.highlighted().iter().map(|r| (r.start, r.end)).collect();
                    (s.fragment().to_string(), h)
                }
                None => (String::new(), Vec::new()),
            };
            let text = text_of(f.text);
            let (snippet, highlights) = if snippet.is_empty() {
                (text.chars().take(220).collect(), Vec::new())
            } else {
                (snippet, highlights)
            };
            hits.push(Hit {
                score,
                doc_id: text_of(f.doc_id),
                title: text_of(f.title),
                wave: text_of(f.wave),
                doc_type: text_of(f.doc_type),
                kind: PassageKind::parse(&text_of(f.kind)).unwrap_or(PassageKind::Paragraph),
                page: u64_of(f.page).unwrap_or(0) as u32,
                page_label: text_of(f.page_label),
                section: Some(text_of(f.section)).filter(|s| !s.is_empty()),
                audiences: d
                    .get_all(f.audience)
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
                audience_label: Some(text_of(f.audience_label)).filter(|s| !s.is_empty()),
                number: u64_of(f.number).map(|n| n as u32),
                ordinal: u64_of(f.ordinal).map(|n| n as usize),
                text,
                snippet,
                highlights,
                fuzzy,
            });
        }
        Ok(hits)
    }
}

/// The query language names fields as researchers do (`type:`, `audience:`); the index names
/// them as the model does.
fn rewrite_field_names(query: &str) -> String {
    query
        .split_inclusive(char::is_whitespace)
        .map(|tok| {
            let lead = tok.trim_start_matches(['+', '-', '(']);
            let prefix = &tok[..tok.len() - lead.len()];
            match lead.strip_prefix("type:") {
                Some(rest) => format!("{prefix}doc_type:{rest}"),
                None => tok.to_string(),
            }
        })
        .collect()
}
