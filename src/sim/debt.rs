//! A household's toeslag debts over the months of a horizon (the multi-year issue): each
//! collected reclaim becomes a debt with its own standard repayment plan, back-payments are
//! netted against open debts before anything is paid out, and every month each debt pays its
//! instalment. docs/rules.md §5 has the rules and their sources.
//!
//! * **Plan**: a debt's instalment is fixed when it opens, by
//!   [`crate::rules::awir::repayment_instalment`] (at most `repayment_months` instalments of at
//!   least `repayment_min_monthly`); the first is paid in the month after the debt opens (the
//!   six weeks of Awir art. 28, rounded to a month) \[U\].
//! * **Netting** (verrekening, Awir art. 30): a back-payment first pays off open debts, the
//!   oldest first (the order is \[U\]: no rule for it was found); only the rest is paid out.
//! * **Identity**: at every moment `reclaimed = repaid + netted + open`, to the cent
//!   ([`DebtBook::balanced`]).
//!
//! The book is fixed-size (no allocation per household): at most [`MAX_OPEN_DEBTS`] debts are
//! open at once; a further reclaim while the book is full is added to the newest open debt of
//! the same benefit (or the newest open debt), keeping that debt's instalment rule.

use crate::model::money::Money;
use crate::model::parameters::AwirParams;
use crate::rules::awir;

/// Most debts a household can have open at once before new reclaims are merged (4 benefits ×
/// a plan of 24 months overlapping a few years is well below this).
pub const MAX_OPEN_DEBTS: usize = 16;

/// One open debt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Debt {
    /// Benefit index of the reclaim.
    pub benefit: u8,
    /// Horizon month (0-based) in which the debt opened.
    pub opened: u16,
    /// The amount reclaimed (after merges).
    pub principal: Money,
    /// What is still open.
    pub open: Money,
    /// The monthly instalment of its plan.
    pub instalment: Money,
}

/// What happened to a household's debts over the horizon so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DebtTotals {
    /// Every reclaim that became a debt.
    pub reclaimed: Money,
    /// Paid off by instalments.
    pub repaid: Money,
    /// The part of `repaid` collected from the month's advances (verrekening met voorschot)
    /// rather than paid by the household.
    pub offset_from_advances: Money,
    /// Paid off by netting back-payments.
    pub netted: Money,
    /// Back-payments paid out (after netting).
    pub backpay_paid: Money,
    /// Reclaims that became a debt.
    pub reclaims: u32,
    /// Months that ended with an open debt.
    pub months_in_debt: u32,
    /// The most debt open at the end of a month.
    pub peak_open: Money,
    /// The most debts (reclaims) open at once.
    pub max_concurrent: u8,
}

/// A household's debts.
#[derive(Clone, Copy, Debug, Default)]
pub struct DebtBook {
    debts: [Debt; MAX_OPEN_DEBTS],
    len: u8,
    /// Totals so far.
    pub totals: DebtTotals,
}

impl DebtBook {
    /// No debts.
    pub fn new() -> DebtBook {
        DebtBook::default()
    }

    /// The open debts, oldest first.
    pub fn open_debts(&self) -> &[Debt] {
        &self.debts[..self.len as usize]
    }

    /// The total still open.
    pub fn open(&self) -> Money {
        self.open_debts()
            .iter()
            .fold(Money::ZERO, |a, d| a + d.open)
    }

    /// Does `reclaimed = repaid + netted + open` hold?
    pub fn balanced(&self) -> bool {
        let t = &self.totals;
        t.reclaimed == t.repaid + t.netted + self.open()
    }

    /// A collected reclaim of `benefit` decided in horizon month `month` becomes a debt with its
    /// own plan. Zero or negative amounts are ignored.
    pub fn reclaim(&mut self, p: &AwirParams, month: u16, benefit: u8, amount: Money) {
        if amount <= Money::ZERO {
            return;
        }
        self.totals.reclaimed += amount;
        self.totals.reclaims += 1;
        if (self.len as usize) < MAX_OPEN_DEBTS {
            self.debts[self.len as usize] = Debt {
                benefit,
                opened: month,
                principal: amount,
                open: amount,
                instalment: awir::repayment_instalment(p, amount),
            };
            self.len += 1;
        } else {
            let n = self.len as usize;
            let i = (0..n)
                .rev()
                .find(|&i| self.debts[i].benefit == benefit)
                .unwrap_or(n - 1);
            let d = &mut self.debts[i];
            d.principal += amount;
            d.open += amount;
            d.instalment = awir::repayment_instalment(p, d.open);
        }
        self.totals.max_concurrent = self.totals.max_concurrent.max(self.len);
    }

    /// A back-payment: nets against the open debts, oldest first; returns what is paid out.
    pub fn backpay(&mut self, amount: Money) -> Money {
        if amount <= Money::ZERO {
            return Money::ZERO;
        }
        let mut rest = amount;
        for d in self.debts[..self.len as usize].iter_mut() {
            let take = rest.min(d.open);
            d.open -= take;
            rest -= take;
            self.totals.netted += take;
            if rest == Money::ZERO {
                break;
            }
        }
        self.close_paid();
        self.totals.backpay_paid += rest;
        rest
    }

    /// The end of horizon month `month`, in which the household's advances came to
    /// `advance`: every debt opened before it pays its instalment (at most what is open), taken
    /// from the advance as far as it goes (Awir art. 30 allows the agency to net a debt against
    /// an advance) and paid by the household for the rest; then the month's debt statistics.
    pub fn month_end(&mut self, month: u16, advance: Money) {
        let mut available = advance.max(Money::ZERO);
        for d in self.debts[..self.len as usize].iter_mut() {
            if d.opened < month {
                let pay = d.instalment.min(d.open);
                d.open -= pay;
                self.totals.repaid += pay;
                let offset = pay.min(available);
                available -= offset;
                self.totals.offset_from_advances += offset;
            }
        }
        self.close_paid();
        let open = self.open();
        if open > Money::ZERO {
            self.totals.months_in_debt += 1;
        }
        self.totals.peak_open = self.totals.peak_open.max(open);
    }

    /// Drops debts paid off, keeping the order.
    fn close_paid(&mut self) {
        let mut k = 0;
        for i in 0..self.len as usize {
            if self.debts[i].open > Money::ZERO {
                self.debts[k] = self.debts[i];
                k += 1;
            }
        }
        self.len = k as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parameters::ParameterSet;
    use proptest::prelude::*;

    fn p() -> AwirParams {
        ParameterSet::for_year(2026)
            .unwrap()
            .resolve()
            .unwrap()
            .awir
    }

    #[test]
    fn a_reclaim_is_repaid_by_its_plan_from_the_month_after() {
        // €1,008 over 24 months: €42 a month, paid from the month after it opens
        let mut b = DebtBook::new();
        b.reclaim(&p(), 3, 0, Money::euros(1008));
        b.month_end(3, Money::ZERO);
        assert_eq!(b.open(), Money::euros(1008));
        for m in 4..28 {
            b.month_end(m, Money::euros(if m < 10 { 100 } else { 0 }));
        }
        assert_eq!(b.open(), Money::ZERO);
        assert_eq!(b.totals.repaid, Money::euros(1008));
        // months 4..=9 have a €100 advance: six instalments of €42 are taken from it
        assert_eq!(b.totals.offset_from_advances, Money::euros(6 * 42));
        assert_eq!(b.totals.months_in_debt, 24);
        assert!(b.open_debts().is_empty());
        assert!(b.balanced());
    }

    #[test]
    fn back_payments_net_against_the_oldest_debt_first() {
        let mut b = DebtBook::new();
        b.reclaim(&p(), 0, 0, Money::euros(300));
        b.reclaim(&p(), 1, 1, Money::euros(500));
        assert_eq!(b.totals.max_concurrent, 2);
        // €400 back: €300 clears the first debt, €100 off the second, nothing paid out
        assert_eq!(b.backpay(Money::euros(400)), Money::ZERO);
        assert_eq!(b.open_debts().len(), 1);
        assert_eq!(b.open_debts()[0].open, Money::euros(400));
        // €1,000 back: €400 clears the rest, €600 paid out
        assert_eq!(b.backpay(Money::euros(1000)), Money::euros(600));
        assert_eq!(b.totals.netted, Money::euros(800));
        assert_eq!(b.totals.backpay_paid, Money::euros(600));
        assert!(b.balanced());
    }

    #[test]
    fn a_full_book_merges_into_the_newest_debt_of_the_benefit() {
        let mut b = DebtBook::new();
        for i in 0..MAX_OPEN_DEBTS as u16 {
            b.reclaim(&p(), i, (i % 4) as u8, Money::euros(100));
        }
        b.reclaim(&p(), 20, 1, Money::euros(50));
        assert_eq!(b.open_debts().len(), MAX_OPEN_DEBTS);
        let newest_1 = b
            .open_debts()
            .iter()
            .rev()
            .find(|d| d.benefit == 1)
            .unwrap();
        assert_eq!(newest_1.open, Money::euros(150));
        assert!(b.balanced());
    }

    proptest! {
        /// The accounting identity holds to the cent after any sequence of reclaims,
        /// back-payments and month ends.
        #[test]
        fn reclaimed_is_repaid_plus_netted_plus_open(
            ops in proptest::collection::vec((0u8..3, 0u8..4, 0i64..500_000), 0..200)
        ) {
            let p = p();
            let mut b = DebtBook::new();
            let mut month = 0u16;
            let mut paid_out = Money::ZERO;
            let mut backpays = Money::ZERO;
            for (kind, benefit, cents) in ops {
                match kind {
                    0 => b.reclaim(&p, month, benefit, Money::cents(cents)),
                    1 => {
                        backpays += Money::cents(cents);
                        paid_out += b.backpay(Money::cents(cents));
                    }
                    _ => {
                        b.month_end(month, Money::cents(cents / 3));
                        month += 1;
                    }
                }
                prop_assert!(b.balanced());
                prop_assert!(b.open() >= Money::ZERO);
            }
            prop_assert_eq!(backpays, paid_out + b.totals.netted);
            prop_assert_eq!(paid_out, b.totals.backpay_paid);
            prop_assert!(b.totals.offset_from_advances <= b.totals.repaid);
        }
    }
}
