//! What a run says about itself on standard error (errors, warnings,
//! notes, the summary and timing, listings asked for such as
//! `--show-fixes`), each message printed or not by the verbosity the user
//! chose. The code that prints says what kind of message it prints and
//! [`Log`] decides, as ruff's `LogLevel` and its printer do: no filter
//! reads the text afterwards.

use std::fmt::Display;
use std::io::{self, Write};

/// How much a run prints, from least to most (ruff's `LogLevel`: `--silent`
/// and `--quiet` lower it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    /// `-s`/`--silent`: errors only; the report and the diff are not
    /// printed either (the exit status still tells).
    Silent,
    /// `-q`/`--quiet`: the report or the diff, errors, and the listings the
    /// user asked for; no warnings, notes, summary or timing.
    Quiet,
    /// Everything.
    #[default]
    Default,
}

/// What a message on standard error is, which decides at which levels it
/// is printed (see [`LogLevel::shows`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    /// Something failed: the run exits 2. Printed at every level.
    Error,
    /// Output the user asked for with a flag (`--show-fixes`), which
    /// `--quiet` keeps and `--silent` drops.
    Requested,
    /// Something the user may want to act on that does not fail the run.
    Warning,
    /// Context: how to get more (`--show-parse-errors`), what was not
    /// verified and why.
    Note,
    /// The summary, the timing, what was written where, and the progress
    /// bar.
    Status,
}

impl LogLevel {
    /// Whether a message of `kind` is printed at this level.
    pub fn shows(self, kind: MessageKind) -> bool {
        match kind {
            MessageKind::Error => true,
            MessageKind::Requested => self >= LogLevel::Quiet,
            MessageKind::Warning | MessageKind::Note | MessageKind::Status => {
                self >= LogLevel::Default
            }
        }
    }

    /// Whether the report (or diff, or fixed text) is printed on standard
    /// output: at every level but [`LogLevel::Silent`].
    pub fn shows_report(self) -> bool {
        self >= LogLevel::Quiet
    }
}

/// Standard error (or any writer) with the run's [`LogLevel`]: each method
/// prints one message of its kind, ended by a line break, when the level
/// shows that kind.
pub struct Log<'w> {
    level: LogLevel,
    out: &'w mut dyn Write,
}

impl<'w> Log<'w> {
    /// A log writing to `out` at `level`.
    pub fn new(out: &'w mut dyn Write, level: LogLevel) -> Self {
        Log { level, out }
    }

    /// The level this log prints at.
    pub fn level(&self) -> LogLevel {
        self.level
    }

    /// `error: MESSAGE`, at every level.
    ///
    /// # Errors
    ///
    /// Only those of writing.
    pub fn error(&mut self, message: impl Display) -> io::Result<()> {
        self.line(MessageKind::Error, format_args!("error: {message}"))
    }

    /// `warning: MESSAGE`, at the default level only.
    ///
    /// # Errors
    ///
    /// Only those of writing.
    pub fn warning(&mut self, message: impl Display) -> io::Result<()> {
        self.line(MessageKind::Warning, format_args!("warning: {message}"))
    }

    /// `note: MESSAGE`, at the default level only.
    ///
    /// # Errors
    ///
    /// Only those of writing.
    pub fn note(&mut self, message: impl Display) -> io::Result<()> {
        self.line(MessageKind::Note, format_args!("note: {message}"))
    }

    /// A status line as it is (the summary, the timing, `wrote FILE`), at
    /// the default level only.
    ///
    /// # Errors
    ///
    /// Only those of writing.
    pub fn status(&mut self, message: impl Display) -> io::Result<()> {
        self.line(MessageKind::Status, format_args!("{message}"))
    }

    /// The writer for a block of `kind` (several lines the caller writes
    /// itself, such as `--show-fixes`'s listing), or `None` when the level
    /// does not show that kind.
    pub fn block(&mut self, kind: MessageKind) -> Option<&mut dyn Write> {
        if self.level.shows(kind) {
            Some(&mut *self.out)
        } else {
            None
        }
    }

    /// Flushes the writer.
    ///
    /// # Errors
    ///
    /// Only those of flushing.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn line(&mut self, kind: MessageKind, text: std::fmt::Arguments<'_>) -> io::Result<()> {
        match self.block(kind) {
            Some(out) => writeln!(out, "{text}"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(level: LogLevel) -> String {
        let mut buffer = Vec::new();
        let mut log = Log::new(&mut buffer, level);
        log.error("e").unwrap();
        log.warning("w").unwrap();
        log.note("n").unwrap();
        log.status("done").unwrap();
        if let Some(out) = log.block(MessageKind::Requested) {
            writeln!(out, "asked:\n  listed").unwrap();
        }
        String::from_utf8(buffer).unwrap()
    }

    #[test]
    fn each_level_prints_its_kinds() {
        assert_eq!(
            printed(LogLevel::Default),
            "error: e\nwarning: w\nnote: n\ndone\nasked:\n  listed\n"
        );
        assert_eq!(printed(LogLevel::Quiet), "error: e\nasked:\n  listed\n");
        assert_eq!(printed(LogLevel::Silent), "error: e\n");
    }

    #[test]
    fn only_silent_drops_the_report() {
        assert!(LogLevel::Default.shows_report());
        assert!(LogLevel::Quiet.shows_report());
        assert!(!LogLevel::Silent.shows_report());
    }
}
