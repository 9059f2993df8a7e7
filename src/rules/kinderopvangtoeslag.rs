//! Kinderopvangtoeslag (childcare benefit), Wet kinderopvang / Besluit kinderopvangtoeslag;
//! docs/rules.md §3.
//!
//! Per child per month: `pct(Y, rank) × min(hourly_price, max_price[type]) × counted hours`, the
//! hours counted up to 230 a month, where hours unused in earlier months of the year may be
//! used later ([`pooled_hours`]).
//! The first child is the one with the most hours of care; among children with equally many
//! hours, the one with the lowest costs (hours × the provider's hourly price) \[U\]; only a
//! complete tie goes to the earliest listed ([`first_child`]). Every other child with childcare
//! uses the "next children" percentage. Y is the joint assessed income;
//! the percentage comes from the income band of the year's table (which for 2025 and 2026 is a
//! *reconstruction*, flagged uncertain in the parameter file so every report says so). No asset
//! test. The annual amount of a situation that held all year is 12 × the monthly amount, kept
//! exact; Awir rounding happens once on the annual amount.
//!
//! Not modelled: the work requirement (assumed met), the age limits of each care type (the
//! situation says which care a child uses).

use super::blocks::{fine_json, fine_text, rate_json_scaled, BuildingBlocks};
use super::{Care, Situation, MAX_CHILDREN, MONTHS};
use crate::model::money::{Fine, Money, Rate};
use crate::model::parameters::KOT_TABLE;
use crate::model::parameters::{KinderopvangtoeslagParams, KotRow};

/// One child's part of the childcare benefit in a month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChildPart {
    /// Index of the child in the situation's children.
    pub child: usize,
    /// True for the first child (most hours; on equal hours the lowest costs).
    pub first: bool,
    /// Percentage applied.
    pub rate: Rate,
    /// Hourly price counted: `min(price, max price of the type)`.
    pub price: Money,
    /// Hours counted: `min(hours, cap)`.
    pub hours: i64,
    /// Monthly amount for this child, exact.
    pub monthly: Fine,
}

/// The building blocks of a household's childcare benefit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Breakdown {
    /// The income band used.
    pub row: KotRow,
    /// Per child with childcare (the first `n_parts` entries).
    pub parts: [ChildPart; MAX_CHILDREN],
    /// Number of children with childcare.
    pub n_parts: usize,
    /// Exact annual amount (12 × the monthly sum) before Awir rounding.
    pub annual: Fine,
}

impl Breakdown {
    /// The children with childcare.
    pub fn parts(&self) -> &[ChildPart] {
        &self.parts[..self.n_parts]
    }
}

/// The "first child" (docs/rules.md §3): the child with the most hours of childcare; among
/// equal hours the one with the lowest costs (hours × hourly price, the provider's own price)
/// [U: the tie rule follows the reading of the Besluit kinderopvangtoeslag, the article
/// text was not retrieved]; a complete tie goes to the earliest listed. `None` without care.
pub fn first_child(care: &[Option<Care>]) -> Option<usize> {
    let mut first: Option<(usize, Care)> = None;
    for (i, c) in care.iter().enumerate() {
        let Some(c) = *c else { continue };
        let better = match first {
            None => true,
            Some((_, f)) => {
                let cost = |x: &Care| i128::from(x.hours) * i128::from(x.price.0);
                c.hours > f.hours || (c.hours == f.hours && cost(&c) < cost(&f))
            }
        };
        if better {
            first = Some((i, c));
        }
    }
    first.map(|(i, _)| i)
}

/// The full computation with its building blocks, each child's hours capped at the monthly
/// maximum (the situation held all year, so the annual pool is 12 × the monthly maximum).
pub fn breakdown(p: &KinderopvangtoeslagParams, s: &Situation) -> Breakdown {
    let mut counted = [0i64; MAX_CHILDREN];
    for (i, c) in s.children.care().iter().enumerate() {
        if let Some(c) = c {
            counted[i] = i64::from(c.hours).min(p.max_hours_per_month);
        }
    }
    breakdown_counted(p, s, &counted)
}

/// [`breakdown`] with the hours counted for each child given (by [`pooled_hours`]).
fn breakdown_counted(
    p: &KinderopvangtoeslagParams,
    s: &Situation,
    counted: &[i64; MAX_CHILDREN],
) -> Breakdown {
    let row = p.row(s.income);
    let care = s.children.care();
    let first = first_child(care);
    let mut parts = [ChildPart::default(); MAX_CHILDREN];
    let mut n_parts = 0;
    let mut monthly_total = Fine::ZERO;
    for (i, c) in care.iter().enumerate() {
        let Some(c) = c else { continue };
        let is_first = first == Some(i);
        let rate = if is_first { row.first } else { row.next };
        let price = c.price.max_zero().min(p.max_price[c.kind.index()]);
        let hours = counted[i];
        // price (cents) × hours is an exact amount of cents; × rate is exact in Fine.
        let monthly = Money(price.0 * hours).mul_rate(rate);
        monthly_total += monthly;
        parts[n_parts] = ChildPart {
            child: i,
            first: is_first,
            rate,
            price,
            hours,
            monthly,
        };
        n_parts += 1;
    }
    Breakdown {
        row,
        parts,
        n_parts,
        annual: Fine(monthly_total.0 * i128::from(MONTHS)),
    }
}

/// Does any child in `s` have more hours of care than the monthly maximum? Only then can the
/// annual pool ([`pooled_hours`]) count differently from each month on its own.
pub fn exceeds_monthly_cap(p: &KinderopvangtoeslagParams, s: &Situation) -> bool {
    s.children
        .care()
        .iter()
        .flatten()
        .any(|c| i64::from(c.hours) > p.max_hours_per_month)
}

/// The hours counted per month and child when the maximum works as an annual pool
/// (docs/rules.md §3): each month with care adds `max_hours_per_month` to the child's pool,
/// and hours not used in a month may be used later in the year ("de opvanguren die u over
/// hebt, mag u nog wel de rest van het jaar gebruiken", Belastingdienst, hulpmiddel maximum
/// aantal opvanguren) \[U: whether unused hours also cover earlier months, and whether a
/// month without care adds to the pool, was not found; toeslagenlab carries forward only, in
/// months with care\]. `None` when no month has more hours than the monthly maximum: then
/// every month counts its own hours and nothing changes. A child is followed by its index in
/// the situation's children (stable through the year: newborns are appended).
pub fn pooled_hours(
    p: &KinderopvangtoeslagParams,
    months: &[Situation; 12],
) -> Option<[[i64; MAX_CHILDREN]; 12]> {
    if !months.iter().any(|s| exceeds_monthly_cap(p, s)) {
        return None;
    }
    let mut carry = [0i64; MAX_CHILDREN];
    let mut counted = [[0i64; MAX_CHILDREN]; 12];
    for (m, s) in months.iter().enumerate() {
        for (i, c) in s.children.care().iter().enumerate() {
            let Some(c) = c else { continue };
            let hours = i64::from(c.hours);
            if hours == 0 {
                continue;
            }
            let available = carry[i] + p.max_hours_per_month;
            counted[m][i] = hours.min(available);
            carry[i] = available - counted[m][i];
        }
    }
    Some(counted)
}

/// The exact annual amount of each month's situation (12 × that month's amount) with the
/// hours `pooled_hours` counted for that month.
pub fn annual_exact_counted(
    p: &KinderopvangtoeslagParams,
    s: &Situation,
    counted: &[i64; MAX_CHILDREN],
) -> Fine {
    if s.children.care().iter().all(|c| c.is_none()) {
        return Fine::ZERO;
    }
    breakdown_counted(p, s, counted).annual
}

/// The exact annual amount, before Awir rounding.
pub fn annual_exact(p: &KinderopvangtoeslagParams, s: &Situation) -> Fine {
    if s.children.care().iter().all(|c| c.is_none()) {
        return Fine::ZERO;
    }
    breakdown(p, s).annual
}

/// The building blocks of kinderopvangtoeslag for situation `s`: the percentages and each
/// child's monthly part, with the parameters and the table used (`calc` and `explain` show them).
pub fn building_blocks(kp: &KinderopvangtoeslagParams, s: &Situation, bl: &mut BuildingBlocks) {
    let x = breakdown(kp, s);
    bl.money("assessed_income", "toetsingsinkomen (joint)", s.income);
    bl.rate(
        "percentage_first",
        "percentage first child (reconstructed table)",
        x.row.first,
    );
    bl.rate(
        "percentage_next",
        "percentage next children (reconstructed table)",
        x.row.next,
    );
    let mut kids = Vec::new();
    for part in x.parts() {
        let care = s.children.care()[part.child];
        let kind = care.map_or("", |c| c.kind.name());
        bl.line(
            format!(
                "child {} ({kind}, {}){}",
                part.child + 1,
                if part.first {
                    "first child"
                } else {
                    "next child"
                },
                ""
            ),
            format!(
                "{} × {} × {} h = {} a month",
                part.rate,
                part.price,
                part.hours,
                fine_text(part.monthly)
            ),
        );
        kids.push(serde_json::json!({
            "child": part.child + 1,
            "type": kind,
            "first": part.first,
            "percentage": rate_json_scaled(part.rate),
            "hourly_price_counted": part.price.to_json(),
            "hours_counted": part.hours,
            "monthly": fine_json(part.monthly),
        }));
    }
    bl.details
        .insert("children".into(), serde_json::Value::Array(kids));
    bl.line(
        "annual",
        format!("12 × the monthly sum = {}", fine_text(x.annual)),
    );
    bl.params(
        "kinderopvangtoeslag",
        &[
            "max_price_dagopvang",
            "max_price_bso",
            "max_price_gastouder",
            "max_hours_per_month",
        ],
    );
    bl.parameters.push(KOT_TABLE.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parameters::ParameterSet;
    use crate::rules::{awir, Care, CareType, Children};

    fn award(year: u16, partner: bool, income: i64, kids: &[(u8, CareType, u16, i64)]) -> Money {
        let p = ParameterSet::for_year(year).unwrap().resolve().unwrap();
        let mut children = Children::NONE;
        for &(age, kind, hours, price) in kids {
            children.push_with_care(
                age,
                Some(Care {
                    kind,
                    hours,
                    price: Money::cents(price),
                }),
            );
        }
        let s = Situation {
            partner,
            children,
            income: Money::euros(income),
            ..Situation::default()
        };
        awir::annual_award(&p.awir, annual_exact(&p.kinderopvangtoeslag.unwrap(), &s))
    }

    #[test]
    fn one_child_day_care_low_income_2026() {
        // 96% × min(10.50, 11.23) × 100 h = 1008 a month → 12,096 a year
        assert_eq!(
            award(2026, true, 40_000, &[(1, CareType::Dagopvang, 100, 1050)]),
            Money::euros(12_096)
        );
    }

    #[test]
    fn price_and_hours_are_capped() {
        // price 13.00 → 11.23; hours 250 → 230: 0.96 × 11.23 × 230 = 2479.584/month
        // × 12 = 29755.008 → €29,755
        assert_eq!(
            award(2026, false, 30_000, &[(2, CareType::Dagopvang, 250, 1300)]),
            Money::euros(29_755)
        );
    }

    #[test]
    fn the_child_with_most_hours_is_first() {
        // Y = 80,000 (2026 band 77,095–80,891: first 85.9%, next 93.9%).
        // BSO child 60 h × 9.98 (price 10.50 capped) at next 93.9% = 562.2732
        // day-care child 120 h × 11.00 at first 85.9% = 1133.88
        // monthly 1696.1532 × 12 = 20353.8384 → €20,354
        assert_eq!(
            award(
                2026,
                true,
                80_000,
                &[
                    (6, CareType::Bso, 60, 1050),
                    (1, CareType::Dagopvang, 120, 1100)
                ]
            ),
            Money::euros(20_354)
        );
    }

    #[test]
    fn on_equal_hours_the_child_with_the_lowest_costs_is_first() {
        // Y = 80,000 (first 85.9%, next 93.9%); two day-care children of 100 h each, at
        // €11.00 and €10.00 an hour. First child: the €10.00 child (lowest costs):
        // 100 × 10.00 × 0.859 = 859.00; next: 100 × 11.00 × 0.939 = 1032.90;
        // monthly 1891.90 × 12 = 22702.80 → €22,703, whatever the order they are listed in
        // (input order would give 944.90 + 939.00 = 1883.90 → €22,607).
        let a = (1, CareType::Dagopvang, 100, 1100);
        let b = (2, CareType::Dagopvang, 100, 1000);
        assert_eq!(award(2026, true, 80_000, &[a, b]), Money::euros(22_703));
        assert_eq!(award(2026, true, 80_000, &[b, a]), Money::euros(22_703));
        let c = |hours, cents| {
            Some(Care {
                kind: CareType::Dagopvang,
                hours,
                price: Money::cents(cents),
            })
        };
        assert_eq!(first_child(&[c(100, 1100), c(100, 1000)]), Some(1));
        // most hours first, whatever the costs
        assert_eq!(first_child(&[c(90, 500), c(100, 1100)]), Some(1));
        // a complete tie: the earliest listed
        assert_eq!(first_child(&[None, c(100, 1000), c(100, 1000)]), Some(1));
        assert_eq!(first_child(&[None, None]), None);
    }

    #[test]
    fn reconstructed_table_anchors_2026() {
        let p = ParameterSet::for_year(2026).unwrap().resolve().unwrap();
        let k = p.kinderopvangtoeslag.unwrap();
        let pct = |y: i64| {
            let r = k.row(Money::euros(y));
            (r.first, r.next)
        };
        // docs/rules.md §3 anchors: 96% (both) up to €56,412; 95.5% / 95.6% from €56,413;
        // first-child minimum 36.5% from €165,658; next-children minimum 68.2%.
        assert_eq!(pct(56_412), (Rate::percent(96), Rate::percent(96)));
        assert_eq!(pct(56_413), (Rate(955_000_000), Rate(956_000_000)));
        assert_eq!(pct(165_657).0, Rate(385_000_000));
        assert_eq!(pct(165_658).0, Rate(365_000_000));
        assert_eq!(pct(1_000_000), (Rate(365_000_000), Rate(682_000_000)));
        // cents below the next bound stay in the band
        assert_eq!(k.row(Money::cents(5_641_299)).first, Rate::percent(96));
    }

    #[test]
    fn reconstructed_table_anchors_2025() {
        let p = ParameterSet::for_year(2025).unwrap().resolve().unwrap();
        let k = p.kinderopvangtoeslag.unwrap();
        assert_eq!(k.row(Money::euros(47_403)).first, Rate::percent(96));
        assert_eq!(k.row(Money::euros(47_404)).first, Rate(953_000_000));
        assert_eq!(k.row(Money::euros(159_225)).first, Rate(333_000_000));
        assert_eq!(k.row(Money::euros(500_000)).next, Rate(671_000_000));
    }

    #[test]
    fn tables_are_non_increasing_and_next_at_least_first() {
        for y in [2025, 2026] {
            let p = ParameterSet::for_year(y).unwrap().resolve().unwrap();
            let t = p.kinderopvangtoeslag.unwrap().table;
            for w in t.windows(2) {
                assert!(w[1].from > w[0].from);
                assert!(w[1].first <= w[0].first, "{y}: {:?}", w[1]);
                assert!(w[1].next <= w[0].next, "{y}: {:?}", w[1]);
            }
            for r in &t {
                assert!(r.next >= r.first, "{y}: {r:?}");
            }
        }
    }

    #[test]
    fn no_childcare_no_benefit_and_2024_has_its_table() {
        assert_eq!(award(2026, false, 20_000, &[]), Money::ZERO);
        // 2024 (partly reconstructed table, docs/childcare-table.md): one child in day care,
        // 100 hours at €9, income €30,000: row 29,787–31,273, 94.4% → 100 × 9 × 0.944 = 849.60
        // a month, × 12 = €10,195.20 → €10,195.
        assert_eq!(
            award(2024, false, 30_000, &[(2, CareType::Dagopvang, 100, 900)]),
            Money::euros(10_195)
        );
    }

    #[test]
    fn the_hours_pool_carries_unused_hours_forward() {
        let p = ParameterSet::for_year(2026)
            .unwrap()
            .resolve()
            .unwrap()
            .kinderopvangtoeslag
            .unwrap();
        let with_hours = |h: u16| {
            let mut s = Situation::default();
            s.children.push_with_care(
                2,
                Some(Care {
                    kind: CareType::Dagopvang,
                    hours: h,
                    price: Money::euros(9),
                }),
            );
            s
        };
        // within 230 every month: nothing to pool
        let months: [Situation; 12] = std::array::from_fn(|_| with_hours(200));
        assert_eq!(pooled_hours(&p, &months), None);
        // 100 hours for 11 months (130 unused each), then 1,000 in December: 230 + 11 × 130
        // = 1,660 available, so all 1,000 count
        let months: [Situation; 12] =
            std::array::from_fn(|m| with_hours(if m == 11 { 1000 } else { 100 }));
        let c = pooled_hours(&p, &months).unwrap();
        assert_eq!(c[11][0], 1000);
        assert_eq!(c[0][0], 100);
        // 1,000 in January: only 230 count (nothing carried yet)
        let months: [Situation; 12] =
            std::array::from_fn(|m| with_hours(if m == 0 { 1000 } else { 100 }));
        assert_eq!(pooled_hours(&p, &months).unwrap()[0][0], 230);
    }
}
