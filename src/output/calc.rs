//! The calculator's renderings (`toeslagenlab calc`): the human explanation with the building
//! blocks and parameter sources, and the JSON document.
//!
//! Owns: [`to_text`], [`to_json`] and the approximation [`notes`] of a [`CalcResult`]. Must
//! not: compute an amount (everything comes from [`crate::rules::calc::compute`]); bytes only.

use crate::model::money::{Fine, Money};
use crate::rules::blocks::{fine_json, fine_text};
use crate::rules::calc::CalcResult;
use std::fmt::Write as _;

/// The sum of the awards and of the monthly advances over the benefits.
pub fn totals(r: &CalcResult) -> (Money, Money) {
    r.benefits
        .iter()
        .fold((Money::ZERO, Money::ZERO), |(a, m), b| {
            (a + b.annual, m + b.monthly)
        })
}

/// The JSON document: `{"year":…,"benefits":{name:{"annual":…,"monthly":…,…}},
/// "total":{"annual":…,"monthly":…},"notes":[…]}`, amounts in euros, rates and percentages as
/// numbers (fractions, 0.96 for 96%); every benefit is present (0 when there is no entitlement).
pub fn to_json(r: &CalcResult) -> serde_json::Value {
    let mut benefits = serde_json::Map::new();
    for b in &r.benefits {
        let mut o = serde_json::Map::new();
        o.insert("annual".into(), b.annual.whole_euros().into());
        o.insert("monthly".into(), b.monthly.whole_euros().into());
        o.insert("available".into(), b.unavailable.is_none().into());
        if let Some(u) = &b.unavailable {
            o.insert("note".into(), u.clone().into());
        } else {
            o.insert("exact_annual".into(), fine_json(b.exact));
            o.insert(
                "building_blocks".into(),
                serde_json::Value::Object(b.details.clone()),
            );
        }
        benefits.insert(b.benefit.name().into(), serde_json::Value::Object(o));
    }
    let (annual, monthly) = totals(r);
    serde_json::json!({
        "year": r.year,
        "benefits": benefits,
        "total": {"annual": annual.whole_euros(), "monthly": monthly.whole_euros()},
        "notes": notes(r),
    })
}

/// Approximations in force for this household's result (uncertain parameters it used).
pub fn notes(r: &CalcResult) -> Vec<String> {
    let used: Vec<&String> = r
        .benefits
        .iter()
        .filter(|b| b.annual > Money::ZERO || b.exact > Fine::ZERO)
        .flat_map(|b| b.parameters.iter())
        .collect();
    r.parameter_set
        .uncertain()
        .into_iter()
        .filter(|(k, _)| used.contains(&k))
        .map(|(k, p)| format!("uncertain parameter {k}: {}", p.source))
        .collect()
}

/// The human-readable explanation.
pub fn to_text(r: &CalcResult) -> String {
    let h = &r.household;
    let s = h.situation();
    let mut o = String::new();
    let _ = writeln!(o, "Household calculation, benefit year {}", r.year);
    let _ = writeln!(
        o,
        "Household: {} person{}; applicant income {}{}; assets {}; {}; {} child{}",
        s.persons(),
        if s.persons() == 1 { "" } else { "s" },
        h.income,
        if h.partner {
            format!(", partner income {}", h.partner_income)
        } else {
            String::new()
        },
        h.assets,
        if h.rent > Money::ZERO {
            format!("rent {} a month", h.rent)
        } else {
            "no rent".to_string()
        },
        h.children.len(),
        if h.children.len() == 1 { "" } else { "ren" },
    );
    let mut total = Money::ZERO;
    for b in &r.benefits {
        let _ = writeln!(o);
        match &b.unavailable {
            Some(reason) => {
                let _ = writeln!(o, "{}: not computed. {reason}", b.benefit.name());
                continue;
            }
            None => {
                let _ = writeln!(
                    o,
                    "{}: {} a year, {} a month",
                    b.benefit.name(),
                    b.annual,
                    b.monthly
                );
            }
        }
        total += b.annual;
        let width = b
            .lines
            .iter()
            .map(|(l, _)| l.chars().count())
            .max()
            .unwrap_or(0);
        for (label, value) in &b.lines {
            let pad = width - label.chars().count();
            let _ = writeln!(o, "  {label}{:pad$}  {value}", "");
        }
        let _ = writeln!(
            o,
            "  exact annual amount {} → award {} (Awir art. 14: half-up to whole euros, nothing below the minimum award); monthly floor(annual / 12) = {}",
            fine_text(b.exact),
            b.annual,
            b.monthly
        );
        let _ = writeln!(o, "  sources:");
        for key in &b.parameters {
            let (g, k) = key.split_once('.').unwrap_or((key.as_str(), ""));
            let param = if k.is_empty() {
                r.parameter_set.tables.get(g).map(|t| &t.summary)
            } else {
                r.parameter_set.get(g, k)
            };
            if let Some(p) = param {
                let _ = writeln!(
                    o,
                    "    {key} = {} {}{}: {}",
                    p.value,
                    p.unit,
                    if p.uncertain { " [uncertain]" } else { "" },
                    p.source
                );
            }
        }
    }
    let (_, monthly) = totals(r);
    let _ = writeln!(o, "\nTotal: {} a year, {} a month", total, monthly);
    let n = notes(r);
    if !n.is_empty() {
        let _ = writeln!(o, "\nApproximations in this result:");
        for x in n {
            let _ = writeln!(o, "- {x}");
        }
    }
    o
}
