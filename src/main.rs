//! The `peo` binary: parses the command line and hands it to `peo::cli`.

use clap::Parser;

fn main() {
    let opts = peo::cli::Opts::parse();
    let exit = peo::cli::run(opts);
    std::process::exit(exit as i32);
}
