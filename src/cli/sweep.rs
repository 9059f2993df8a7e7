//! Parameter sweeps: run one scenario over a grid of values of one key and write the trade-off.
//!
//! The grid comes from `--param KEY=FROM:TO:STEP` or from the scenario's `[sweep]` table
//! (`param`, `from`, `to`, `step`), which this module reads itself from the file as a plain
//! TOML table. Grid values are exact decimals `from + i × step` (integer `i`, no float
//! accumulation) printed at the scale of the inputs. Every grid point runs with the same seed,
//! so households and their draws are the same at every point (common random numbers).
//!
//! Writes `sweep.csv` (one row per grid point), `report.md`, `manifest.json` and the trade-off
//! chart `charts/sweep_tradeoff.{csv,svg,png}` atomically into the sweep directory.
//!
//! Must not: know benefit formulas, or change the scenario parser.

use crate::cli::SweepArgs;
use crate::error::{Error, Result};
use crate::model::money::Rate;
use crate::model::parameters::decimal_from_toml;
use crate::output::charts::{self, Table};
use crate::output::report::{self, Summary};
use crate::output::{safe_dir_name, Staging};
use crate::scenario::{self, AdvancePolicy, Scenario, LEGAL_FLOOR};
use crate::sim::engine::RunOptions;
use rust_decimal::Decimal;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Most grid points a sweep accepts (a larger grid is almost surely a typo in STEP).
pub const MAX_POINTS: usize = 1000;

/// What to sweep: a key and an exact decimal range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepSpec {
    /// The key, e.g. `arms.cautious.fraction`.
    pub key: String,
    /// First value.
    pub from: Decimal,
    /// Last value (included when the steps land on it).
    pub to: Decimal,
    /// Step, above 0.
    pub step: Decimal,
}

impl SweepSpec {
    /// The grid `from, from + step, …, ≤ to`, each value at the largest scale of the inputs.
    pub fn grid(&self) -> std::result::Result<Vec<Decimal>, String> {
        if self.step <= Decimal::ZERO {
            return Err(format!("step must be above 0, found {}", self.step));
        }
        if self.from > self.to {
            return Err(format!(
                "from ({}) is above to ({}); give the range low to high",
                self.from, self.to
            ));
        }
        let scale = self
            .from
            .scale()
            .max(self.to.scale())
            .max(self.step.scale());
        let span = (self.to - self.from) / self.step;
        let n = span.floor();
        if n >= Decimal::from(MAX_POINTS as u64) {
            return Err(format!(
                "{} grid points; at most {MAX_POINTS}: use a larger step",
                n + Decimal::ONE
            ));
        }
        let n = u32::try_from(n).map_err(|_| "too many grid points".to_string())?;
        Ok((0..=n)
            .map(|i| {
                let mut v = self.from + Decimal::from(i) * self.step;
                v.rescale(scale);
                v
            })
            .collect())
    }
}

/// Parses `KEY=FROM:TO:STEP` (`arms.cautious.fraction=0.70:1.00:0.05`).
pub fn parse_param_arg(s: &str) -> Result<SweepSpec> {
    let bad = |m: &str| {
        Error::Usage(format!(
            "--param `{s}`: {m}; expected KEY=FROM:TO:STEP, e.g. --param arms.cautious.fraction=0.70:1.00:0.05"
        ))
    };
    let (key, range) = s.split_once('=').ok_or_else(|| bad("no `=`"))?;
    let parts: Vec<&str> = range.split(':').collect();
    if parts.len() != 3 {
        return Err(bad("the range needs three numbers separated by `:`"));
    }
    let num = |name: &str, t: &str| {
        Decimal::from_str(t.trim()).map_err(|_| bad(&format!("{name} `{t}` is not a number")))
    };
    Ok(SweepSpec {
        key: key.trim().to_string(),
        from: num("FROM", parts[0])?,
        to: num("TO", parts[1])?,
        step: num("STEP", parts[2])?,
    })
}

fn file_err(path: &Path, key: &str, message: String) -> Error {
    Error::Input(vec![crate::error::Diagnostic {
        file: path.to_path_buf(),
        line: None,
        col: None,
        key: Some(key.to_string()),
        message,
    }])
}

/// Reads the scenario file as a plain TOML table (for `[sweep]` and per-arm flags).
pub fn read_table(path: &Path) -> Result<toml::Table> {
    let text =
        crate::scenario::read_input_text(path, crate::scenario::MAX_INPUT_BYTES, "scenario files")?;
    toml::from_str(&text).map_err(|e| file_err(path, "", e.message().to_string()))
}

/// The `[sweep]` table of a scenario, if it has one.
pub fn spec_from_table(path: &Path, doc: &toml::Table) -> Result<Option<SweepSpec>> {
    let Some(v) = doc.get("sweep") else {
        return Ok(None);
    };
    let Some(t) = v.as_table() else {
        return Err(file_err(
            path,
            "sweep",
            "must be a table: [sweep] param = \"arms.cautious.fraction\", from = 0.70, to = 1.00, step = 0.05".into(),
        ));
    };
    for k in t.keys() {
        if !["param", "from", "to", "step"].contains(&k.as_str()) {
            return Err(file_err(
                path,
                &format!("sweep.{k}"),
                "unknown key; allowed: param, from, to, step".into(),
            ));
        }
    }
    let key = match t.get("param") {
        Some(toml::Value::String(s)) => s.clone(),
        _ => {
            return Err(file_err(
                path,
                "sweep.param",
                "needs the key to sweep as text, e.g. param = \"arms.cautious.fraction\"".into(),
            ))
        }
    };
    let num = |name: &str| -> Result<Decimal> {
        t.get(name).and_then(decimal_from_toml).ok_or_else(|| {
            file_err(
                path,
                &format!("sweep.{name}"),
                format!("needs a number, e.g. {name} = 0.05"),
            )
        })
    };
    Ok(Some(SweepSpec {
        key,
        from: num("from")?,
        to: num("to")?,
        step: num("step")?,
    }))
}

/// The keys a sweep can vary for this scenario, for messages.
pub fn allowed_keys(sc: &Scenario) -> Vec<String> {
    let mut v = Vec::new();
    for (i, a) in sc.arms.iter().enumerate() {
        if matches!(a.policy, AdvancePolicy::Cautious { .. }) {
            v.push(format!("arms.{}.fraction", a.name));
        }
        if i > 0 {
            v.push(format!("arms.{}.takeup", a.name));
        }
    }
    v.push("experiment.households".into());
    v.push("parameters.<group>.<key> (see `toeslagenlab params`)".into());
    v
}

fn unknown_key(sc: &Scenario, key: &str, why: &str) -> Error {
    let mut msg = format!("cannot sweep `{key}`: {why}; allowed keys: ");
    msg.push_str(&allowed_keys(sc).join(", "));
    let mut cands: Vec<String> = allowed_keys(sc)
        .into_iter()
        .filter(|k| !k.contains('<'))
        .collect();
    cands.extend(
        sc.parameter_set
            .all_keys()
            .into_iter()
            .map(|k| format!("parameters.{k}")),
    );
    if let Some(best) = scenario::did_you_mean(key, &cands).filter(|b| b != key) {
        msg.push_str(&format!("; did you mean `{best}`?"));
    }
    Error::Usage(msg)
}

fn allow_below_floor(doc: &toml::Table, arm: &str) -> bool {
    doc.get("arms")
        .and_then(|a| a.as_array())
        .into_iter()
        .flatten()
        .filter_map(|a| a.as_table())
        .find(|a| a.get("name").and_then(|n| n.as_str()).map(str::trim) == Some(arm))
        .and_then(|a| a.get("allow_below_legal_floor"))
        .and_then(|b| b.as_bool())
        .unwrap_or(false)
}

/// The scenario with `key` set to `value`; errors name the key and the value.
pub fn apply(base: &Scenario, doc: &toml::Table, key: &str, value: Decimal) -> Result<Scenario> {
    let mut sc = base.clone();
    let parts: Vec<&str> = key.split('.').collect();
    let bad = |m: String| Error::Usage(format!("sweep `{key}` = {value}: {m}"));
    match parts.as_slice() {
        ["arms", name, field @ ("fraction" | "takeup")] => {
            let Some(i) = sc.arms.iter().position(|a| a.name == *name) else {
                return Err(unknown_key(
                    base,
                    key,
                    &format!(
                        "no arm `{name}` (arms: {})",
                        base.arms
                            .iter()
                            .map(|a| a.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            };
            if *field == "fraction" {
                let AdvancePolicy::Cautious { fraction } = &mut sc.arms[i].policy else {
                    return Err(unknown_key(
                        base,
                        key,
                        &format!(
                            "arm `{name}` has the {} policy; `fraction` belongs to cautious arms",
                            base.arms[i].policy.name()
                        ),
                    ));
                };
                if value <= Decimal::ZERO || value > Decimal::ONE {
                    return Err(bad(
                        "a fraction of the advance must be above 0 and at most 1".into(),
                    ));
                }
                let r = Rate::from_decimal(value)
                    .ok_or_else(|| bad("a fraction has at most 9 decimals".into()))?;
                if r < LEGAL_FLOOR && !allow_below_floor(doc, name) {
                    return Err(bad(format!(
                        "below the legal floor of 0.70; to model it anyway, set `allow_below_legal_floor = true` in arm `{name}`"
                    )));
                }
                *fraction = r;
            } else {
                if i == 0 {
                    return Err(unknown_key(
                        base,
                        key,
                        "the control arm has no offer to take up",
                    ));
                }
                if value < Decimal::ZERO || value > Decimal::ONE {
                    return Err(bad("a take-up share must be between 0 and 1".into()));
                }
                sc.arms[i].takeup = Rate::from_decimal(value)
                    .ok_or_else(|| bad("a take-up share has at most 9 decimals".into()))?
                    .to_f64();
            }
        }
        ["experiment", "households"] => {
            if value.fract() != Decimal::ZERO {
                return Err(bad("a household count must be whole".into()));
            }
            let n = i64::try_from(value).map_err(|_| bad("too large".into()))?;
            sc.households = scenario::check_households(n).map_err(bad)?;
        }
        ["parameters", group, k] => {
            let o = sc
                .parameter_set
                .apply_override(group, k, value)
                .map_err(|m| unknown_key(base, key, &m))?;
            sc.params = sc.parameter_set.resolve().map_err(bad)?;
            sc.overrides
                .retain(|x| !(x.group == o.group && x.key == o.key));
            sc.overrides.push(o);
        }
        _ => return Err(unknown_key(base, key, "not a sweepable key")),
    }
    Ok(sc)
}

/// One grid point's result.
struct Point {
    value: Decimal,
    households: u64,
    summary: Summary,
}

/// Runs `toeslagenlab sweep` and returns the sweep directory.
pub fn sweep_command(args: &SweepArgs) -> Result<PathBuf> {
    let started = std::time::Instant::now();
    let base = crate::scenario::overrides::load_with_overrides(
        &args.scenario,
        args.seed.seed,
        args.households,
    )?;
    let doc = read_table(&args.scenario)?;
    let spec = match &args.param {
        Some(p) => parse_param_arg(p)?,
        None => spec_from_table(&args.scenario, &doc)?.ok_or_else(|| {
            Error::Usage(format!(
                "{}: nothing to sweep; give --param KEY=FROM:TO:STEP or add a [sweep] table to the scenario (param, from, to, step). Allowed keys: {}",
                args.scenario.display(),
                allowed_keys(&base).join(", ")
            ))
        })?,
    };
    let grid = spec
        .grid()
        .map_err(|m| Error::Usage(format!("sweep `{}`: {m}", spec.key)))?;
    // Check every grid point before simulating any.
    let scenarios: Vec<Scenario> = grid
        .iter()
        .map(|v| apply(&base, &doc, &spec.key, *v))
        .collect::<Result<_>>()?;
    let target = args.out.clone().unwrap_or_else(|| {
        Path::new("output").join(format!("{}-sweep", safe_dir_name(&base.name)))
    });
    crate::output::interrupt::install();
    let staging = Staging::new(&target, &[args.scenario.as_path()])?;
    let bar = (!args.quiet.quiet && std::io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::new(grid.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg} [{bar:40}] {pos}/{len} grid points (eta {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        b.set_message(format!("sweep {}", spec.key));
        b
    });
    let opts = RunOptions {
        threads: args.threads.threads,
        ..RunOptions::default()
    };
    let mut points = Vec::new();
    for (v, sc) in grid.iter().zip(&scenarios) {
        if let Some(b) = &bar {
            b.set_message(format!("sweep {} = {v}", spec.key));
        }
        let result = crate::analysis::run::run(sc, &opts, |_| Ok(()), |_, _| {})?;
        if !args.quiet.quiet {
            crate::cli::term::detail(format!(
                "sweep {} = {v}: {} households simulated at {:.2} s",
                spec.key,
                sc.households,
                started.elapsed().as_secs_f64()
            ));
        }
        points.push(Point {
            value: *v,
            households: sc.households,
            summary: report::summarize(sc, &result),
        });
        if let Some(b) = &bar {
            b.inc(1);
        }
    }
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let arms: Vec<String> = base.arms.iter().map(|a| a.name.clone()).collect();
    staging.write("sweep.csv", &sweep_csv(&spec.key, &base, &arms, &points))?;
    let table = tradeoff_table(&spec.key, &arms, &points);
    let infos = charts::write_all(&[("sweep_tradeoff".to_string(), table)], |n, b| {
        staging.write(n, b)
    })?;
    let md = sweep_markdown(&spec, &base, &arms, &points) + &charts::markdown_section(&infos);
    staging.write("report.md", md.as_bytes())?;
    let manifest = serde_json::json!({
        "program": "toeslagenlab",
        "version": env!("CARGO_PKG_VERSION"),
        "command": "sweep",
        "scenario": base.name,
        "scenario_file": base.path.display().to_string(),
        "scenario_sha256": base.sha256,
        "seed": base.seed,
        "households": base.households,
        "param": spec.key,
        "values": grid.iter().map(|v| v.to_string()).collect::<Vec<_>>(),
        "run_seconds": (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
    });
    let mut m = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    m.push('\n');
    staging.write("manifest.json", m.as_bytes())?;
    let dir = staging.commit()?;
    if !args.quiet.quiet {
        let mut out = std::io::stdout().lock();
        let _ = write!(out, "{}", terminal_table(&spec.key, &arms, &points));
        let _ = writeln!(
            out,
            "wrote {}/ (sweep.csv, report.md, charts/sweep_tradeoff.*) in {:.1} s",
            dir.display(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(dir)
}

/// Treatment-vs-control metrics whose difference CI goes into `sweep.csv`.
const DIFF_METRICS: [&str; 4] = [
    "reclaim_share",
    "high_reclaim_share",
    "withheld_during_year",
    "mean_reclaim_per_household",
];

fn opt(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

fn sweep_csv(key: &str, base: &Scenario, arms: &[String], points: &[Point]) -> Vec<u8> {
    let mut header = vec![
        "param".to_string(),
        "value".into(),
        "households".into(),
        "seed".into(),
    ];
    for (i, a) in arms.iter().enumerate() {
        for m in [
            "reclaim_share",
            "high_reclaim_share",
            "withheld_during_year_eur",
            "mean_reclaim_eur",
        ] {
            header.push(format!("{a}.{m}"));
        }
        if i > 0 {
            for m in DIFF_METRICS {
                for s in ["diff", "ci_low", "ci_high"] {
                    header.push(format!("{a}.{m}.{s}"));
                }
            }
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(&header);
    for p in points {
        let mut row = vec![
            key.to_string(),
            p.value.to_string(),
            p.households.to_string(),
            base.seed.to_string(),
        ];
        for (i, a) in arms.iter().enumerate() {
            let m = &p.summary.arms[a].metrics;
            row.push(m.reclaim_share.to_string());
            row.push(m.high_reclaim_share.to_string());
            row.push(format!("{:.2}", m.withheld_during_year));
            row.push(format!("{:.2}", m.mean_reclaim));
            if i > 0 {
                for metric in DIFF_METRICS {
                    let c = p
                        .summary
                        .comparisons
                        .iter()
                        .find(|c| &c.arm == a && c.metric == metric && c.population == "all");
                    row.push(opt(c.and_then(|c| c.difference)));
                    row.push(opt(c.and_then(|c| c.ci_low)));
                    row.push(opt(c.and_then(|c| c.ci_high)));
                }
            }
        }
        let _ = w.write_record(&row);
    }
    w.into_inner().unwrap_or_default()
}

fn tradeoff_table(key: &str, arms: &[String], points: &[Point]) -> Table {
    let mut t = Table {
        header: [
            "param",
            "value",
            "high_threshold_eur",
            "arm",
            "reclaim_share_pct",
            "high_reclaim_share_pct",
            "withheld_eur",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        rows: Vec::new(),
    };
    for p in points {
        for a in arms {
            let m = &p.summary.arms[a].metrics;
            t.rows.push(vec![
                key.to_string(),
                p.value.to_string(),
                p.summary.high_reclaim_threshold.to_string(),
                a.clone(),
                format!("{:.4}", m.reclaim_share * 100.0),
                format!("{:.4}", m.high_reclaim_share * 100.0),
                format!("{:.2}", m.withheld_during_year),
            ]);
        }
    }
    t
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn sweep_markdown(spec: &SweepSpec, base: &Scenario, arms: &[String], points: &[Point]) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Sweep: `{}` in {}\n", spec.key, base.name);
    let _ = writeln!(
        o,
        "Scenario `{}`, seed {}, {} households per grid point; `{}` from {} to {} in steps of {}. Every grid point simulates the same households with the same random draws (common random numbers), so differences between points come from the swept value only.\n",
        base.path.display(),
        base.seed,
        crate::model::money::group_thousands(base.households),
        spec.key,
        spec.from,
        spec.to,
        spec.step
    );
    let thr = points
        .first()
        .map(|p| p.summary.high_reclaim_threshold)
        .unwrap_or(1000);
    let _ = write!(o, "| {} |", spec.key);
    for a in arms {
        let _ = write!(
            o,
            " {a}: share with a reclaim | {a}: reclaim above {} | {a}: withheld per household |",
            charts::euro_label(thr as f64)
        );
    }
    let _ = writeln!(
        o,
        "\n| ---: |{}",
        " ---: | ---: | ---: |".repeat(arms.len())
    );
    for p in points {
        let _ = write!(o, "| {} |", p.value);
        for a in arms {
            let m = &p.summary.arms[a].metrics;
            let _ = write!(
                o,
                " {} | {} | {} |",
                pct(m.reclaim_share),
                pct(m.high_reclaim_share),
                charts::euro_label(m.withheld_during_year)
            );
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(
        o,
        "\nEvery metric per arm, with 95% confidence intervals of each arm's difference from control, is in `sweep.csv`."
    );
    o
}

fn terminal_table(key: &str, arms: &[String], points: &[Point]) -> String {
    let mut o = String::new();
    let _ = write!(o, "{key:>24}");
    for a in arms {
        let _ = write!(o, "  {:>18}", format!("{a} reclaim"));
    }
    let _ = writeln!(o);
    for p in points {
        let _ = write!(o, "{:>24}", p.value.to_string());
        for a in arms {
            let _ = write!(o, "  {:>18}", pct(p.summary.arms[a].metrics.reclaim_share));
        }
        let _ = writeln!(o);
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_is_exact_decimal() {
        let s = parse_param_arg("arms.cautious.fraction=0.70:1.00:0.05").unwrap();
        let g: Vec<String> = s.grid().unwrap().iter().map(|d| d.to_string()).collect();
        assert_eq!(g, ["0.70", "0.75", "0.80", "0.85", "0.90", "0.95", "1.00"]);
        let s = parse_param_arg("x=0.1:0.3:0.1").unwrap();
        assert_eq!(s.grid().unwrap().len(), 3);
    }

    #[test]
    fn bad_ranges_are_errors() {
        assert!(parse_param_arg("x=1:2").is_err());
        assert!(parse_param_arg("x1:2:3").is_err());
        assert!(parse_param_arg("x=a:2:1").is_err());
        let s = parse_param_arg("x=0:1:0").unwrap();
        assert!(s.grid().is_err());
        let s = parse_param_arg("x=2:1:0.5").unwrap();
        assert!(s.grid().is_err());
        let s = parse_param_arg("x=0:1:0.00001").unwrap();
        assert!(s.grid().is_err());
    }
}
