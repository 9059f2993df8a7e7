//! Validation of the `[behaviour]`, `[agency]`, `[interventions]` and `[lab]` tables.
//!
//! Part of the scenario loader's `Validator` (one `impl` block per section); every problem
//! becomes a located diagnostic, all problems of a file in one pass.

use super::super::*;

impl Validator {
    pub(in crate::scenario) fn behaviour(&mut self, b: RawBehaviour) -> Behaviour {
        let mut out = default_behaviour();
        if let Some(r) = &b.report_probability {
            let key = |n: &str| format!("behaviour.report_probability.{n}");
            // `partner` sets both directions; `partner_in`/`partner_out` refine it.
            let given = [
                (r.income_up, "income_up", vec![ChangeType::IncomeUp]),
                (r.income_down, "income_down", vec![ChangeType::IncomeDown]),
                (
                    r.partner,
                    "partner",
                    vec![ChangeType::PartnerIn, ChangeType::PartnerOut],
                ),
                (r.partner_in, "partner_in", vec![ChangeType::PartnerIn]),
                (r.partner_out, "partner_out", vec![ChangeType::PartnerOut]),
                (r.child, "child", vec![ChangeType::ChildBorn]),
                (
                    r.childcare_hours,
                    "childcare_hours",
                    vec![ChangeType::ChildcareHours],
                ),
                (r.rent, "rent", vec![ChangeType::Rent]),
                (
                    r.partner_income,
                    "partner_income",
                    vec![ChangeType::PartnerIncome],
                ),
                (r.co_resident, "co_resident", vec![ChangeType::CoResident]),
                (
                    r.self_employed_income,
                    "self_employed_income",
                    vec![ChangeType::SelfEmployedIncome],
                ),
                (
                    r.childcare_stops,
                    "childcare_stops",
                    vec![ChangeType::ChildcareStops],
                ),
            ];
            for (x, name, types) in given {
                if let Some(x) = x {
                    let p = self.probability(&key(name), x);
                    for t in types {
                        out.report[t as usize] = p;
                    }
                }
            }
        }
        if let Some(r) = &b.report_delay_months {
            let key = "behaviour.report_delay_months";
            if r.distribution != "uniform" {
                self.err(
                    format!("{key}.distribution"),
                    format!(
                        "found `{}`; the delay is `uniform` with whole `min` and `max` months",
                        r.distribution
                    ),
                );
            } else {
                let min = r.min.unwrap_or(0.0);
                let max = r.max.unwrap_or(min);
                if min < 0.0 || max > 12.0 || min > max || min.fract() != 0.0 || max.fract() != 0.0
                {
                    self.err(
                        key,
                        format!("found min {min}, max {max}; whole months with 0 ≤ min ≤ max ≤ 12"),
                    );
                } else {
                    out.delay = [(min as u8, max as u8); N_CHANGE_TYPES];
                }
            }
        }
        for (name, v) in b.report_delay_by_change.iter().flatten() {
            let key = format!("behaviour.report_delay_by_change.{name}");
            let Some(t) = ChangeType::ALL.iter().find(|t| t.name() == name) else {
                let cands: Vec<String> = ChangeType::ALL
                    .iter()
                    .map(|t| t.name().to_string())
                    .collect();
                let hint = did_you_mean(name, &cands)
                    .map(|b| format!("; did you mean `{b}`?"))
                    .unwrap_or_default();
                self.err(
                    key,
                    format!(
                        "unknown change type `{name}`; allowed: {}{hint}",
                        cands.join(", ")
                    ),
                );
                continue;
            };
            match v.as_slice() {
                [lo, hi] if 0 <= *lo && lo <= hi && *hi <= 12 => {
                    out.delay[*t as usize] = (*lo as u8, *hi as u8)
                }
                _ => self.err(
                    key,
                    format!("found {v:?}; give [min, max] whole months with 0 ≤ min ≤ max ≤ 12"),
                ),
            }
        }
        if let Some(x) = b.unaware_income_share {
            out.unaware_income_share = self.probability("behaviour.unaware_income_share", x);
        }
        if let Some(n) = &b.non_take_up {
            out.non_take_up = Some(self.non_take_up(n));
        }
        if let Some(sel) = &b.selection {
            out.selection = self.selection(sel);
        }
        out
    }

    pub(in crate::scenario) fn agency(&mut self, a: RawAgency) -> Agency {
        let extra = a.income_indexation_extra.unwrap_or(0.0);
        if !(0.0..=0.5).contains(&extra) {
            self.err(
                "agency.income_indexation_extra",
                format!("found {extra}; a fraction between 0 and 0.5, e.g. 0.03 for +3%"),
            );
        }
        Agency {
            income_indexation_extra: extra.clamp(0.0, 0.5),
        }
    }

    pub(in crate::scenario) fn month(&mut self, key: &str, m: i64) -> u8 {
        if (1..=12).contains(&m) {
            m as u8
        } else {
            self.err(key, format!("found {m}; a month is 1 to 12"));
            1
        }
    }

    /// A relative gap threshold, 0 to 10.
    fn relative_gap(&mut self, key: &str, x: f64) -> f64 {
        if (0.0..=10.0).contains(&x) {
            x
        } else {
            self.err(
                key,
                format!("found {x}; a relative gap between 0 and 10, e.g. 0.25"),
            );
            0.0
        }
    }

    pub(in crate::scenario) fn interventions(&mut self, r: RawInterventions) -> InterventionParams {
        let mut p = InterventionParams::default();
        if let Some(x) = r.provider_quality_share {
            p.provider_quality_share = self.probability("interventions.provider_quality_share", x);
        }
        if let Some(a) = &r.attention_letter {
            let k = "interventions.attention_letter";
            if let Some(m) = a.month {
                p.letter_month = self.month(&format!("{k}.month"), m);
            }
            if let Some(x) = a.response_share {
                p.letter_response_share = self.probability(&format!("{k}.response_share"), x);
            }
            if let Some(x) = a.gap_threshold {
                p.letter_gap_threshold = self.relative_gap(&format!("{k}.gap_threshold"), x);
            }
        }
        if let Some(n) = &r.year_start_notice {
            if let Some(x) = n.report_multiplier {
                if (1.0..=100.0).contains(&x) {
                    p.notice_multiplier = x;
                } else {
                    self.err(
                        "interventions.year_start_notice.report_multiplier",
                        format!("found {x}; a multiplier from 1 to 100, e.g. 3"),
                    );
                }
            }
        }
        if let Some(m) = &r.mutation {
            let k = "interventions.mutation";
            if let Some(months) = &m.months {
                let mut v: Vec<u8> = months
                    .iter()
                    .enumerate()
                    .map(|(i, x)| self.month(&format!("{k}.months[{i}]"), *x))
                    .collect();
                v.sort_unstable();
                v.dedup();
                if v.is_empty() {
                    self.err(
                        format!("{k}.months"),
                        "give at least one month, e.g. [3, 6, 9]",
                    );
                }
                p.mutation_months = v;
            }
            if let Some(x) = m.max_letters {
                if (1..=4).contains(&x) {
                    p.mutation_max_letters = x as u8;
                } else {
                    self.err(
                        format!("{k}.max_letters"),
                        format!("found {x}; allowed 1 to 4 (the agency sends at most 3 at a time)"),
                    );
                }
            }
            if let Some(x) = m.objection_share {
                p.mutation_objection_share = self.probability(&format!("{k}.objection_share"), x);
            }
            if let Some(x) = m.self_report_share {
                p.mutation_self_report_share =
                    self.probability(&format!("{k}.self_report_share"), x);
            }
            if let Some(x) = m.exclusion_months {
                if (0..=12).contains(&x) {
                    p.mutation_exclusion_months = x as u8;
                } else {
                    self.err(
                        format!("{k}.exclusion_months"),
                        format!("found {x}; whole months from 0 (no exclusion) to 12, e.g. 1"),
                    );
                }
            }
            if let Some(x) = m.confirm_deliveries {
                if (1..=12).contains(&x) {
                    p.mutation_confirm_deliveries = x as u8;
                } else {
                    self.err(
                        format!("{k}.confirm_deliveries"),
                        format!("found {x}; monthly deliveries from 1 to 12, e.g. 2"),
                    );
                }
            }
            if let Some(x) = m.gap_threshold {
                p.mutation_gap_threshold = self.relative_gap(&format!("{k}.gap_threshold"), x);
            }
            if let Some(src) = &m.sources {
                p.mutation_childcare = false;
                p.mutation_income = false;
                for (i, s) in src.iter().enumerate() {
                    match s.as_str() {
                        "childcare" => p.mutation_childcare = true,
                        "income" => p.mutation_income = true,
                        other => self.err(
                            format!("{k}.sources[{i}]"),
                            format!("unknown data source `{other}`; allowed: childcare, income"),
                        ),
                    }
                }
            }
        }
        if let Some(g) = &r.personal_guidance {
            let k = "interventions.personal_guidance";
            if let Some(x) = g.share {
                p.guidance_share = self.probability(&format!("{k}.share"), x);
            }
            if let Some(x) = g.gap_threshold {
                p.guidance_gap_threshold = self.relative_gap(&format!("{k}.gap_threshold"), x);
            }
            if let Some(m) = g.month {
                p.guidance_month = self.month(&format!("{k}.month"), m);
            }
        }
        p
    }

    pub(in crate::scenario) fn lab(&mut self, l: RawLab, arms: &[Arm]) -> Lab {
        for (key, name, want) in [
            ("lab.cautious_arm", &l.cautious_arm, "cautious"),
            ("lab.adjustable_arm", &l.adjustable_arm, "adjustable"),
        ] {
            if let Some(n) = name {
                match arms.iter().find(|a| &a.name == n) {
                    Some(a) if a.policy.name() == want => {}
                    Some(_) => self.err(key, format!("arm `{n}` does not use the {want} policy")),
                    None => self.err(key, format!("no arm named `{n}`")),
                }
            }
        }
        if l.cautious_arm.is_none() && l.adjustable_arm.is_none() {
            self.err(
                "lab",
                "name the arm(s) that replicate the lab: `cautious_arm` and/or `adjustable_arm`",
            );
        }
        Lab {
            cautious_arm: l.cautious_arm,
            adjustable_arm: l.adjustable_arm,
        }
    }
}
