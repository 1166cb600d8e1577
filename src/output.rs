//! What the operator reads: bodies and documents on stdout, one-line messages on stderr.
//! Text a BMC supplied (ids, user names, links, messages) may hold terminal escapes or line
//! breaks meant to fake output: control characters are escaped before anything is printed.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicU8, Ordering};

use serde_json::Value;

/// How a command reports.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// Print one JSON document on stdout; no progress messages on stderr.
    pub json: bool,
    /// No progress messages at all (fleet workers: the runner reports).
    pub quiet: bool,
}

/// What goes to stderr besides errors: set once per run from `-q` and `-v`.
static CHATTER: AtomicU8 = AtomicU8::new(Chatter::Terminal as u8);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Chatter {
    /// `-q`: errors and warnings only.
    Quiet,
    /// Informational lines when stderr is a terminal: a cron job that went well prints nothing.
    Terminal,
    /// `-v`: informational lines always.
    Always,
}

pub fn set_chatter(c: Chatter) {
    CHATTER.store(c as u8, Ordering::Relaxed);
}

/// Are informational lines ("logged in as", "reusing the session") shown?
pub fn informative() -> bool {
    match CHATTER.load(Ordering::Relaxed) {
        x if x == Chatter::Quiet as u8 => false,
        x if x == Chatter::Always as u8 => true,
        _ => io::stderr().is_terminal(),
    }
}

/// An informational line on stderr, shown as `informative` says.
pub fn info(line: &str) {
    if informative() {
        warn(line);
    }
}

impl Output {
    /// An informational message on stderr (not with --json, where stdout says it), only on
    /// a terminal or with -v.
    pub fn say(&self, line: &str) {
        if !self.json && !self.quiet {
            info(line);
        }
    }

    /// What the operator must know although nothing failed (a logout that kept a session
    /// others hold); not with --json or -q.
    pub fn notice(&self, line: &str) {
        if !self.json && !self.quiet && CHATTER.load(Ordering::Relaxed) != Chatter::Quiet as u8 {
            warn(line);
        }
    }

    /// What the command was asked to show (a dry run's plan) on stderr; not with --json.
    pub fn tell(&self, line: &str) {
        if !self.json && !self.quiet {
            warn(line);
        }
    }

    pub fn json(&self, value: &Value) -> io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        // One write: stdout is line-buffered, and a body of many lines would be as many
        // system calls, each waking the reader of a pipe.
        let mut text = serde_json::to_vec_pretty(value)?;
        text.push(b'\n');
        let mut out = io::stdout().lock();
        out.write_all(&text)?;
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
