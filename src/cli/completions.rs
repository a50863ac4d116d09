//! `peo completions SHELL`: the shell's completion script for peo, on standard output; and the
//! hidden `peo man DIR` (`make man`): a man page for peo and one for each command, in DIR. Both
//! are made from the same clap definition as `--help`, so they cannot disagree with it.

use std::io::Write;
use std::path::PathBuf;

use crate::cli::Exit;

/// Print the completion script of a shell.
///
/// Examples:
///   peo completions bash > ~/.local/share/bash-completion/completions/peo
///   peo completions zsh > ~/.zfunc/_peo
///   peo completions fish > ~/.config/fish/completions/peo.fish
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The shell.
    #[arg(value_enum)]
    shell: Shell,
}

/// The shells peo writes completions for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let shell = match args.shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut visible(crate::cli::command()), "peo", &mut out);
    out.flush()?;
    Ok(Exit::Success)
}

/// The command line without its hidden commands (`peo worker`, `peo man`), which clap_complete
/// would offer in bash and zsh.
fn visible(full: clap::Command) -> clap::Command {
    let mut cmd = clap::Command::new("peo")
        .version(crate::cli::version())
        .propagate_version(true);
    if let Some(about) = full.get_about() {
        cmd = cmd.about(about.clone());
    }
    for sub in full.get_subcommands().filter(|s| !s.is_hide_set()) {
        cmd = cmd.subcommand(sub.clone());
    }
    cmd
}

/// Writes the man pages (hidden from --help; `make man` calls it).
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// The directory the pages are written to: peo.1, and peo-COMMAND.1 for each command.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
}

pub fn man(args: ManArgs) -> anyhow::Result<Exit> {
    use anyhow::Context;
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("{}: cannot create the directory", args.dir.display()))?;
    clap_mangen::generate_to(crate::cli::command(), &args.dir)
        .with_context(|| format!("{}: cannot write the man pages", args.dir.display()))?;
    Ok(Exit::Success)
}
