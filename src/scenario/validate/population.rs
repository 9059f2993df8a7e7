//! Validation of the `[population]` table: household mix, incomes, estimates, housing, childcare, children, assets, employment, and the bound on incomes after shocks.
//!
//! Part of the scenario loader's `Validator` (one `impl` block per section); every problem
//! becomes a located diagnostic, all problems of a file in one pass.

use super::super::*;

impl Validator {
    /// `population.benefits`: which benefits the households may get (default: all).
    fn population_benefits(&mut self, p: &RawPopulation) -> [bool; N_BENEFITS] {
        let mut benefits = [false; N_BENEFITS];
        match &p.benefits {
            None => benefits = [true; N_BENEFITS],
            Some(list) => {
                if list.is_empty() {
                    self.err(
                        "population.benefits",
                        format!(
                            "no benefits; allowed: {}",
                            Benefit::ALL.map(|b| b.name()).join(", ")
                        ),
                    );
                }
                for (i, b) in list.iter().enumerate() {
                    match Benefit::parse(b) {
                        Ok(b) => benefits[b.index()] = true,
                        Err(m) => self.err(format!("population.benefits[{i}]"), m),
                    }
                }
            }
        }
        benefits
    }

    /// `population.household_types`: the shares of the household types (they add up to 1).
    fn household_type_shares(&mut self, p: &RawPopulation) -> [f64; N_TYPES] {
        let mut household_types = [0.45, 0.20, 0.15, 0.20];
        if let Some(t) = &p.household_types {
            household_types = [0.0; N_TYPES];
            for (k, v) in t {
                match HOUSEHOLD_TYPES.iter().position(|h| h == k) {
                    Some(i) => {
                        household_types[i] =
                            self.probability(&format!("population.household_types.{k}"), *v)
                    }
                    None => {
                        let cands: Vec<String> =
                            HOUSEHOLD_TYPES.iter().map(|s| s.to_string()).collect();
                        let hint = did_you_mean(k, &cands)
                            .map(|b| format!("; did you mean `{b}`?"))
                            .unwrap_or_default();
                        self.err(
                            format!("population.household_types.{k}"),
                            format!(
                                "unknown household type `{k}`; allowed: {}{hint}",
                                HOUSEHOLD_TYPES.join(", ")
                            ),
                        );
                    }
                }
            }
            let sum: f64 = household_types.iter().sum();
            if (sum - 1.0).abs() > 1e-6 {
                self.err(
                    "population.household_types",
                    format!("shares add up to {sum}; they must add up to 1"),
                );
            }
        }
        household_types
    }

    /// `population.children`: weights of 1, 2, … children and the oldest child's age.
    fn children_counts(&mut self, p: &RawPopulation) -> (Vec<f64>, u8) {
        match &p.children {
            None => (vec![0.40, 0.40, 0.15, 0.05], 17),
            Some(c) => {
                if c.counts.is_empty() || c.counts.len() > crate::rules::MAX_CHILDREN {
                    self.err(
                        "population.children.counts",
                        format!(
                            "give weights for 1, 2, … children, at most {} entries",
                            crate::rules::MAX_CHILDREN
                        ),
                    );
                }
                for (i, w) in c.counts.iter().enumerate() {
                    if !(*w >= 0.0 && w.is_finite()) {
                        self.err(
                            format!("population.children.counts[{i}]"),
                            format!("found {w}; a weight must be 0 or more"),
                        );
                    }
                }
                if c.counts.iter().sum::<f64>() <= 0.0 {
                    self.err("population.children.counts", "the weights add up to 0");
                }
                let max_age = c.max_age.unwrap_or(17);
                if !(0..=25).contains(&max_age) {
                    self.err(
                        "population.children.max_age",
                        format!("found {max_age}; allowed 0 to 25"),
                    );
                }
                (c.counts.clone(), max_age.clamp(0, 25) as u8)
            }
        }
    }

    pub(in crate::scenario) fn population(&mut self, p: RawPopulation) -> Population {
        let benefits = self.population_benefits(&p);
        let household_types = self.household_type_shares(&p);
        let income = match &p.income {
            Some(d) => self.dist("population.income", d, true),
            None => Dist::LogNormal {
                median: 28_000.0,
                sigma: 0.45,
            },
        };
        let partner_income = match &p.partner_income {
            Some(d) => self.dist("population.partner_income", d, true),
            None => Dist::LogNormal {
                median: 18_000.0,
                sigma: 0.8,
            },
        };
        let (children_counts, child_max_age) = self.children_counts(&p);
        let (assets_share, assets) = match &p.assets {
            None => (
                0.25,
                Dist::LogNormal {
                    median: 15_000.0,
                    sigma: 1.2,
                },
            ),
            Some(a) => (
                self.probability("population.assets.share_with_assets", a.share_with_assets),
                self.dist("population.assets.amount", &a.amount, true),
            ),
        };
        let estimate_error = match &p.estimate_error {
            None => Dist::LogNormal {
                median: 1.0,
                sigma: 0.10,
            },
            Some(d) => self.dist("population.estimate_error", d, true),
        };
        let (renters_share, rent) = match &p.rent {
            None => (0.5, default_rent()),
            Some(r) => (
                self.probability("population.rent.share_renting", r.share_renting),
                match &r.amount {
                    Some(d) => self.dist("population.rent.amount", d, true),
                    None => default_rent(),
                },
            ),
        };
        let (co_resident_share, co_resident_under_23_share, co_resident_income) =
            match &p.co_residents {
                None => (0.05, 0.5, default_co_resident_income()),
                Some(c) => (
                    self.probability("population.co_residents.share", c.share),
                    match c.share_under_23 {
                        Some(x) => self.probability("population.co_residents.share_under_23", x),
                        None => 0.5,
                    },
                    match &c.income {
                        Some(d) => self.dist("population.co_residents.income", d, true),
                        None => default_co_resident_income(),
                    },
                ),
            };
        let cc = p.childcare.as_ref();
        let childcare_share = cc.map_or(0.5, |c| {
            self.probability("population.childcare.share_using", c.share_using)
        });
        let childcare_max_age = match cc.and_then(|c| c.max_age) {
            None => 12,
            Some(a) if (0..=17).contains(&a) => a as u8,
            Some(a) => {
                self.err(
                    "population.childcare.max_age",
                    format!("found {a}; allowed 0 to 17 (BSO ends with primary school, about 12)"),
                );
                12
            }
        };
        let gastouder_share = match cc.and_then(|c| c.gastouder_share) {
            None => 0.10,
            Some(x) => self.probability("population.childcare.gastouder_share", x),
        };
        let childcare_hours = match cc.and_then(|c| c.hours.as_ref()) {
            None => Dist::Uniform {
                min: 40.0,
                max: 160.0,
            },
            Some(d) => self.dist("population.childcare.hours", d, true),
        };
        let childcare_price_factor = match cc.and_then(|c| c.price_factor.as_ref()) {
            None => Dist::Normal {
                mean: 1.0,
                sd: 0.08,
            },
            Some(d) => self.dist("population.childcare.price_factor", d, true),
        };
        let childcare_hours_estimate_error = match cc.and_then(|c| c.hours_estimate_error.as_ref())
        {
            None => Dist::LogNormal {
                median: 1.0,
                sigma: 0.15,
            },
            Some(d) => self.dist("population.childcare.hours_estimate_error", d, true),
        };
        Population {
            benefits,
            household_types,
            income,
            partner_income,
            children_counts,
            child_max_age,
            assets_share,
            assets,
            estimate_error,
            renters_share,
            rent,
            co_resident_share,
            co_resident_under_23_share,
            co_resident_income,
            childcare_share,
            childcare_max_age,
            gastouder_share,
            childcare_hours,
            childcare_price_factor,
            childcare_hours_estimate_error,
            employment: p.employment.as_ref().map(|e| self.employment(e)),
        }
    }

    pub(in crate::scenario) fn employment(
        &mut self,
        raw: &BTreeMap<String, RawEmployment>,
    ) -> Employment {
        // Defaults per type (assumptions): yearly income surprise log-sd and estimate log-sd.
        let mut e = Employment {
            shares: [0.0; 3],
            volatility: [0.05, 0.25, 0.35],
            estimate_sigma: [0.08, 0.20, 0.30],
        };
        for (k, v) in raw {
            let key = format!("population.employment.{k}");
            let Some(i) = EMPLOYMENT_TYPES.iter().position(|t| t == k) else {
                let cands: Vec<String> = EMPLOYMENT_TYPES.iter().map(|s| s.to_string()).collect();
                let hint = did_you_mean(k, &cands)
                    .map(|b| format!("; did you mean `{b}`?"))
                    .unwrap_or_default();
                self.err(
                    key,
                    format!(
                        "unknown employment type `{k}`; allowed: {}{hint}",
                        EMPLOYMENT_TYPES.join(", ")
                    ),
                );
                continue;
            };
            e.shares[i] = self.probability(&format!("{key}.share"), v.share);
            for (name, x, slot) in [
                ("volatility", v.volatility, &mut e.volatility[i]),
                ("estimate_sigma", v.estimate_sigma, &mut e.estimate_sigma[i]),
            ] {
                if let Some(x) = x {
                    if (0.0..=2.0).contains(&x) {
                        *slot = x;
                    } else {
                        self.err(
                            format!("{key}.{name}"),
                            format!("found {x}; a log-sd between 0 and 2, e.g. 0.25"),
                        );
                    }
                }
            }
        }
        let sum: f64 = e.shares.iter().sum();
        if (sum - 1.0).abs() > 1e-6 {
            self.err(
                "population.employment",
                format!("shares add up to {sum}; they must add up to 1"),
            );
        }
        e
    }

    /// The largest income the scenario can produce must stay within [`Money::MAX_INCOME`]: when
    /// the income distribution is bounded (fixed or uniform), its maximum × the product of the
    /// largest factors of the bounded income shocks (each at most 100, as drawn) × (1 + the
    /// largest bonuses) is checked here. Unbounded draws (lognormal, normal) are clamped when
    /// drawn and any product saturates at the cap (see [`crate::model::money`]).
    pub(in crate::scenario) fn income_bound(&mut self, income: &Dist, shocks: &[Shock]) {
        let upper = |d: &Dist| match d {
            Dist::Fixed(x) => Some(*x),
            Dist::Uniform { max, .. } => Some(*max),
            _ => None,
        };
        let Some(base) = upper(income) else { return };
        let mut factor = 1.0f64;
        let mut bonus = 0.0f64;
        for s in shocks {
            match &s.kind {
                ShockKind::IncomeChange { factor: f }
                | ShockKind::JobLoss { factor: f }
                | ShockKind::JobGain { factor: f }
                | ShockKind::Raise { factor: f } => {
                    if let Some(x) = upper(f) {
                        factor *= x.clamp(1.0, 100.0);
                    }
                }
                ShockKind::Bonus { months } => {
                    if let Some(x) = upper(months) {
                        bonus += x.clamp(0.0, 100.0);
                    }
                }
                _ => {}
            }
        }
        let cap = Money::MAX_INCOME.to_f64_euros();
        let worst = base.max(0.0) * factor * (1.0 + bonus / 12.0);
        if worst > cap {
            self.err(
                "shocks",
                format!(
                    "the income after all shocks can reach €{} a year (population.income up to €{} × the largest factors of the income shocks); at most {} (the limit for incomes) is allowed: lower the income or the factors",
                    big_euros(worst),
                    big_euros(base),
                    Money::MAX_INCOME
                ),
            );
        }
    }
}
