//! The whole run: discover files, then read, parse and analyse them in
//! parallel (one parser per worker thread), then sort, so the output is the
//! same whatever the thread count.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::analysis::analyze;
use crate::analysis::parse::{self, ParseErrors};
use crate::analysis::queries::{Queries, QueryError};
use crate::diagnostic::{Diagnostic, Position};
use crate::options::AnalysisOptions;
use crate::project::baseline::{Baseline, Comparison};
use crate::project::config::Policy;
use crate::project::suppress::{self, Filtered};
use crate::scan::discover::{self, DiscoverError, FileEntry, Problem};
use crate::scan::prefilter;
use crate::scan::source::Source;

/// What to scan and how.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Files and directories to scan (directories are walked).
    pub paths: Vec<PathBuf>,
    /// Gitignore-style globs of paths to leave out.
    pub excludes: Vec<String>,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// Files larger than this are skipped with a warning.
    pub max_file_size: u64,
    /// What the analysis takes for a Python object, and how fixes are written.
    pub analysis: AnalysisOptions,
    /// The configuration's file filter and code selection.
    pub policy: Policy,
    /// Skip parsing files that cannot hold a site (see [`prefilter`]). Off
    /// only to check that the prefilter changes nothing.
    pub prefilter: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            paths: vec![".".into()],
            excludes: Vec::new(),
            jobs: 0,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            analysis: AnalysisOptions::default(),
            policy: Policy::default(),
            prefilter: true,
        }
    }
}

/// Large enough for generated tables (CPython's largest file is 4 MB), and
/// small enough to bound memory: a file in flight takes about 40 bytes of
/// memory per input byte (up to 70 for dense declarations), so at most
/// about 4.5 GB for each worker.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// A scanned file that has findings. Its source is kept for reports and fixes.
pub struct FileReport {
    /// The file as read.
    pub source: Source,
    /// Its findings, in the order of their declarations.
    pub diagnostics: Vec<Diagnostic>,
    /// ERROR and MISSING nodes in its parse: a fix may not add any.
    pub parse_errors: usize,
}

/// A file that may hold a site and whose parse has errors, where a parse
/// error could hide or distort a finding: what `--show-parse-errors`, the
/// JSON `parse_errors` and the SARIF notifications list.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ParseError {
    /// As reached from the PATH argument.
    pub path: String,
    /// Where the first error is (1-based line and column).
    pub first: Position,
    /// What the first error is: `syntax error`, or `missing `;``.
    pub what: String,
    /// ERROR and MISSING nodes in the file, outside the runtime's own
    /// declaration macros (see [`parse::ParseErrors::reported`]).
    pub count: usize,
}

/// The outcome of a run: findings, problems and counts, sorted so that it is
/// the same whatever the thread count.
pub struct ScanReport {
    /// Files with findings, sorted by path.
    pub files: Vec<FileReport>,
    /// Files that could not be scanned (or were skipped), sorted.
    pub problems: Vec<Problem>,
    /// Files read, whether or not they were parsed.
    pub files_scanned: usize,
    /// Files that may hold a site and whose parse has errors, sorted by
    /// path. Files that cannot hold a site are not parsed, so this is the
    /// same with the prefilter on or off.
    pub parse_errors: Vec<ParseError>,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// What suppressions and the configuration held back.
    pub filtered: Filtered,
    /// Set when the run compared against a baseline.
    pub baseline: Option<Comparison>,
}

impl ScanReport {
    /// Every finding, by path and then position.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files.iter().flat_map(|f| f.diagnostics.iter())
    }

    /// How many files that may hold a site have parse errors.
    pub fn files_with_parse_errors(&self) -> usize {
        self.parse_errors.len()
    }

    /// Whether a problem makes the run fail (exit 2), not just warn.
    pub fn has_fatal_problem(&self) -> bool {
        self.problems.iter().any(|p| p.fatal)
    }

    /// Drops the findings that `baseline` accepts and records how the run
    /// compares with it; `roots` are the scanned paths, under which a
    /// recorded site that nothing matched is gone.
    pub fn apply_baseline(&mut self, baseline: &Baseline, roots: &[PathBuf]) {
        let mut filter = baseline.filter();
        for file in &mut self.files {
            file.diagnostics.retain(|d| !filter.accepts(d));
        }
        self.files.retain(|f| !f.diagnostics.is_empty());
        self.baseline = Some(filter.finish(roots));
    }
}

/// Why a run could not happen at all (a file that cannot be read is a
/// [`Problem`] of the report instead).
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error("bundled queries are broken: {0}")]
    Query(&'static QueryError),
    #[error("cannot start {jobs} worker threads: {error}")]
    Threads {
        jobs: usize,
        error: rayon::ThreadPoolBuildError,
    },
}

enum Outcome {
    Scanned {
        report: Option<FileReport>,
        parse_error: Option<Box<ParseError>>,
        filtered: Filtered,
    },
    Problem(Problem),
}

/// Scans `options.paths`: discovers the files, then reads, prefilters,
/// parses, analyses and filters each one in parallel, and sorts the result.
/// A file that cannot be read or parsed is a problem in the report; errors
/// are for a path that does not exist, a bad exclude glob, broken bundled
/// queries, or worker threads that cannot start.
pub fn scan(options: &ScanOptions) -> Result<ScanReport, ScanError> {
    let started = Instant::now();
    let mut discovery = discover::discover(&options.paths, &options.excludes)?;
    discovery
        .files
        .retain(|f| options.policy.selects_file(&f.path));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build()
        .map_err(|error| ScanError::Threads {
            jobs: options.jobs,
            error,
        })?;
    let outcomes: Vec<Outcome> = pool.install(|| {
        discovery
            .files
            .par_iter()
            .map(|entry| scan_file(entry, options))
            .collect()
    });
    // Compiled by the first worker that parses a file (meanwhile the other
    // prefilters), or here if none did: broken queries fail the run.
    Queries::get().map_err(ScanError::Query)?;

    let mut report = ScanReport {
        files: Vec::new(),
        problems: discovery.problems,
        files_scanned: 0,
        parse_errors: Vec::new(),
        elapsed: Duration::ZERO,
        filtered: Filtered::default(),
        baseline: None,
    };
    for outcome in outcomes {
        match outcome {
            Outcome::Scanned {
                report: file,
                parse_error,
                filtered,
            } => {
                report.filtered.merge(filtered);
                report.files_scanned += 1;
                report.parse_errors.extend(parse_error.map(|e| *e));
                report.files.extend(file);
            }
            Outcome::Problem(problem) => report.problems.push(problem),
        }
    }
    report
        .files
        .sort_by(|a, b| a.source.display_path.cmp(&b.source.display_path));
    report.problems.sort();
    report.parse_errors.sort();
    report.filtered.unused_ignores.sort();
    report.filtered.bad_directives.sort();
    report.elapsed = started.elapsed();
    Ok(report)
}

fn scan_file(entry: &FileEntry, options: &ScanOptions) -> Outcome {
    let source = match Source::read(&entry.path, entry.display.clone(), options.max_file_size) {
        Ok(source) => source,
        Err(err) => {
            return Outcome::Problem(Problem {
                path: entry.display.clone(),
                fatal: err.is_error(),
                message: err.to_string(),
            })
        }
    };
    let may_hold_site = prefilter::may_hold_site(&source.bytes, &options.analysis);
    let analysis = if options.prefilter && !may_hold_site {
        analyze::Analysis {
            diagnostics: Vec::new(),
            parse_errors: ParseErrors::default(),
        }
    } else {
        let Ok(queries) = Queries::get() else {
            return Outcome::Problem(Problem {
                path: entry.display.clone(),
                message: "bundled queries are broken".to_owned(),
                fatal: true,
            });
        };
        let analysis = parse::with_parser(|parser| {
            analyze::analyze_source(parser, &source, queries, &options.analysis)
        });
        let Some(analysis) = analysis else {
            return Outcome::Problem(Problem {
                path: entry.display.clone(),
                message: "tree-sitter could not parse the file".to_owned(),
                fatal: true,
            });
        };
        analysis
    };
    // The runtime header, written by `--write-runtime` into the tree, uses
    // macros tree-sitter cannot parse: it is ours, not broken.
    let is_runtime = source.bytes == crate::runtime::HEADER.as_bytes();
    let parse_error = match &analysis.parse_errors.first {
        Some((span, what)) if may_hold_site && !is_runtime => Some(Box::new(ParseError {
            path: source.display_path.clone(),
            first: source.position(span.start),
            what: what.clone(),
            count: analysis.parse_errors.reported,
        })),
        _ => None,
    };
    let (diagnostics, filtered) = suppress::apply(&source, analysis.diagnostics, &options.policy);
    let report = (!diagnostics.is_empty()).then_some(FileReport {
        source,
        diagnostics,
        parse_errors: analysis.parse_errors.count,
    });
    Outcome::Scanned {
        report,
        parse_error,
        filtered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_deleted_after_discovery_is_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gone.c");
        std::fs::write(&path, "static int x;\n").unwrap();
        let entry = FileEntry {
            display: "gone.c".into(),
            path: path.clone(),
        };
        std::fs::remove_file(&path).unwrap();
        let outcome = scan_file(&entry, &ScanOptions::default());
        match outcome {
            Outcome::Problem(p) => {
                assert_eq!(p.path, "gone.c");
                assert!(p.message.contains("vanished"), "{}", p.message);
                assert!(!p.fatal);
            }
            Outcome::Scanned { .. } => panic!("a deleted file cannot be scanned"),
        }
    }
}
