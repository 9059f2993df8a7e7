//! `--lang nl`: the Dutch sweep, uncertainty and multi-year reports (English unchanged).
