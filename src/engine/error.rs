//! The one error type of the engine: which field, and what is wrong with it.

use super::num::{NumError, MIN_DIGITS};
use std::fmt;

/// What went wrong, for code that wants to react to it (the UI marks a field,
/// the JS API sets `error.kind`). The sentence is in [`Error::message`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The scenario text is not valid JSON or not of the documented shape.
    Format,
    /// A value is out of its allowed range or refers to something unknown.
    Invalid,
    /// A scenario exceeds a documented size limit.
    Limit,
    /// A result does not fit in a decimal (about 7.9e28) or divides by zero.
    Overflow,
    /// A result too small to compute to 16 significant digits (below about
    /// 1e-12 and not exact): the numbers entered are in too small a unit.
    Underflow,
}

/// An error with the path of the offending field (`positions[2].entry_price`)
/// and a sentence a trader understands (`must be greater than 0`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Error {
    pub kind: ErrorKind,
    /// Dotted path into the scenario; empty when the error is about the whole of it.
    pub path: String,
    pub message: String,
}

impl Error {
    pub fn new(kind: ErrorKind, path: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            kind,
            path: path.into(),
            message: message.into(),
        }
    }

    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, path, message)
    }

    /// An arithmetic overflow while computing `what` for the item at `path`.
    pub fn overflow(path: impl Into<String>, what: &str) -> Self {
        Self::numeric(path, what, NumError::Overflow)
    }

    /// `what` for the item at `path` has no trustworthy value: too large, or too small.
    pub fn numeric(path: impl Into<String>, what: &str, e: NumError) -> Self {
        match e {
            NumError::Overflow => Self::new(
                ErrorKind::Overflow,
                path,
                format!("the {what} is too large to compute exactly (decimal overflow); use smaller numbers"),
            ),
            NumError::Underflow => Self::new(
                ErrorKind::Underflow,
                path,
                format!(
                    "the {what} is too small to compute to {MIN_DIGITS} significant digits (decimal underflow); use larger units"
                ),
            ),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for Error {}
