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

use crate::analysis::run::RunResult;
use crate::cli::SweepArgs;
use crate::error::{Error, Result};
use crate::model::parameters::decimal_from_toml;
use crate::output::charts;
use crate::output::partial;
use crate::output::report;
use crate::output::sweep::{
    heatmap_tables, sweep2_markdown, sweep_csv, sweep_markdown, terminal_matrix, terminal_table,
    tradeoff_table, Point,
};
use crate::output::{safe_dir_name, Staging};
use crate::scenario::Scenario;
use crate::sim::engine::RunOptions;
use rust_decimal::Decimal;
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use crate::model::scenario::{SweepSpec, MAX_SWEEP_POINTS as MAX_POINTS};
pub use crate::scenario::overrides::{allowed_keys, apply};

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

/// The grid of a scenario's `[sweep]` table (as the loader kept it), if it has one; `path`
/// names the file in errors.
pub fn spec_from_table(path: &Path, sweep: Option<&toml::Value>) -> Result<Option<SweepSpec>> {
    let Some(v) = sweep else {
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
        if !["param", "from", "to", "step", "by"].contains(&k.as_str()) {
            return Err(file_err(
                path,
                &format!("sweep.{k}"),
                "unknown key; allowed: param, from, to, step, by".into(),
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

/// The second key of a scenario's `[sweep]` table (`by = { param, from, to, step }`: a
/// two-way grid), if it has one.
pub fn by_from_table(path: &Path, sweep: Option<&toml::Value>) -> Result<Option<SweepSpec>> {
    let Some(by) = sweep.and_then(|v| v.get("by")) else {
        return Ok(None);
    };
    let bad = |m: &str| file_err(path, "sweep.by", m.to_string());
    let Some(t) = by.as_table() else {
        return Err(bad(
            "must be a table: by = { param = \"behaviour.selection.strength\", from = -0.5, to = 0.5, step = 0.25 }",
        ));
    };
    if t.contains_key("by") {
        return Err(bad("a sweep has at most two keys"));
    }
    spec_from_table(path, Some(by)).map_err(|e| match e {
        Error::Input(mut ds) => {
            for d in &mut ds {
                d.key = d.key.take().map(|k| k.replacen("sweep.", "sweep.by.", 1));
            }
            Error::Input(ds)
        }
        e => e,
    })
}

/// A sweep's grid: the scenario, its one or two keys, their values, and every grid point with
/// its scenario (each checked before any is simulated).
pub(crate) struct Grid {
    base: Scenario,
    spec: SweepSpec,
    by: Option<SweepSpec>,
    grid: Vec<Decimal>,
    grid2: Option<Vec<Decimal>>,
    combos: Vec<(Decimal, Option<Decimal>)>,
    scenarios: Vec<Scenario>,
}

impl Grid {
    /// The grid points.
    pub(crate) fn len(&self) -> usize {
        self.combos.len()
    }

    /// The loaded scenario.
    pub(crate) fn base(&self) -> &Scenario {
        &self.base
    }

    /// The loaded scenario, to rename its path.
    pub(crate) fn base_mut(&mut self) -> &mut Scenario {
        &mut self.base
    }
}

/// Loads the scenario of `args` and makes its grid.
pub(crate) fn grid_of(args: &SweepArgs) -> Result<Grid> {
    let base = crate::scenario::overrides::load_with_overrides(
        &args.scenario,
        args.seed.seed,
        args.households,
    )?;
    let spec = match &args.param {
        Some(p) => parse_param_arg(p)?,
        None => spec_from_table(&args.scenario, base.sweep_table.as_ref())?.ok_or_else(|| {
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
    // The command line's keys win; without --param the `[sweep]` table gives both.
    let by = match (&args.by, &args.param) {
        (Some(b), _) => Some(parse_param_arg(b)?),
        (None, None) => by_from_table(&args.scenario, base.sweep_table.as_ref())?,
        (None, Some(_)) => None,
    };
    let grid2 = match &by {
        Some(b) if b.key == spec.key => {
            return Err(Error::Usage(format!(
                "--by `{}` is the key of --param; a two-way sweep needs two different keys",
                b.key
            )))
        }
        Some(b) => Some(
            b.grid()
                .map_err(|m| Error::Usage(format!("sweep `{}`: {m}", b.key)))?,
        ),
        None => None,
    };
    let combos: Vec<(Decimal, Option<Decimal>)> = grid
        .iter()
        .flat_map(|v| match &grid2 {
            Some(g) => g.iter().map(|w| (*v, Some(*w))).collect::<Vec<_>>(),
            None => vec![(*v, None)],
        })
        .collect();
    if combos.len() > MAX_POINTS {
        return Err(Error::Usage(format!(
            "a two-way sweep of {} × {} = {} grid points; at most {MAX_POINTS}: use larger steps",
            grid.len(),
            grid2.as_ref().map_or(1, |g| g.len()),
            combos.len()
        )));
    }
    // Check every grid point before simulating any.
    let scenarios: Vec<Scenario> = combos
        .iter()
        .map(|(v, w)| {
            let mut vals = vec![(spec.key.clone(), *v)];
            if let (Some(b), Some(w)) = (&by, w) {
                vals.push((b.key.clone(), *w));
            }
            crate::scenario::overrides::apply_all(&base, &vals)
        })
        .collect::<Result<_>>()?;
    Ok(Grid {
        base,
        spec,
        by,
        grid,
        grid2,
        combos,
        scenarios,
    })
}

/// Runs `toeslagenlab sweep` and returns the sweep directory.
pub fn sweep_command(args: &SweepArgs) -> Result<PathBuf> {
    let _lang = crate::output::lang::scoped(args.lang.lang);
    let started = std::time::Instant::now();
    let g = grid_of(args)?;
    let shard = args.shard.map(|s| s.from_env()).transpose()?;
    let target = args.out.clone().unwrap_or_else(|| {
        crate::cli::shard::default_out(&format!("{}-sweep", safe_dir_name(&g.base.name)), shard)
    });
    crate::output::interrupt::install();
    let staging = Staging::new(&target, &[args.scenario.as_path()])?;
    let mine = shard.map_or(0..g.len() as u64, |s| {
        crate::sim::runner::shard_ids(g.len() as u64, s.index, s.count)
    });
    let (spec, by) = (&g.spec, &g.by);
    let bar = (!args.quiet.quiet && std::io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::new(mine.end - mine.start);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg} [{bar:40}] {pos}/{len} grid points (eta {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        b.set_message(format!("sweep {}", spec.key));
        if let Some(by) = by {
            b.set_message(format!("sweep {} × {}", spec.key, by.key));
        }
        b
    });
    let opts = RunOptions {
        threads: args.threads.threads,
        ..RunOptions::default()
    };
    let simulate = |i: usize| -> Result<RunResult> {
        let ((v, w), sc) = (&g.combos[i], &g.scenarios[i]);
        let at = match (by, w) {
            (Some(b), Some(w)) => format!("{} = {v}, {} = {w}", spec.key, b.key),
            _ => format!("{} = {v}", spec.key),
        };
        if let Some(b) = &bar {
            b.set_message(format!("sweep {at}"));
        }
        let result = crate::analysis::run::run(sc, &opts, |_| Ok(()), |_, _| {})?;
        if !args.quiet.quiet {
            crate::cli::term::detail(format!(
                "sweep {at}: {} households simulated at {:.2} s",
                sc.households,
                started.elapsed().as_secs_f64()
            ));
        }
        if let Some(b) = &bar {
            b.inc(1);
        }
        Ok(result)
    };
    if let Some(shard) = shard {
        for i in mine.clone() {
            let r = simulate(i as usize)?;
            staging.write(
                &format!("{}/{}", partial::RUNS_DIR, partial::run_file(i)),
                partial::run_json(&r)?.as_bytes(),
            )?;
        }
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        return crate::cli::merge::write_sweep_partial(
            args,
            &g.base,
            g.len() as u64,
            shard,
            staging,
            started,
        );
    }
    let dir = write_sweep(args, &g, staging, started, simulate)?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    Ok(dir)
}

/// Writes a sweep's files into `staging` and commits it, each grid point's tally from
/// `result_of(point index)` (a simulation, or for `merge` a shard's file), in grid order.
pub(crate) fn write_sweep(
    args: &SweepArgs,
    g: &Grid,
    staging: Staging,
    started: std::time::Instant,
    mut result_of: impl FnMut(usize) -> Result<RunResult>,
) -> Result<PathBuf> {
    let (base, spec, by, grid, grid2) = (&g.base, &g.spec, &g.by, &g.grid, &g.grid2);
    let mut points = Vec::new();
    for (i, ((v, w), sc)) in g.combos.iter().zip(&g.scenarios).enumerate() {
        let result = result_of(i)?;
        points.push(Point {
            value: *v,
            value2: *w,
            households: sc.households,
            summary: report::summarize(sc, &result),
        });
    }
    let arms: Vec<String> = base.arms.iter().map(|a| a.name.clone()).collect();
    let key2 = by.as_ref().map(|b| b.key.as_str());
    staging.write(
        "sweep.csv",
        &sweep_csv(&spec.key, key2, base, &arms, &points),
    )?;
    let md = match by {
        None => {
            let table = tradeoff_table(&spec.key, &arms, &points);
            let infos = charts::write_all(&[(charts::ChartKind::SweepTradeoff, table)], |n, b| {
                staging.write(n, b)
            })?;
            sweep_markdown(spec, base, &arms, &points) + &charts::markdown_section(&infos)
        }
        Some(b) => {
            let tables: Vec<(charts::ChartKind, String, charts::Table)> =
                heatmap_tables(&spec.key, &b.key, base, &arms, &points)
                    .into_iter()
                    .map(|(arm, t)| {
                        (
                            charts::ChartKind::SweepHeatmap,
                            format!("sweep_heatmap_{}", safe_dir_name(&arm)),
                            t,
                        )
                    })
                    .collect();
            let infos = charts::write_named(&tables, |n, b| staging.write(n, b))?;
            sweep2_markdown(spec, b, base, &arms, &points) + &charts::markdown_section(&infos)
        }
    };
    staging.write("report.md", md.as_bytes())?;
    crate::cli::run::write_report_html(&staging, &md)?;
    let manifest = serde_json::json!({
        "program": "toeslagenlab",
        "version": env!("CARGO_PKG_VERSION"),
        "command": "sweep",
        "scenario": base.name,
        "scenario_file": base.path.display().to_string(),
        "scenario_sha256": base.sha256,
        "seed": base.seed,
        "households": base.households,
        "lang": args.lang.lang,
        "param": spec.key,
        "values": grid.iter().map(|v| v.to_string()).collect::<Vec<_>>(),
        "run_seconds": (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
    });
    let mut manifest = manifest;
    if let (Some(b), Some(g2)) = (by, grid2) {
        manifest["by"] = serde_json::json!(b.key);
        manifest["by_values"] =
            serde_json::json!(g2.iter().map(|v| v.to_string()).collect::<Vec<_>>());
    }
    let mut m = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    m.push('\n');
    staging.write("manifest.json", m.as_bytes())?;
    let dir = staging.commit()?;
    if !args.quiet.quiet {
        let mut out = std::io::stdout().lock();
        match by {
            None => {
                let _ = write!(out, "{}", terminal_table(&spec.key, &arms, &points));
            }
            Some(b) => {
                let _ = write!(
                    out,
                    "{}",
                    terminal_matrix(&spec.key, &b.key, base, &arms, &points)
                );
            }
        }
        let _ = writeln!(
            out,
            "wrote {}/ (sweep.csv, report.md, report.html, charts/{}) in {:.1} s",
            dir.display(),
            if by.is_some() {
                "sweep_heatmap_*.*"
            } else {
                "sweep_tradeoff.*"
            },
            started.elapsed().as_secs_f64()
        );
    }
    Ok(dir)
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
