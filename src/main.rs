//! The `oncevar` binary: parse arguments, run, map the outcome to an exit
//! code (0 nothing found, 1 sites found, 2 error).

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use cli::Cli;

mod cli;
mod progress;

fn main() -> ExitCode {
    // Parsing is most of a scan, and tree-sitter allocates a node at a time:
    // with mimalloc a CPython scan takes about 5% less time than with
    // glibc's malloc, and a large file 15% less CPU (ruff, too, replaces
    // the system allocator).
    // SAFETY: called before any other tree-sitter call, with functions of
    // the C signatures tree-sitter expects.
    unsafe {
        tree_sitter::set_allocator(Some(tree_sitter::Allocator {
            malloc: libmimalloc_sys::mi_malloc,
            calloc: libmimalloc_sys::mi_calloc,
            realloc: libmimalloc_sys::mi_realloc,
            free: libmimalloc_sys::mi_free,
        }));
    }
    remove_temporary_folders_on_signal();
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(ClosablePipe {
        inner: stdout.lock(),
        closed: false,
    });
    let mut err = io::stderr();
    let result = cli::run(cli, &mut out, &mut err).and_then(|outcome| {
        out.flush()?;
        Ok(outcome)
    });
    match result {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        // Only a closed standard error gets here (standard output's is
        // absorbed below): there is nothing left to tell anyone.
        Err(e) if cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(err, "error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// On SIGINT, SIGTERM or SIGHUP, removes the verification's private
/// temporary folders, then dies of the signal as it would have (so a shell
/// sees the interruption). A thread waits for the signals: removing a
/// folder is no work for a signal handler itself.
#[cfg(unix)]
fn remove_temporary_folders_on_signal() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            // Held to the end: no other thread makes a folder again.
            let _stopped = oncevar::fix::verify::remove_temporary_folders();
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            std::process::exit(128 + signal);
        }
    });
}

#[cfg(not(unix))]
fn remove_temporary_folders_on_signal() {}

/// Standard output that, once its reader has gone (`oncevar check | head`),
/// drops the rest of the output silently: the run goes on, and the exit
/// status is still the one the findings decide.
struct ClosablePipe<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> ClosablePipe<W> {
    fn absorb<T>(&mut self, result: io::Result<T>, closed: T) -> io::Result<T> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(closed)
            }
            other => other,
        }
    }
}

impl<W: Write> Write for ClosablePipe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let result = self.inner.write(buf);
        self.absorb(result, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.flush();
        self.absorb(result, ())
    }
}
