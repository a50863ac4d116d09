//! What `make bench` (tests/bench.sh) times inside one process, where the `peo` commands would
//! also time process start:
//!
//!   bench read FILE...                 extract::read on each file (pdf-extract's part alone)
//!   bench queries INDEX QUERIES REPS   each query of the file QUERIES (one a line) REPS times
//!                                      on an index opened once, as `peo search --no-fuzzy`
//!                                      runs it; prints the milliseconds of every run
//!
//! Speed is measured here and in tests/bench.sh only, never asserted in tests.

use std::path::Path;
use std::time::Instant;

use peo::index::PeoIndex;
use peo::search::{collapse_depth, collapse_duplicates, Filters};

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
        _ => anyhow::bail!("usage: bench read FILE... | bench queries INDEX QUERIES REPS"),
    }
    Ok(())
}
