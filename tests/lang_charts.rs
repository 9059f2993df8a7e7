//! `--lang nl`: the Dutch charts and report.html (English unchanged).
