//! The command line: clap types (their doc comments are the help text) and one function per
//! subcommand. Nothing below this module knows about clap.
//!
//! Invariant: every command returns an `Exit` code instead of exiting: 0 success, 1 some files
//! failed (the rest was done), 2 usage or fatal error. Only this module and the files under it
//! print.

mod add;
mod completions;
mod export;
mod extract;
mod index;
mod items;
mod list;
mod quality;
mod search;
mod show;
mod worker;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::corpus::{Isolation, Processing};
use crate::process::Limits;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    SomeFailed = 1,
    Fatal = 2,
}

/// Search and extract the publications of the Professional-ervaringsonderzoek (PEO).
///
/// Index a corpus of PEO publications (PDF), then search them with Dutch stemming, list their
/// recommendations and quotes, or extract the document model of a single PDF.
#[derive(Debug, Parser)]
#[command(name = "peo", version, propagate_version = true)]
pub struct Opts {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Index(index::Args),
    Add(add::Args),
    Search(search::Args),
    Recs(items::Args),
    Quotes(items::Args),
    Extract(extract::Args),
    List(list::Args),
    Show(show::Args),
    Export(export::Args),
    Quality(quality::Args),
    Completions(completions::Args),
    #[command(hide = true)]
    Man(completions::ManArgs),
    #[command(hide = true)]
    Worker(worker::Args),
}

/// When pages get OCR (the command-line face of `ocr::OcrMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OcrArg {
    /// Pages without words in their text layer (none, or a page number alone), when tesseract with Dutch data is installed.
    Auto,
    /// Every page that shows an image, replacing its text layer.
    Always,
    /// Never.
    Never,
}

impl From<OcrArg> for crate::ocr::OcrMode {
    fn from(a: OcrArg) -> Self {
        match a {
            OcrArg::Auto => crate::ocr::OcrMode::Auto,
            OcrArg::Always => crate::ocr::OcrMode::Always,
            OcrArg::Never => crate::ocr::OcrMode::Never,
        }
    }
}

/// How each file is processed: the flags `peo index`, `peo add` and `peo extract` share, with
/// their defaults from `process::Limits::DEFAULT`, resolved once into a `corpus::Processing`.
#[derive(Debug, Clone, clap::Args)]
pub struct ProcessArgs {
    /// Time budget of one file, in seconds: a file that takes longer is abandoned.
    #[arg(long, value_name = "SECS", default_value_t = Limits::DEFAULT.timeout)]
    timeout: u64,
    /// Memory budget of each worker process, which reads one file at a time, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = Limits::DEFAULT.memory_mib)]
    max_memory: u64,
    /// Process files in this process instead of in worker processes, for debugging: a PDF that
    /// crashes the parser ends the whole run, --max-memory does not hold, and a file over
    /// --timeout is abandoned but its thread runs on until peo ends.
    #[arg(long)]
    in_process: bool,
    /// OCR for pages that are images: auto (pages without words, when tesseract is installed),
    /// always (every page with an image), never.
    #[arg(long, value_enum, default_value = "auto")]
    ocr: OcrArg,
}

impl ProcessArgs {
    /// The processing these flags ask for; a worker is this very binary.
    pub(crate) fn resolve(&self) -> anyhow::Result<Processing> {
        let isolation = if self.in_process {
            Isolation::InProcess
        } else {
            let exe = std::env::current_exe()
                .map_err(|e| anyhow::anyhow!("cannot find the peo binary: {e}"))?;
            Isolation::Worker { exe }
        };
        Ok(Processing {
            isolation,
            limits: Limits {
                timeout: self.timeout,
                memory_mib: self.max_memory,
            },
            ocr: self.ocr.into(),
            ocr_cache: None,
        })
    }
}

/// Output formats of commands that print items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Jsonl,
    Csv,
}

/// Where the index lives, shared by the commands that read it.
#[derive(Debug, Clone, clap::Args)]
pub struct IndexDir {
    /// The index directory.
    #[arg(long, value_name = "DIR", default_value = "index", env = "PEO_INDEX")]
    pub index: PathBuf,
}

/// Filters shared by search, recs and quotes.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Only this wave ("2022", "2022-2023", "2023-2024", "2024-2025"); repeat for several.
    #[arg(long, value_name = "W")]
    pub wave: Vec<String>,
    /// Only this document type (rapport, samenvatting, factsheet, webpagina); repeat for several.
    #[arg(long = "type", value_name = "T")]
    pub doc_type: Vec<String>,
    /// Only this audience of recommendations (professionals, organisaties, opleidingen, beleid).
    #[arg(long, value_name = "A")]
    pub audience: Vec<String>,
}

impl Command {
    /// Whether the command prints JSON (or JSON lines): then, when `--format` says so on the
    /// command line, its errors and warnings on standard error are JSON too.
    fn json(&self) -> bool {
        match self {
            Command::Search(a) => a.json(),
            Command::Recs(a) | Command::Quotes(a) => a.json(),
            Command::Extract(a) => a.json(),
            Command::List(a) => a.json(),
            Command::Show(a) => a.json(),
            Command::Export(a) => a.json(),
            Command::Quality(a) => a.json(),
            Command::Index(a) => a.json(),
            Command::Add(a) => a.json(),
            Command::Completions(_) | Command::Man(_) | Command::Worker(_) => false,
        }
    }
}

/// What `peo --version` prints after "peo ": the version of the program and of the index schema
/// it reads and writes (an index of another schema is rebuilt by the next `peo index`).
pub fn version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        format!(
            "{} (index schema {})",
            env!("CARGO_PKG_VERSION"),
            crate::index::SCHEMA_VERSION
        )
    })
}

/// The whole command line as clap sees it: what `--help`, the completions and the man pages
/// are made from.
pub fn command() -> clap::Command {
    Opts::command().version(version())
}

/// "1 document", "2 documents": a count with its noun in the right number.
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A parsed command line.
#[derive(Debug)]
pub struct Cli {
    pub command: Command,
    /// Errors and warnings go to standard error as JSON: the command prints JSON and the
    /// command line asks for `--format json` (or `jsonl`) in so many words, so that `peo extract
    /// FILE`, whose output is JSON by default, still reports to a person in text.
    pub json_errors: bool,
}

/// An error or a warning as one line of standard error: `peo: MESSAGE`, or, for a command
/// asked for JSON, the object `{"error": MESSAGE, "exit_code": N}` (a warning:
/// `{"warning": MESSAGE}`) on one line.
pub(crate) fn report(message: &str, exit: Option<Exit>, json: bool) {
    if !json {
        eprintln!("peo: {message}");
        return;
    }
    let value = match exit {
        Some(exit) => serde_json::json!({ "error": message, "exit_code": exit as i32 }),
        None => serde_json::json!({ "warning": message }),
    };
    eprintln!("{value}");
}

/// Whether the parsed subcommand was given `--format json` or `jsonl` on the command line.
fn format_json_given(matches: &ArgMatches) -> bool {
    let Some((_, sub)) = matches.subcommand() else {
        return false;
    };
    if !sub.ids().any(|id| id.as_str() == "format")
        || sub.value_source("format") != Some(ValueSource::CommandLine)
    {
        return false;
    }
    matches!(
        sub.get_raw("format")
            .and_then(|mut v| v.next())
            .and_then(|v| v.to_str()),
        Some("json" | "jsonl")
    )
}

/// Whether arguments that clap could not parse ask for `--format json` (or `jsonl`): the
/// only way to tell whether a usage error should be JSON.
fn format_json_written(args: &[OsString]) -> bool {
    let args: Vec<&str> = args.iter().filter_map(|a| a.to_str()).collect();
    args.windows(2)
        .any(|w| w[0] == "--format" && (w[1] == "json" || w[1] == "jsonl"))
        || args
            .iter()
            .any(|a| *a == "--format=json" || *a == "--format=jsonl")
}

/// The command line, parsed. A usage error is reported as `report` does (as JSON when the
/// arguments ask for `--format json` or `jsonl`) and gives exit code 2; help and version are
/// printed as clap prints them.
pub fn parse() -> Result<Cli, ExitCode> {
    let args: Vec<OsString> = std::env::args_os().collect();
    let parsed = command()
        .try_get_matches_from(&args)
        .and_then(|matches| Ok((Opts::from_arg_matches(&matches)?, matches)));
    let err = match parsed {
        Ok((opts, matches)) => {
            return Ok(Cli {
                json_errors: opts.command.json() && format_json_given(&matches),
                command: opts.command,
            })
        }
        Err(err) => err,
    };
    use clap::error::ErrorKind;
    let shown = matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if shown {
        let _ = err.print();
        return Err(ExitCode::from(err.exit_code() as u8));
    }
    if !format_json_written(&args) {
        // clap's text without its "error: " prefix, so that every error of peo starts "peo: ".
        let text = err.render().to_string();
        eprint!("peo: {}", text.trim_start_matches("error: "));
        return Err(ExitCode::from(Exit::Fatal as u8));
    }
    // clap's first paragraph says what is wrong; the rest is usage advice for a terminal.
    let text = err.to_string();
    let what: Vec<&str> = text
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    let what = what.join(" ");
    report(what.trim_start_matches("error: "), Some(Exit::Fatal), true);
    Err(ExitCode::from(Exit::Fatal as u8))
}

/// Whether an error is the reader of standard output going away (`peo recs | head`): that ends
/// the output, it is no failure.
fn broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Whether errors go to standard error as JSON, for the panic reporter (a plain function).
static JSON_ERRORS: AtomicBool = AtomicBool::new(false);

/// A panic that no stage contained, as one line: what to report, never Rust's message and
/// backtrace.
fn report_panic(panic: &crate::panics::Panic) {
    let message = format!(
        "internal error: {}: {}",
        panic.summary(),
        crate::panics::PLEASE_REPORT
    );
    report(
        &message,
        Some(Exit::Fatal),
        JSON_ERRORS.load(Ordering::Relaxed),
    );
}

/// Runs a parsed command line; the exit code it ends with. A panic that reaches this far is
/// reported as one line (`report_panic`) and ends the command with exit code 2.
pub fn run(cli: Cli) -> ExitCode {
    let json = cli.json_errors;
    JSON_ERRORS.store(json, Ordering::Relaxed);
    crate::panics::report_uncaught(report_panic);
    let command = std::panic::AssertUnwindSafe(cli.command);
    let result = std::panic::catch_unwind(move || dispatch(command.0, json));
    let exit = match result {
        Err(_) => Exit::Fatal,
        Ok(Ok(exit)) => exit,
        Ok(Err(err)) if broken_pipe(&err) => Exit::Success,
        Ok(Err(err)) => {
            report(&format!("{err:#}"), Some(Exit::Fatal), json);
            Exit::Fatal
        }
    };
    ExitCode::from(exit as u8)
}

fn dispatch(command: Command, json: bool) -> anyhow::Result<Exit> {
    match command {
        Command::Index(args) => index::run(args),
        Command::Add(args) => add::run(args),
        Command::Search(args) => search::run(args),
        Command::Recs(args) => items::run(args, crate::search::Which::Recommendations),
        Command::Quotes(args) => items::run(args, crate::search::Which::Quotes),
        Command::Extract(args) => extract::run(args, json),
        Command::List(args) => list::run(args),
        Command::Show(args) => show::run(args),
        Command::Export(args) => export::run(args),
        Command::Quality(args) => quality::run(args, json),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => completions::man(args),
        Command::Worker(args) => worker::run(args),
    }
}
