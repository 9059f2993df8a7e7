//! Validation of the `[[arms]]`: policies, fractions against the legal floor, choice bands, take-up, assignment shares, interventions per arm.
//!
//! Part of the scenario loader's `Validator` (one `impl` block per section); every problem
//! becomes a located diagnostic, all problems of a file in one pass.

use super::super::*;

impl Validator {
    /// One `[[arms]]` entry (`arms[i]`); `names` collects the names seen so far.
    fn arm(
        &mut self,
        i: usize,
        a: &RawArm,
        design: Design,
        names: &mut std::collections::BTreeSet<String>,
    ) -> Arm {
        let k = format!("arms[{i}]");
        let arm_name = a.name.trim().to_string();
        if arm_name.is_empty()
            || !arm_name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            self.err(
                format!("{k}.name"),
                format!(
                    "found `{}`; an arm name uses letters, digits, `_` and `-` only",
                    a.name
                ),
            );
        }
        if !names.insert(arm_name.clone()) {
            self.err(
                format!("{k}.name"),
                format!("arm name `{arm_name}` is used twice; names must be unique"),
            );
        }
        let takeup = match a.takeup {
            Some(t) => self.probability(&format!("{k}.takeup"), t),
            None => 1.0,
        };
        let share = match a.share {
            Some(s) if s > 0.0 && s.is_finite() => s,
            Some(s) => {
                self.err(
                    format!("{k}.share"),
                    format!("found {s}; an assignment share must be above 0"),
                );
                1.0
            }
            None => 1.0,
        };
        if a.share.is_some() && design == Design::Paired {
            self.err(format!("{k}.share"), "`share` applies to the randomized design only; in the paired design every household is in every arm");
        }
        let allow_low = a.allow_below_legal_floor.unwrap_or(false);
        let policy = match a.advance.policy.as_str() {
            "standard" => {
                if a.advance.fraction.is_some() {
                    self.err(
                        format!("{k}.advance.fraction"),
                        "the standard policy pays 100%; use `policy = \"cautious\"` for a fraction",
                    );
                }
                if a.choice.is_some() {
                    self.err(
                        format!("{k}.choice"),
                        "`choice` belongs to the adjustable policy",
                    );
                }
                AdvancePolicy::Standard
            }
            "cautious" => {
                let f = a.advance.fraction.unwrap_or(0.80);
                let fraction = self.fraction(&format!("{k}.advance.fraction"), f, allow_low);
                if a.choice.is_some() {
                    self.err(
                        format!("{k}.choice"),
                        "`choice` belongs to the adjustable policy",
                    );
                }
                AdvancePolicy::Cautious { fraction }
            }
            "adjustable" => {
                if a.advance.fraction.is_some() {
                    self.err(format!("{k}.advance.fraction"), "the adjustable policy has no single fraction; describe the chosen percentages with `choice`");
                }
                let choice = match &a.choice {
                    None => default_choice(),
                    Some(bands) => self.bands(&k, bands, allow_low),
                };
                AdvancePolicy::Adjustable { choice }
            }
            other => {
                let cands: Vec<String> = ["standard", "cautious", "adjustable"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                let hint = did_you_mean(other, &cands)
                    .map(|b| format!("; did you mean `{b}`?"))
                    .unwrap_or_default();
                self.err(
                    format!("{k}.advance.policy"),
                    format!(
                        "unknown policy `{other}`; allowed: standard, cautious, adjustable{hint}"
                    ),
                );
                AdvancePolicy::Standard
            }
        };
        let mut interventions = Vec::new();
        for (j, n) in a.interventions.iter().flatten().enumerate() {
            let key = format!("{k}.interventions[{j}]");
            match InterventionKind::ALL.iter().find(|x| x.name() == n) {
                Some(x) if interventions.contains(x) => {
                    self.err(key, format!("`{n}` is listed twice"))
                }
                Some(x) => interventions.push(*x),
                None => {
                    let cands: Vec<String> = InterventionKind::ALL
                        .iter()
                        .map(|x| x.name().to_string())
                        .collect();
                    let hint = did_you_mean(n, &cands)
                        .map(|b| format!("; did you mean `{b}`?"))
                        .unwrap_or_default();
                    self.err(
                        key,
                        format!(
                            "unknown intervention `{n}`; allowed: {}{hint}",
                            cands.join(", ")
                        ),
                    );
                }
            }
        }
        let takeup_volatile = a
            .takeup_volatile
            .map(|t| self.probability(&format!("{k}.takeup_volatile"), t));
        let choice_volatile = match (&a.choice_volatile, policy.has_choice_bands()) {
            (None, _) => None,
            (Some(b), true) => Some(self.bands_at(&format!("{k}.choice_volatile"), b, allow_low)),
            (Some(_), false) => {
                self.err(
                    format!("{k}.choice_volatile"),
                    "`choice_volatile` belongs to the adjustable policy",
                );
                None
            }
        };
        Arm {
            name: arm_name,
            policy,
            takeup,
            share,
            interventions,
            takeup_volatile,
            choice_volatile,
            allow_below_legal_floor: allow_low,
            non_take_up_factor: a
                .non_take_up_factor
                .map(|x| self.probability(&format!("{k}.non_take_up_factor"), x))
                .unwrap_or(1.0),
        }
    }

    pub(in crate::scenario) fn arms(&mut self, raw: &[RawArm], design: Design) -> Vec<Arm> {
        if raw.is_empty() {
            self.err(
                "arms",
                "no arms; add a control arm (`[[arms]] name = \"control\"` with `advance = { policy = \"standard\" }`) and at least one treatment arm",
            );
            return vec![];
        }
        if raw.len() > MAX_ARMS {
            self.err(
                "arms",
                format!(
                    "{} arms; at most {MAX_ARMS} are allowed (every arm is simulated for every household)",
                    raw.len()
                ),
            );
            return vec![];
        }
        let mut arms = Vec::new();
        let mut names = std::collections::BTreeSet::new();
        for (i, a) in raw.iter().enumerate() {
            let arm = self.arm(i, a, design, &mut names);
            arms.push(arm);
        }
        // An arm that lists interventions (even misspelt ones, already reported) is a treatment.
        let controls: Vec<usize> = arms
            .iter()
            .zip(raw)
            .enumerate()
            .filter(|(_, (a, r))| {
                a.is_control() && r.interventions.as_ref().is_none_or(|v| v.is_empty())
            })
            .map(|(i, _)| i)
            .collect();
        match controls.as_slice() {
            [] => self.err(
                "arms",
                "no control arm: exactly one arm must have `advance = { policy = \"standard\" }` and no interventions",
            ),
            [c] => {
                let c = *c;
                let control = arms.remove(c);
                arms.insert(0, control);
            }
            more => self.err(
                format!("arms[{}]", more[1]),
                format!(
                    "{} arms use the standard policy ({}) without interventions; exactly one control arm is allowed",
                    more.len(),
                    more.iter()
                        .map(|i| arms[*i].name.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        }
        if arms.len() == 1 && self.problems.is_empty() {
            self.err(
                "arms",
                "only a control arm; add a treatment arm (cautious, adjustable, or interventions) to compare with",
            );
        }
        arms
    }

    pub(in crate::scenario) fn fraction(&mut self, key: &str, f: f64, allow_low: bool) -> Rate {
        if !(f > 0.0 && f <= 1.0) {
            self.err(
                key,
                format!("found {f}; a fraction of the advance must be above 0 and at most 1"),
            );
            return Rate::ONE;
        }
        let r = Rate::from_f64(f);
        if r < LEGAL_FLOOR && !allow_low {
            self.err(
                key,
                format!("found {f}; the law leaves room down to 0.70. To model a lower advance anyway, set `allow_below_legal_floor = true` in this arm"),
            );
        }
        r
    }

    pub(in crate::scenario) fn bands(
        &mut self,
        k: &str,
        bands: &[RawBand],
        allow_low: bool,
    ) -> Vec<ChoiceBand> {
        self.bands_at(&format!("{k}.choice"), bands, allow_low)
    }

    /// Validates choice bands at key `ck` (`arms[i].choice` or `arms[i].choice_volatile`).
    pub(in crate::scenario) fn bands_at(
        &mut self,
        ck: &str,
        bands: &[RawBand],
        allow_low: bool,
    ) -> Vec<ChoiceBand> {
        let mut out = Vec::new();
        if bands.is_empty() {
            self.err(
                ck.to_string(),
                "give at least one band, e.g. { range = [0.75, 0.85], weight = 1.0 }",
            );
        }
        if bands.len() > MAX_CHOICE_BANDS {
            self.err(
                ck.to_string(),
                format!(
                    "{} bands; at most {MAX_CHOICE_BANDS} are allowed",
                    bands.len()
                ),
            );
            return out;
        }
        for (j, b) in bands.iter().enumerate() {
            let bk = format!("{ck}[{j}]");
            if b.range.len() != 2 {
                self.err(
                    format!("{bk}.range"),
                    format!(
                        "found {} numbers; a range is [low, high], e.g. [0.75, 0.85]",
                        b.range.len()
                    ),
                );
                continue;
            }
            let (lo, hi) = (b.range[0], b.range[1]);
            if !(lo > 0.0 && hi <= 1.0 && lo < hi) {
                self.err(
                    format!("{bk}.range"),
                    format!("found [{lo}, {hi}]; need 0 < low < high ≤ 1"),
                );
                continue;
            }
            let lo_p = (lo * 100.0).round() as u32;
            let hi_p = (hi * 100.0).round() as u32;
            if lo_p == hi_p
                || (lo * 100.0 - lo_p as f64).abs() > 1e-9
                || (hi * 100.0 - hi_p as f64).abs() > 1e-9
            {
                self.err(
                    format!("{bk}.range"),
                    format!("found [{lo}, {hi}]; bounds are whole percentages, e.g. [0.75, 0.85]"),
                );
                continue;
            }
            if Rate::percent(lo_p as i64) < LEGAL_FLOOR && !allow_low {
                self.err(format!("{bk}.range"), format!("found low {lo}; the law leaves room down to 0.70. Set `allow_below_legal_floor = true` in this arm to go lower"));
            }
            if !(b.weight >= 0.0 && b.weight.is_finite()) {
                self.err(
                    format!("{bk}.weight"),
                    format!("found {}; a weight must be 0 or more", b.weight),
                );
                continue;
            }
            out.push(ChoiceBand {
                lo: lo_p,
                hi: hi_p,
                weight: b.weight,
            });
        }
        if !out.is_empty() && out.iter().map(|b| b.weight).sum::<f64>() <= 0.0 {
            self.err(
                ck.to_string(),
                "the weights add up to 0; give at least one band a positive weight",
            );
        }
        out
    }
}
