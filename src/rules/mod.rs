//! Pure benefit formulas.
//!
//! Owns: the annual entitlement of each benefit for one month's situation, computed exactly
//! ([`Fine`]) from [`Params`], and the Awir rounding rules that turn it into an award.
//! In: a [`Situation`] (partner, children, assets, assessed annual income). Out: exact amounts.
//!
//! Must not: draw random numbers, know about arms or advances, allocate, or hold an amount in
//! code. Each benefit has its own module; the engine iterates over [`Benefit::ALL`].
//!
//! Besides the formulas (which never allocate), each benefit module lists its own building
//! blocks for presentation ([`blocks`]), and [`calc`] computes the award of one household whose
//! situation holds all year (the `calc` command's core); these allocate their lines and never
//! run inside the simulation's hot loop.

pub mod awir;
pub mod blocks;
pub mod calc;
pub mod huurtoeslag;
pub mod kinderopvangtoeslag;
pub mod kindgebonden_budget;
pub mod zorgtoeslag;

use crate::model::money::Fine;
use crate::model::parameters::Params;

pub use crate::model::benefit::*;

/// Months in a benefit year: a monthly amount that held all year is paid this many times.
pub const MONTHS: i64 = 12;

/// The exact (unrounded) annual entitlement of `benefit` if `situation` held all year. A
/// benefit the year's parameters cannot compute gives zero here; scenarios and the calculator
/// refuse such a request first ([`Benefit::available`]).
pub fn annual_exact(benefit: Benefit, p: &Params, situation: &Situation) -> Fine {
    match benefit {
        Benefit::Zorgtoeslag => zorgtoeslag::annual_exact(&p.zorgtoeslag, situation),
        Benefit::Huurtoeslag => match &p.huurtoeslag {
            Ok(hp) => huurtoeslag::annual_exact(hp, situation),
            Err(_) => Fine::ZERO,
        },
        Benefit::Kinderopvangtoeslag => match &p.kinderopvangtoeslag {
            Ok(kp) => kinderopvangtoeslag::annual_exact(kp, situation),
            Err(_) => Fine::ZERO,
        },
        Benefit::KindgebondenBudget => {
            kindgebonden_budget::annual_exact(&p.kindgebonden_budget, situation)
        }
    }
}

/// The exact annual amount of each month's situation per benefit (`[month][benefit]`, only the
/// benefits marked in `benefits`), with the rules that span months applied: the childcare
/// hours pool ([`kinderopvangtoeslag::pooled_hours`]). The engine uses this when a month's
/// childcare hours exceed the monthly maximum; otherwise each month is [`annual_exact`] alone.
pub fn year_amounts(
    p: &Params,
    benefits: &[bool; N_BENEFITS],
    months: &[Situation; 12],
) -> [[Fine; N_BENEFITS]; 12] {
    let mut out = [[Fine::ZERO; N_BENEFITS]; 12];
    let kot = Benefit::Kinderopvangtoeslag.index();
    let pooled = match &p.kinderopvangtoeslag {
        Ok(kp) if benefits[kot] => kinderopvangtoeslag::pooled_hours(kp, months),
        _ => None,
    };
    for (m, s) in months.iter().enumerate() {
        for b in Benefit::ALL {
            if !benefits[b.index()] {
                continue;
            }
            out[m][b.index()] = match (b, &pooled, &p.kinderopvangtoeslag) {
                (Benefit::Kinderopvangtoeslag, Some(counted), Ok(kp)) => {
                    kinderopvangtoeslag::annual_exact_counted(kp, s, &counted[m])
                }
                _ => annual_exact(b, p, s),
            };
        }
    }
    out
}
