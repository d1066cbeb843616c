//! Progress of long-running commands: a bar with the current step on a
//! terminal, one plain line per step elsewhere (CI logs, pipes).
//!
//! indicatif draws the bar; it is kept out of non-terminals because a log
//! should read as lines, not as carriage-return redraws.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// Steps of one command, `total` of them.
pub struct Progress {
    bar: Option<ProgressBar>,
    label: &'static str,
    total: u64,
    done: u64,
}

impl Progress {
    /// Starts counting `total` steps of `label` (`corpus`, `test`, ...).
    pub fn new(label: &'static str, total: usize) -> Self {
        let total = total as u64;
        let on_terminal = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let bar = on_terminal.then(|| {
            let bar = ProgressBar::new(total);
            let style = ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
            bar.set_style(style);
            bar.set_prefix(label);
            bar
        });
        Self { bar, label, total, done: 0 }
    }

    /// The step now under way.
    pub fn step(&mut self, message: impl Into<String>) {
        let message = message.into();
        self.done += 1;
        match &self.bar {
            Some(bar) => {
                bar.set_position(self.done - 1);
                bar.set_message(message);
            }
            None => eprintln!("{} [{}/{}] {message}", self.label, self.done, self.total),
        }
    }

    /// Every step is done.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
