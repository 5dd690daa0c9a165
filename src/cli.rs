//! Command-line interface: argument types (clap derive) and the commands
//! they run. `main.rs` only maps the outcome to an exit code. It belongs to
//! the binary, so the library knows nothing of clap: the value enums here
//! map onto the library's own.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};

use anyhow::Context;

use oncevar::audit::Audit;
use oncevar::check::{self, ScanOptions, ScanReport, DEFAULT_MAX_FILE_SIZE};
use oncevar::converge::{self, Converged, FixedFile};
use oncevar::diagnostic::Code;
use oncevar::fix::apply::{self, UnsafeFixes};
use oncevar::fix::verify::{self, Verdict, Verdicts, VerifyOptions};
use oncevar::project::baseline::Baseline;
use oncevar::project::compdb::Database;
use oncevar::project::config::{self, Config, UserConfig};
use oncevar::project::preprocess;
use oncevar::project::trust::{DatabaseTrust, Trust};
use oncevar::report::log::{Log, LogLevel, MessageKind};
use oncevar::report::{self, RenderOptions};
use oncevar::rules;
use oncevar::scan::stdin::StandardInput;

/// `--output-format`: the library's [`report::Format`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with the declaration, guard and assignment.
    Human,
    /// One `path:line:col: CODE message` line per site.
    Concise,
    /// One JSON object with a `findings` array (see docs/json.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions annotations (`::warning file=…::…`).
    Github,
}

impl From<Format> for report::Format {
    fn from(format: Format) -> Self {
        match format {
            Format::Human => report::Format::Human,
            Format::Concise => report::Format::Concise,
            Format::Json => report::Format::Json,
            Format::Sarif => report::Format::Sarif,
            Format::Github => report::Format::Github,
        }
    }
}

/// `--color`: the library's [`report::ColorChoice`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour a terminal that supports it (see `NO_COLOR`, `CLICOLOR_FORCE`).
    Auto,
    Always,
    Never,
}

impl From<ColorChoice> for report::ColorChoice {
    fn from(choice: ColorChoice) -> Self {
        match choice {
            ColorChoice::Auto => report::ColorChoice::Auto,
            ColorChoice::Always => report::ColorChoice::Always,
            ColorChoice::Never => report::ColorChoice::Never,
        }
    }
}

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
    /// Print the findings (or the diff), errors, and the listings a flag
    /// asks for (--show-fixes, --show-parse-errors): no summary, timing,
    /// warnings or notes (ruff's `--quiet`).
    #[arg(short, long, global = true, conflicts_with = "silent")]
    pub quiet: bool,
    /// Print nothing but errors; the exit status still says whether sites
    /// were found (ruff's `--silent`).
    #[arg(short, long, global = true)]
    pub silent: bool,
}

impl Cli {
    /// The level `-q`/`-s` ask for.
    pub fn log_level(&self) -> LogLevel {
        if self.silent {
            LogLevel::Silent
        } else if self.quiet {
            LogLevel::Quiet
        } else {
            LogLevel::Default
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan C files for sites and report them (exit 0: none, 1: found, 2: error).
    #[command(after_help = CHECK_EXIT_STATUS)]
    Check(Box<CheckArgs>),
    /// For each extension module: may it claim an own GIL per interpreter, or
    /// running without the GIL, and what stands in the way (exit 0: no module
    /// claims what a blocker contradicts, 1: one does, 2: error). Takes check's
    /// options; --fix applies the blockers' safe fixes, then audits again.
    Audit(Box<CheckArgs>),
    #[command(about = rules::codes_help())]
    Rule {
        /// The code to explain; all codes when omitted.
        code: Option<String>,
    },
    /// Print the C runtime header that rewritten code includes, or write it.
    Runtime {
        /// Write `oncevar.h` into this directory instead of printing it (a
        /// missing directory is created, with a note saying so).
        #[arg(long, value_name = "DIR")]
        write: Option<PathBuf>,
    },
    /// Print a completion script for SHELL (bash: `oncevar
    /// generate-shell-completion bash > ~/.local/share/bash-completion/completions/oncevar`).
    GenerateShellCompletion {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
}

/// `check --help`'s last section: one rule for the exit status in every
/// mode, a refused fix included.
const CHECK_EXIT_STATUS: &str = "\
Exit status:
  0  nothing to report (--diff and --fix: every fix was shown or written)
  1  sites found (with --baseline, new ones), or unused suppressions
     with --report-unused-ignores (0 with --exit-zero)
  2  an error: a path, the configuration or the baseline cannot be read,
     or a fix was refused (it would parse worse, its file changed since it
     was read or cannot be written, or its unit's compiler rejects it);
     the same in every mode (report, --diff, --fix, --verify), and a
     refused file is left unchanged";

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to scan. Directories are walked for `.c` and
    /// `.h` files, honouring `.gitignore`; named files are scanned whatever
    /// their extension (`oncevar.toml`'s include/exclude apply to both).
    /// `-` reads one C file's text from standard input (see
    /// --stdin-filename).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// The path of the text read from standard input (PATH `-`): reports,
    /// `--diff`, the configuration and suppressions treat it as that file,
    /// which need not exist, named on the command line (`--exclude` skips
    /// it only with --force-exclude, as ruff's flag), and its quoted
    /// includes are looked for beside it. With --fix the fixed text is
    /// written to standard output (the text as it was when it is skipped)
    /// and what remains is reported on standard error.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub output_format: Format,
    /// Skip paths matching this glob (gitignore syntax, relative to each
    /// PATH); repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Scan vendored third-party code too (`vendor/`, `third_party/`,
    /// `deps/`, a bundled zstd or libmpdec: the configuration's `vendored`
    /// globs), as the project's own. Without it such files are skipped
    /// where a folder's walk finds them (a file named on the command line
    /// is scanned) and only read where a scanned file includes them; the
    /// summary says how many. `pythoncapi_compat.h` is always scanned: its
    /// helpers are compiled into the module.
    #[arg(long)]
    pub include_vendored: bool,
    /// Skip a file named on the command line where a folder's walk would:
    /// the `vendored` globs and `--exclude` (relative to the current
    /// folder) apply to it too, as ruff's flag of that name, and to the
    /// --stdin-filename of standard input. For hooks and editors that pass
    /// every changed file by name (the pre-commit hooks pass it); without
    /// it a named file is scanned.
    #[arg(long)]
    pub force_exclude: bool,
    /// Worker threads (default: one per core). At most one per file to
    /// scan (or unit to verify) and 4 per core: more would only wait.
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
    /// Print a unified diff of every safe fix (paths relative to the current
    /// directory, for `git apply` / `patch -p1`): exactly what --fix would
    /// write, all its rounds, instead of a report, and exit 0 (2 on an
    /// error or a refused fix). Not with --output-format: the JSON and
    /// SARIF reports carry each site's fix.
    #[arg(long, conflicts_with_all = ["fix", "output_format"])]
    pub diff: bool,
    /// Apply safe fixes in place, then report what remains (exit 2 when a
    /// fix was refused). Fixes until nothing changes (a fix can become safe
    /// once another is applied; each round reads again only the files it
    /// changed and analyses again only their units), so a second --fix
    /// changes nothing.
    #[arg(long)]
    pub fix: bool,
    /// With --diff or --fix, also apply fixes marked unsafe.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// The runtime include that fixed files get, with its quotes or angle
    /// brackets [default: "oncevar.h"]; checked as `runtime-include` in
    /// `oncevar.toml` is (no line breaks or other control characters).
    #[arg(long, value_name = "INCLUDE", value_parser = config::runtime_include)]
    pub runtime_include: Option<String>,
    /// With --fix, also write the runtime header `oncevar.h` into DIR
    /// (created, with a note, if missing).
    #[arg(long, value_name = "DIR", requires = "fix")]
    pub write_runtime: Option<PathBuf>,
    /// Look for quoted `#include`s in DIR too (after the including file's
    /// folder and the scanned directories; before `include-dirs` of the
    /// configuration); repeatable.
    #[arg(long = "include-dir", short = 'I', value_name = "DIR")]
    pub include_dirs: Vec<PathBuf>,
    /// Parse every file, also those whose text proves they hold no site
    /// (slower; the report is the same).
    #[arg(long)]
    pub no_prefilter: bool,
    /// The compilation database (`compile_commands.json`), trusted: each
    /// unit's own preprocessor (its command with `-E -dD`, run once before
    /// the scan) decides which `#if` branches it compiles, its flags
    /// decide `Py_LIMITED_API` and core builds, and `--fix` and `--verify`
    /// run its command with `-fsyntax-only` to verify each fix. Without it, `compile-commands` in `oncevar.toml`,
    /// else `compile_commands.json` or `build/compile_commands.json` under
    /// the project root is read for its flags only: its commands are not
    /// run unless trusted (see --trust-compile-commands).
    #[arg(long, value_name = "PATH", conflicts_with = "no_compile_commands")]
    pub compile_commands: Option<PathBuf>,
    /// Trust the compilation database that oncevar finds (or that
    /// `oncevar.toml` names): run its commands as if named with
    /// --compile-commands. A compiler inside the scanned tree, or a flag
    /// that loads other code, is still refused.
    #[arg(long, conflicts_with = "no_compile_commands")]
    pub trust_compile_commands: bool,
    /// Use no compilation database at all (not even one found).
    #[arg(long)]
    pub no_compile_commands: bool,
    /// Do not run a trusted database's preprocessor before the scan:
    /// oncevar's own evaluator decides the `#if` branches, as for a
    /// database that is not trusted (faster on a large build; fixes are
    /// still verified with the database under --fix and --verify).
    #[arg(long)]
    pub no_preprocessor: bool,
    /// Verify fixes with the compilation database's commands without
    /// writing: with --diff, a refused fix is left out of the patch; with a
    /// report, each fix says `verified` (JSON, SARIF).
    #[arg(long, conflicts_with = "fix")]
    pub verify: bool,
    /// How long one compiler run (a unit's preprocessor, or a check of
    /// the verification) may take.
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub verify_timeout: u64,
    /// List the files with parse errors (path, line and column of the
    /// first, what it is, how many): a parse error can hide a site.
    /// JSON (`parse_errors`) and SARIF (notifications) always list them.
    #[arg(long)]
    pub show_parse_errors: bool,
    /// Exit 0 even when sites are found (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Print how many sites each code has instead of the sites: the count,
    /// the code, `[*]` when a fix applies, the rule's name (a JSON array
    /// with --output-format json).
    #[arg(long, conflicts_with_all = ["diff", "fix"])]
    pub statistics: bool,
    /// List the sites a fix applies to, per file and code, on standard
    /// error: those fixed (--fix), in the diff (--diff), or that --fix
    /// would fix.
    #[arg(long)]
    pub show_fixes: bool,
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Set by `oncevar audit`: report modules and verdicts.
    #[arg(skip)]
    pub audit: bool,
}

/// What a project decides about its findings: configuration, code
/// selection, baseline, suppressions.
#[derive(Debug, Args)]
pub struct ProjectArgs {
    /// Read this configuration file instead of looking for `oncevar.toml`
    /// in the scanned directory and its parents.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "no_config",
        help_heading = "Configuration"
    )]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file (`oncevar.toml`, and the user's own
    /// `trusted-compilers`) and look for no compilation database: defaults
    /// only (`--compile-commands PATH` still names one).
    #[arg(long, help_heading = "Configuration")]
    pub no_config: bool,
    /// Print the effective configuration as TOML and exit.
    #[arg(long, help_heading = "Configuration")]
    pub show_config: bool,
    /// Report only these codes or rule names (comma-separated); replaces
    /// `select`.
    #[arg(long, value_name = "CODES", value_delimiter = ',', value_parser = parse_code, help_heading = "Configuration")]
    pub select: Option<Vec<Code>>,
    /// Never report these codes or rule names (comma-separated); adds to
    /// `ignore`.
    #[arg(long, value_name = "CODES", value_delimiter = ',', value_parser = parse_code, help_heading = "Configuration")]
    pub ignore: Vec<Code>,
    /// Report and fail only on sites not recorded in FILE; say how many
    /// recorded sites are gone.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "write_baseline",
        help_heading = "Baseline"
    )]
    pub baseline: Option<PathBuf>,
    /// Record every site found in FILE (kept: recorded sites outside the
    /// scanned paths) and exit 0. A missing folder of FILE is created, with
    /// a note saying so.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["diff", "fix"],
        help_heading = "Baseline"
    )]
    pub write_baseline: Option<PathBuf>,
    /// Report `oncevar: ignore` comments that suppress nothing (they fail
    /// the run like sites do).
    #[arg(long)]
    pub report_unused_ignores: bool,
}

fn parse_code(text: &str) -> Result<Code, String> {
    Code::parse(text).ok_or_else(|| config::unknown_code(text))
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

/// Runs the command `cli` names, writing its output to `out` and what it
/// tells about the run to `err`, each message printed or not by the level
/// `-q`/`-s` set (see [`LogLevel`]).
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<Outcome> {
    let level = cli.log_level();
    let mut log = Log::new(err, level);
    let mut sink = io::sink();
    // `--silent` prints no report, diff, rule or header either; the text
    // `--fix -` writes is data, not a message, and is written at every level.
    let fixes_stdin = matches!(&cli.command,
        Command::Check(args) if args.fix && args.paths.iter().any(|p| p == Path::new("-")));
    let out: &mut dyn Write = if level.shows_report() || fixes_stdin {
        out
    } else {
        &mut sink
    };
    match cli.command {
        Command::Check(args) => {
            let exit_zero = args.exit_zero;
            let outcome = check(*args, out, &mut log)?;
            Ok(match outcome {
                Outcome::Found if exit_zero => Outcome::Clean,
                other => other,
            })
        }
        Command::Audit(mut args) => {
            args.audit = true;
            check(*args, out, &mut log)
        }
        Command::Rule { code } => rule(code.as_deref(), out, &mut log),
        Command::Runtime { write } => runtime(write.as_deref(), out, &mut log),
        Command::GenerateShellCompletion { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "oncevar", out);
            Ok(Outcome::Clean)
        }
    }
}

fn check(mut args: CheckArgs, out: &mut dyn Write, log: &mut Log<'_>) -> anyhow::Result<Outcome> {
    let stdin = standard_input(&mut args)?;
    let mut options = ScanOptions {
        paths: args.paths.clone(),
        excludes: args.exclude.clone(),
        force_exclude: args.force_exclude,
        jobs: args.jobs,
        max_file_size: args.max_file_size,
        prefilter: !args.no_prefilter,
        stdin: stdin.clone(),
        ..ScanOptions::default()
    };
    options.analysis.audit = args.audit;
    let config = project_config(&args)?;
    if args.project.show_config {
        write!(out, "{}", config.to_toml())?;
        return Ok(Outcome::Clean);
    }
    options.project_root = Some(config.root.clone());
    options.analysis.object_types = config.object_types.clone();
    options.analysis.object_pointer_typedefs = config.object_pointer_typedefs.clone();
    options.analysis.rewrite.runtime_include = config.runtime_include.clone();
    options.include_dirs = args.include_dirs.clone();
    options
        .include_dirs
        .extend(config.include_dirs.iter().cloned());
    options.policy = config.policy()?;
    let user = if args.project.no_config {
        UserConfig::default()
    } else {
        UserConfig::load()?
    };
    let database = compile_database(&args, &config, &user, log)?;
    if let Some((db, trust)) = &database {
        // The project's own include folders of the database's units find
        // the headers their quoted includes name (system folders stay out:
        // Python's headers are not part of the project's units).
        for dir in db.project_include_dirs(&config.root) {
            if !options.include_dirs.contains(&dir) {
                options.include_dirs.push(dir);
            }
        }
        // Each unit's flags and Python headers decide its `#if` branches.
        let (mut builds, warnings) = db.builds();
        for w in &warnings {
            log.warning(w)?;
        }
        // The units the user trusts to run: their own preprocessor says
        // which branches they compile.
        let (compiled, warnings) = if args.no_preprocessor {
            Default::default()
        } else {
            preprocess::preprocess_units(
                db,
                trust,
                &mirror_roots(&args, &config.root),
                &options.analysis,
                check::worker_threads(args.jobs, db.units.len()),
                std::time::Duration::from_secs(args.verify_timeout.max(1)),
            )
        };
        for w in &warnings {
            log.warning(w)?;
        }
        builds.compiled = compiled;
        options.builds = std::sync::Arc::new(builds);
    }
    if crate::progress::wanted(io::stderr().is_terminal(), log.level(), |name| {
        std::env::var_os(name)
    }) {
        options.progress = Some(Arc::new(crate::progress::Bar::default()));
    }
    // `--diff` and `--fix` fix until nothing changes, scanning again only
    // the units their rounds change.
    options.keep_units = args.diff || args.fix;
    let database_of = database.as_ref().map(|(db, _)| db);
    let mut report = scan_with_flags(&args, &options, database_of)?;
    if let Some(file) = &args.project.write_baseline {
        return write_baseline(file, &args, &report, log);
    }
    let unsafe_fixes = UnsafeFixes::from(args.unsafe_fixes);
    if stdin.is_some() && database.is_some() && (args.fix || args.verify) {
        log.note(
            "fixes of standard input's text are not verified with the compilation database \
             (its commands compile the files on disk)",
        )?;
    }
    let converged = if args.diff || args.fix {
        Some(fix_rounds(&args, &options, &mut report, database_of)?)
    } else {
        None
    };
    let verdicts = match &database {
        Some((db, trust)) if stdin.is_none() && (args.fix || args.verify) => {
            let options = VerifyOptions {
                roots: mirror_roots(&args, &config.root),
                jobs: check::worker_threads(args.jobs, db.units.len()),
                timeout: std::time::Duration::from_secs(args.verify_timeout.max(1)),
                unsafe_fixes,
            };
            // What the rounds of `--fix` or `--diff` made, else what the
            // report's fixes make.
            let verdicts = match &converged {
                Some(converged) => {
                    let fixed = converged.files.iter().map(|f| {
                        let text = f.text.clone();
                        let edits = f.edits.clone();
                        (f.path.clone(), verify::FixedFile { text, edits })
                    });
                    verify::verify_texts(fixed, db, trust, &options)?
                }
                None => verify::verify_fixes(&report.fix_targets(), db, trust, &options)?,
            };
            report.mark_verified(&verdicts, unsafe_fixes);
            verdicts
        }
        _ => Verdicts::new(),
    };
    if let Some(mut converged) = converged {
        if args.diff {
            return diff(&args, &report, &converged, &options, &verdicts, out, log);
        }
        if let Some(input) = stdin.as_deref() {
            return fix_standard_input(&args, input, &options, &report, &converged, out, log);
        }
        return apply_fixes(
            &args,
            &options,
            &mut report,
            &mut converged,
            &verdicts,
            database_of,
            out,
            log,
        );
    }
    let outcome = show(&args, &report, out, log)?;
    if args.show_fixes {
        let threshold = unsafe_fixes.required_applicability();
        let fixable: Vec<(&str, Vec<Code>)> = report
            .files
            .iter()
            .filter(|f| verify::accepted(&verdicts, &f.source.path))
            .map(|f| {
                let codes = f
                    .diagnostics
                    .iter()
                    .filter(|d| d.fix.as_ref().is_some_and(|fix| fix.applies(threshold)));
                (
                    f.source.display_path.as_str(),
                    codes.map(|d| d.code).collect(),
                )
            })
            .collect();
        let sites = fixable.iter().map(|(_, codes)| codes.len()).sum();
        show_fixes(
            &format!(
                "{} with a fix that --fix applies",
                report::plural(sites, "site", "sites")
            ),
            fixable.iter().map(|(path, codes)| (*path, codes)),
            log,
        )?;
    }
    Ok(if refusals(&verdicts, log)? {
        Outcome::Error
    } else {
        outcome
    })
}

/// The compilation database in force and what of it the user trusts:
/// none with `--no-compile-commands` (or `--no-config` without
/// `--compile-commands`); else `--compile-commands` (trusted), else the
/// configuration's `compile-commands`, else one found under the project
/// root (both read for flags, run only with `--trust-compile-commands` or
/// for the compilers of the user's `trusted-compilers`). Says which one
/// on `log`, and how it is trusted, with a warning per entry whose file is
/// missing. Errors: the database cannot be read or parsed (naming the file
/// and the entry); a database named explicitly that does not exist.
fn compile_database(
    args: &CheckArgs,
    config: &Config,
    user: &UserConfig,
    log: &mut Log<'_>,
) -> anyhow::Result<Option<(Database, Trust)>> {
    if args.no_compile_commands {
        return Ok(None);
    }
    let (path, trust) = match (&args.compile_commands, &config.compile_commands) {
        (Some(path), _) => (path.clone(), DatabaseTrust::Named),
        (None, Some(path)) => (path.clone(), DatabaseTrust::Found),
        (None, None) => {
            match Database::discover(&config.root).filter(|_| !args.project.no_config) {
                Some(path) => (path, DatabaseTrust::Found),
                None => {
                    if args.verify {
                        log.warning(format_args!(
                            "--verify: no compilation database (--compile-commands, \
                         `compile-commands` in oncevar.toml, or compile_commands.json or \
                         build/compile_commands.json under {}): nothing is verified",
                            config.root.display()
                        ))?;
                    }
                    return Ok(None);
                }
            }
        }
    };
    let trust = match trust {
        DatabaseTrust::Found if args.trust_compile_commands => DatabaseTrust::Trusted,
        other => other,
    };
    let (db, warnings) = Database::load(&path)?;
    for w in &warnings {
        log.warning(w)?;
    }
    let trust = Trust::new(
        trust,
        &user.trusted_compilers,
        &mirror_roots(args, &config.root),
    )
    .map_err(|e| anyhow::anyhow!("trusted-compilers: {e}"))?;
    let units = report::plural(db.units.len(), "unit", "units");
    let how = match trust.database() {
        DatabaseTrust::Named => String::new(),
        DatabaseTrust::Trusted => "; trusted with --trust-compile-commands".to_owned(),
        DatabaseTrust::Found => {
            let allowed = db.units.iter().filter(|u| trust.command(u).is_ok()).count();
            let shown = shell_word(&path.to_string_lossy());
            let how = format!(
                "to run its commands, name it with --compile-commands {shown} or add \
                 --trust-compile-commands"
            );
            if trust.has_allowlist() {
                format!(
                    "; not given, so read for its flags, and its commands run only for the \
                     compilers in trusted-compilers ({allowed} of {}): {how}",
                    db.units.len()
                )
            } else {
                format!(
                    "; not given, so read for its flags only: its commands are not run (fixes \
                     are not verified and oncevar decides #if branches itself): {how}, or list \
                     its compiler in trusted-compilers of {}",
                    UserConfig::path().map_or_else(
                        || "oncevar/config.toml under ~/.config".to_owned(),
                        |p| p.display().to_string()
                    )
                )
            }
        }
    };
    log.status(format_args!(
        "compilation database: {} ({units}{how})",
        path.display()
    ))?;
    Ok(Some((db, trust)))
}

/// Where the verification mirrors project files from, and what the trust
/// rule takes for the scanned tree: the project root and the scanned
/// paths (a file stands for its folder).
fn mirror_roots(args: &CheckArgs, root: &Path) -> Vec<PathBuf> {
    let mut roots = vec![root.to_owned()];
    for path in &args.paths {
        let dir = if path.is_dir() {
            path.as_path()
        } else {
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
        };
        roots.push(dir.to_owned());
    }
    roots
}

/// Prints one error per refused fix and per compiler that could not run,
/// and a note per fix left unverified because its unit did not compile as
/// it is; true when there was an error (the run then exits 2).
fn refusals(verdicts: &Verdicts, log: &mut Log<'_>) -> anyhow::Result<bool> {
    let mut any = false;
    for (path, verdict) in verdicts {
        match verdict {
            Ok(Verdict::Refused(first)) => {
                log.error(format_args!(
                    "{}: fix refused: {first}; the file is left unchanged",
                    path.display()
                ))?;
                any = true;
            }
            Err(e) => {
                log.error(format_args!(
                    "{}: cannot verify the fix: {e}; the file is left unchanged",
                    path.display()
                ))?;
                any = true;
            }
            Ok(Verdict::BrokenBefore(first)) => {
                log.note(format_args!(
                    "{}: fix not verified: the unit does not compile as it is \
                     (its compilation database command): {first}",
                    path.display()
                ))?;
            }
            Ok(Verdict::NotCompiled(list)) => {
                let first = list.first().map_or("", |u| u.why.as_str());
                log.note(format_args!(
                    "{}: {} not compiled by this build, so the fixes that make {} are \
                     not verified: {first}",
                    path.display(),
                    report::plural(list.len(), "edit is", "edits are"),
                    if list.len() == 1 { "it" } else { "them" }
                ))?;
            }
            Ok(Verdict::NotRun(why)) => {
                log.note(format_args!(
                    "{}: fix not verified: the unit's compilation database command is not \
                     run: {why}",
                    path.display()
                ))?;
            }
            Ok(Verdict::Verified) => {}
        }
    }
    Ok(any)
}

/// Prints the report and gives the outcome it stands for.
fn show(
    args: &CheckArgs,
    report: &ScanReport,
    out: &mut dyn Write,
    log: &mut Log<'_>,
) -> anyhow::Result<Outcome> {
    let render = RenderOptions {
        color: args.color.into(),
        show_parse_errors: args.show_parse_errors,
        summary: log.level().shows(MessageKind::Status),
    };
    if args.audit {
        let audit = Audit::of(report);
        report::emit_audit(args.output_format.into(), out, report, &audit, &render)?;
        out.flush()?;
        report::emit_problems(log, report)?;
        if args.output_format != Format::Human {
            log.status(report::audit_summary_line(&audit))?;
        }
        log.status(format_args!(
            "scanned in {:.2}s",
            report.elapsed.as_secs_f64()
        ))?;
        return Ok(if report.has_fatal_problem() {
            Outcome::Error
        } else if audit.has_contradiction() {
            Outcome::Found
        } else {
            Outcome::Clean
        });
    }
    if args.statistics {
        let threshold = UnsafeFixes::from(args.unsafe_fixes).required_applicability();
        let statistics = report::statistics::statistics(report, threshold);
        match args.output_format {
            Format::Json => report::statistics::emit_json(out, &statistics)?,
            Format::Human | Format::Concise => report::statistics::emit_text(out, &statistics)?,
            Format::Sarif | Format::Github => anyhow::bail!(
                "--statistics prints a table or, with --output-format json, JSON; \
                 not --output-format {}",
                args.output_format
                    .to_possible_value()
                    .map_or_else(String::new, |v| v.get_name().to_owned())
            ),
        }
    } else {
        report::emit(args.output_format.into(), out, report, &render)?;
    }
    out.flush()?;
    report::emit_problems(log, report)?;
    let listed = match args.output_format {
        Format::Json | Format::Sarif => true,
        Format::Human => args.show_parse_errors,
        Format::Concise | Format::Github => {
            if let Some(err) = log
                .block(MessageKind::Requested)
                .filter(|_| args.show_parse_errors)
            {
                for e in &report.parse_errors {
                    writeln!(err, "{}", report::parse_error_line(e))?;
                }
            }
            args.show_parse_errors
        }
    };
    if !listed && !report.parse_errors.is_empty() {
        log.note("--show-parse-errors lists the files with parse errors")?;
    }
    if args.output_format != Format::Human || args.statistics {
        log.status(report::summary_line(report))?;
    }
    log.status(format_args!(
        "scanned in {:.2}s",
        report.elapsed.as_secs_f64()
    ))?;
    Ok(outcome(report))
}

/// The configuration in force: `oncevar.toml` (or `--config`), then the
/// command line's overrides.
/// For PATH `-`: reads standard input (at most `--max-file-size` bytes)
/// as the text of `--stdin-filename` (or `-`), and makes that name the one
/// path of `args`, so that the configuration, the baseline and the reports
/// see the file it names. `None` without `-`.
///
/// Errors: `-` among other paths; `--stdin-filename` without `-`.
fn standard_input(args: &mut CheckArgs) -> anyhow::Result<Option<Arc<StandardInput>>> {
    let dash = Path::new("-");
    if !args.paths.iter().any(|p| p == dash) {
        if let Some(name) = &args.stdin_filename {
            anyhow::bail!(
                "--stdin-filename {} names the text read from standard input: give `-` as \
                 the PATH",
                name.display()
            );
        }
        return Ok(None);
    }
    if args.paths.len() > 1 {
        anyhow::bail!("`-` (standard input) is the only PATH when given: scan files apart");
    }
    let name = args.stdin_filename.clone().unwrap_or_else(|| dash.into());
    args.paths = vec![name.clone()];
    let input = StandardInput::read(&mut io::stdin().lock(), name, args.max_file_size);
    Ok(Some(Arc::new(input)))
}

/// `--fix` with PATH `-`: writes the fixed text of standard input to `out`
/// (the text as read when no fix applies, as ruff does, so an editor can
/// always replace its buffer with it), then reports what remains on
/// standard error (the report at the levels that print one). A fix that
/// also edits another file (a header of its unit) is not applied: only
/// one text is written, and the run exits 2 naming the file. Nothing is
/// written on standard output when the text could not be read (over the
/// size limit, binary): the run exits 2.
fn fix_standard_input(
    args: &CheckArgs,
    input: &StandardInput,
    options: &ScanOptions,
    report: &ScanReport,
    converged: &Converged,
    out: &mut dyn Write,
    log: &mut Log<'_>,
) -> anyhow::Result<Outcome> {
    let display = oncevar::scan::discover::display_path(&input.name);
    let original = match input.source(display.clone()) {
        Ok(source) => source.bytes,
        Err(e) => {
            log.error(format_args!(
                "{display}: {e}; --fix writes no text to standard output"
            ))?;
            return Ok(Outcome::Error);
        }
    };
    let others: Vec<&str> = converged
        .files
        .iter()
        .filter(|f| f.path != input.name)
        .map(|f| f.display_path.as_str())
        .collect();
    let mut failed = !converged.failed.is_empty();
    for (_, path, e) in &converged.failed {
        log.error(format_args!("{path}: {e}"))?;
    }
    let mut text = None;
    let mut fixed = Fixed::after(converged);
    // A unit's files outside the scan are never edited (such a fix is
    // unsafe), and standard input is the only file scanned, so no fix
    // should edit another; if one did, applying half of it would break
    // the text.
    if let Some(first) = others.first() {
        failed = true;
        log.error(format_args!(
            "{display}: not fixed: its fixes also edit {first}, and --fix with standard input \
             writes one text (use --diff, or --fix on the files)"
        ))?;
    } else {
        for f in &converged.files {
            text = Some(f.text.clone());
            fixed.add(f);
        }
    }
    out.write_all(text.as_deref().unwrap_or(&original))?;
    out.flush()?;
    let include = &options.analysis.rewrite.runtime_include;
    fixed.tell("fixed", converged.report(report), args, include, false, log)?;
    // What remains, from the fixed text, on standard error: the report
    // first, then what the run says about itself.
    let mut remaining_options = options.clone();
    if let Some(text) = text {
        remaining_options.stdin = Some(Arc::new(StandardInput {
            name: input.name.clone(),
            text: Ok(text),
        }));
    }
    let remaining = scan_project(args, &remaining_options)?;
    let (mut shown, mut said) = (Vec::new(), Vec::new());
    let outcome = {
        let mut tail = Log::new(&mut said, log.level());
        show(args, &remaining, &mut shown, &mut tail)?
    };
    if let Some(err) = log.block(MessageKind::Requested) {
        err.write_all(&shown)?;
    }
    if let Some(err) = log.block(MessageKind::Error) {
        err.write_all(&said)?;
    }
    Ok(if failed { Outcome::Error } else { outcome })
}

fn project_config(args: &CheckArgs) -> anyhow::Result<Config> {
    let cwd = std::env::current_dir()?;
    let project = &args.project;
    let mut config = if project.no_config {
        Config::defaults(config::absolute(&cwd))
    } else {
        Config::resolve(&args.paths, project.config.as_deref(), &cwd)?
    };
    config.apply(config::Overrides {
        select: project.select.clone(),
        ignore: project.ignore.clone(),
        runtime_include: args.runtime_include.clone(),
        include_vendored: args.include_vendored,
    });
    Ok(config)
}

/// Scans, then keeps what this run reports: only sites new to the
/// baseline, and unused suppressions only when asked for.
fn scan_project(args: &CheckArgs, options: &ScanOptions) -> anyhow::Result<ScanReport> {
    let baseline = args
        .project
        .baseline
        .as_deref()
        .map(Baseline::read)
        .transpose()?;
    let mut report = check::scan(options)?;
    if !args.project.report_unused_ignores {
        report.filtered.unused_ignores.clear();
    }
    if let Some(baseline) = baseline {
        report.apply_baseline(&baseline, &args.paths);
    }
    Ok(report)
}

/// [`scan_project`], then the unit flags of the compilation database in
/// force (see [`Database::apply_unit_flags`]).
fn scan_with_flags(
    args: &CheckArgs,
    options: &ScanOptions,
    database: Option<&Database>,
) -> anyhow::Result<ScanReport> {
    let mut report = scan_project(args, options)?;
    if let Some(db) = database {
        db.apply_unit_flags(&mut report);
    }
    Ok(report)
}

/// The fixes of `report` that `--diff` or `--fix` applies, applied round
/// after round until a round changes nothing (see [`converge`]), each
/// round's texts scanned again as `report` was; nothing is written.
fn fix_rounds(
    args: &CheckArgs,
    options: &ScanOptions,
    report: &mut ScanReport,
    database: Option<&Database>,
) -> anyhow::Result<Converged> {
    let unsafe_fixes = UnsafeFixes::from(args.unsafe_fixes);
    converge::fix_until_stable(report, unsafe_fixes, &|_| true, |rescan| {
        let options = ScanOptions {
            rescan: Some(rescan),
            progress: None,
            ..options.clone()
        };
        scan_with_flags(args, &options, database)
    })
}

fn write_baseline(
    file: &std::path::Path,
    args: &CheckArgs,
    report: &ScanReport,
    log: &mut Log<'_>,
) -> anyhow::Result<Outcome> {
    let folder = file.parent().filter(|dir| missing_folder(dir));
    let (written, kept) = Baseline::write(file, report.diagnostics(), &args.paths)?;
    if let Some(folder) = folder {
        log.note(format_args!("created the folder {}", folder.display()))?;
    }
    report::emit_problems(log, report)?;
    log.status(report::summary_line(report))?;
    let kept = if kept > 0 {
        format!(" (kept {kept} recorded outside the scanned paths)")
    } else {
        String::new()
    };
    log.status(format_args!(
        "wrote {} to {}{kept}",
        report::plural(written, "site", "sites"),
        file.display()
    ))?;
    Ok(if report.has_fatal_problem() {
        Outcome::Error
    } else {
        Outcome::Clean
    })
}

fn outcome(report: &ScanReport) -> Outcome {
    if report.has_fatal_problem() {
        Outcome::Error
    } else if report.diagnostics().next().is_some() || !report.filtered.unused_ignores.is_empty() {
        Outcome::Found
    } else {
        Outcome::Clean
    }
}

/// `--diff`: prints the patch. It exits 0 whether the patch is empty or
/// not (2 on a fatal problem or a refused fix, as `--fix`), so `check
/// --diff > p && git apply p` works; `check` without `--diff` is the
/// command that fails on sites.
fn diff(
    args: &CheckArgs,
    report: &ScanReport,
    converged: &Converged,
    options: &ScanOptions,
    verdicts: &Verdicts,
    out: &mut dyn Write,
    log: &mut Log<'_>,
) -> anyhow::Result<Outcome> {
    let cwd = std::env::current_dir()?;
    let mut fixed = Fixed::after(converged);
    let mut refused = !converged.failed.is_empty();
    for (_, path, e) in &converged.failed {
        log.error(format_args!("{path}: {e}"))?;
    }
    for f in &converged.files {
        if !verify::accepted(verdicts, &f.path) {
            fixed.hold(f);
            continue;
        }
        let path = oncevar::fix::diff::patch_path(&f.path, &cwd);
        oncevar::fix::diff::write_unified(out, &path, &f.original, &f.text)?;
        fixed.add(f);
    }
    out.flush()?;
    report::emit_problems(log, report)?;
    let include = &options.analysis.rewrite.runtime_include;
    fixed.tell(
        "the diff fixes",
        converged.report(report),
        args,
        include,
        false,
        log,
    )?;
    refused |= refusals(verdicts, log)?;
    Ok(if report.has_fatal_problem() || refused {
        Outcome::Error
    } else {
        Outcome::Clean
    })
}

/// What `--diff` or `--fix` changed: sites, and the files they are in.
#[derive(Default)]
struct Fixed<'r> {
    sites: usize,
    /// The files changed: the path each is read from, and as shown.
    files: Vec<(&'r Path, &'r str)>,
    /// The codes of the sites fixed in each file, in file order.
    codes: Vec<Vec<Code>>,
    /// Sites whose fixes the rounds made but that were not written or
    /// shown (a verification refused the file, or writing it failed).
    held: usize,
    /// The rounds, when the last still left fixes to apply.
    unsettled: Option<usize>,
}

impl<'r> Fixed<'r> {
    /// Nothing yet, for what `converged` made.
    fn after(converged: &Converged) -> Fixed<'r> {
        Fixed {
            unsettled: (!converged.converged).then_some(converged.rounds),
            ..Fixed::default()
        }
    }

    fn add(&mut self, file: &'r FixedFile) {
        self.sites += file.sites.len();
        self.files.push((&file.path, &file.display_path));
        self.codes.push(file.sites.clone());
    }

    /// `file`'s fixes are neither written nor shown.
    fn hold(&mut self, file: &FixedFile) {
        self.held += file.sites.len();
    }

    /// What a run that fixed (`verb`: `fixed`, `the diff fixes`) says
    /// after it: the summary line (what is not fixed from `left`, the scan
    /// of the fixed texts), a warning when the rounds did not settle, the
    /// `--show-fixes` listing when `args` ask for it, and how to get the
    /// runtime header `include` names when the fixed files lack it
    /// (`runtime_written`: `--write-runtime` wrote it).
    fn tell(
        &self,
        verb: &str,
        left: &ScanReport,
        args: &CheckArgs,
        include: &str,
        runtime_written: bool,
        log: &mut Log<'_>,
    ) -> io::Result<()> {
        log.status(self.summary(verb, left, UnsafeFixes::from(args.unsafe_fixes)))?;
        if let Some(rounds) = self.unsettled {
            log.warning(format_args!(
                "the fixes did not settle: after {rounds} rounds, each fixing what the one \
                 before made fixable, some are still left; run the command again"
            ))?;
        }
        if args.show_fixes {
            let heading = report::plural(self.sites, "site", "sites");
            self.enumerate(&format!("{verb} {heading}"), log)?;
        }
        match self.runtime_hint(include, runtime_written) {
            Some(hint) => log.note(hint),
            None => Ok(()),
        }
    }

    /// `--show-fixes`: `heading` (`fixed 3 sites`), then per file the sites
    /// by code, as ruff's `--show-fixes` lists them:
    ///
    /// ```text
    /// fixed 3 sites:
    /// - src/a.c:
    ///     2 × OV101 (lazy-static-object)
    /// ```
    fn enumerate(&self, heading: &str, log: &mut Log<'_>) -> io::Result<()> {
        show_fixes(
            heading,
            self.files.iter().map(|(_, shown)| *shown).zip(&self.codes),
            log,
        )
    }

    /// `fixed 2 sites in 1 file; 3 sites not fixed (...)`, the sites not
    /// fixed being those of `left`, the scan of the fixed texts.
    fn summary(&self, verb: &str, left: &ScanReport, unsafe_fixes: UnsafeFixes) -> String {
        let report = left;
        let mut line = format!(
            "{verb} {} in {}",
            report::plural(self.sites, "site", "sites"),
            report::plural(self.files.len(), "file", "files")
        );
        let left = report.diagnostics().count() + self.held;
        if left == 0 {
            return line;
        }
        let report_only = report.diagnostics().filter(|d| d.fix.is_none()).count();
        let unsafe_fixes = report
            .diagnostics()
            .filter(|d| {
                d.fix
                    .as_ref()
                    .is_some_and(|f| !f.applies(unsafe_fixes.required_applicability()))
            })
            .count();
        let mut why = Vec::new();
        if report_only > 0 {
            why.push(format!("{report_only} report only"));
        }
        if unsafe_fixes > 0 {
            why.push(format!(
                "{unsafe_fixes} with an unsafe fix: see --unsafe-fixes"
            ));
        }
        let refused = left.saturating_sub(report_only + unsafe_fixes);
        if refused > 0 {
            why.push(format!("{refused} refused: see the errors above"));
        }
        line.push_str(&format!(
            "; {} not fixed ({})",
            report::plural(left, "site", "sites"),
            why.join(", ")
        ));
        line
    }

    /// What to run when the fixed files include a runtime header that is
    /// neither beside them nor written by this run (`--write-runtime`):
    /// without it they do not compile. `None` when nothing is missing.
    fn runtime_hint(&self, include: &str, runtime_written: bool) -> Option<String> {
        if runtime_written {
            return None;
        }
        let header = oncevar::runtime::include_target(include);
        let mut dirs: Vec<String> = self
            .files
            .iter()
            .filter(|(path, _)| {
                let dir = path.parent().unwrap_or(Path::new("."));
                !dir.join(header).is_file()
            })
            .map(|(_, shown)| {
                let dir = Path::new(shown)
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                let target = match Path::new(header).parent() {
                    Some(sub) if !sub.as_os_str().is_empty() => dir.join(sub),
                    _ => dir.to_owned(),
                };
                shell_word(&target.to_string_lossy())
            })
            .collect();
        dirs.sort();
        dirs.dedup();
        let commands: Vec<String> = dirs
            .iter()
            .map(|d| format!("`oncevar runtime --write {d}`"))
            .collect();
        match commands.as_slice() {
            [] => None,
            [one] => Some(format!(
                "the fixed files `#include {include}`, which is not beside them: \
                 run {one}, or write it into a directory on their include path \
                 (`oncevar runtime --write DIR`, or `--fix --write-runtime DIR`)"
            )),
            many => Some(format!(
                "the fixed files `#include {include}`, which is not beside them: \
                 write it into a directory on their include path \
                 (`oncevar runtime --write DIR`, or `--fix --write-runtime DIR`), \
                 or beside them: {}",
                many.join(", ")
            )),
        }
    }
}

/// Writes `heading:` and, for each file with sites, its path and how many
/// of its sites each code has (`    2 × OV101 (lazy-static-object)`).
fn show_fixes<'a>(
    heading: &str,
    files: impl Iterator<Item = (&'a str, &'a Vec<Code>)>,
    log: &mut Log<'_>,
) -> io::Result<()> {
    let Some(err) = log.block(MessageKind::Requested) else {
        return Ok(());
    };
    writeln!(err, "{heading}:")?;
    for (path, codes) in files {
        if codes.is_empty() {
            continue;
        }
        writeln!(err, "- {path}:")?;
        let mut counts = std::collections::BTreeMap::new();
        for code in codes {
            *counts.entry(*code).or_insert(0usize) += 1;
        }
        for (code, n) in counts {
            writeln!(err, "    {n} × {code} ({})", rules::rule(code).name)?;
        }
    }
    Ok(())
}

/// `text` quoted for a POSIX shell when it needs quotes.
fn shell_word(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+,:@%".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[allow(clippy::too_many_arguments)]
fn apply_fixes(
    args: &CheckArgs,
    options: &ScanOptions,
    report: &mut ScanReport,
    converged: &mut Converged,
    verdicts: &Verdicts,
    database: Option<&Database>,
    out: &mut dyn Write,
    log: &mut Log<'_>,
) -> anyhow::Result<Outcome> {
    let mut failed = refusals(verdicts, log)?;
    for (_, path, e) in &converged.failed {
        log.error(format_args!("{path}: {e}"))?;
        failed = true;
    }
    let mut fixed = Fixed::after(converged);
    // The files whose text on disk is not what the last round scanned.
    let mut unwritten = std::collections::HashSet::new();
    for f in &converged.files {
        if !verify::accepted(verdicts, &f.path) {
            fixed.hold(f);
            unwritten.insert(f.path.clone());
            continue;
        }
        match apply::write_atomically(&f.path, &f.original, &f.text) {
            Ok(()) => fixed.add(f),
            Err(e) => {
                log.error(format_args!("{}: {e}", f.display_path))?;
                fixed.hold(f);
                unwritten.insert(f.path.clone());
                failed = true;
            }
        }
    }
    if let Some(dir) = &args.write_runtime {
        write_runtime(dir, log)?;
    }
    let include = &options.analysis.rewrite.runtime_include;
    let runtime_written = args.write_runtime.is_some();
    fixed.tell(
        "fixed",
        converged.report(report),
        args,
        include,
        runtime_written,
        log,
    )?;
    if database.is_some() {
        let verified = verdicts
            .values()
            .filter(|v| matches!(v, Ok(Verdict::Verified)))
            .count();
        log.status(format_args!(
            "verified {} with the compilation database's commands",
            report::plural(verified, "fixed file", "fixed files")
        ))?;
    }
    // What remains is reported from the files as they now are: the units
    // of the last round's scan that hold no file left unwritten are not
    // analysed again, and its files are not read again, unless the
    // runtime header written now may change how they resolve includes.
    let earlier = converged.take_analysed(report);
    if runtime_written {
        earlier.forget_reads();
    }
    let options = ScanOptions {
        rescan: Some(Arc::new(check::Rescan {
            texts: Default::default(),
            changed: unwritten,
            earlier,
        })),
        keep_units: false,
        ..options.clone()
    };
    let remaining = scan_with_flags(args, &options, database)?;
    let outcome = show(args, &remaining, out, log)?;
    Ok(if failed { Outcome::Error } else { outcome })
}

fn runtime(
    write: Option<&std::path::Path>,
    out: &mut dyn Write,
    log: &mut Log<'_>,
) -> anyhow::Result<Outcome> {
    match write {
        Some(dir) => write_runtime(dir, log)?,
        None => out.write_all(oncevar::runtime::HEADER.as_bytes())?,
    }
    Ok(Outcome::Clean)
}

fn write_runtime(dir: &std::path::Path, log: &mut Log<'_>) -> anyhow::Result<()> {
    let missing = missing_folder(dir);
    let path = oncevar::runtime::write_header(dir)
        .with_context(|| format!("cannot write the runtime into {}", dir.display()))?;
    if missing {
        log.note(format_args!("created the folder {}", dir.display()))?;
    }
    log.status(format_args!("wrote {}", path.display()))?;
    Ok(())
}

/// Whether the folder `dir` does not exist yet (writing into it creates
/// it and its missing parents, which the user is told: a mistyped folder
/// would otherwise appear without a word).
fn missing_folder(dir: &Path) -> bool {
    !dir.as_os_str().is_empty() && std::fs::symlink_metadata(dir).is_err()
}

fn rule(code: Option<&str>, out: &mut dyn Write, log: &mut Log<'_>) -> anyhow::Result<Outcome> {
    match code {
        None => {
            for r in rules::RULES {
                writeln!(out, "{}  {:<28}  {}", r.code, r.name, r.summary)?;
            }
        }
        Some(text) => match parse_code(text) {
            Ok(code) => write!(out, "{}", rules::rule(code).document())?,
            Err(message) => {
                log.error(message)?;
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
