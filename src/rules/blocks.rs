//! The building blocks of a benefit's award: the (label, value) lines a decision letter shows,
//! their machine-readable form, and the parameters they use, for `calc` and `explain`.
//!
//! Owns: [`BuildingBlocks`], its small writers, the dispatch to each benefit module's own
//! `building_blocks`, and the display rounding of exact amounts to the cent that the blocks
//! (and their renderings) use. Must not: compute an award (the formulas are in the benefit
//! modules, the rounding to an award in [`super::awir`]), read files or print.

use super::{huurtoeslag, kinderopvangtoeslag, kindgebonden_budget, zorgtoeslag};
use super::{Benefit, Situation};
use crate::model::money::{Fine, Money, Rate, RATE_SCALE};
use crate::model::parameters::Params;

/// Display rounding of an exact intermediate amount to cents, half up (display only: awards
/// are rounded by [`super::awir::annual_award`]).
pub fn fine_cents(f: Fine) -> Money {
    let scale = i128::from(RATE_SCALE);
    Money(((f.0 + scale / 2).div_euclid(scale)) as i64)
}

/// An exact amount shown to the cent, half up, as text (`€604.80`).
pub fn fine_text(f: Fine) -> String {
    fine_cents(f).to_string()
}

/// An exact amount to the cent, half up, as a JSON number of euros.
pub fn fine_json(f: Fine) -> serde_json::Value {
    fine_cents(f).to_json()
}

/// A rate as a JSON number (`0.04`, `0.965`), as the building blocks (`calc --json`) write
/// fractions: the shortest decimal of the stored rate, so it reads back exactly.
pub fn rate_json_scaled(r: Rate) -> serde_json::Value {
    let text = r.to_decimal().normalize().to_string();
    serde_json::from_str::<serde_json::Number>(&text)
        .map(serde_json::Value::Number)
        .unwrap_or_else(|_| serde_json::Value::String(text))
}

/// The building blocks of one benefit for one situation, as the calculator presents them.
#[derive(Clone, Debug, Default)]
pub struct BuildingBlocks {
    /// (label, value) lines in the order a decision letter shows them.
    pub lines: Vec<(String, String)>,
    /// Machine-readable building blocks (name → euros or fraction).
    pub details: serde_json::Map<String, serde_json::Value>,
    /// The parameters used, as `group.key` (or a table name).
    pub parameters: Vec<String>,
}

impl BuildingBlocks {
    pub(crate) fn line(&mut self, label: impl Into<String>, value: impl Into<String>) {
        self.lines.push((label.into(), value.into()));
    }
    pub(crate) fn money(&mut self, key: &str, label: &str, m: Money) {
        self.line(label, m.to_string());
        self.details.insert(key.into(), m.to_json());
    }
    pub(crate) fn fine(&mut self, key: &str, label: &str, f: Fine) {
        self.line(label, fine_text(f));
        self.details.insert(key.into(), fine_json(f));
    }
    pub(crate) fn rate(&mut self, key: &str, label: &str, r: Rate) {
        self.line(label, r.to_string());
        self.details.insert(key.into(), rate_json_scaled(r));
    }
    pub(crate) fn params(&mut self, group: &str, keys: &[&str]) {
        self.parameters
            .extend(keys.iter().map(|k| format!("{group}.{k}")));
    }
}

/// The blocks of one benefit (none for a benefit the year's parameters cannot compute).
fn benefit_blocks(b: Benefit, p: &Params, s: &Situation, bl: &mut BuildingBlocks) {
    match b {
        Benefit::Zorgtoeslag => zorgtoeslag::building_blocks(&p.zorgtoeslag, s, bl),
        Benefit::Huurtoeslag => {
            if let Ok(hp) = &p.huurtoeslag {
                huurtoeslag::building_blocks(hp, s, bl);
            }
        }
        Benefit::Kinderopvangtoeslag => {
            if let Ok(kp) = &p.kinderopvangtoeslag {
                kinderopvangtoeslag::building_blocks(kp, s, bl);
            }
        }
        Benefit::KindgebondenBudget => {
            kindgebonden_budget::building_blocks(&p.kindgebonden_budget, s, bl)
        }
    }
}

/// The building blocks of `b` for situation `s` under parameters `p` — the same presentation
/// as `calc`, for other commands (`explain`) that show a situation's award.
pub fn building_blocks(b: Benefit, p: &Params, s: &Situation) -> BuildingBlocks {
    let mut bl = BuildingBlocks::default();
    benefit_blocks(b, p, s, &mut bl);
    bl.params("awir", &["minimum_award"]);
    bl
}
