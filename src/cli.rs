//! Command-line interface: argument types (clap derive) and the commands
//! they run. `main.rs` only maps the outcome to an exit code.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::diagnostic::Code;
use crate::report::{self, ColorChoice, Format, RenderOptions};
use crate::rules;
use crate::scan::{self, ScanOptions, DEFAULT_MAX_FILE_SIZE};

#[derive(Debug, Parser)]
#[command(
    name = "oncevar",
    version,
    about = "Find and rewrite lazily-initialised static pointers in CPython C code",
    long_about = "Find static pointers that C code written against the CPython API \
initialises lazily (process-wide caches that leak at finalisation and are shared \
by every sub-interpreter), report them, and rewrite them into registered, \
per-interpreter, exit-clearable variables."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan C files for sites and report them (exit 0: none, 1: found, 2: error).
    Check(CheckArgs),
    /// Explain a code (OV101, OV102, OV201, OV301), or list them all.
    Rule {
        /// The code to explain; all codes when omitted.
        code: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to scan. Directories are walked for `.c` and
    /// `.h` files, honouring `.gitignore`; named files are always scanned.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub output_format: Format,
    /// Skip paths matching this glob (gitignore syntax, relative to each
    /// PATH); repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Worker threads (default: one per core).
    #[arg(
        long,
        short = 'j',
        value_name = "N",
        default_value_t = 0,
        hide_default_value = true
    )]
    pub jobs: usize,
    /// Skip files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// What a command achieved, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Found,
    Error,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::Found => 1,
            Outcome::Error => 2,
        }
    }
}

pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Check(args) => check(args, out, err),
        Command::Rule { code } => rule(code.as_deref(), out, err),
    }
}

fn check(args: CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<Outcome> {
    let options = ScanOptions {
        paths: args.paths,
        excludes: args.exclude,
        jobs: args.jobs,
        max_file_size: args.max_file_size,
        ..ScanOptions::default()
    };
    let report = scan::scan(&options)?;
    report::emit(
        args.output_format,
        out,
        &report,
        &RenderOptions { color: args.color },
    )?;
    out.flush()?;
    report::emit_problems(err, &report)?;
    if args.output_format != Format::Human {
        writeln!(err, "{}", report::summary_line(&report))?;
    }
    writeln!(err, "scanned in {:.2}s", report.elapsed.as_secs_f64())?;
    Ok(if report.has_fatal_problem() {
        Outcome::Error
    } else if report.diagnostics().next().is_some() {
        Outcome::Found
    } else {
        Outcome::Clean
    })
}

fn rule(code: Option<&str>, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<Outcome> {
    match code {
        None => {
            for r in rules::RULES {
                writeln!(out, "{}  {:<28}  {}", r.code, r.name, r.summary)?;
            }
        }
        Some(text) => match Code::parse(text) {
            Some(code) => write!(out, "{}", rules::rule(code).document())?,
            None => {
                let known: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
                writeln!(
                    err,
                    "error: unknown code `{text}`; known codes: {}",
                    known.join(", ")
                )?;
                return Ok(Outcome::Error);
            }
        },
    }
    Ok(Outcome::Clean)
}

/// Whether an error is a closed pipe (`oncevar check | head`): not a failure.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}
