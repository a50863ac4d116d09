//! `peo worker`: the stages on one file, for `peo index` to run in a child process. Not meant
//! to be called by hand (hidden from --help).

use std::path::PathBuf;

use crate::cli::Exit;
use crate::pipeline::{self, WORKER_FAILED};
use crate::segment::Known;

#[derive(Debug, clap::Args)]
pub struct Args {
    file: PathBuf,
    #[arg(long)]
    title: Option<String>,
    #[arg(long)]
    wave: Option<String>,
    #[arg(long = "type")]
    doc_type: Option<String>,
    #[arg(long, value_enum, default_value = "auto")]
    ocr: crate::cli::OcrArg,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let known = Known {
        title: args.title,
        wave: args.wave,
        doc_type: args.doc_type,
        pdf_title: None,
    };
    match pipeline::process_file(&args.file, &known, args.ocr.into()) {
        Ok(p) => {
            println!("{}", serde_json::to_string(&p.document)?);
            Ok(Exit::Success)
        }
        Err(e) => {
            eprintln!("peo: {e}");
            std::process::exit(WORKER_FAILED);
        }
    }
}
