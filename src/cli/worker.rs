//! `peo worker`: answers `peo index`'s requests, one file at a time, on standard input and
//! output until its input ends (the protocol is in `crate::worker`). Not meant to be called by
//! hand (hidden from --help).

use crate::cli::Exit;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_: Args) -> anyhow::Result<Exit> {
    crate::worker::serve(std::io::stdin().lock(), std::io::stdout().lock())?;
    Ok(Exit::Success)
}
