//! Reading a summary.json back into the typed [`Summary`](crate::analysis::summary::Summary):
//! the helpers its `Deserialize` derive names, so that `check` and `diff` compare typed values.
//!
//! Names the summary holds as `&'static str` (policy, design, recalculation, benefit and
//! population names) are interned: each distinct name read is stored once for the life of the
//! process (a summary.json read is at most 10 MB). A metric a baseline written by an older
//! version lacks reads as NaN, which the comparisons skip, as they skip a missing key.
//!
//! Must not: compare or format summaries.

use crate::analysis::summary::{AllHouseholds, Metrics};
use serde::{Deserialize, Deserializer};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

/// Every name read back so far.
static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());

/// The one `'static` copy of `s`.
fn intern(s: String) -> &'static str {
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.get(s.as_str()) {
        return n;
    }
    let n: &'static str = Box::leak(s.into_boxed_str());
    names.insert(n);
    n
}

/// Deserializes a name into a `&'static str` field.
pub fn name<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    String::deserialize(d).map(intern)
}

/// Deserializes a list of names into a `Vec<&'static str>` field.
pub fn names<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<&'static str>, D::Error> {
    Vec::<String>::deserialize(d).map(|v| v.into_iter().map(intern).collect())
}

/// The all-household shares of a summary that lacks them: NaN.
pub fn absent_all_households() -> AllHouseholds {
    AllHouseholds {
        reclaim_share: f64::NAN,
        high_reclaim_share: f64::NAN,
        backpay_share: f64::NAN,
        recipient_share: f64::NAN,
    }
}

/// The metrics of a group whose keys are missing: every value NaN (skipped by the
/// comparisons), no households, no thresholds.
pub fn absent_metrics() -> Metrics {
    let nan = f64::NAN;
    Metrics {
        households: 0,
        recipients: 0,
        all_households: absent_all_households(),
        net_reclaim_share: nan,
        net_backpay_share: nan,
        mean_net_settlement: nan,
        reclaim_share: nan,
        high_reclaim_share: nan,
        high_reclaim_shares: BTreeMap::new(),
        mean_reclaim: nan,
        median_reclaim: nan,
        p90_reclaim: nan,
        p99_reclaim: nan,
        total_reclaimed: nan,
        reclaim_income_share: nan,
        backpay_share: nan,
        mean_backpay: nan,
        withheld_during_year: nan,
        total_withheld: nan,
        takeup_share: nan,
        mean_abs_gap: nan,
        mean_repayment_monthly: nan,
        in_year_reclaim_share: nan,
        mean_advances: nan,
        mean_definitive_award: nan,
    }
}
