//! `Document`s ⇄ a tantivy index on disk: one index document per passage (heading, paragraph,
//! recommendation, quote, key figure) and one record per publication holding its whole model.
//! The only module that knows tantivy.
//!
//! Invariant: a change to the index becomes visible all at once (tantivy's commit replaces its
//! meta file atomically), so a reader sees the old or the new state, never half of a run; and
//! an index written under another schema version is refused, never misread.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context};
use tantivy::collector::TopDocs;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle,
    WritePtr, META_LOCK,
};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, QueryParser,
    TermQuery,
};
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::store::Compressor;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, StopWordFilter,
    TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};
use tantivy::{
    DocId, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Searcher, SegmentReader,
};
use tantivy::{Score, TantivyDocument, Term};

use crate::lexicon::Lexicon;
use crate::model::{Document, PassageKind, Wave};
use crate::model::{Filters, Hit};
use crate::morphology;

/// Bumped whenever the schema, the analyzers, what a passage holds or how it is stored change:
/// an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 9;
const VERSION_FILE: &str = "peo-schema-version";
const DUTCH: &str = "peo_dutch";
const FOLDED: &str = "peo_folded";
/// The kind of a publication's record (its whole model), which no search finds.
const RECORD_KIND: &str = "record";

struct Fields {
    passage_id: Field,
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
    n_pages: Field,
    copy_rank: Field,
    ordinal: Field,
    text: Field,
    text_exact: Field,
    title_exact: Field,
    section_exact: Field,
    n_words: Field,
    blake3: Field,
    model: Field,
    catalog: Field,
    /// On every passage of a document whose file can no longer be read: the day its last good
    /// version was indexed.
    stale: Field,
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
    let folded = || {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(FOLDED)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        passage_id: b.add_text_field("passage_id", STRING | STORED),
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
        n_pages: b.add_u64_field("n_pages", STORED),
        copy_rank: b.add_u64_field("copy_rank", STORED),
        ordinal: b.add_u64_field("ordinal", STORED),
        text: b.add_text_field("text", dutch(true)),
        text_exact: b.add_text_field("text_exact", folded()),
        title_exact: b.add_text_field("title_exact", folded()),
        section_exact: b.add_text_field("section_exact", folded()),
        n_words: b.add_u64_field("n_words", FAST),
        blake3: b.add_text_field("blake3", STRING | STORED),
        model: b.add_text_field("model", STORED),
        catalog: b.add_text_field("catalog", STORED),
        stale: b.add_text_field("stale", STORED),
    };
    (b.build(), fields)
}

/// Which sub-words of a compound the Dutch analyzer adds at the compound's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compounds {
    /// None: queries are analysed so, a compound in a query means that compound.
    Whole,
    /// The parts the lexicon confirms (`morphology::compound_parts`): what is indexed.
    Parts,
    /// Every ending of 4 letters or more, unchecked: for highlighting a compound that was
    /// found by one of its parts, without loading the lexicon at search time.
    Tails,
}

/// The Dutch analyzer: simple tokenizer, over-long tokens dropped, lowercase, stop words,
/// compound parts (see `Compounds`), ASCII folding, Dutch stemmer.
fn dutch_analyzer(compounds: Compounds) -> TextAnalyzer {
    let base = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::Dutch).expect("tantivy ships Dutch stop words"));
    match compounds {
        Compounds::Whole => base.filter(AsciiFoldingFilter).filter(DutchStemmer).build(),
        _ => base
            .filter(CompoundFilter(compounds))
            .filter(AsciiFoldingFilter)
            .filter(DutchStemmer)
            .build(),
    }
}

fn folded_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The analyzers the index writes with: compounds indexed with their parts.
fn register_analyzers(index: &Index) {
    index
        .tokenizers()
        .register(DUTCH, dutch_analyzer(Compounds::Parts));
    index.tokenizers().register(FOLDED, folded_analyzer());
}

/// The analyzers queries are read with: a query word is not split, so that "werkdruk" asks for
/// werkdruk, while "druk" finds werkdruk through the parts indexed with it.
fn query_analyzers() -> TokenizerManager {
    let manager = TokenizerManager::default();
    manager.register(DUTCH, dutch_analyzer(Compounds::Whole));
    manager.register(FOLDED, folded_analyzer());
    manager
}

/// Snowball's Dutch stemmer (the algorithm tantivy's `Stemmer` uses for Dutch) with
/// `morphology::guard_stem`'s guard: a "ge" that belongs to the word stays in its stem.
#[derive(Clone)]
struct DutchStemmer;

impl TokenFilter for DutchStemmer {
    type Tokenizer<T: Tokenizer> = DutchStemmerTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> DutchStemmerTokenizer<T> {
        DutchStemmerTokenizer {
            inner,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::Dutch),
        }
    }
}

#[derive(Clone)]
struct DutchStemmerTokenizer<T> {
    inner: T,
    stemmer: frostem::Stemmer,
}

impl<T: Tokenizer> Tokenizer for DutchStemmerTokenizer<T> {
    type TokenStream<'a> = DutchStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        DutchStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: &self.stemmer,
        }
    }
}

struct DutchStemmerStream<'a, T> {
    tail: T,
    stemmer: &'a frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for DutchStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let stem = morphology::guard_stem(&token.text, &self.stemmer.stem(&token.text), |w| {
            crate::lexicon::participle(w)
        });
        token.text = stem;
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// A token filter that adds, after each word, the parts of the compound it is (see
/// `Compounds`), at the word's position and with its offsets.
#[derive(Clone)]
struct CompoundFilter(Compounds);

impl TokenFilter for CompoundFilter {
    type Tokenizer<T: Tokenizer> = CompoundTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CompoundTokenizer<T> {
        CompoundTokenizer {
            inner,
            compounds: self.0,
            known: HashMap::new(),
            parts: Vec::new(),
        }
    }
}

#[derive(Clone)]
struct CompoundTokenizer<T> {
    inner: T,
    compounds: Compounds,
    /// The parts of each word seen, since the lexicon is slow to ask (2 to 3 µs a word).
    known: HashMap<String, Vec<String>>,
    parts: Vec<Token>,
}

impl<T: Tokenizer> Tokenizer for CompoundTokenizer<T> {
    type TokenStream<'a> = CompoundStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.parts.clear();
        CompoundStream {
            tail: self.inner.token_stream(text),
            compounds: self.compounds,
            known: &mut self.known,
            parts: &mut self.parts,
        }
    }
}

struct CompoundStream<'a, T> {
    tail: T,
    compounds: Compounds,
    known: &'a mut HashMap<String, Vec<String>>,
    /// The parts still to give of the current word, last first.
    parts: &'a mut Vec<Token>,
}

impl<T: TokenStream> TokenStream for CompoundStream<'_, T> {
    fn advance(&mut self) -> bool {
        if self.parts.pop().is_some() && !self.parts.is_empty() {
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token();
        let parts: Vec<String> = match self.compounds {
            Compounds::Whole => Vec::new(),
            Compounds::Tails => morphology::compound_tails(&token.text)
                .into_iter()
                .map(str::to_string)
                .collect(),
            Compounds::Parts => self
                .known
                .entry(token.text.clone())
                .or_insert_with_key(|word| {
                    let lexicon = Lexicon::dutch();
                    morphology::compound_parts(
                        word,
                        |w| lexicon.contains(w),
                        |w| lexicon.compounding(w),
                    )
                })
                .clone(),
        };
        if !parts.is_empty() {
            // The word itself stays the current token until the parts are given, last first.
            for p in parts.into_iter().rev() {
                self.parts.push(Token {
                    text: p,
                    ..token.clone()
                });
            }
            self.parts.push(token.clone());
        }
        true
    }

    fn token(&self) -> &Token {
        self.parts.last().unwrap_or_else(|| self.tail.token())
    }

    fn token_mut(&mut self) -> &mut Token {
        self.parts
            .last_mut()
            .unwrap_or_else(|| self.tail.token_mut())
    }
}

/// The index's directory as tantivy sees it: tantivy's `MmapDirectory`, with two differences.
/// Files replaced at a commit (`meta.json`, `.managed.json`) are created with the mode the
/// process's umask gives, as every other index file is (tantivy makes them through a temporary
/// file of mode 0600, which another user cannot read). And opened read-only (`peo search`,
/// `recs`, `quotes`, `list`, `show`) it writes nothing and takes no lock, so that an index on a
/// drive a researcher can only read can be searched.
#[derive(Clone, Debug)]
struct IndexDirectory {
    inner: MmapDirectory,
    root: PathBuf,
    read_only: bool,
}

impl IndexDirectory {
    fn open(root: &Path, read_only: bool) -> anyhow::Result<IndexDirectory> {
        let inner = MmapDirectory::open(root)
            .with_context(|| format!("{}: cannot open the index", root.display()))?;
        Ok(IndexDirectory {
            inner,
            root: root.to_path_buf(),
            read_only,
        })
    }

    fn refuse(&self, path: &Path) -> std::io::Error {
        std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!("{}: the index is open read-only", path.display()),
        )
    }
}

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        if self.read_only {
            return Err(DeleteError::IoError {
                io_error: Arc::new(self.refuse(path)),
                filepath: path.to_path_buf(),
            });
        }
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        if self.read_only {
            return Err(OpenWriteError::IoError {
                io_error: Arc::new(self.refuse(path)),
                filepath: path.to_path_buf(),
            });
        }
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    /// Written beside its target under a name of its own, then renamed over it, as tantivy
    /// does, but created with mode 0666 less the umask.
    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        if self.read_only {
            return Err(self.refuse(path));
        }
        let target = self.root.join(path);
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let temporary = self
            .root
            .join(format!(".{name}.{}.peo-tmp", std::process::id()));
        let written = (|| {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o666)
                .open(&temporary)?;
            file.write_all(data)?;
            file.sync_data()?;
            std::fs::rename(&temporary, &target)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        written
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        if self.read_only {
            return Ok(());
        }
        self.inner.sync_directory()
    }

    /// Read-only, no lock: tantivy takes its meta lock while opening a reader, so that a
    /// writer's clean-up does not delete the files of the state being opened; a read-only
    /// opener that meets a file gone opens again (`PeoIndex::open`).
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        if !self.read_only {
            self.inner.acquire_lock(lock)
        } else if lock.filepath == META_LOCK.filepath {
            Ok(DirectoryLock::from(Box::new(())))
        } else {
            Err(LockError::IoError(Arc::new(self.refuse(&lock.filepath))))
        }
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(callback)
    }
}

/// Why a reader of the index could not be made.
fn reader_error(e: tantivy::TantivyError) -> anyhow::Error {
    match e {
        tantivy::TantivyError::LockFailure(LockError::IoError(io), _) => {
            anyhow::anyhow!("cannot lock the index: {io}")
        }
        e => anyhow::anyhow!("cannot open the index: {e}"),
    }
}

/// An open peo index.
pub struct PeoIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    /// Held from `lock` to the commit: only one run writes an index at a time.
    writer: Option<IndexWriter>,
}

/// The changes of one run to a `PeoIndex`, written as they come and made visible together.
pub struct Update<'a> {
    index: &'a mut PeoIndex,
    writer: IndexWriter,
    passages: usize,
    documents: usize,
}

impl Update<'_> {
    /// Writes `doc` (indexed under the catalog key `catalog`), replacing the document of the
    /// same id.
    pub fn put(&mut self, doc: &Document, catalog: &str) -> anyhow::Result<()> {
        // A delete applies to what was added before it, so the new passages stay.
        self.writer
            .delete_term(Term::from_field_text(self.index.fields.doc_id, &doc.id));
        for passage in self.index.passages(doc, catalog)? {
            self.writer.add_document(passage)?;
            self.passages += 1;
        }
        self.documents += 1;
        Ok(())
    }

    /// Makes every change visible at once; returns the passages written (without the
    /// documents' own records).
    pub fn commit(mut self) -> anyhow::Result<usize> {
        self.writer.commit()?;
        self.writer.wait_merging_threads()?;
        self.index.reader.reload()?;
        Ok(self.passages.saturating_sub(self.documents))
    }
}

impl PeoIndex {
    /// Opens the index in `dir`, creating it when the directory holds none.
    pub fn open_or_create(dir: &Path) -> anyhow::Result<PeoIndex> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot create the index directory", dir.display()))?;
        if dir.join("meta.json").exists() {
            return PeoIndex::open_in(dir, false);
        }
        let (schema, fields) = schema();
        // Every search reads the stored fields of its candidate hits (to fold duplicates and
        // show them). Uncompressed blocks of 4 KiB make that a small copy: decompressing lz4
        // blocks of 16 KiB (tantivy's default) was 23% of a query, copying uncompressed ones of
        // 16 KiB 44%. The store is twice as large.
        let settings = IndexSettings {
            docstore_compression: Compressor::None,
            docstore_blocksize: 4096,
            ..IndexSettings::default()
        };
        let index = Index::create(IndexDirectory::open(dir, false)?, schema, settings)
            .with_context(|| format!("{}: cannot create the index", dir.display()))?;
        std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION.to_string())
            .with_context(|| format!("{}: cannot write the index", dir.display()))?;
        PeoIndex::wrap(index, fields).with_context(|| dir.display().to_string())
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

    /// The schema version of the index in `dir` when it was written by a peo of another schema
    /// (it cannot be updated, only rebuilt); none when there is no index or it is of this one.
    pub fn other_schema(dir: &Path) -> Option<String> {
        let version = std::fs::read_to_string(dir.join(VERSION_FILE)).unwrap_or_default();
        (dir.join("meta.json").exists() && version.trim() != SCHEMA_VERSION.to_string())
            .then(|| version.trim().to_string())
    }

    /// Opens an existing index for reading only: it writes nothing and takes no lock, so it
    /// opens in a directory without write permission, and beside a run that writes the index
    /// it sees the state of the last commit (and keeps it while it stays open: files a commit
    /// removes stay readable to a process that has them mapped).
    pub fn open(dir: &Path) -> anyhow::Result<PeoIndex> {
        PeoIndex::open_in(dir, true)
    }

    /// Opens an existing index, to write (`read_only` false) or to read.
    fn open_in(dir: &Path, read_only: bool) -> anyhow::Result<PeoIndex> {
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
        let directory = IndexDirectory::open(dir, read_only)?;
        let mut attempts = 0;
        loop {
            let index = Index::open(directory.clone())
                .with_context(|| format!("{}: cannot open the index", dir.display()))?;
            register_analyzers(&index);
            match index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()
            {
                Ok(reader) => {
                    let (_, fields) = schema();
                    return Ok(PeoIndex {
                        index,
                        fields,
                        reader,
                        writer: None,
                    });
                }
                // Read-only, without the meta lock, a writer's clean-up may remove a file of the
                // state being opened between reading meta.json and opening the file: that
                // state is gone, and opening again finds the one that replaced it.
                Err(tantivy::TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(_)))
                    if read_only && attempts < 3 =>
                {
                    attempts += 1;
                }
                Err(e) => return Err(reader_error(e)).with_context(|| dir.display().to_string()),
            }
        }
    }

    fn wrap(index: Index, fields: Fields) -> anyhow::Result<PeoIndex> {
        register_analyzers(&index);
        // Opened to write, the reader takes tantivy's meta lock (a file in the index directory).
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(reader_error)?;
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
                        tantivy::TantivyError::LockFailure(LockError::LockBusy, _) => {
                            anyhow::anyhow!("the index is being written by another peo")
                        }
                        tantivy::TantivyError::LockFailure(LockError::IoError(io), _) => {
                            anyhow::anyhow!("cannot write the index: {io}")
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
        let mut update = self.update(removed, everything)?;
        for (doc, catalog) in documents {
            update.put(doc, catalog)?;
        }
        update.commit()
    }

    /// Starts a run's changes: removes the `removed` ids (with `everything`, every document)
    /// and takes documents one by one with `Update::put`, so that they are written while the
    /// next are still being read. Nothing is visible before `Update::commit`; an update
    /// dropped without it leaves the index as it was.
    pub fn update(&mut self, removed: &[String], everything: bool) -> anyhow::Result<Update<'_>> {
        self.lock()?;
        let writer = self.writer.take().expect("locked above");
        if everything {
            writer.delete_all_documents()?;
        }
        for id in removed {
            writer.delete_term(Term::from_field_text(self.fields.doc_id, id));
        }
        Ok(Update {
            index: self,
            writer,
            passages: 0,
            documents: 0,
        })
    }

    fn passages(&self, doc: &Document, catalog: &str) -> anyhow::Result<Vec<TantivyDocument>> {
        let f = &self.fields;
        let wave = doc.wave_text();
        let base = |kind: PassageKind, page: u32, section: Option<&str>| {
            let mut d = TantivyDocument::default();
            d.add_text(f.doc_id, &doc.id);
            d.add_text(f.title, &doc.title);
            d.add_text(f.title_exact, &doc.title);
            d.add_text(f.wave, &wave);
            d.add_text(f.doc_type, doc.doc_type_text());
            d.add_text(f.kind, kind.as_str());
            d.add_u64(f.page, page as u64);
            d.add_u64(f.copy_rank, doc.copy_rank());
            d.add_text(f.page_label, doc.page_label(page));
            if doc.stale.is_some() {
                d.add_text(f.stale, &doc.indexed_on);
            }
            if let Some(s) = section {
                d.add_text(f.section, s);
                d.add_text(f.section_exact, s);
            }
            d
        };
        let with_text = |mut d: TantivyDocument, text: &str| {
            d.add_text(f.text, text);
            d.add_text(f.text_exact, text);
            d.add_u64(f.n_words, text.split_whitespace().count() as u64);
            d
        };
        let mut out = Vec::new();
        let mut record = TantivyDocument::default();
        record.add_text(f.doc_id, &doc.id);
        record.add_text(f.title, &doc.title);
        record.add_text(f.wave, &wave);
        record.add_text(f.doc_type, doc.doc_type_text());
        record.add_text(f.kind, RECORD_KIND);
        record.add_text(f.blake3, &doc.blake3);
        record.add_text(f.model, serde_json::to_string(doc)?);
        record.add_text(f.catalog, catalog);
        out.push(record);
        let mut publication = with_text(
            base(PassageKind::Document, 1, None),
            &document_text(doc, &wave),
        );
        publication.add_u64(f.n_pages, doc.pages.len() as u64);
        out.push(publication);
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
                d.add_text(f.audience, a.as_str());
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
            // The group the figure is about ("37% GI-medewerkers dat sterke werkdruk ervaart")
            // is part of what it says, and of what a researcher asks for.
            let text = match &k.group {
                Some(group) => format!("{} {} {}", k.value, group, k.statement),
                None => format!("{} {}", k.value, k.statement),
            };
            let mut d = with_text(base(PassageKind::KeyFigure, k.page, None), &text);
            d.add_u64(f.ordinal, i as u64);
            out.push(d);
        }
        for a in &doc.alt_texts {
            // One without a page is only in the publication's own passage.
            if let Some(page) = a.page {
                out.push(with_text(base(PassageKind::AltText, page, None), &a.text));
            }
        }
        passage_ids(&doc.id, &mut out[1..], f);
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
            Term::from_field_text(self.fields.kind, RECORD_KIND),
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

    /// The values the index holds in a field a search filters on (`wave`, `doc_type`, `kind`,
    /// `audience`), sorted; the kind of the publications' records is none of them.
    pub fn values(&self, field: &str) -> anyhow::Result<Vec<String>> {
        let field = self.index.schema().get_field(field)?;
        let mut out: BTreeSet<String> = BTreeSet::new();
        for segment in self.reader.searcher().segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    if !term.is_empty() && term != RECORD_KIND {
                        out.insert(term.to_string());
                    }
                }
            }
        }
        Ok(out.into_iter().collect())
    }

    /// A filter's value as the index stores it (`field_value`), or an error that lists the
    /// values the index holds, with the near ones as "did you mean": a filter on a value the
    /// index does not hold would find nothing, and say nothing of the mistake.
    pub fn checked_value(&self, name: &str, value: &str) -> anyhow::Result<String> {
        let (field, stored) = field_value(name, value)?;
        if !matches!(field, "wave" | "doc_type" | "kind" | "audience") {
            return Ok(stored);
        }
        let held = self.values(field)?;
        if held.contains(&stored) {
            return Ok(stored);
        }
        let what = match field {
            "doc_type" => "type",
            other => other,
        };
        let wanted: Vec<char> = stored.chars().collect();
        let near: Vec<&str> = held
            .iter()
            .filter(|h| {
                let chars: Vec<char> = h.chars().collect();
                edit_distance(&wanted, &chars) <= 2
                    || (wanted.len() >= 3
                        && (h.contains(&stored) || stored.contains(String::as_str(h))))
            })
            .map(String::as_str)
            .collect();
        let hint = match near.as_slice() {
            [] => String::new(),
            near => format!("; did you mean {}?", near.join(" or ")),
        };
        bail!(
            "unknown {what} {value:?}: the index holds {}{hint}",
            held.join(", ")
        )
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
            vec![(Occur::MustNot, term(f.kind, RECORD_KIND))];
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

    /// Ranked passages for a query in peo's query language (words, "phrases", AND/OR/NOT, +/-,
    /// field:value, prefix*) with the filters applied. An empty query lists all passages that
    /// pass the filters. A field the language does not know is an error.
    pub fn search(&self, query: &str, filters: &Filters, limit: usize) -> anyhow::Result<Vec<Hit>> {
        let (mut hits, marker) = self.search_unmarked(query, filters, limit)?;
        marker.mark(&mut hits);
        Ok(hits)
    }

    /// `search` without the snippets: each hit's snippet is the start of its passage, without
    /// highlights, until the returned `Marker` marks it. Making a snippet costs more than finding
    /// the hit, so a caller that folds duplicates or counts hits marks only those it shows.
    pub fn search_unmarked(
        &self,
        query: &str,
        filters: &Filters,
        limit: usize,
    ) -> anyhow::Result<(Vec<Hit>, Marker)> {
        let searcher = self.reader.searcher();
        let user: Box<dyn Query> = if query.trim().is_empty() {
            Box::new(AllQuery)
        } else {
            let (ast, _) = tantivy::query_grammar::parse_query_lenient(query);
            self.build(ast, &self.query_parser(), &searcher, None)?
        };
        let hits = self.run_query(&*user, filters, limit, false)?;
        let marker = Marker(self.snippet_generator(&searcher, &*user)?);
        Ok((hits, marker))
    }

    /// The fallback for OCR errors and misspellings: the query as `search` reads it, but each
    /// word of the passage text matched within a small edit distance (`fuzzy_distance`:
    /// none up to 4 letters, 1 up to 7, then 2), a prefix* as a prefix within that distance, a
    /// phrase as phrases of near spellings (`fuzzy_phrase`). Fields (wave:, type:, section:, ...) and
    /// operators keep their meaning. Returns the hits, marked fuzzy, and the words that were
    /// matched loosely (a prefix with its *), for highlighting.
    pub fn search_fuzzy(
        &self,
        query: &str,
        filters: &Filters,
        limit: usize,
    ) -> anyhow::Result<(Vec<Hit>, Vec<String>)> {
        if query.trim().is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let (ast, _) = tantivy::query_grammar::parse_query_lenient(query);
        let mut words = Vec::new();
        let query = self.build(
            ast,
            &self.query_parser(),
            &self.reader.searcher(),
            Some(&mut words),
        )?;
        if words.is_empty() {
            return Ok((Vec::new(), words));
        }
        let mut hits = self.run_query(&*query, filters, limit, true)?;
        for h in &mut hits {
            h.fuzzy = true;
        }
        Ok((hits, words))
    }

    /// The parser of the leaves `build` leaves to tantivy. Words are looked for in the passage
    /// itself; the title and the section are matched only when asked for (title:, section:), or
    /// every passage of a publication whose title names the word would count as a hit.
    fn query_parser(&self) -> QueryParser {
        let f = &self.fields;
        QueryParser::new(
            self.index.schema(),
            vec![f.text, f.text_exact],
            query_analyzers(),
        )
    }

    /// The query of a parsed query: clauses joined by AND unless OR says otherwise, a clause of
    /// only NOTs taken against all passages. With `fuzzy`, the words of the passage text are
    /// matched loosely and collected there (`search_fuzzy`).
    fn build(
        &self,
        ast: UserInputAst,
        parser: &QueryParser,
        searcher: &Searcher,
        mut fuzzy: Option<&mut Vec<String>>,
    ) -> anyhow::Result<Box<dyn Query>> {
        Ok(match ast {
            UserInputAst::Clause(children) => {
                let mut clauses = Vec::with_capacity(children.len() + 1);
                for (occur, child) in children {
                    let occur = match occur {
                        Some(tantivy::query_grammar::Occur::Should) => Occur::Should,
                        Some(tantivy::query_grammar::Occur::MustNot) => Occur::MustNot,
                        _ => Occur::Must,
                    };
                    let query = self.build(child, parser, searcher, fuzzy.as_deref_mut())?;
                    clauses.push((occur, query));
                }
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery) as Box<dyn Query>));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            UserInputAst::Boost(inner, boost) => Box::new(BoostQuery::new(
                self.build(*inner, parser, searcher, fuzzy)?,
                boost.into_inner() as Score,
            )),
            UserInputAst::Leaf(leaf) => match *leaf {
                UserInputLeaf::Literal(literal) => {
                    self.literal(literal, parser, searcher, fuzzy)?
                }
                other => {
                    parser
                        .build_query_from_user_input_ast_lenient(UserInputAst::from(other))
                        .0
                }
            },
        })
    }

    /// A word, a phrase or field:value. Field names and values are mapped to the index's
    /// (`field_value`); a word ending in * matches every word it begins, on the unstemmed
    /// field; a word of the Latinate verb family also matches the forms of its family that the
    /// indexed texts use (reflectie: reflecteren, gereflecteerd).
    fn literal(
        &self,
        mut literal: UserInputLiteral,
        parser: &QueryParser,
        searcher: &Searcher,
        fuzzy: Option<&mut Vec<String>>,
    ) -> anyhow::Result<Box<dyn Query>> {
        let f = &self.fields;
        // The grammar keeps a trailing * of an unquoted word in the word ("werkdr*"), and sets
        // `prefix` for a quoted one ("werkdr"*).
        if literal.delimiter == Delimiter::None {
            if let Some(word) = literal.phrase.strip_suffix('*') {
                if !word.is_empty() && !word.contains('*') {
                    literal.phrase = word.to_string();
                    literal.prefix = true;
                }
            }
        }
        let field = match literal.field_name.take() {
            None => None,
            Some(name) => {
                let (field, _) = field_value(&name, &literal.phrase)?;
                literal.phrase = if literal.prefix {
                    field_value(&name, &literal.phrase)?.1
                } else {
                    self.checked_value(&name, &literal.phrase)?
                };
                literal.field_name = Some(field.to_string());
                Some(field)
            }
        };
        if let (Some(words), None | Some("text")) = (fuzzy, field) {
            let quoted = literal.delimiter != Delimiter::None && !literal.prefix;
            return if quoted {
                self.fuzzy_phrase(searcher, &literal.phrase, words)
            } else {
                Ok(self.fuzzy_words(&literal.phrase, literal.prefix, words))
            };
        }
        let one_word = !literal.phrase.trim().contains(char::is_whitespace);
        if literal.prefix && one_word {
            let (target, folded) = match field {
                None | Some("text") => (f.text_exact, true),
                Some("title") => (f.title_exact, true),
                Some("section") => (f.section_exact, true),
                Some(other) => (self.index.schema().get_field(other)?, false),
            };
            let prefix = if folded {
                analyzed(&mut folded_analyzer(), &literal.phrase)
                    .into_iter()
                    .next()
                    .unwrap_or_default()
            } else {
                literal.phrase.clone()
            };
            return prefix_query(searcher, target, &prefix);
        }
        let parsed = parser
            .build_query_from_user_input_ast_lenient(UserInputAst::from(UserInputLeaf::Literal(
                literal.clone(),
            )))
            .0;
        if field.is_some() || !one_word || literal.delimiter != Delimiter::None {
            return Ok(parsed);
        }
        // The family of the word: its forms that the index holds, as stems of the text field.
        let folded = analyzed(&mut folded_analyzer(), &literal.phrase);
        let [word] = folded.as_slice() else {
            return Ok(parsed);
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, parsed)];
        clauses.extend(
            written_apart(searcher, f.text_exact, word)?
                .into_iter()
                .map(|q| (Occur::Should, q)),
        );
        let mut dutch = dutch_analyzer(Compounds::Whole);
        let own = analyzed(&mut dutch, word);
        let mut stems: BTreeSet<String> = BTreeSet::new();
        for form in morphology::family(word) {
            let exact = Term::from_field_text(f.text_exact, &form);
            if searcher.doc_freq(&exact)? > 0 {
                stems.extend(
                    analyzed(&mut dutch, &form)
                        .into_iter()
                        .filter(|s| !own.contains(s)),
                );
            }
        }
        if stems.is_empty() && clauses.len() == 1 {
            return Ok(clauses.pop().expect("the word's own query").1);
        }
        for stem in stems {
            clauses.push((
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.text, &stem),
                    IndexRecordOption::WithFreqs,
                )),
            ));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// A "phrase" with each word spelled within its edit distance: the words the index holds
    /// near each of them, in the phrase's order, one phrase query per combination (at most
    /// `MAX_PHRASES`, the nearest first). Each word, as matched, goes to `words`.
    fn fuzzy_phrase(
        &self,
        searcher: &Searcher,
        phrase: &str,
        words: &mut Vec<String>,
    ) -> anyhow::Result<Box<dyn Query>> {
        const MAX_PHRASES: usize = 64;
        let tokens = analyzed(&mut folded_analyzer(), phrase);
        if tokens.len() < 2 {
            return Ok(self.fuzzy_words(phrase, false, words));
        }
        let field = self.fields.text_exact;
        let mut near: Vec<Vec<(usize, String)>> = Vec::new();
        for token in &tokens {
            let wanted: Vec<char> = token.chars().collect();
            let limit = fuzzy_distance(wanted.len());
            let mut found: BTreeMap<String, usize> = BTreeMap::new();
            for segment in searcher.segment_readers() {
                let inverted = segment.inverted_index(field)?;
                let mut stream = inverted.terms().stream()?;
                while stream.advance() {
                    let Ok(term) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    let chars: Vec<char> = term.chars().collect();
                    if chars.len().abs_diff(wanted.len()) > limit {
                        continue;
                    }
                    let d = edit_distance(&wanted, &chars);
                    if d <= limit {
                        found.insert(term.to_string(), d);
                    }
                }
            }
            let mut found: Vec<(usize, String)> = found.into_iter().map(|(t, d)| (d, t)).collect();
            found.sort();
            near.push(found);
            words.push(token.clone());
        }
        // Combinations in order of their total distance, the nearest first.
        let mut phrases: Vec<(usize, Vec<&str>)> = vec![(0, Vec::new())];
        for options in &near {
            let mut next = Vec::new();
            for (d, prefix) in &phrases {
                for (e, term) in options {
                    let mut p = prefix.clone();
                    p.push(term.as_str());
                    next.push((d + e, p));
                }
            }
            next.sort_by_key(|(d, _)| *d);
            next.truncate(MAX_PHRASES);
            phrases = next;
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = phrases
            .into_iter()
            .map(|(_, p)| {
                let terms = p.iter().map(|t| Term::from_field_text(field, t)).collect();
                let q: Box<dyn Query> = Box::new(PhraseQuery::new(terms));
                (Occur::Should, q)
            })
            .collect();
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// All the words of `phrase` within their edit distance of a word of the passage text, the
    /// last as a prefix when `prefix`; each word, as matched, goes to `words`.
    fn fuzzy_words(&self, phrase: &str, prefix: bool, words: &mut Vec<String>) -> Box<dyn Query> {
        let tokens = analyzed(&mut folded_analyzer(), phrase);
        let last = tokens.len().saturating_sub(1);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (i, token) in tokens.into_iter().enumerate() {
            let distance = fuzzy_distance(token.chars().count()) as u8;
            let term = Term::from_field_text(self.fields.text_exact, &token);
            let as_prefix = prefix && i == last;
            let q: Box<dyn Query> = match (distance, as_prefix) {
                (0, false) => Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                (d, false) => Box::new(FuzzyTermQuery::new(term, d, true)),
                (d, true) => Box::new(FuzzyTermQuery::new_prefix(term, d, true)),
            };
            words.push(if as_prefix {
                format!("{token}*")
            } else {
                token
            });
            clauses.push((Occur::Must, q));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Highlights for the words a query matched, in the stored text: the terms it asks of the
    /// text field, and those it asks of the unstemmed field (a prefix's words) as their stems.
    /// Compounds are split into all their endings, so that "jeugdhulpprofessionals" is marked
    /// when a search found it by "professionals".
    fn snippet_generator(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
    ) -> anyhow::Result<SnippetGenerator> {
        let f = &self.fields;
        let mut terms: Vec<(Field, String)> = Vec::new();
        query.query_terms(&mut |term, _| {
            if let Some(text) = term.value().as_str() {
                terms.push((term.field(), text.to_string()));
            }
        });
        let mut dutch = dutch_analyzer(Compounds::Whole);
        let mut weights: BTreeMap<String, Score> = BTreeMap::new();
        for (field, text) in terms {
            let stems = if field == f.text {
                vec![text]
            } else if field == f.text_exact {
                analyzed(&mut dutch, &text)
            } else {
                continue;
            };
            for stem in stems {
                let n = searcher.doc_freq(&Term::from_field_text(f.text, &stem))?;
                if n > 0 {
                    weights.insert(stem, 1.0 / (1.0 + n as Score));
                }
            }
        }
        Ok(SnippetGenerator::new(
            weights,
            dutch_analyzer(Compounds::Tails),
            f.text,
            SNIPPET_CHARS,
        ))
    }

    /// The hits of `user` with the filters, best first, each with the start of its passage as
    /// its snippet.
    fn run_query(
        &self,
        user: &dyn Query,
        filters: &Filters,
        limit: usize,
        fuzzy: bool,
    ) -> anyhow::Result<Vec<Hit>> {
        let f = &self.fields;
        let searcher = self.reader.searcher();
        let mut clauses = self.filter_clauses(filters);
        clauses.push((Occur::Must, user.box_clone()));
        let full = BooleanQuery::new(clauses);
        let n_words = self.index.schema().get_field_name(f.n_words).to_string();
        // No more than the index holds: the collector makes room for its limit up front.
        let limit = limit.min(searcher.num_docs() as usize).max(1);
        let top = searcher.search(
            &full,
            &TopDocs::with_limit(limit).tweak_score(move |segment: &SegmentReader| {
                let n_words = segment
                    .fast_fields()
                    .u64(&n_words)
                    .map(|c| c.first_or_default_col(0));
                move |doc: DocId, score: Score| match &n_words {
                    Ok(column) => score * length_prior(column.get_val(doc)),
                    Err(_) => score,
                }
            }),
        )?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            hits.push(self.hit_of(&d, score, fuzzy));
        }
        Ok(hits)
    }

    /// Every passage of the index (no publication's record), by publication and passage id:
    /// what `peo export` writes.
    pub fn all_passages(&self) -> anyhow::Result<Vec<Hit>> {
        let searcher = self.reader.searcher();
        let mut hits = Vec::new();
        for segment in searcher.segment_readers() {
            let store = segment.get_store_reader(64)?;
            for doc in segment.doc_ids_alive() {
                let d: TantivyDocument = store.get(doc)?;
                let kind = d.get_first(self.fields.kind).and_then(|v| v.as_str());
                if kind != Some(RECORD_KIND) {
                    hits.push(self.hit_of(&d, 0.0, false));
                }
            }
        }
        hits.sort_by(|a, b| a.doc_id.cmp(&b.doc_id).then(a.id.cmp(&b.id)));
        Ok(hits)
    }

    /// A stored passage as a hit with `score`, its snippet the start of its text.
    fn hit_of(&self, d: &TantivyDocument, score: Score, fuzzy: bool) -> Hit {
        let f = &self.fields;
        let text_of = |field: Field| {
            d.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let u64_of = |field: Field| d.get_first(field).and_then(|v| v.as_u64());
        let text = text_of(f.text);
        Hit {
            id: text_of(f.passage_id),
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
            n_pages: u64_of(f.n_pages).map(|n| n as u32),
            copy_rank: u64_of(f.copy_rank).unwrap_or(0),
            ordinal: u64_of(f.ordinal).map(|n| n as usize),
            snippet: text.chars().take(SNIPPET_CHARS).collect(),
            highlights: Vec::new(),
            text,
            fuzzy,
            also_in: Vec::new(),
            stale: Some(text_of(f.stale)).filter(|s| !s.is_empty()),
        }
    }
}

/// Gives each passage of a publication its id: the publication's id and a hash of the
/// passage's kind, page and text (a second passage the same in all three gets "-2", and so
/// on). Indexing the same publication again gives the same ids, so an engine loaded from
/// `peo export` can be updated by id.
fn passage_ids(doc_id: &str, passages: &mut [TantivyDocument], f: &Fields) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for d in passages {
        let text_of = |field: Field| d.get_first(field).and_then(|v| v.as_str()).unwrap_or("");
        let page = d.get_first(f.page).and_then(|v| v.as_u64()).unwrap_or(0);
        let mut hasher = blake3::Hasher::new();
        for part in [text_of(f.kind), &page.to_string(), text_of(f.text)] {
            hasher.update(part.as_bytes());
            hasher.update(&[0]);
        }
        let hash = hasher.finalize().to_hex();
        let id = format!("{doc_id}:{}", &hash[..16]);
        let n = seen.entry(id.clone()).or_default();
        *n += 1;
        let id = match *n {
            1 => id,
            n => format!("{id}-{n}"),
        };
        d.add_text(f.passage_id, &id);
    }
}

/// The text of a publication's `document` passage: what a researcher calls it (title and
/// subtitle), when and what it is ("meting 2022-2023", its type), who wrote it, and what its
/// figures show in words (their Alt texts), which no other text of the publication may say.
fn document_text(doc: &Document, wave: &str) -> String {
    let mut parts: Vec<String> = vec![doc.title.clone()];
    parts.extend(doc.subtitle.iter().cloned());
    if !wave.is_empty() {
        parts.push(format!("meting {wave}"));
    }
    if !doc.doc_type_text().is_empty() {
        parts.push(doc.doc_type_text().to_string());
    }
    if !doc.authors.is_empty() {
        parts.push(doc.authors.join(", "));
    }
    parts.extend(doc.alt_texts.iter().map(|a| a.text.clone()));
    parts.retain(|p| !p.trim().is_empty());
    parts.join(" · ")
}

/// The length of a snippet, in characters.
const SNIPPET_CHARS: usize = 220;

/// Makes the snippets of a search's hits: the part of each passage around the words the query
/// matched, with their byte ranges (`PeoIndex::search_unmarked`).
pub struct Marker(SnippetGenerator);

impl Marker {
    /// Gives each hit the snippet of its passage around what the query matched; a hit whose
    /// passage shows none of it keeps the start of its passage, and a fuzzy hit the snippet its
    /// own loosened words made (`search::fuzzy_highlights`).
    pub fn mark(&self, hits: &mut [Hit]) {
        for h in hits.iter_mut().filter(|h| !h.fuzzy) {
            let s = self.0.snippet(&h.text);
            if !s.fragment().is_empty() {
                h.highlights = s.highlighted().iter().map(|r| (r.start, r.end)).collect();
                h.snippet = s.fragment().to_string();
            }
        }
    }
}

/// BM25 favours short passages without bound: a table cell or an OCR fragment of one word that
/// holds the query word outranks the sentence that says something about it. A passage shorter
/// than a sentence (`SENTENCE` words) has its score scaled by the square root of its share of
/// one; from a sentence on, length is left to BM25.
fn length_prior(n_words: u64) -> Score {
    const SENTENCE: u64 = 8;
    ((n_words.clamp(1, SENTENCE) as Score) / SENTENCE as Score).sqrt()
}

/// The tokens `analyzer` makes of `text`.
fn analyzed(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// Passages with a word that begins with `prefix` in `field`: one clause per such word of the
/// index (at most `MAX_EXPANSIONS`, the most frequent), so that each is ranked by BM25 like a
/// word written out.
fn prefix_query(searcher: &Searcher, field: Field, prefix: &str) -> anyhow::Result<Box<dyn Query>> {
    const MAX_EXPANSIONS: usize = 200;
    let mut words: BTreeMap<Vec<u8>, u32> = BTreeMap::new();
    if !prefix.is_empty() {
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .into_stream()?;
            while stream.advance() {
                if !stream.key().starts_with(prefix.as_bytes()) {
                    break;
                }
                *words.entry(stream.key().to_vec()).or_default() += stream.value().doc_freq;
            }
        }
    }
    let mut words: Vec<(Vec<u8>, u32)> = words.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let clauses: Vec<(Occur, Box<dyn Query>)> = words
        .into_iter()
        .take(MAX_EXPANSIONS)
        .filter_map(|(w, _)| String::from_utf8(w).ok())
        .map(|w| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(field, &w),
                IndexRecordOption::WithFreqs,
            ));
            (Occur::Should, q)
        })
        .collect();
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// The query language's field names (as researchers say them) and values, mapped to the
/// index's: `type:` is `doc_type`, `doc:` is `doc_id`; the values of wave, type, kind and
/// audience are lowercase, a wave is written as the index stores it ("2024/2025", "2024-25"
/// → "2024-2025"), a kind with a hyphen as with an underscore ("key-figure" → "key_figure").
fn field_value(name: &str, value: &str) -> anyhow::Result<(&'static str, String)> {
    Ok(match name.to_lowercase().as_str() {
        "wave" => ("wave", wave(value)),
        "type" | "doc_type" => ("doc_type", value.to_lowercase()),
        "kind" => (
            "kind",
            PassageKind::parse(value).map_or_else(
                || value.to_lowercase().replace('-', "_"),
                |k| k.as_str().to_string(),
            ),
        ),
        "audience" => ("audience", value.to_lowercase()),
        "section" => ("section", value.to_string()),
        "title" => ("title", value.to_string()),
        "doc" | "doc_id" => ("doc_id", value.to_string()),
        other => bail!(
            "unknown field {other:?} in the query (known: wave, type, kind, audience, section, title, doc)"
        ),
    })
}

/// A wave as the index stores it: one year ("2022"), or two joined by a hyphen ("2024-2025"),
/// also when written "2024/2025", "2024 - 2025", "2024-25" or "2024–2025".
pub fn wave(value: &str) -> String {
    Wave::parse(value).map_or_else(|| value.to_string(), |w| w.to_string())
}

/// Parts of a word shorter than this are not looked for apart: "psycho" and "educatie" are,
/// "in" and "zet" are not.
const MIN_APART: usize = 4;

/// A word the texts never use whole (in `field`, the folded words) may be written apart in
/// them, with a hyphen or a space (psychoeducatie: psycho-educatie, which the tokenizer reads as
/// two words): for each place where it splits into two words of `MIN_APART` letters or more
/// that the texts use, the two in a row. Nothing for a word the texts use.
fn written_apart(
    searcher: &Searcher,
    field: Field,
    word: &str,
) -> anyhow::Result<Vec<Box<dyn Query>>> {
    let used = |w: &str| searcher.doc_freq(&Term::from_field_text(field, w));
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    if chars.len() < 2 * MIN_APART || used(word)? > 0 {
        return Ok(Vec::new());
    }
    let mut queries: Vec<Box<dyn Query>> = Vec::new();
    for i in MIN_APART..=chars.len() - MIN_APART {
        let (head, tail) = word.split_at(chars[i].0);
        if used(head)? > 0 && used(tail)? > 0 {
            queries.push(Box::new(PhraseQuery::new(vec![
                Term::from_field_text(field, head),
                Term::from_field_text(field, tail),
            ])));
        }
    }
    Ok(queries)
}

/// The Levenshtein distance between two words.
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The edit distance the fuzzy fallback allows for a query word of `n` letters.
pub fn fuzzy_distance(n: usize) -> usize {
    match n {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waves_are_written_as_the_index_stores_them() {
        for (written, stored) in [
            ("2024-2025", "2024-2025"),
            ("2024/2025", "2024-2025"),
            ("2024-25", "2024-2025"),
            ("2024 – 2025", "2024-2025"),
            ("2022", "2022"),
            ("eind", "eind"),
        ] {
            assert_eq!(wave(written), stored, "{written}");
        }
    }

    #[test]
    fn fragments_shorter_than_a_sentence_weigh_less() {
        assert!(length_prior(1) < length_prior(4));
        assert!(length_prior(4) < length_prior(8));
        assert_eq!(length_prior(8), 1.0);
        assert_eq!(length_prior(200), 1.0);
    }

    #[test]
    fn unknown_fields_are_refused_and_known_ones_mapped() {
        assert_eq!(
            field_value("type", "Rapport").unwrap(),
            ("doc_type", "rapport".into())
        );
        assert_eq!(
            field_value("kind", "key-figure").unwrap(),
            ("kind", "key_figure".into())
        );
        assert!(field_value("auteur", "x").is_err());
    }

    fn document(id: &str, title: &str) -> Document {
        Document {
            id: id.into(),
            title: title.into(),
            wave: Wave::parse("2024-2025"),
            pages: vec![crate::model::Page {
                number: 1,
                label: "1".into(),
                text: "De werkdruk is hoog.".into(),
            }],
            paragraphs: vec![crate::model::Paragraph {
                text: "De werkdruk is hoog.".into(),
                page: 1,
                section: None,
            }],
            ..Document::default()
        }
    }

    fn titles(index: &PeoIndex) -> Vec<(String, String)> {
        let mut titles: Vec<_> = index
            .records()
            .unwrap()
            .into_iter()
            .map(|(d, _)| (d.id, d.title))
            .collect();
        titles.sort();
        titles
    }

    #[test]
    fn an_update_is_seen_whole_at_its_commit_and_not_at_all_without_it() {
        let dir = std::env::temp_dir().join(format!("peo-update-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut index = PeoIndex::open_or_create(&dir).unwrap();
        index
            .commit(&[(document("a", "Eerste"), String::new())], &[], false)
            .unwrap();

        let mut update = index.update(&[], false).unwrap();
        update.put(&document("a", "Tweede"), "").unwrap();
        update.put(&document("b", "Derde"), "").unwrap();
        drop(update);
        assert_eq!(
            titles(&PeoIndex::open(&dir).unwrap()),
            [("a".into(), "Eerste".into())]
        );
        let mut index = PeoIndex::open_or_create(&dir).unwrap();
        assert_eq!(titles(&index), [("a".into(), "Eerste".into())]);

        let mut update = index.update(&[], false).unwrap();
        update.put(&document("a", "Tweede"), "").unwrap();
        update.put(&document("b", "Derde"), "").unwrap();
        // Per document: its paragraph and the passage of the publication itself.
        assert_eq!(update.commit().unwrap(), 4);
        assert_eq!(
            titles(&index),
            [("a".into(), "Tweede".into()), ("b".into(), "Derde".into())]
        );

        let mut update = index.update(&["a".to_string()], false).unwrap();
        update.put(&document("c", "Vierde"), "").unwrap();
        update.commit().unwrap();
        assert_eq!(
            titles(&index),
            [("b".into(), "Derde".into()), ("c".into(), "Vierde".into())]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tokens(compounds: Compounds, text: &str) -> Vec<String> {
        analyzed(&mut dutch_analyzer(compounds), text)
    }

    #[test]
    fn compounds_are_indexed_with_their_parts_and_queried_whole() {
        let indexed = tokens(Compounds::Parts, "jeugdhulpprofessionals");
        assert!(
            indexed.contains(&tokens(Compounds::Whole, "professionals")[0]),
            "{indexed:?}"
        );
        assert_eq!(tokens(Compounds::Whole, "jeugdhulpprofessionals").len(), 1);
        let tails = tokens(Compounds::Tails, "werkdruk");
        assert!(tails.contains(&"druk".to_string()), "{tails:?}");
    }
}
