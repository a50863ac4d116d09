//! The `peo` binary: parses the command line, hands it to `peo::cli`, and exits with the code
//! it gives.

use std::process::ExitCode;

fn main() -> ExitCode {
    match peo::cli::parse() {
        Ok(cli) => peo::cli::run(cli),
        Err(code) => code,
    }
}
