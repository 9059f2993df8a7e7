//! Exact money: euro cents, rates, and the few named rounding rules the law prescribes.
//!
//! Owns the [`Money`] type (whole euro cents in an `i64`), the [`Rate`] type (a fraction in
//! billionths) and [`Fine`] (an exact intermediate amount in 10⁻¹¹ euro, the product of cents
//! and a rate). Every rounding in the program happens in one of the named functions here, so the
//! rounding rule is written down once:
//!
//! * [`Fine::round_half_up_euros`]: Awir art. 14(4): annual amounts are rounded to whole euros,
//!   half a euro rounds up (away from zero for positive amounts).
//! * [`Money::floor_div_euros`]: the monthly advance is `floor(annual / 12)` in whole euros.
//! * [`Money::mul_rate_floor_euros`]: a reduced advance (cautious/adjustable) is the standard
//!   amount times the percentage, rounded *down* to whole euros, so the reduced advance never
//!   exceeds the percentage.
//!
//! Incomes are bounded: every amount derived by multiplying an income by a factor (shocks,
//! bonuses, estimates, indexation) saturates at ±[`Money::MAX_INCOME`] (€1,000,000,000), so no
//! product of accepted inputs can overflow or turn negative; the scenario loader refuses fixed
//! incomes whose shocks could exceed it.
//!
//! Must not: use floating point for amounts. `f64` appears only in conversions for statistics.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// Cents per euro.
pub const CENTS_PER_EURO: i64 = 100;
/// The denominator of a [`Rate`]: rates are stored in billionths.
pub const RATE_SCALE: i64 = 1_000_000_000;
/// [`Fine`] units per euro: cents × rate scale.
pub const FINE_PER_EURO: i128 = (CENTS_PER_EURO as i128) * (RATE_SCALE as i128);

/// `a.div_euclid(b)` for `b > 0`, through 64-bit division when both fit (the common case:
/// 128-bit division is a slow library call).
#[inline]
pub fn div_floor_i128(a: i128, b: i128) -> i128 {
    if let (Ok(a64), Ok(b64)) = (i64::try_from(a), i64::try_from(b)) {
        a64.div_euclid(b64) as i128
    } else {
        a.div_euclid(b)
    }
}

/// `⌈a / b⌉` for `b > 0`: the one rounding-up rule, used where a law rounds up (the normhuur
/// "naar boven afgerond op hele eurocenten", Wet op de huurtoeslag art. 19 lid 3).
#[inline]
pub fn div_ceil_i128(a: i128, b: i128) -> i128 {
    -div_floor_i128(-a, b)
}

/// An exact amount of money in euro cents.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Money(pub i64);

impl Money {
    /// Zero euros.
    pub const ZERO: Money = Money(0);
    /// The largest income (or other amount derived from an income by a factor): €1,000,000,000.
    /// Products saturate here instead of overflowing; far above every income limit of the
    /// benefits, so a saturated income still gets an award of 0.
    pub const MAX_INCOME: Money = Money::euros(1_000_000_000);

    /// Clamps an amount in cents to ±[`Money::MAX_INCOME`] (saturating, never wrapping).
    pub fn saturating_cents(cents: i128) -> Money {
        let cap = Money::MAX_INCOME.0 as i128;
        Money(cents.clamp(-cap, cap) as i64)
    }

    /// A whole number of euros.
    pub const fn euros(e: i64) -> Money {
        Money(e * CENTS_PER_EURO)
    }

    /// A number of cents.
    pub const fn cents(c: i64) -> Money {
        Money(c)
    }

    /// The amount in cents.
    pub const fn as_cents(self) -> i64 {
        self.0
    }

    /// The amount in whole euros, truncated toward zero (only meaningful for whole-euro amounts).
    pub const fn whole_euros(self) -> i64 {
        self.0 / CENTS_PER_EURO
    }

    /// The larger of `self` and zero.
    pub fn max_zero(self) -> Money {
        Money(self.0.max(0))
    }

    /// Exact conversion to an intermediate [`Fine`] amount.
    pub fn to_fine(self) -> Fine {
        Fine(self.0 as i128 * RATE_SCALE as i128)
    }

    /// Exact product with a rate, as a [`Fine`] amount (no rounding).
    pub fn mul_rate(self, rate: Rate) -> Fine {
        Fine(self.0 as i128 * rate.0 as i128)
    }

    /// `floor(self / n)` in whole euros: the monthly advance rule `floor(annual / 12)`.
    /// `self` is expected to be non-negative.
    pub fn floor_div_euros(self, n: i64) -> Money {
        let euros = self.0.div_euclid(CENTS_PER_EURO * n);
        Money::euros(euros)
    }

    /// `self × rate`, rounded down to whole euros (reduced advances never exceed the percentage).
    /// Saturates at ±[`Money::MAX_INCOME`].
    pub fn mul_rate_floor_euros(self, rate: Rate) -> Money {
        let fine = self.mul_rate(rate).0;
        let cap = Money::MAX_INCOME.whole_euros() as i128;
        Money::euros(div_floor_i128(fine, FINE_PER_EURO).clamp(-cap, cap) as i64)
    }

    /// `self × rate`, rounded half-up to the cent (an income after a factor: an input quantity,
    /// not a result). Saturates at ±[`Money::MAX_INCOME`].
    pub fn mul_rate_half_up_cents(self, rate: Rate) -> Money {
        let scale = RATE_SCALE as i128;
        Money::saturating_cents(div_floor_i128(self.mul_rate(rate).0 + scale / 2, scale))
    }

    /// A year income that is `self` a year in months 1..m−1 and `after` a year from month `m`
    /// (1–12) on: `(self × (m − 1) + after × (13 − m)) / 12`, rounded half-up to the cent (an
    /// input quantity: the partner's year income after a change in month m). Saturates at
    /// ±[`Money::MAX_INCOME`].
    pub fn part_year_half_up(self, after: Money, m: u8) -> Money {
        let m = i128::from(m.clamp(1, 12));
        let total = i128::from(self.0) * (m - 1) + i128::from(after.0) * (13 - m);
        Money::saturating_cents(div_floor_i128(2 * total + 12, 24))
    }

    /// `self × rate`, rounded down to the cent (synthetic input quantities such as a drawn
    /// hourly price; not used for awards). Saturates at ±[`Money::MAX_INCOME`].
    pub fn mul_rate_floor_cents(self, rate: Rate) -> Money {
        Money::saturating_cents(self.mul_rate(rate).0.div_euclid(RATE_SCALE as i128))
    }

    /// The amount as `f64` euros, for statistics and charts only (never for results).
    pub fn to_f64_euros(self) -> f64 {
        self.0 as f64 / CENTS_PER_EURO as f64
    }

    /// The amount as a `Decimal` number of euros with two decimals.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// Converts a decimal number of euros to cents; `None` if it has more than two decimals or
    /// does not fit.
    pub fn from_decimal(d: Decimal) -> Option<Money> {
        let cents = d.checked_mul(Decimal::from(CENTS_PER_EURO))?;
        if cents.fract() != Decimal::ZERO {
            return None;
        }
        cents.to_i64().map(Money)
    }

    /// Euros with two decimals as a JSON number (e.g. `1514.00` → `1514.0`, `12.34`).
    pub fn to_json(self) -> serde_json::Value {
        let n = serde_json::Number::from_f64(self.to_f64_euros())
            .unwrap_or_else(|| serde_json::Number::from(0));
        serde_json::Value::Number(n)
    }
}

impl fmt::Display for Money {
    /// `€1,234.56`; negative amounts get a leading typographic minus (U+2212): `−€0.05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "\u{2212}" } else { "" };
        let abs = self.0.unsigned_abs();
        let euros = abs / 100;
        let cents = abs % 100;
        write!(f, "{sign}€{}.{cents:02}", group_thousands(euros))
    }
}

/// `1234567` → `1,234,567`.
pub fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money(self.0 + o.0)
    }
}
impl Sub for Money {
    type Output = Money;
    fn sub(self, o: Money) -> Money {
        Money(self.0 - o.0)
    }
}
impl AddAssign for Money {
    fn add_assign(&mut self, o: Money) {
        self.0 += o.0;
    }
}
impl SubAssign for Money {
    fn sub_assign(&mut self, o: Money) {
        self.0 -= o.0;
    }
}
impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}
impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

/// A fraction (percentage, tax rate) in billionths: `Rate(800_000_000)` is 80%.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(pub i64);

impl Rate {
    /// 100%.
    pub const ONE: Rate = Rate(RATE_SCALE);
    /// 0%.
    pub const ZERO: Rate = Rate(0);

    /// A whole percentage, e.g. `Rate::percent(80)`.
    pub const fn percent(p: i64) -> Rate {
        Rate(p * (RATE_SCALE / 100))
    }

    /// Converts a decimal fraction (`0.1373`); `None` if it has more than nine decimals or does
    /// not fit.
    pub fn from_decimal(d: Decimal) -> Option<Rate> {
        let scaled = d.checked_mul(Decimal::from(RATE_SCALE))?;
        if scaled.fract() != Decimal::ZERO {
            return None;
        }
        scaled.to_i64().map(Rate)
    }

    /// The rate as a `Decimal` fraction.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 9).normalize()
    }

    /// The rate as `f64` (statistics and display only).
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / RATE_SCALE as f64
    }

    /// Converts an `f64` fraction, rounding to the nearest billionth (scenario inputs that
    /// arrive as floats are first parsed as decimals; this is for sampled values).
    pub fn from_f64(x: f64) -> Rate {
        Rate((x * RATE_SCALE as f64).round() as i64)
    }
}

impl fmt::Display for Rate {
    /// As a percentage with up to four decimals: `13.73%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = (self.to_decimal() * Decimal::from(100))
            .round_dp(4)
            .normalize();
        write!(f, "{pct}%")
    }
}

/// An exact intermediate amount in 10⁻¹¹ euro (cents × billionths). Formulas compute in `Fine`
/// and round once, at the end, with a named rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fine(pub i128);

impl Fine {
    /// Zero.
    pub const ZERO: Fine = Fine(0);

    /// The larger of `self` and zero.
    pub fn max_zero(self) -> Fine {
        Fine(self.0.max(0))
    }

    /// Awir art. 14(4): round to whole euros, half a euro up (half away from zero).
    pub fn round_half_up_euros(self) -> Money {
        let q = div_floor_i128(self.0, FINE_PER_EURO);
        let r = self.0 - q * FINE_PER_EURO;
        let euros = if self.0 >= 0 {
            if 2 * r >= FINE_PER_EURO {
                q + 1
            } else {
                q
            }
        } else if 2 * r > FINE_PER_EURO {
            q + 1
        } else {
            q
        };
        Money::euros(euros as i64)
    }

    /// Divides by `n` exactly enough for rounding afterwards: the remainder below 10⁻¹¹ euro is
    /// dropped (it cannot move a half-euro rounding unless `n` exceeds 10⁹).
    pub fn div_trunc(self, n: i128) -> Fine {
        match (i64::try_from(self.0), i64::try_from(n)) {
            (Ok(a), Ok(b)) => Fine((a / b) as i128),
            _ => Fine(self.0 / n),
        }
    }

    /// The amount as `f64` euros (display only).
    pub fn to_f64_euros(self) -> f64 {
        self.0 as f64 / FINE_PER_EURO as f64
    }
}

impl Add for Fine {
    type Output = Fine;
    fn add(self, o: Fine) -> Fine {
        Fine(self.0 + o.0)
    }
}
impl Sub for Fine {
    type Output = Fine;
    fn sub(self, o: Fine) -> Fine {
        Fine(self.0 - o.0)
    }
}
impl AddAssign for Fine {
    fn add_assign(&mut self, o: Fine) {
        self.0 += o.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn half_up_rounds_half_euros_up() {
        assert_eq!(
            Money::cents(150).to_fine().round_half_up_euros(),
            Money::euros(2)
        );
        assert_eq!(
            Money::cents(149).to_fine().round_half_up_euros(),
            Money::euros(1)
        );
        assert_eq!(
            Money::cents(250).to_fine().round_half_up_euros(),
            Money::euros(3)
        );
        assert_eq!(
            Money::cents(-150).to_fine().round_half_up_euros(),
            Money::euros(-2)
        );
        assert_eq!(
            Money::cents(-149).to_fine().round_half_up_euros(),
            Money::euros(-1)
        );
    }

    #[test]
    fn monthly_is_floor_of_annual_over_twelve() {
        assert_eq!(Money::euros(1514).floor_div_euros(12), Money::euros(126));
        assert_eq!(Money::euros(1511).floor_div_euros(12), Money::euros(125));
        assert_eq!(Money::euros(24).floor_div_euros(12), Money::euros(2));
    }

    #[test]
    fn reduced_advance_rounds_down() {
        assert_eq!(
            Money::euros(126).mul_rate_floor_euros(Rate::percent(80)),
            Money::euros(100)
        );
        assert_eq!(
            Money::euros(1514).mul_rate_floor_euros(Rate::percent(80)),
            Money::euros(1211)
        );
    }

    #[test]
    fn decimal_round_trips() {
        assert_eq!(Rate::from_decimal(dec!(0.1373)), Some(Rate(137_300_000)));
        assert_eq!(Rate::from_decimal(dec!(0.0000000001)), None);
        assert_eq!(Money::from_decimal(dec!(12.34)), Some(Money(1234)));
        assert_eq!(Money::from_decimal(dec!(12.345)), None);
        assert_eq!(Rate(137_300_000).to_string(), "13.73%");
    }

    #[test]
    fn products_saturate_at_the_income_cap() {
        let huge = Rate(i64::MAX);
        assert_eq!(
            Money::euros(10_000_000).mul_rate_half_up_cents(huge),
            Money::MAX_INCOME
        );
        assert_eq!(
            Money::euros(10_000_000).mul_rate_floor_euros(huge),
            Money::MAX_INCOME
        );
        assert_eq!(
            Money::euros(-10_000_000).mul_rate_floor_euros(huge),
            -Money::MAX_INCOME
        );
        assert_eq!(
            Money::euros(10_000_000).mul_rate_floor_cents(huge),
            Money::MAX_INCOME
        );
        // In the normal range nothing changes: half-up to the cent.
        assert_eq!(
            Money::cents(1001).mul_rate_half_up_cents(Rate::percent(50)),
            Money::cents(501)
        );
        let mut m = Money::euros(833_333);
        for _ in 0..5 {
            m = m.mul_rate_half_up_cents(Rate::percent(10_000));
        }
        assert_eq!(m, Money::MAX_INCOME);
    }

    #[test]
    fn display_groups_thousands() {
        assert_eq!(Money::cents(123456789).to_string(), "€1,234,567.89");
        assert_eq!(Money::cents(-5).to_string(), "\u{2212}€0.05");
    }
}
