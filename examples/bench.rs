//! What `make bench` (tests/bench.sh) times inside one process, where the `peo` commands would
//! also time process start:
//!
//!   bench read FILE...                 extract::read on each file (pdf-extract's part alone)
//!   bench queries INDEX QUERIES REPS   each query of the file QUERIES (one a line) REPS times
//!                                      on an index opened once, as `peo search --no-fuzzy`
//!                                      runs it; prints the milliseconds of every run
//!   bench table ROWS COLUMNS           layout of a statistical-table page of ROWS rows of a
//!                                      label and COLUMNS values (tests/table_page.rs); prints
//!                                      the milliseconds and the cells it read
//!
//! Speed is measured here and in tests/bench.sh only, never asserted in tests.

use std::path::Path;
use std::time::Instant;

use peo::index::PeoIndex;
use peo::search::{collapse_depth, collapse_duplicates, Filters};

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
            let filters = Filters::default();
            let limit = 10;
            // One pass first: the index files are read into the page cache, as for a warm
            // `peo search`.
            for q in &queries {
                index.search_unmarked(q, &filters, collapse_depth(limit))?;
            }
            for _ in 0..reps {
                for q in &queries {
                    let t = Instant::now();
                    // as `peo search` does: fold duplicates, then mark the hits shown
                    let (hits, marker) =
                        index.search_unmarked(q, &filters, collapse_depth(limit))?;
                    let mut hits = collapse_duplicates(hits);
                    hits.truncate(limit);
                    marker.mark(&mut hits);
                    std::hint::black_box(&hits);
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
        _ => anyhow::bail!(
            "usage: bench read FILE... | bench queries INDEX QUERIES REPS | bench table ROWS COLUMNS"
        ),
    }
    Ok(())
}
