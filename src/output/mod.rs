//! Output: bytes only. Atomic writing of run directories and files (with interrupt handling),
//! the Markdown report and summary writers, and the charts.
//!
//! See docs/architecture.md for what this layer owns and must not do.

pub mod atomic;
pub mod calc;
pub mod calibration;
pub mod charts;
pub mod check;
pub mod explain;
pub mod format;
pub mod horizon;
pub mod html;
pub mod interrupt;
pub mod lab;
pub mod lang;
pub mod parquet;
pub mod partial;
pub mod report;
pub mod sweep;
pub mod tables;
pub mod uncertainty;

pub use atomic::{safe_dir_name, write_file_atomic, Staging};
