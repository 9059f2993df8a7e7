//! `toeslagenlab._native`: the compiled part of the Python package. Thin bindings over the
//! library: a run is the CLI's `run` pipeline in process (the same code, so the same
//! summary.json byte for byte), written into a directory the Python `Run` reads its tables
//! from. Errors become Python exceptions with the same located messages; the GIL is released
//! while a scenario loads and simulates.
//!
//! Must not: compute anything the library does not (no statistics, no formatting of results).

use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use rust_decimal::Decimal;
use std::path::PathBuf;
use std::str::FromStr;
use toeslagenlab::cli::args::{LangArg, QuietArg, RunArgs, SeedArg, ThreadsArg};
use toeslagenlab::error::Error;

pyo3::create_exception!(
    toeslagenlab,
    ToeslagenlabError,
    PyException,
    "Any error of toeslagenlab; `exit_code` is the code the command line would exit with."
);
pyo3::create_exception!(
    toeslagenlab,
    ScenarioError,
    ToeslagenlabError,
    "A problem in a scenario or household file: `file`, `line`, `column` and `key` locate the first one, `problems` lists them all (dicts with the same keys and `message`)."
);
pyo3::create_exception!(
    toeslagenlab,
    UsageError,
    ToeslagenlabError,
    "A bad argument (an override key, a household count, a year)."
);

/// The output language `lang` names (`en`, `nl`), or a `UsageError` (exit code 2).
fn parse_lang(py: Python<'_>, lang: &str) -> PyResult<toeslagenlab::output::lang::Lang> {
    toeslagenlab::cli::args::parse_lang(lang).map_err(|m| to_py(py, Error::Usage(m)))
}

/// The Python exception for a library error, with its attributes.
fn to_py(py: Python<'_>, e: Error) -> PyErr {
    let code = e.exit_code();
    let err = match &e {
        Error::Input(_) => ScenarioError::new_err(e.to_string()),
        Error::Usage(_) => UsageError::new_err(e.to_string()),
        _ => ToeslagenlabError::new_err(e.to_string()),
    };
    let v = err.value(py);
    let _ = v.setattr("exit_code", code);
    if let Error::Input(diags) = &e {
        let problems: Vec<Bound<'_, PyDict>> = diags
            .iter()
            .map(|d| {
                let p = PyDict::new(py);
                let _ = p.set_item("file", d.file.display().to_string());
                let _ = p.set_item("line", d.line);
                let _ = p.set_item("column", d.col);
                let _ = p.set_item("key", d.key.clone());
                let _ = p.set_item("message", d.message.clone());
                p
            })
            .collect();
        let first = diags.first();
        let _ = v.setattr("file", first.map(|d| d.file.display().to_string()));
        let _ = v.setattr("line", first.and_then(|d| d.line));
        let _ = v.setattr("column", first.and_then(|d| d.col));
        let _ = v.setattr("key", first.and_then(|d| d.key.clone()));
        let _ = v.setattr("problems", problems);
    }
    err
}

/// The CLI's progress lines on stderr (`--verbose`) for this call, or none.
fn verbosity(progress: bool) {
    toeslagenlab::cli::term::configure(toeslagenlab::cli::args::ColorMode::Auto, progress);
}

/// Runs the scenario file `scenario` into the directory `out` as `toeslagenlab run` does,
/// with households.parquet (and monthly_ledger.parquet when `monthly`). `overrides` are
/// numeric `(key, value)` pairs set on the loaded scenario, with the keys of `sweep`
/// (`arms.cautious.fraction`, `behaviour.selection.strength`, …); values are decimal text.
/// With `progress`, the CLI's progress lines (and, on a terminal, its progress bar) go to
/// stderr. Returns the run directory.
#[pyfunction]
#[pyo3(signature = (scenario, out, households=None, seed=None, threads=0, overrides=Vec::new(), monthly=false, households_csv=false, progress=false, lang="en"))]
#[allow(clippy::too_many_arguments)]
fn run_to_dir(
    py: Python<'_>,
    scenario: PathBuf,
    out: PathBuf,
    households: Option<i64>,
    seed: Option<u64>,
    threads: usize,
    overrides: Vec<(String, String)>,
    monthly: bool,
    households_csv: bool,
    progress: bool,
    lang: &str,
) -> PyResult<String> {
    let lang = parse_lang(py, lang)?;
    let args = RunArgs {
        scenario: scenario.clone(),
        out: Some(out),
        seed: SeedArg { seed },
        households,
        threads: ThreadsArg { threads },
        households_csv,
        households_parquet: true,
        monthly_parquet: monthly,
        replications: None,
        lang: LangArg { lang },
        quiet: QuietArg { quiet: !progress },
        shard: None,
    };
    verbosity(progress);
    let result = py.detach(|| -> Result<PathBuf, Error> {
        let mut sc =
            toeslagenlab::scenario::overrides::load_with_overrides(&scenario, seed, households)?;
        if !overrides.is_empty() {
            let values = overrides
                .iter()
                .map(|(k, v)| {
                    Decimal::from_str(v)
                        .or_else(|_| Decimal::from_scientific(v))
                        .map(|d| (k.clone(), d))
                        .map_err(|_| Error::Usage(format!("override {k}: `{v}` is not a number")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            sc = toeslagenlab::scenario::overrides::apply_all(&sc, &values)?;
        }
        toeslagenlab::cli::run::run_scenario(&args, sc)
    });
    result
        .map(|p| p.display().to_string())
        .map_err(|e| to_py(py, e))
}

/// Runs `toeslagenlab uncertainty` on the scenario file into `out` (the scenario's
/// `[uncertainty]` table; `draws` overrides its count). Returns the output directory.
#[pyfunction]
#[pyo3(signature = (scenario, out, draws=None, households=None, seed=None, threads=0, progress=false, lang="en"))]
#[allow(clippy::too_many_arguments)]
fn uncertainty_to_dir(
    py: Python<'_>,
    scenario: PathBuf,
    out: PathBuf,
    draws: Option<usize>,
    households: Option<i64>,
    seed: Option<u64>,
    threads: usize,
    progress: bool,
    lang: &str,
) -> PyResult<String> {
    let lang = parse_lang(py, lang)?;
    let args = toeslagenlab::cli::args::UncertaintyArgs {
        scenario,
        draws,
        out: Some(out),
        seed: SeedArg { seed },
        households,
        threads: ThreadsArg { threads },
        lang: LangArg { lang },
        quiet: QuietArg { quiet: !progress },
        shard: None,
    };
    verbosity(progress);
    py.detach(|| toeslagenlab::cli::uncertainty::uncertainty_embedded(&args))
        .map(|p| p.display().to_string())
        .map_err(|e| to_py(py, e))
}

/// Loads a scenario file without running it (as `toeslagenlab validate`, the `[uncertainty]`
/// table included); returns `(name, arms, households, design, year, seed)` or raises
/// ScenarioError.
#[pyfunction]
fn validate(
    py: Python<'_>,
    scenario: PathBuf,
) -> PyResult<(String, Vec<String>, u64, String, u16, u64)> {
    py.detach(|| -> Result<_, Error> {
        let mut sc = toeslagenlab::scenario::load(&scenario)?;
        toeslagenlab::scenario::overrides::check_uncertainty(&mut sc)?;
        Ok((
            sc.name.clone(),
            sc.arms.iter().map(|a| a.name.clone()).collect(),
            sc.households,
            sc.design.name().to_string(),
            sc.year,
            sc.seed,
        ))
    })
    .map_err(|e| to_py(py, e))
}

/// The JSON of `toeslagenlab calc --json` for one household given by the calculator's flags
/// (each argument as its command-line text) or a household file.
#[pyfunction]
#[pyo3(signature = (year=None, income=None, partner=false, partner_income=None, assets=None, rent=None, persons=None, co_resident_income=Vec::new(), age=None, partner_age=None, child=Vec::new(), household=None))]
#[allow(clippy::too_many_arguments)]
fn calc_json(
    py: Python<'_>,
    year: Option<u16>,
    income: Option<String>,
    partner: bool,
    partner_income: Option<String>,
    assets: Option<String>,
    rent: Option<String>,
    persons: Option<i64>,
    co_resident_income: Vec<String>,
    age: Option<String>,
    partner_age: Option<String>,
    child: Vec<String>,
    household: Option<PathBuf>,
) -> PyResult<String> {
    let a = toeslagenlab::cli::args::CalcArgs {
        year,
        income,
        partner,
        partner_income,
        assets,
        rent,
        persons,
        co_resident_income,
        age,
        partner_age,
        child,
        household,
        json: true,
    };
    toeslagenlab::cli::calc::run(&a).map_err(|e| to_py(py, e))
}

/// The rule parameters of a benefit year as JSON: groups (key → value as decimal text, unit,
/// source, uncertain), the percentage tables and the benefits not available that year.
#[pyfunction]
fn params_json(py: Python<'_>, year: u16) -> PyResult<String> {
    let set = toeslagenlab::model::parameters::ParameterSet::for_year(year)
        .map_err(|m| to_py(py, Error::Usage(m)))?;
    let groups: serde_json::Map<String, serde_json::Value> = set
        .groups
        .iter()
        .map(|(g, params)| {
            let ps: serde_json::Map<String, serde_json::Value> = params
                .iter()
                .map(|(k, p)| {
                    (
                        k.clone(),
                        serde_json::json!({
                            "value": p.value.to_string(),
                            "unit": p.unit,
                            "source": p.source,
                            "uncertain": p.uncertain,
                        }),
                    )
                })
                .collect();
            (g.clone(), serde_json::Value::Object(ps))
        })
        .collect();
    let v = serde_json::json!({
        "year": set.year,
        "groups": groups,
        "tables": set.tables,
        "unavailable": set.unavailable,
    });
    Ok(v.to_string())
}

/// A scenario given as JSON (a dict with the TOML file's keys) as TOML text.
#[pyfunction]
fn scenario_toml(py: Python<'_>, json: &str) -> PyResult<String> {
    let v: toml::Value = serde_json::from_str(json).map_err(|e| {
        to_py(
            py,
            Error::Usage(format!(
                "the scenario dict cannot be written as TOML: {e} (TOML has no null: leave a key out instead of None)"
            )),
        )
    })?;
    let table = match v {
        toml::Value::Table(t) => t,
        _ => {
            return Err(to_py(
                py,
                Error::Usage("a scenario dict must be a mapping of tables".into()),
            ))
        }
    };
    toml::to_string(&table).map_err(|e| {
        to_py(
            py,
            Error::Usage(format!("the scenario dict cannot be written as TOML: {e}")),
        )
    })
}

/// The program version (the Rust crate's).
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The compiled module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("ToeslagenlabError", py.get_type::<ToeslagenlabError>())?;
    m.add("ScenarioError", py.get_type::<ScenarioError>())?;
    m.add("UsageError", py.get_type::<UsageError>())?;
    m.add_function(wrap_pyfunction!(run_to_dir, m)?)?;
    m.add_function(wrap_pyfunction!(uncertainty_to_dir, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(calc_json, m)?)?;
    m.add_function(wrap_pyfunction!(params_json, m)?)?;
    m.add_function(wrap_pyfunction!(scenario_toml, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    Ok(())
}
