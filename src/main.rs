//! The `oncevar` binary: parse arguments, run, map the outcome to an exit
//! code (0 nothing found, 1 sites found, 2 error).

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use oncevar::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut err = io::stderr();
    let result = cli::run(cli, &mut out, &mut err).and_then(|outcome| {
        out.flush()?;
        Ok(outcome)
    });
    match result {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(e) if cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(err, "error: {e:#}");
            ExitCode::from(2)
        }
    }
}
