//! `--lang nl`: the Dutch report.md and terminal headline (English unchanged).
