//! What `make bench` (tests/bench.sh) times inside one process, where the `peo` commands would
//! also time process start:
//!
//!   bench read FILE...                 extract::read on each file (pdf-extract's part alone)
//!   bench queries INDEX QUERIES REPS   each query of the file QUERIES (one a line) REPS times
//!                                      on an index opened once, with `search::search`, the
//!                                      function `peo search --no-fuzzy` calls (filters
//!                                      checked, copies folded, per-publication limit,
//!                                      totals, snippets); prints the milliseconds of every run
//!   bench table ROWS COLUMNS           layout of a statistical-table page of ROWS rows of a
//!                                      label and COLUMNS values (tests/table_page.rs); prints
//!                                      the milliseconds and the cells it read
//!   bench line WORDS                   layout of a page of one line of WORDS words set over one
//!                                      another (tests/table_page.rs, `crowded_line`); prints the
//!                                      milliseconds and the words it read
//!
//! Speed is measured here and in tests/bench.sh only, never asserted in tests.

use std::path::Path;
use std::time::Instant;

use peo::index::PeoIndex;
use peo::search::{self, Filters, SearchRequest};

#[path = "../tests/table_page.rs"]
mod table_page;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("read") => {
            let mut n_glyphs = 0;
            for file in &args[1..] {
                let read = std::fs::read(file)
                    .map_err(|e| e.to_string())
                    .and_then(|bytes| peo::extract::read(&bytes).map_err(|e| e.to_string()));
                match read {
                    Ok(doc) => n_glyphs += doc.pages.iter().map(|p| p.glyphs.len()).sum::<usize>(),
                    Err(e) => eprintln!("bench: {file}: {e}"),
                }
            }
            println!("{n_glyphs} glyphs");
        }
        Some("queries") if args.len() == 4 => {
            let index = PeoIndex::open(Path::new(&args[1]))?;
            let queries: Vec<String> = std::fs::read_to_string(&args[2])?
                .lines()
                .map(str::trim)
                .filter(|q| !q.is_empty())
                .map(String::from)
                .collect();
            let reps: usize = args[3].parse()?;
            // As `peo search QUERY --no-fuzzy` asks, with its default limit and per-publication
            // limit.
            let request = |q: &str| SearchRequest {
                query: q.to_string(),
                filters: Filters::default(),
                limit: 10,
                fuzzy: false,
                duplicates: false,
                per_doc: search::PER_DOC,
            };
            let requests: Vec<SearchRequest> = queries.iter().map(|q| request(q)).collect();
            // One pass first: the index files are read into the page cache, as for a warm
            // `peo search`.
            for r in &requests {
                search::search(&index, r)?;
            }
            for _ in 0..reps {
                for r in &requests {
                    let t = Instant::now();
                    let found = search::search(&index, r)?;
                    std::hint::black_box(&found);
                    println!("{:.4}", t.elapsed().as_secs_f64() * 1000.0);
                }
            }
        }
        Some("table") if args.len() == 3 => {
            let page = table_page::table_page(args[1].parse()?, args[2].parse()?);
            let t = Instant::now();
            let laid = peo::layout::lay_out(&page);
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            let cells: usize = laid.lines.iter().map(|l| l.cells.len()).sum();
            println!("{ms:.1} ms, {cells} cells in {} lines", laid.lines.len());
            if std::env::var_os("BENCH_SHOW").is_some() {
                for l in &laid.lines {
                    println!("{} {:?} | {:?}", l.block, l.text, l.cells);
                }
            }
        }
        Some("line") if args.len() == 2 => {
            let page = table_page::crowded_line(args[1].parse()?);
            let t = Instant::now();
            let laid = peo::layout::lay_out(&page);
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            let words: usize = laid.lines.iter().map(|l| l.text.split_whitespace().count()).sum();
            println!("{ms:.1} ms, {words} words");
        }
        _ => anyhow::bail!(
            "usage: bench read FILE... | bench queries INDEX QUERIES REPS | bench table ROWS COLUMNS | bench line WORDS"
        ),
    }
    Ok(())
}
