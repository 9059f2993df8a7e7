//! Number formatting for the text outputs, written once: percentages, percentage points, euro
//! amounts (one style: `€1,078`, `−€85`) and p-values. Helpers that look alike but print differently keep distinct names
//! (`pct_adaptive` vs `pct1`): the outputs must stay byte-identical.
//!
//! In Dutch ([`crate::output::lang`]) the same helpers write Dutch numbers: a decimal comma and
//! a thousands point (`12,3%`, `€1.078`, `+1,2 %-punt`, `<0,001`); English output is unchanged.
//! Helpers for CSV cells (`pct4_of`) never change with the language.
//!
//! Must not: compute statistics or write files.

use crate::output::lang::{current, Lang};

/// `s`, a number written the English way (`1,234.5`), in the current language: unchanged in
/// English, decimal comma and thousands point in Dutch (`1.234,5`).
pub fn localize_number(s: &str) -> String {
    match current() {
        Lang::En => s.to_string(),
        Lang::Nl => s
            .chars()
            .map(|c| match c {
                '.' => ',',
                ',' => '.',
                c => c,
            })
            .collect(),
    }
}

/// `x` with `decimals` decimals in the current language: `12.35` / `12,35`.
pub fn num(x: f64, decimals: usize) -> String {
    localize_number(&format!("{x:.decimals$}"))
}

/// `n` with thousands separators in the current language: `1,234,567` / `1.234.567`.
pub fn thousands(n: u64) -> String {
    localize_number(&crate::model::money::group_thousands(n))
}

/// The unit of a difference of percentages: `pp` in English, `%-punt` in Dutch.
pub fn pp_unit() -> &'static str {
    crate::output::lang::pick("pp", "%-punt")
}

/// A share as a percentage with 1 decimal, or 3 decimals when it is non-zero and below 0.05%
/// (so a tiny share does not print as `0.0%`): `12.3%`, `0.012%`.
pub fn pct_adaptive(x: f64) -> String {
    let v = x * 100.0;
    localize_number(&if v != 0.0 && v.abs() < 0.05 {
        format!("{v:.3}%")
    } else {
        format!("{v:.1}%")
    })
}

/// A share as a percentage, always with 1 decimal: `12.3%`, `0.0%`.
pub fn pct1(x: f64) -> String {
    localize_number(&format!("{:.1}%", x * 100.0))
}

/// A difference of shares in signed percentage points with 1 decimal, or 3 decimals when it is
/// non-zero and below 0.05 pp: `+1.2 pp`, `-0.012 pp`.
pub fn pp_adaptive(x: f64) -> String {
    let v = x * 100.0;
    let n = if v != 0.0 && v.abs() < 0.05 {
        format!("{v:+.3}")
    } else {
        format!("{v:+.1}")
    };
    format!("{} {}", localize_number(&n), pp_unit())
}

/// The minus sign of every money amount in text: U+2212, as in `−€85` (one style in the
/// report, the terminal, the charts and report.html; CSV cells keep an ASCII `-` for parsers).
pub const MINUS: &str = "\u{2212}";

/// Whole euros with thousands separators and a typographic minus: `€1,234`, `−€250`; an
/// amount that rounds to zero is `€0` (never `−€0`).
pub fn euro0(x: f64) -> String {
    let r = x.round();
    let s = thousands(r.abs() as u64);
    format!("{}€{s}", if r < 0.0 { MINUS } else { "" })
}

/// [`euro0`] with an explicit sign: `+€1,234`, `−€250`.
pub fn signed_euro(x: f64) -> String {
    if x.round() >= 0.0 {
        format!("+{}", euro0(x))
    } else {
        euro0(x)
    }
}

/// Whole euros for chart axes and labels: the same as [`euro0`] (one money style everywhere).
pub fn euro_label(x: f64) -> String {
    euro0(x)
}

/// A p-value with 3 decimals, `<0.001` below that.
pub fn p_text(p: f64) -> String {
    localize_number(&if p < 0.001 {
        "<0.001".to_string()
    } else {
        format!("{p:.3}")
    })
}

/// `a` of `n` as a percentage with 4 decimals and no `%` sign, for chart CSV cells: `12.3457`
/// (`0.0000` when `n` is 0).
pub fn pct4_of(a: u64, n: u64) -> String {
    if n == 0 {
        return "0.0000".into();
    }
    format!("{:.4}", a as f64 * 100.0 / n as f64)
}

/// `n` with its noun, singular for one: "1 household", "3 households" (thousands grouped).
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}
