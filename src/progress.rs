//! The progress bar a long scan draws on standard error (indicatif), and
//! when it is drawn: on a terminal, at the default log level, outside CI
//! and on a terminal that can redraw a line, and only once the scan has
//! lasted [`DELAY`], so a quick run prints exactly what it printed before.

use std::sync::{mpsc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use oncevar::check::{Progress, Stage};
use oncevar::report::log::{LogLevel, MessageKind};

/// How long a scan runs before its bar appears.
pub const DELAY: Duration = Duration::from_millis(1500);

/// Whether a run draws the bar: standard error is a terminal
/// (`stderr_is_terminal`), `level` shows status messages (not under `-q`
/// or `-s`), `CI` is unset or empty (CI services set it; their logs keep
/// every redraw), and `TERM` is not `dumb` (which cannot move the cursor
/// back). `var` reads an environment variable.
pub fn wanted(
    stderr_is_terminal: bool,
    level: LogLevel,
    var: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> bool {
    stderr_is_terminal
        && level.shows(MessageKind::Status)
        && var("CI").is_none_or(|v| v.is_empty())
        && var("TERM").is_none_or(|v| v != "dumb")
}

/// A bar that stays hidden until a scan has lasted [`DELAY`], then draws
/// on standard error: a spinner, the stage, a bar, done/total and the time
/// elapsed. It
/// is cleared when the scan ends, before the report is printed; the next
/// scan (`--fix` scans again for what remains) starts a new one.
#[derive(Debug, Default)]
pub struct Bar {
    scan: Mutex<Option<Scan>>,
}

/// The bar of one scan, and the thread that shows it once the delay is
/// over (whether or not the scan reports a step then: a stage can run for
/// seconds between steps, and the steady tick then keeps the elapsed time
/// and the spinner moving).
#[derive(Debug)]
struct Scan {
    bar: ProgressBar,
    /// Dropped to tell the thread the scan is over.
    over: Option<mpsc::Sender<()>>,
    reveal: Option<std::thread::JoinHandle<()>>,
}

impl Scan {
    fn new() -> Scan {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} ({elapsed})")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        let (over, wait) = mpsc::channel::<()>();
        let shown = bar.clone();
        let reveal = std::thread::Builder::new()
            .name("oncevar-progress".to_owned())
            .spawn(move || {
                if wait.recv_timeout(DELAY) == Err(mpsc::RecvTimeoutError::Timeout) {
                    shown.set_draw_target(ProgressDrawTarget::stderr());
                    shown.enable_steady_tick(Duration::from_millis(100));
                }
            })
            .ok();
        Scan {
            bar,
            over: Some(over),
            reveal,
        }
    }

    /// Stops the thread (before the delay, the bar is never shown) and
    /// clears the bar.
    fn finish(mut self) {
        drop(self.over.take());
        if let Some(reveal) = self.reveal.take() {
            let _ = reveal.join();
        }
        self.bar.finish_and_clear();
    }
}

impl Bar {
    fn with_scan(&self, f: impl FnOnce(&mut Option<Scan>)) {
        // A worker that panicked mid-step leaves a bar still worth drawing.
        let mut scan = self.scan.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut scan);
    }
}

impl Progress for Bar {
    fn stage(&self, stage: Stage, total: usize) {
        let what = match stage {
            Stage::Reading => "reading",
            Stage::Preparing => "preparing",
            Stage::Analysing => "analysing",
        };
        self.with_scan(|scan| {
            let scan = scan.get_or_insert_with(Scan::new);
            scan.bar.set_position(0);
            scan.bar.set_length(total as u64);
            scan.bar.set_message(what.to_owned());
        });
    }

    fn step(&self) {
        self.with_scan(|scan| {
            if let Some(scan) = scan {
                scan.bar.inc(1);
            }
        });
    }

    fn done(&self) {
        self.with_scan(|scan| {
            if let Some(scan) = scan.take() {
                scan.finish();
            }
        });
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.done();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn env<'a>(vars: &'a [(&str, &str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn drawn_only_on_a_terminal_at_the_default_level_outside_ci() {
        let term = [("TERM", "xterm-256color")];
        assert!(wanted(true, LogLevel::Default, env(&term)));
        assert!(wanted(true, LogLevel::Default, env(&[])), "TERM unset");
        assert!(!wanted(false, LogLevel::Default, env(&term)), "piped");
        assert!(!wanted(true, LogLevel::Quiet, env(&term)), "-q");
        assert!(!wanted(true, LogLevel::Silent, env(&term)), "-s");
        let ci = [("TERM", "xterm"), ("CI", "true")];
        assert!(!wanted(true, LogLevel::Default, env(&ci)), "CI");
        let ci_empty = [("TERM", "xterm"), ("CI", "")];
        assert!(wanted(true, LogLevel::Default, env(&ci_empty)), "CI empty");
        assert!(!wanted(true, LogLevel::Default, env(&[("TERM", "dumb")])));
    }

    #[test]
    fn hidden_until_the_delay_and_new_for_each_scan() {
        let bar = Bar::default();
        bar.step();
        bar.stage(Stage::Reading, 3);
        bar.step();
        bar.with_scan(|scan| {
            let scan = scan.as_ref().unwrap();
            assert!(scan.bar.is_hidden());
            assert_eq!(scan.bar.position(), 1);
        });
        bar.done();
        bar.with_scan(|scan| assert!(scan.is_none()));
        bar.stage(Stage::Reading, 2);
        bar.with_scan(|scan| assert_eq!(scan.as_ref().unwrap().bar.length(), Some(2)));
    }
}
