//! Errors and their exit codes.
//!
//! Exit codes: 0 success; 1 an expectation or regression check failed; 2 bad input (scenario,
//! flags, files); 3 an internal error (a bug or an output that could not be written); 130 an
//! interrupted run (see `output::interrupt`).

use std::fmt;
use std::path::PathBuf;

/// One problem in an input file, located as precisely as we can.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file.
    pub file: PathBuf,
    /// 1-based line, if known.
    pub line: Option<usize>,
    /// 1-based column, if known.
    pub col: Option<usize>,
    /// Key path such as `arms[1].advance.fraction`, if known.
    pub key: Option<String>,
    /// What was found and what is allowed.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.col {
                write!(f, ":{c}")?;
            }
        }
        write!(f, ": ")?;
        if let Some(k) = &self.key {
            if !k.is_empty() {
                write!(f, "`{k}`: ")?;
            }
        }
        write!(f, "{}", self.message)
    }
}

/// Everything that can go wrong in a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more problems in an input file.
    #[error("{}", render_diagnostics(.0))]
    Input(Vec<Diagnostic>),
    /// A bad command-line value or other usage problem.
    #[error("{0}")]
    Usage(String),
    /// An expectation or regression check failed (exit 1).
    #[error("{0}")]
    CheckFailed(String),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A broken internal invariant: a bug in toeslagenlab, reported with what reproduces it.
    #[error("internal error (please report it with the scenario and seed): {0}")]
    Internal(String),
}

fn render_diagnostics(d: &[Diagnostic]) -> String {
    let mut s = String::new();
    for (i, x) in d.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        s.push_str(&x.to_string());
    }
    if d.len() > 1 {
        s.push_str(&format!("\n{} problems found", d.len()));
    }
    s
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::CheckFailed(_) => 1,
            Error::Input(_) | Error::Usage(_) => 2,
            Error::Io { .. } | Error::Internal(_) => 3,
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
