//! `--lang nl`: the Dutch charts (English unchanged).
