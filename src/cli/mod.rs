//! Command-line interface: `berth lsp`, `berth check`, `berth rules`, `berth rule`.

pub mod check;
pub mod docs;
pub mod fix;
pub mod github;
pub mod render;
pub mod rules;
pub mod sarif;
pub mod select;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "berth",
    version,
    about = "Language server and checker for Dockerfiles, compose files, .env files and Python settings, across files",
    long_about = None,
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the Language Server Protocol over stdio (what editors start).
    Lsp {
        /// Accepted for compatibility with clients that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
    /// Check files or folders and print diagnostics.
    Check(check::CheckArgs),
    /// List every rule: code, default level, file kind, whether it has a fix.
    Rules,
    /// Explain one rule.
    Rule {
        /// The rule's code, e.g. `env-missing` or `DL3008`.
        code: String,
    },
    /// Write docs/rules/<CODE>.md for every rule and the README.md index (for maintainers).
    #[command(hide = true)]
    GenDocs {
        /// Where to write them.
        #[arg(default_value = docs::DEFAULT_DIR)]
        dir: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people, like rustc: the source line, a marker, notes pointing into other files.
    Human,
    /// A stable JSON document (schema in docs/cli.md).
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
}

/// Runs the command line; returns the process exit code.
pub fn run() -> i32 {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Lsp { .. }) => crate::lsp::server::run_stdio(),
        None if !std::io::stdin().is_terminal() => crate::lsp::server::run_stdio(),
        None => {
            use clap::CommandFactory;
            let _ = Cli::command().print_help();
            println!();
            2
        }
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Rules) => rules::list(),
        Some(Command::Rule { code }) => rules::explain(&code),
        Some(Command::GenDocs { dir }) => docs::run(&dir),
    }
}

pub(crate) fn default_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() { vec![PathBuf::from(".")] } else { paths.to_vec() }
}
