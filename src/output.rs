//! What the operator reads: bodies and documents on stdout, one-line messages on stderr.
//! Text a BMC supplied (ids, user names, links, messages) may hold terminal escapes or line
//! breaks meant to fake output: control characters are escaped before anything is printed.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};

use serde_json::Value;

/// How a command reports.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// Print one JSON document on stdout; no progress messages on stderr.
    pub json: bool,
    /// No progress messages at all (fleet workers: the runner reports).
    pub quiet: bool,
    /// -v: informational lines show even when stderr is no terminal.
    pub verbose: bool,
}

impl Output {
    /// A progress message on stderr (not with --json, where stdout says it).
    pub fn say(&self, line: &str) {
        if !self.json && !self.quiet {
            warn(line);
        }
    }

    /// Whether informational lines show: a person is watching (stderr is a terminal) or
    /// asked with -v; scripts stay silent on success.
    pub fn informational(&self) -> bool {
        !self.quiet && (self.verbose || io::stderr().is_terminal())
    }

    /// An informational line on stderr (a write's status), as `informational` says.
    pub fn status(&self, line: &str) {
        if self.informational() {
            warn(line);
        }
    }

    pub fn json(&self, value: &Value) -> io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, value)?;
        writeln!(out)?;
        out.flush()
    }

    pub fn text(&self, text: &str) -> io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()
    }
}

/// `rfsession: LINE` on stderr, control characters escaped.
pub fn warn(line: &str) {
    let _ = writeln!(io::stderr().lock(), "rfsession: {}", escape_controls(line));
}

/// `\n`, `\r`, ESC and every other control character as a visible escape (`\u{1b}`).
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_debug().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape_controls("plain"), "plain");
        assert_eq!(
            escape_controls("a\r\n\u{1b}[2Jb\u{9b}c"),
            "a\\r\\n\\u{1b}[2Jb\\u{9b}c"
        );
    }
}
