//! Validation of `[horizon]`: the number of benefit years, each year's parameters (the file of
//! the year, or the last known year's carried forward as a projection) with the scenario's
//! `[parameters]` overrides applied to every year, the settlement month and the carry-over
//! choices.
//!
//! Part of the scenario loader's `Validator` (one `impl` block per section); every problem
//! becomes a located diagnostic, all problems of a file in one pass.

use super::super::*;
use crate::model::scenario::{Horizon, HorizonYear, NextEstimate, MAX_HORIZON_YEARS};

impl Validator {
    /// `[horizon]` of a scenario whose first year is `first` (its parameters `first_set`,
    /// `first_params`, overrides already applied).
    #[allow(clippy::too_many_arguments)]
    pub(in crate::scenario) fn horizon(
        &mut self,
        raw: &RawHorizon,
        first: u16,
        first_set: &ParameterSet,
        first_params: &Params,
        overrides: &BTreeMap<String, BTreeMap<String, toml::Value>>,
        pop: &Population,
        explicit_benefits: Option<&[String]>,
    ) -> Option<Horizon> {
        let n = raw.years;
        if !(2..=MAX_HORIZON_YEARS as i64).contains(&n) {
            self.err(
                "horizon.years",
                format!(
                    "found {n}; a horizon has 2 to {MAX_HORIZON_YEARS} benefit years (leave out [horizon] for one year)"
                ),
            );
            return None;
        }
        let settlement_month = match raw.settlement_month {
            None => 7,
            Some(m) if (1..=12).contains(&m) => m as u8,
            Some(m) => {
                self.err(
                    "horizon.settlement_month",
                    format!("found {m}; a month from 1 to 12 of the year after the benefit year"),
                );
                7
            }
        };
        let next_estimate = match raw.next_estimate.as_deref().unwrap_or("last_award") {
            "last_award" => NextEstimate::LastAward,
            "household" => NextEstimate::Household,
            other => {
                self.err(
                    "horizon.next_estimate",
                    format!("found `{other}`; allowed: last_award, household"),
                );
                NextEstimate::LastAward
            }
        };
        let shift = raw.reclaim_takeup_shift.unwrap_or(0.0);
        let reclaim_takeup_shift = self.probability("horizon.reclaim_takeup_shift", shift);
        let known = crate::model::parameters::known_years();
        let last_known = known.iter().copied().max().unwrap_or(first);
        let mut years = vec![HorizonYear {
            year: first,
            projected: false,
            parameter_set: first_set.clone(),
            params: first_params.clone(),
        }];
        for t in 1..n as u16 {
            let year = first + t;
            let projected = !known.contains(&year);
            let source = if projected { last_known } else { year };
            let mut set = match ParameterSet::for_year(source) {
                Ok(s) => s,
                Err(m) => {
                    self.err("horizon.years", format!("benefit year {year}: {m}"));
                    continue;
                }
            };
            for (group, keys) in overrides {
                for (k, v) in keys {
                    let Some(d) = decimal_from_toml(v) else {
                        continue; // reported for the first year
                    };
                    if let Err(m) = set.apply_override(group, k, d) {
                        self.err(
                            format!("parameters.{group}.{k}"),
                            format!("in benefit year {year} of the horizon: {m}"),
                        );
                    }
                }
            }
            let params = match set.resolve() {
                Ok(p) => p,
                Err(m) => {
                    self.err("parameters", format!("benefit year {year}: {m}"));
                    continue;
                }
            };
            // Every benefit the first year simulates must be computable in every year.
            for b in Benefit::ALL {
                if !pop.benefits[b.index()] {
                    continue;
                }
                if let Err(reason) = b.available(&params) {
                    let key = match explicit_benefits {
                        Some(list) => format!(
                            "population.benefits[{}]",
                            list.iter().position(|x| x == b.name()).unwrap_or(0)
                        ),
                        None => "horizon.years".to_string(),
                    };
                    self.err(
                        key,
                        format!(
                            "{} cannot be computed for benefit year {year} of the horizon: {reason}",
                            b.name()
                        ),
                    );
                }
            }
            years.push(HorizonYear {
                year,
                projected,
                parameter_set: set,
                params,
            });
        }
        Some(Horizon {
            years,
            settlement_month,
            next_estimate,
            reclaim_takeup_shift,
        })
    }
}
