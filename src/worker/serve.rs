//! The worker's side: answers every `Request` on its input with a `Response` on its output,
//! until the input ends.
//!
//! Invariant: one response a request, in order; a request it cannot read ends the worker with
//! an error, so that the parent reports the file's worker as died instead of waiting.

use std::io::{BufRead, Write};

use anyhow::Context;

use crate::process::{self, Env};
use crate::worker::protocol::{Request, Response};

/// Serves requests on `input`, answers on `output`.
pub fn serve(input: impl BufRead, mut output: impl Write) -> anyhow::Result<()> {
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let request: Request = serde_json::from_str(&line).context("unreadable request")?;
        let env = Env::standard(request.ocr);
        let response = match std::fs::read(&request.path) {
            Err(e) => Response::Io(e.to_string()),
            Ok(bytes) => match process::process(&bytes, &request.path, &request.known, &env) {
                Ok(processed) => Response::Processed(Box::new(processed)),
                Err(e) => Response::Unreadable(e),
            },
        };
        serde_json::to_writer(&mut output, &response)?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(())
}
