//! Validation of the `[[shocks]]`: kinds, probabilities, months, sizes.
//!
//! Part of the scenario loader's `Validator` (one `impl` block per section); every problem
//! becomes a located diagnostic, all problems of a file in one pass.

use super::super::*;

impl Validator {
    /// `has_employment`: the population has an employment model (then a self_employed_income
    /// shock applies to the self-employed only unless `employment` says otherwise).
    pub(in crate::scenario) fn shocks(
        &mut self,
        raw: &[RawShock],
        has_employment: bool,
    ) -> Vec<Shock> {
        let mut out = Vec::new();
        if raw.len() > crate::model::household::MAX_SHOCKS {
            self.err(
                "shocks",
                format!(
                    "{} shocks; at most {} are allowed",
                    raw.len(),
                    crate::model::household::MAX_SHOCKS
                ),
            );
        }
        for (i, s) in raw.iter().enumerate() {
            let k = format!("shocks[{i}]");
            let probability = self.probability(&format!("{k}.probability"), s.probability);
            let month = self.shock_month(&k, &s.month);
            let kind = self.shock_kind(&k, s);
            let mut employment = [true; 3];
            if has_employment
                && s.employment.is_none()
                && matches!(kind, ShockKind::SelfEmployedIncome { .. })
            {
                employment = [false, false, true];
            }
            if let Some(list) = &s.employment {
                employment = [false; 3];
                for (j, n) in list.iter().enumerate() {
                    match EMPLOYMENT_TYPES.iter().position(|t| t == n) {
                        Some(i) => employment[i] = true,
                        None => self.err(
                            format!("{k}.employment[{j}]"),
                            format!(
                                "unknown employment type `{n}`; allowed: {}",
                                EMPLOYMENT_TYPES.join(", ")
                            ),
                        ),
                    }
                }
            }
            if matches!(
                kind,
                ShockKind::PartnerMovesIn { .. }
                    | ShockKind::PartnerMovesOut
                    | ShockKind::ChildBorn
                    | ShockKind::AssetsAboveEstimate { .. }
                    | ShockKind::CoResidentIncome { .. }
                    | ShockKind::PartnerFoundAfterwards { .. }
                    | ShockKind::ChildcareStops
            ) && s.factor.is_some()
            {
                self.err(
                    format!("{k}.factor"),
                    "`factor` belongs to income, job, raise, bonus, childcare-hours, rent, partner-income and self-employed-income shocks",
                );
            }
            if !matches!(
                kind,
                ShockKind::PartnerMovesIn { .. }
                    | ShockKind::PartnerFoundAfterwards { .. }
                    | ShockKind::CoResidentIncome { .. }
            ) && s.income.is_some()
            {
                self.err(
                    format!("{k}.income"),
                    "`income` belongs to partner_moves_in, partner_found_afterwards and co_resident_income shocks",
                );
            }
            if !matches!(kind, ShockKind::AssetsAboveEstimate { .. }) && s.amount.is_some() {
                self.err(
                    format!("{k}.amount"),
                    "`amount` belongs to assets_above_estimate shocks",
                );
            }
            out.push(Shock {
                kind,
                probability,
                month,
                employment,
            });
        }
        out
    }

    /// `shocks[i].month`: "uniform", a month 1–12, or 12 weights.
    fn shock_month(&mut self, k: &str, month: &Option<toml::Value>) -> MonthSpec {
        match month {
            None => MonthSpec::Uniform,
            Some(toml::Value::String(x)) if x == "uniform" => MonthSpec::Uniform,
            Some(toml::Value::Integer(m)) if (1..=12).contains(m) => MonthSpec::Fixed(*m as u8),
            Some(toml::Value::Array(a)) if a.len() == 12 => {
                let mut w = [0.0; 12];
                let mut ok = true;
                for (j, x) in a.iter().enumerate() {
                    match x.as_float().or_else(|| x.as_integer().map(|i| i as f64)) {
                        Some(v) if v >= 0.0 => w[j] = v,
                        _ => ok = false,
                    }
                }
                if !ok || w.iter().sum::<f64>() <= 0.0 {
                    self.err(
                        format!("{k}.month"),
                        "month weights must be 12 numbers ≥ 0 with a positive sum",
                    );
                }
                MonthSpec::Weights(w)
            }
            Some(other) => {
                self.err(
                    format!("{k}.month"),
                    format!("found {other}; allowed: \"uniform\", a month 1–12, or 12 weights"),
                );
                MonthSpec::Uniform
            }
        }
    }

    /// `shocks[i].kind` with its `factor` or `income` (defaults are assumptions).
    fn shock_kind(&mut self, k: &str, s: &RawShock) -> ShockKind {
        let factor = |v: &mut Self, dflt: Dist| match &s.factor {
            Some(d) => v.dist(&format!("{k}.factor"), d, true),
            None => dflt,
        };
        let income = |v: &mut Self, dflt: Dist| match &s.income {
            Some(d) => v.dist(&format!("{k}.income"), d, true),
            None => dflt,
        };
        match s.kind.as_str() {
            "income_change" => {
                let factor = match &s.factor {
                    Some(d) => self.dist(&format!("{k}.factor"), d, true),
                    None => {
                        self.err(k, "an income_change needs `factor`, e.g. { distribution = \"lognormal\", median = 1.05, sigma = 0.25 }");
                        Dist::Fixed(1.0)
                    }
                };
                ShockKind::IncomeChange { factor }
            }
            "partner_moves_in" => ShockKind::PartnerMovesIn {
                income: match &s.income {
                    Some(d) => self.dist(&format!("{k}.income"), d, true),
                    None => Dist::LogNormal {
                        median: 18_000.0,
                        sigma: 0.8,
                    },
                },
            },
            "partner_moves_out" => ShockKind::PartnerMovesOut,
            "child_born" => ShockKind::ChildBorn,
            // Defaults (assumptions): unemployment benefit 70% of the last wage; a new or
            // extra job +40%; a raise ≈ the 2026 collective wage rise; a 13th month.
            "job_loss" => ShockKind::JobLoss {
                factor: factor(self, Dist::Fixed(0.70)),
            },
            "job_gain" => ShockKind::JobGain {
                factor: factor(
                    self,
                    Dist::LogNormal {
                        median: 1.4,
                        sigma: 0.3,
                    },
                ),
            },
            "raise" => ShockKind::Raise {
                factor: factor(
                    self,
                    Dist::LogNormal {
                        median: 1.04,
                        sigma: 0.02,
                    },
                ),
            },
            "bonus" => ShockKind::Bonus {
                months: factor(self, Dist::Fixed(1.0)),
            },
            "childcare_hours_change" => ShockKind::ChildcareHoursChange {
                factor: factor(
                    self,
                    Dist::LogNormal {
                        median: 1.0,
                        sigma: 0.3,
                    },
                ),
            },
            "rent_change" => ShockKind::RentChange {
                factor: factor(
                    self,
                    Dist::Normal {
                        mean: 1.04,
                        sd: 0.02,
                    },
                ),
            },
            // The error-distribution kinds (issue 18; defaults are assumptions, see
            // docs/behaviour.md "Heavy-tailed errors").
            "assets_above_estimate" => ShockKind::AssetsAboveEstimate {
                amount: match &s.amount {
                    Some(d) => self.dist(&format!("{k}.amount"), d, true),
                    None => Dist::LogNormal {
                        median: 25_000.0,
                        sigma: 1.0,
                    },
                },
            },
            "partner_income_change" => ShockKind::PartnerIncomeChange {
                factor: factor(
                    self,
                    Dist::LogNormal {
                        median: 1.0,
                        sigma: 0.3,
                    },
                ),
            },
            "co_resident_income" => ShockKind::CoResidentIncome {
                income: income(
                    self,
                    Dist::LogNormal {
                        median: 15_000.0,
                        sigma: 0.6,
                    },
                ),
            },
            "partner_found_afterwards" => ShockKind::PartnerFoundAfterwards {
                income: income(
                    self,
                    Dist::LogNormal {
                        median: 25_000.0,
                        sigma: 0.6,
                    },
                ),
            },
            "self_employed_income" => ShockKind::SelfEmployedIncome {
                factor: factor(
                    self,
                    Dist::LogNormal {
                        median: 1.0,
                        sigma: 0.35,
                    },
                ),
            },
            "childcare_stops" => ShockKind::ChildcareStops,
            other => {
                let cands: Vec<String> = SHOCK_KINDS.iter().map(|s| s.to_string()).collect();
                let hint = did_you_mean(other, &cands)
                    .map(|b| format!("; did you mean `{b}`?"))
                    .unwrap_or_default();
                self.err(
                    format!("{k}.kind"),
                    format!(
                        "unknown shock kind `{other}`; allowed: {}{hint}",
                        SHOCK_KINDS.join(", ")
                    ),
                );
                ShockKind::ChildBorn
            }
        }
    }
}
