//! The worker's side: answers every `Request` on its input with a `Response` on its output,
//! until the input ends. An answer is one line of compact JSON.
//!
//! Invariant: one response a request, in order; a request it cannot read ends the worker with
//! an error, so that the parent reports the file's worker as died instead of waiting.

use std::io::{BufRead, Write};

use anyhow::Context;

use crate::ocr::cache::OcrCache;
use crate::process::{self, Env};
use crate::worker::protocol::{Reply, Request, Response};

/// Serves requests on `input`, answers on `output`.
pub fn serve(input: impl BufRead, mut output: impl Write) -> anyhow::Result<()> {
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let request: Request = serde_json::from_str(&line).context("unreadable request")?;
        let cache = request.ocr_cache.clone().map(OcrCache::at);
        let env = Env {
            ocr_cache: cache.as_ref(),
            ..Env::standard(request.ocr)
        };
        let response = match std::fs::read(&request.path) {
            Err(e) => Response::Io(e.to_string()),
            Ok(bytes) => match process::process(&bytes, &request.path, &request.known, &env) {
                Ok(processed) => match request.reply {
                    Reply::Everything => Response::Processed(Box::new(processed)),
                    Reply::Document => Response::Document(Box::new(processed.document)),
                },
                Err(e) => Response::Unreadable(e),
            },
        };
        serde_json::to_writer(&mut output, &response)?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::ocr::OcrMode;
    use crate::segment::Known;

    #[test]
    fn a_worker_answers_with_the_part_of_the_processed_file_each_request_asks_for() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/peo-2022-factsheet.pdf");
        let everything = Request {
            path: path.clone(),
            known: Known::default(),
            ocr: OcrMode::Never,
            ocr_cache: None,
            reply: Reply::Everything,
        };
        let document = Request {
            reply: Reply::Document,
            ..everything.clone()
        };
        let missing = Request {
            path: path.with_file_name("ontbreekt.pdf"),
            ..everything.clone()
        };
        let input: String = [&everything, &document, &missing]
            .iter()
            .map(|r| serde_json::to_string(r).unwrap() + "\n")
            .collect();
        let mut output = Vec::new();
        serve(input.as_bytes(), &mut output).unwrap();
        let output = String::from_utf8(output).unwrap();
        let lines: Vec<&str> = output.lines().collect();
        let answers: Vec<Response> = lines
            .iter()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let [Response::Processed(processed), Response::Document(alone), Response::Io(_)] =
            answers.as_slice()
        else {
            panic!("{answers:?}");
        };
        let bytes = std::fs::read(&path).unwrap();
        let in_process = process::process(
            &bytes,
            &path,
            &Known::default(),
            &Env::standard(OcrMode::Never),
        )
        .unwrap();
        assert!(!processed.pages.is_empty() && !processed.diagnostics.is_empty());
        assert_eq!(processed.document, in_process.document);
        assert_eq!(processed.pages.len(), in_process.pages.len());
        assert_eq!(processed.diagnostics, in_process.diagnostics);
        assert_eq!(processed.laid_text, in_process.laid_text);
        // The document alone is the same document, and the pages' lines stay in the worker.
        assert_eq!(**alone, in_process.document);
        assert!(
            lines[1].len() < lines[0].len() / 2,
            "{} {}",
            lines[1].len(),
            lines[0].len()
        );
    }
}
