//! Validation of the `[experiment]` table and the whole scenario: the entry point that validates every section and builds the resolved `Scenario`; which benefits the year can compute.
//!
//! Part of the scenario loader's `Validator` (one `impl` block per section); every problem
//! becomes a located diagnostic, all problems of a file in one pass.

use super::super::*;

impl Validator {
    pub(in crate::scenario) fn scenario(
        &mut self,
        raw: RawScenario,
        path: &Path,
        sha256: String,
    ) -> Option<Scenario> {
        let e = &raw.experiment;
        // --- experiment
        let name = e.name.trim().to_string();
        if name.is_empty() || name.len() > 100 {
            self.err(
                "experiment.name",
                "must be 1 to 100 characters; it names the output directory",
            );
        }
        let year = match u16::try_from(e.year) {
            Ok(y) if crate::model::parameters::known_years().contains(&y) => y,
            _ => {
                self.err(
                    "experiment.year",
                    format!(
                        "no parameters for benefit year {}; allowed: {}",
                        e.year,
                        crate::model::parameters::known_years()
                            .iter()
                            .map(|y| y.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                0
            }
        };
        let households = check_households(e.households).unwrap_or_else(|m| {
            self.err("experiment.households", m);
            1
        });
        let design = match e.design.as_deref().unwrap_or("paired") {
            "paired" => Design::Paired,
            "randomized" => Design::Randomized,
            other => {
                self.err(
                    "experiment.design",
                    format!("found `{other}`; allowed: paired, randomized"),
                );
                Design::Paired
            }
        };
        let recalculation = match e.recalculation.as_deref().unwrap_or("spread") {
            "spread" => Recalculation::Spread,
            "lump_sum" => Recalculation::LumpSum,
            other => {
                self.err(
                    "experiment.recalculation",
                    format!("found `{other}`; allowed: spread, lump_sum"),
                );
                Recalculation::Spread
            }
        };
        let high_reclaim_thresholds = self.thresholds(e.high_reclaim_thresholds.clone());

        // --- arms
        let arms = self.arms(&raw.arms, design);

        // --- population
        let explicit_benefits = raw.population.as_ref().and_then(|p| p.benefits.clone());
        let mut pop = self.population(raw.population.unwrap_or_default());
        let shocks = match &raw.shocks {
            Some(s) => self.shocks(s, pop.employment.is_some()),
            None => default_shocks(),
        };
        let behaviour = self.behaviour(raw.behaviour.unwrap_or_default());
        let agency = self.agency(raw.agency.unwrap_or_default());
        let interventions = self.interventions(raw.interventions.unwrap_or_default());
        let lab = raw.lab.map(|l| self.lab(l, &arms));

        // --- parameters and overrides
        let (parameter_set, overrides) = self.parameters(year, &raw.parameters);
        let params = match parameter_set.as_ref().map(|s| s.resolve()) {
            Some(Ok(p)) => Some(p),
            Some(Err(m)) => {
                self.err("parameters", m);
                None
            }
            None => None,
        };
        let replications = match e.replications {
            None => 1,
            Some(r) if (1..=MAX_REPLICATIONS as i64).contains(&r) => r as u32,
            Some(r) => {
                self.err(
                    "experiment.replications",
                    format!("found {r}; allowed 1 to 1000"),
                );
                1
            }
        };
        let backpay_threshold = match e.backpay_threshold {
            None => Money::euros(11),
            Some(t) if (0..=1000).contains(&t) => Money::euros(t),
            Some(t) => {
                self.err(
                    "experiment.backpay_threshold",
                    format!("found {t}; a whole number of euros from 0 to 1000 (default 11, the rounding remainder)"),
                );
                Money::euros(11)
            }
        };
        let primary_metric = e
            .primary_metric
            .clone()
            .unwrap_or_else(|| "reclaim_share".to_string());
        use crate::model::metric::Metric;
        if !Metric::parse(&primary_metric).is_some_and(|m| m.is_comparison()) {
            let cands: Vec<String> = Metric::comparison_metrics().map(|m| m.key()).collect();
            let hint = did_you_mean(&primary_metric, &cands)
                .map(|b| format!("; did you mean `{b}`?"))
                .unwrap_or_default();
            self.err(
                "experiment.primary_metric",
                format!(
                    "unknown comparison metric `{primary_metric}`; allowed: {}{hint}",
                    cands.join(", ")
                ),
            );
        }
        let arm_names: Vec<String> = arms.iter().map(|a| a.name.clone()).collect();
        if raw.expect.len() > MAX_EXPECTATIONS {
            self.err(
                "expect",
                format!(
                    "{} expectations; at most {MAX_EXPECTATIONS} are allowed",
                    raw.expect.len()
                ),
            );
        }
        let expectations =
            expect::validate_expectations(&raw.expect, &arm_names, &mut |k, m| self.err(k, m));
        if let Some(p) = &params {
            self.benefits_available(p, &mut pop, explicit_benefits.as_deref());
        }
        self.income_bound(&pop.income, &shocks);
        let uncertainty = raw.uncertainty.as_ref().map(|u| self.uncertainty(u));
        let horizon = match (&raw.horizon, &parameter_set, &params) {
            (Some(h), Some(set), Some(p)) => self.horizon(
                h,
                year,
                set,
                p,
                &raw.parameters,
                &pop,
                explicit_benefits.as_deref(),
            ),
            _ => None,
        };
        if !self.problems.is_empty() {
            return None;
        }
        Some(Scenario {
            replications,
            compare_public: e.compare_public.unwrap_or(false),
            backpay_threshold,
            primary_metric,
            expectations,
            path: path.to_path_buf(),
            sha256,
            name,
            description: e.description.clone(),
            year,
            households,
            seed: e.seed.unwrap_or(1),
            design,
            high_reclaim_thresholds,
            recalculation,
            arms,
            population: pop,
            shocks,
            behaviour,
            agency,
            interventions,
            lab,
            parameter_set: parameter_set?,
            params: params?,
            overrides,
            sweep_table: raw.sweep.clone(),
            uncertainty,
            text: std::sync::Arc::from(""),
            selection_reference: None,
            horizon,
        })
    }

    /// `experiment.high_reclaim_thresholds`: whole euros, sorted, without duplicates.
    fn thresholds(&mut self, raw: Option<Vec<i64>>) -> Vec<Money> {
        let thresholds_raw = raw.unwrap_or_else(|| vec![500, 1000, 5000]);
        let mut high_reclaim_thresholds = Vec::new();
        if thresholds_raw.len() > MAX_THRESHOLDS {
            self.err(
                "experiment.high_reclaim_thresholds",
                format!(
                    "{} thresholds; at most {MAX_THRESHOLDS} are allowed",
                    thresholds_raw.len()
                ),
            );
        }
        for (i, t) in thresholds_raw.iter().enumerate().take(MAX_THRESHOLDS) {
            if *t <= 0 || *t > 1_000_000 {
                self.err(
                    format!("experiment.high_reclaim_thresholds[{i}]"),
                    format!(
                        "found {t}; a threshold is a whole number of euros from 1 to 1,000,000"
                    ),
                );
            } else {
                high_reclaim_thresholds.push(Money::euros(*t));
            }
        }
        if thresholds_raw.is_empty() {
            self.err(
                "experiment.high_reclaim_thresholds",
                "give at least one threshold, e.g. [500, 1000, 5000]",
            );
        }
        high_reclaim_thresholds.sort();
        high_reclaim_thresholds.dedup();

        high_reclaim_thresholds
    }

    /// The year's parameter set with the scenario's `[parameters]` overrides applied.
    fn parameters(
        &mut self,
        year: u16,
        raw: &BTreeMap<String, BTreeMap<String, toml::Value>>,
    ) -> (
        Option<ParameterSet>,
        Vec<crate::model::parameters::Override>,
    ) {
        let mut overrides = Vec::new();
        let mut parameter_set = None;
        if year != 0 {
            match ParameterSet::for_year(year) {
                Ok(mut set) => {
                    for (group, keys) in raw {
                        for (k, v) in keys {
                            let key = format!("parameters.{group}.{k}");
                            let Some(d) = decimal_from_toml(v) else {
                                self.err(
                                    key,
                                    format!("found {v}; a parameter value must be a number of at most 28 digits, e.g. 0.1373 or 2119"),
                                );
                                continue;
                            };
                            match set.apply_override(group, k, d) {
                                Ok(o) => overrides.push(o),
                                Err(m) => {
                                    let cands = set.all_keys();
                                    let hint = did_you_mean(&format!("{group}.{k}"), &cands)
                                        .filter(|_| m.starts_with("unknown"))
                                        .map(|b| format!("; did you mean `{b}`?"))
                                        .unwrap_or_default();
                                    self.err(key, format!("{m}{hint}"));
                                }
                            }
                        }
                    }
                    parameter_set = Some(set);
                }
                Err(m) => self.err("experiment.year", m),
            }
        }
        (parameter_set, overrides)
    }

    /// A benefit listed in `population.benefits` must be computable for the year (else an error
    /// quoting the parameter file's reason); without a list, the default is every benefit the
    /// year can compute (the report's benefits line says which).
    pub(in crate::scenario) fn benefits_available(
        &mut self,
        p: &Params,
        pop: &mut Population,
        explicit: Option<&[String]>,
    ) {
        for b in Benefit::ALL {
            if !pop.benefits[b.index()] {
                continue;
            }
            if let Err(reason) = b.available(p) {
                match explicit {
                    Some(list) => {
                        let i = list.iter().position(|x| x == b.name()).unwrap_or(0);
                        self.err(format!("population.benefits[{i}]"), reason.to_string());
                    }
                    None => pop.benefits[b.index()] = false,
                }
            }
        }
    }
}
