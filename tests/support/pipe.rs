//! Running the binary with a reader that goes away early, as
//! `oncevar check | head -1` does.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

/// Spawns `command` with its standard output and error piped, reads the
/// first line of its output, closes the pipe, and waits for it to end.
/// Returns that first line and the process's output (its status and
/// standard error; its standard output is empty, having been closed).
/// Panics if the process cannot be started or waited for.
pub fn first_line_then_close(command: &mut Command) -> (String, Output) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    (first, child.wait_with_output().unwrap())
}
