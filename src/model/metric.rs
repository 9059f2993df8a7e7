//! The metrics of a run, in one table: for every metric its key in summary.json, its label in
//! report.md, its unit, its kind (what the regression tolerances need) and whether it is a
//! metric of one arm, of a comparison with control, or both.
//!
//! Callers name a metric at compile time ([`Metric`]); text from files and summaries is parsed
//! with [`Metric::parse`]. The family `high_reclaim_share_<euros>` (the share above each extra
//! threshold, a comparison in summary.json) is one metric with its threshold,
//! [`Metric::HighReclaimShareAbove`].
//!
//! The table is here; the extractors (metric → value from a typed summary) are in
//! `analysis/summary.rs`, because `model` must not import `analysis`.
//!
//! Must not: compute a metric (that is `analysis`) or format one (that is `output`).

/// How a metric's value is expressed (summary.json rounds and report.md formats by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A share between 0 and 1 (report.md: a percentage; a difference in percentage points).
    Share,
    /// An amount in euros per household or per reclaim (a mean, median or percentile).
    Euros,
    /// A total in euros over all households of the arm (grows with the households simulated).
    EurosTotal,
}

/// What the statistics of a metric need to know: whether its standard error has the analytic
/// binomial bound `√(p(1−p)/n)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A share of households, or a mean of per-household values in [0, 1]: the binomial
    /// `√(p(1−p)/n)` bounds its standard error.
    Proportion,
    /// An amount (mean, quantile or total): no analytic bound.
    Amount,
}

/// Where a metric appears in summary.json.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A key of `arms.<arm>` only.
    Arm,
    /// A `metric` of `comparisons` only.
    Comparison,
    /// Both an arm key and a comparison metric.
    Both,
}

/// A metric of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    /// Share with a collected reclaim.
    ReclaimShare,
    /// Share with a reclaim above the primary high threshold.
    HighReclaimShare,
    /// Mean reclaim among households with one.
    MeanReclaim,
    /// Median reclaim among households with one.
    MedianReclaim,
    /// 90th percentile of reclaims among households with one.
    P90Reclaim,
    /// 99th percentile of reclaims among households with one.
    P99Reclaim,
    /// Total reclaimed.
    TotalReclaimed,
    /// Mean reclaim as a share of monthly income, among households with one.
    ReclaimIncomeShare,
    /// Share with a back-payment.
    BackpayShare,
    /// Mean back-payment among households with one.
    MeanBackpay,
    /// Mean money withheld during the year per household.
    WithheldDuringYear,
    /// Total withheld.
    TotalWithheld,
    /// Share that took the offered advance.
    TakeupShare,
    /// Mean |definitive award − advances|.
    MeanAbsGap,
    /// Mean monthly repayment among households with a reclaim.
    MeanRepaymentMonthly,
    /// Share with an in-year reclaim after a recalculation.
    InYearReclaimShare,
    /// Mean net advances per household.
    MeanAdvances,
    /// Mean definitive award per household.
    MeanDefinitiveAward,
    /// Share whose net settlement across benefits is a reclaim.
    NetReclaimShare,
    /// Share whose net settlement is a back-payment above the threshold.
    NetBackpayShare,
    /// Mean net settlement (back-payments paid − reclaims collected).
    MeanNetSettlement,
    /// Mean reclaim over all households (zeros included).
    MeanReclaimPerHousehold,
    /// Mean monthly repayment over all households (zeros included).
    MeanRepaymentMonthlyPerHousehold,
    /// Share with a reclaim above a threshold in whole euros other than the primary one
    /// (`high_reclaim_share_<euros>`).
    HighReclaimShareAbove(i64),
}

/// One row of the metric table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MetricDef {
    /// The metric.
    pub metric: Metric,
    /// Key in summary.json (for the threshold family: the prefix before the euros).
    pub key: &'static str,
    /// The words report.md uses for it (for the threshold family: followed by the amount).
    pub label: &'static str,
    /// Unit of its values.
    pub unit: Unit,
    /// Kind, for the tolerance floors.
    pub kind: Kind,
    /// Arm metric, comparison metric or both.
    pub role: Role,
}

const fn def(
    metric: Metric,
    key: &'static str,
    label: &'static str,
    unit: Unit,
    kind: Kind,
    role: Role,
) -> MetricDef {
    MetricDef {
        metric,
        key,
        label,
        unit,
        kind,
        role,
    }
}

use Kind::{Amount, Proportion};
use Role::{Arm, Both, Comparison};
use Unit::{Euros, EurosTotal, Share};

/// The metric table, in the order summaries are compared and metrics listed: the arm metrics,
/// then the comparison-only ones, then the threshold family.
#[rustfmt::skip]
pub const METRICS: &[MetricDef] = &[
    def(Metric::ReclaimShare, "reclaim_share", "share with a reclaim", Share, Proportion, Both),
    def(Metric::HighReclaimShare, "high_reclaim_share", "share with a high reclaim", Share, Proportion, Both),
    def(Metric::MeanReclaim, "mean_reclaim", "mean reclaim", Euros, Amount, Both),
    def(Metric::MedianReclaim, "median_reclaim", "median reclaim", Euros, Amount, Both),
    def(Metric::P90Reclaim, "p90_reclaim", "P90 reclaim", Euros, Amount, Arm),
    def(Metric::P99Reclaim, "p99_reclaim", "P99 reclaim", Euros, Amount, Arm),
    def(Metric::TotalReclaimed, "total_reclaimed", "total reclaimed", EurosTotal, Amount, Both),
    // A mean of per-household ratios, mostly in [0, 1]: the binomial bound applies to it.
    def(Metric::ReclaimIncomeShare, "reclaim_income_share", "reclaim as share of monthly income", Share, Proportion, Arm),
    def(Metric::BackpayShare, "backpay_share", "share with a back-payment", Share, Proportion, Both),
    def(Metric::MeanBackpay, "mean_backpay", "mean back-payment (those with one)", Euros, Amount, Arm),
    def(Metric::WithheldDuringYear, "withheld_during_year", "withheld during the year", Euros, Amount, Both),
    def(Metric::TotalWithheld, "total_withheld", "total withheld", EurosTotal, Amount, Arm),
    def(Metric::TakeupShare, "takeup_share", "took the offer", Share, Proportion, Arm),
    def(Metric::MeanAbsGap, "mean_abs_gap", "gap between award and advances", Euros, Amount, Both),
    def(Metric::MeanRepaymentMonthly, "mean_repayment_monthly", "monthly repayment (those with a reclaim)", Euros, Amount, Arm),
    def(Metric::InYearReclaimShare, "in_year_reclaim_share", "share with an in-year reclaim", Share, Proportion, Arm),
    def(Metric::MeanAdvances, "mean_advances", "mean advances", Euros, Amount, Arm),
    def(Metric::MeanDefinitiveAward, "mean_definitive_award", "mean definitive award", Euros, Amount, Arm),
    def(Metric::NetReclaimShare, "net_reclaim_share", "net settlement a reclaim", Share, Proportion, Arm),
    def(Metric::NetBackpayShare, "net_backpay_share", "net settlement a back-payment", Share, Proportion, Arm),
    def(Metric::MeanNetSettlement, "mean_net_settlement", "mean net settlement", Euros, Amount, Arm),
    def(Metric::MeanReclaimPerHousehold, "mean_reclaim_per_household", "reclaim per household", Euros, Amount, Comparison),
    def(Metric::MeanRepaymentMonthlyPerHousehold, "mean_repayment_monthly_per_household", "monthly repayment per household", Euros, Amount, Comparison),
    def(Metric::HighReclaimShareAbove(0), HIGH_ABOVE_PREFIX, "share with a reclaim above", Share, Proportion, Comparison),
];

/// The key prefix of the threshold family: `high_reclaim_share_<euros>`.
const HIGH_ABOVE_PREFIX: &str = "high_reclaim_share_";

impl Metric {
    /// Its row of [`METRICS`].
    pub fn def(self) -> &'static MetricDef {
        let wanted = match self {
            Metric::HighReclaimShareAbove(_) => Metric::HighReclaimShareAbove(0),
            m => m,
        };
        // Every variant has a row (a unit test walks the table); the first row is a safe
        // answer should one ever be missing.
        METRICS
            .iter()
            .find(|d| d.metric == wanted)
            .unwrap_or(&METRICS[0])
    }

    /// The key in summary.json (`high_reclaim_share_1500` for the family).
    pub fn key(self) -> String {
        match self {
            Metric::HighReclaimShareAbove(t) => format!("{HIGH_ABOVE_PREFIX}{t}"),
            m => m.def().key.to_string(),
        }
    }

    /// The label in report.md (for the family, without the amount: the output layer adds it).
    pub fn label(self) -> &'static str {
        self.def().label
    }

    /// Unit of its values.
    pub fn unit(self) -> Unit {
        self.def().unit
    }

    /// Kind, for the tolerance floors.
    pub fn kind(self) -> Kind {
        self.def().kind
    }

    /// Whether it is a key of `arms.<arm>`.
    pub fn is_arm(self) -> bool {
        matches!(self.def().role, Role::Arm | Role::Both)
    }

    /// Whether it is a comparison metric.
    pub fn is_comparison(self) -> bool {
        matches!(self.def().role, Role::Comparison | Role::Both)
    }

    /// The metric a summary.json key names (`high_reclaim_share_<whole euros>` included).
    pub fn parse(key: &str) -> Option<Metric> {
        if let Some(d) = METRICS
            .iter()
            .find(|d| d.key == key && d.key != HIGH_ABOVE_PREFIX)
        {
            return Some(d.metric);
        }
        let t = key.strip_prefix(HIGH_ABOVE_PREFIX)?;
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        t.parse().ok().map(Metric::HighReclaimShareAbove)
    }

    /// The arm metrics (keys of `arms.<arm>`), in table order.
    pub fn arm_metrics() -> impl Iterator<Item = Metric> {
        METRICS.iter().map(|d| d.metric).filter(|m| m.is_arm())
    }

    /// The comparison metrics an expectation may name (the threshold family excluded), in
    /// table order.
    pub fn comparison_metrics() -> impl Iterator<Item = Metric> {
        METRICS
            .iter()
            .map(|d| d.metric)
            .filter(|m| m.is_comparison() && !matches!(m, Metric::HighReclaimShareAbove(_)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_parses_back_to_its_metric() {
        for d in METRICS {
            let m = match d.metric {
                Metric::HighReclaimShareAbove(_) => Metric::HighReclaimShareAbove(1500),
                m => m,
            };
            assert_eq!(Metric::parse(&m.key()), Some(m), "{d:?}");
            assert_eq!(m.def(), d);
        }
        assert_eq!(Metric::parse("high_reclaim_share_"), None);
        assert_eq!(Metric::parse("high_reclaim_share_x"), None);
        assert_eq!(Metric::parse("high_reclaim_share_+5"), None);
        assert_eq!(Metric::parse("reclaim_shar"), None);
    }

    #[test]
    fn keys_are_unique_and_lists_keep_their_order() {
        let keys: Vec<&str> = METRICS.iter().map(|d| d.key).collect();
        let set: std::collections::BTreeSet<&str> = keys.iter().copied().collect();
        assert_eq!(set.len(), keys.len());
        let arm: Vec<String> = Metric::arm_metrics().map(Metric::key).collect();
        assert_eq!(arm.len(), 21);
        assert_eq!(arm[..2], ["reclaim_share", "high_reclaim_share"]);
        assert_eq!(Metric::comparison_metrics().count(), 10);
    }
}
