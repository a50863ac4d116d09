//! `peo extract`: the whole pipeline on one PDF, no index needed.

use std::io::Write;

use std::path::PathBuf;

use crate::catalog::Catalog;
use crate::cli::Exit;
use crate::corpus;
use crate::model::{BlockRole, CleanPage, LineTag, Source as RoleSource, StructRole};
use crate::ocr::cache::OcrCache;
use crate::ocr::choose::Source;
use crate::ocr::judge::Verdict;

/// Run the whole pipeline on one PDF and print its document model.
///
/// When the PDF stands in a directory with a catalog.toml, its entry gives title, wave and
/// type. With --explain every repair the normaliser made is listed (page, rule, original,
/// result), and, for a scan whose text layer OCR made, the verdict on each page's layer and,
/// where a poor one was read again, which reading each line kept and why; then, block by
/// block, why segmentation made it a heading, a recommendation, a quote or a table row, which
/// key figures it holds, and which rules looked at it and declined (block, page, role, rule,
/// what the rule saw, the block's first words). The file is read by
/// a worker process under the same time and memory budget as in peo index.
///
/// Pages read by OCR are kept in the OCR cache of the index (--index), when its directory
/// exists, so a scan that `peo index` read is not read again.
///
/// Examples:
///   peo extract corpus/peo-2022-factsheet.pdf
///   peo extract corpus/peo-2024-2025-rapport-scan.pdf --format text --explain
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The PDF file.
    file: PathBuf,
    /// Output format: the JSON document model, or the clean text page by page.
    #[arg(long, value_enum, default_value = "json")]
    format: ExtractFormat,
    /// List every repair made by normalisation, every choice between a text layer and OCR,
    /// and why each block became what it is, on standard error.
    #[arg(long)]
    explain: bool,
    #[command(flatten)]
    processing: crate::cli::ProcessArgs,
    #[command(flatten)]
    index: crate::cli::IndexDir,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExtractFormat {
    Json,
    Text,
    /// Every line with its geometry: page, layout block, font size, boxed, list item, bold,
    /// x, top; the role a tagged PDF's structure tree gives it ("-" where it gives none); the
    /// role peo gave the block the line is part of (title, heading-N, audience_label,
    /// recommendation, quote, table_row, paragraph, as `blocks` in the JSON names them) and
    /// where that role came from: "tags" (the structure tree says so) or "layout" (peo read it
    /// from the page's geometry and text).
    Lines,
}

impl Args {
    pub(crate) fn json(&self) -> bool {
        self.format == ExtractFormat::Json
    }
}

pub fn run(args: Args, json_errors: bool) -> anyhow::Result<Exit> {
    let mut out = std::io::stdout().lock();
    let dir = args
        .file
        .parent()
        .map(|p| p.to_path_buf())
        .unwrap_or_default();
    let catalog = Catalog::load(&dir).unwrap_or_default();
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let known = corpus::known_from(catalog.entry(&name));
    let mut processing = args.processing.resolve()?;
    processing.ocr_cache = args
        .index
        .index
        .is_dir()
        .then(|| OcrCache::beside(&args.index.index).dir().to_path_buf());
    let processed = corpus::process_file(&args.file, &known, &processing)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    if args.format == ExtractFormat::Lines {
        let roles = line_roles(&processed.pages, &processed.document.blocks);
        for (page, roles) in processed.pages.iter().zip(&roles) {
            for (l, (role, source)) in page.lines.iter().zip(roles) {
                let flags = format!(
                    "{}{}{}",
                    if l.boxed { "B" } else { "-" },
                    if l.list_item { "L" } else { "-" },
                    if l.bold { "W" } else { "-" }
                );
                writeln!(
                    out,
                    "{:>3} {:>3} {:>5.1} {flags} {:>6.1} {:>6.1} {:<6} {role:<14} {source:<6} {}",
                    page.number,
                    l.block,
                    l.size,
                    l.x0,
                    l.top,
                    tag_role(l.tag),
                    l.text
                )?;
            }
        }
        return Ok(Exit::Success);
    }
    if args.explain {
        for d in &processed.diagnostics {
            eprintln!(
                "page {:>3}  {:<26} {:?} -> {:?}",
                d.page, d.rule, d.original, d.result
            );
        }
        for layer in &processed.layers {
            let verdict = match layer.verdict {
                Verdict::Good => "good".to_string(),
                Verdict::Poor(why) => format!("poor: {why}"),
            };
            eprintln!("page {:>3}  text layer {verdict}", layer.page);
            for region in &layer.regions {
                let (kept, text) = match region.kept {
                    Source::Layer => ("layer", &region.layer),
                    Source::Ocr => ("ocr", &region.ocr),
                };
                eprintln!(
                    "page {:>3}  kept {kept:<5} ({}) {text:?}",
                    layer.page,
                    region.why()
                );
            }
        }
    }
    let doc = &processed.document;
    if args.explain {
        for d in &processed.decisions {
            let (role, opening) = doc
                .blocks
                .get(d.block)
                .map(|b| (b.role.name(), b.opening.as_str()))
                .unwrap_or(("?", ""));
            let verdict = if d.took { "" } else { "declined " };
            eprintln!(
                "block {:>4} page {:>3}  {role:<14} {verdict}{}: {}  | {opening:?}",
                d.block, d.page, d.rule, d.evidence
            );
        }
    }
    for w in &doc.warnings {
        crate::cli::report(&format!("{}: {w}", args.file.display()), None, json_errors);
    }
    match args.format {
        ExtractFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(doc)?)?,
        ExtractFormat::Lines => {}
        ExtractFormat::Text => {
            for page in &doc.pages {
                writeln!(
                    out,
                    "--- page {} (label {}) ---\n{}\n",
                    page.number, page.label, page.text
                )?;
            }
        }
    }
    Ok(Exit::Success)
}

/// A line's role as its tags say, in a word: h1-h6, p, item, label, body, quote, cell, figure,
/// caption, note; "-" for a line no structure element marks.
/// The role segmentation gave each line's block and where that role came from (`tags` or
/// `layout`), page by page and line by line: segmentation gathers each page's lines, in order,
/// into blocks (`segment::blocks`), one `BlockRole` each in `Document::blocks`.
fn line_roles(pages: &[CleanPage], blocks: &[BlockRole]) -> Vec<Vec<(String, &'static str)>> {
    let segmented = crate::segment::blocks(pages);
    let mut roles = segmented
        .iter()
        .zip(blocks)
        .flat_map(|(b, role)| std::iter::repeat_n(role, b.n_lines));
    pages
        .iter()
        .map(|page| {
            page.lines
                .iter()
                .map(|_| match roles.next() {
                    Some(b) => (block_role(b), source_name(b.source)),
                    None => ("-".to_string(), "-"),
                })
                .collect()
        })
        .collect()
}

/// A block's role as `Document::blocks` names it in JSON, with a heading's level
/// ("heading-2").
fn block_role(block: &BlockRole) -> String {
    let name = serde_json::to_value(block.role)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    match block.level {
        Some(level) => format!("{name}-{level}"),
        None => name,
    }
}

fn source_name(source: RoleSource) -> &'static str {
    match source {
        RoleSource::Tags => "tags",
        RoleSource::Layout => "layout",
    }
}

fn tag_role(tag: Option<LineTag>) -> String {
    let Some(tag) = tag else {
        return "-".into();
    };
    if tag.quote.is_some() {
        return "quote".into();
    }
    match tag.role {
        StructRole::Heading(level) => format!("h{level}"),
        StructRole::P | StructRole::Group | StructRole::Inline => "p".into(),
        StructRole::List | StructRole::ListItem | StructRole::ListBody => "item".into(),
        StructRole::Label => "label".into(),
        StructRole::BlockQuote | StructRole::Quote => "quote".into(),
        StructRole::Table | StructRole::TableRow | StructRole::TableCell => "cell".into(),
        StructRole::Figure => "figure".into(),
        StructRole::Caption => "caption".into(),
        StructRole::Note => "note".into(),
    }
}
