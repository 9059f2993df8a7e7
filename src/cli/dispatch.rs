//! Command dispatch: turns parsed command-line arguments into work and exit codes.
//!
//! Everything here is testable in-process; `main.rs` only calls [`run_cli`].

use crate::cli::term;
use crate::cli::{Cli, Command, NewArgs, RunArgs};
use crate::error::{Error, Result};
use crate::model::parameters::ParameterSet;
use crate::output::report;
use crate::output::{safe_dir_name, Staging};
use crate::scenario::{self, Scenario};
use crate::sim::engine::{self, RunOptions};
use clap::{CommandFactory, FromArgMatches};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Parses `args`, runs the command, prints errors, and returns the exit code.
pub fn run_cli<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    // clap prints help and usage errors itself: give it the colour choice before it parses.
    let cmd = Cli::command().color(term::clap_color(term::color_from_args(&args)));
    let cli = match cmd
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    term::configure(cli.color, cli.verbose);
    match dispatch(cli) {
        Ok(()) => 0,
        Err(e) => {
            let prefix = term::paint("error:", term::Style::Error, term::stderr_color());
            eprintln!("{prefix} {e}");
            e.exit_code()
        }
    }
}

fn dispatch(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(args) => run_command(&args).map(|_| ()),
        Command::Validate { paths } => validate_command(&paths),
        Command::Params { year } => params_command(year),
        Command::Power(args) => {
            on_threads(args.threads, || crate::cli::power::power_command(&args))
        }
        Command::Check(args) => {
            on_threads(args.threads, || crate::cli::check::check_command(&args))
        }
        Command::Bench(args) => crate::cli::bench::bench_command(&args),
        Command::Diff(args) => crate::cli::check::diff_command(&args),
        Command::Calc(args) => {
            let out = crate::cli::calc::run(&args)?;
            term::out(out)
        }
        Command::Explain(args) => {
            let out = crate::cli::explain::run(&args)?;
            term::out(out)
        }
        Command::Sweep(args) => {
            on_threads(args.threads, || crate::cli::sweep::sweep_command(&args)).map(|_| ())
        }
        Command::Plot { run_dir } => plot_command(&run_dir),
        Command::New(args) => new_command(&args).map(|_| ()),
        Command::Schema => term::out(crate::scenario::schema::scenario_schema_json()),
        Command::Completions { shell } => {
            // Into memory first: clap_complete panics on a failed write (a closed pipe, as in
            // `toeslagenlab completions bash | head`), while we just stop writing.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "toeslagenlab", &mut script);
            term::out(script)
        }
        Command::Calibrate(args) => on_threads(args.threads, || {
            crate::cli::calibrate::calibrate_command(&args)
        }),
    }
}

/// Runs a command on one pool of `threads` workers (0: the global pool), so its runs share
/// threads instead of each starting its own (see [`engine::worker_pool`]).
fn on_threads<T: Send>(threads: usize, f: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    let pool = engine::worker_pool(threads)?;
    engine::install(&pool, f)
}

/// The starter scenario `toeslagenlab new NAME` writes, before it is saved (see
/// [`new_command`]). `path` is where it will be saved (shown in its "Try it" lines).
pub fn starter_scenario(name: &str, path: &Path) -> String {
    const TEMPLATE: &str = include_str!("../templates/new-scenario.toml");
    TEMPLATE
        .replace("__NAME__", name)
        .replace("__PATH__", &path.display().to_string())
}

/// Checks that `name` is a safe file stem and scenario name: 1 to 100 of ASCII letters, digits,
/// `-` and `_`, starting with a letter or digit (so never `..`, a path or a hidden file).
pub fn check_scenario_name(name: &str) -> std::result::Result<(), String> {
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let starts_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if name.is_empty() || name.len() > 100 || !ok_chars || !starts_ok {
        return Err(format!(
            "`{name}` is not a usable scenario name: use 1 to 100 letters, digits, `-` and `_`, starting with a letter or digit (it becomes NAME.toml and output/NAME/), e.g. `my-pilot`"
        ));
    }
    Ok(())
}

/// Writes a commented starter scenario `DIR/NAME.toml` (validated first) and returns its path.
/// Refuses to overwrite an existing file unless `--force`.
pub fn new_command(args: &NewArgs) -> Result<PathBuf> {
    let name = args.name.strip_suffix(".toml").unwrap_or(&args.name);
    check_scenario_name(name).map_err(Error::Usage)?;
    let path = args.dir.join(format!("{name}.toml"));
    if path.exists() && !args.force {
        return Err(Error::Usage(format!(
            "{} already exists; pick another name, or add --force to overwrite it",
            path.display()
        )));
    }
    let mut text = starter_scenario(name, &path);
    if args.dir.join("schema.json").is_file() {
        text = format!("#:schema ./schema.json\n{text}");
    }
    // The same loader as `run`: a starter that does not validate is a bug, not a user error.
    scenario::parse_str(&path, &text, String::new())
        .map_err(|e| Error::Internal(format!("the starter scenario does not validate: {e}")))?;
    term::detail(format_args!(
        "starter scenario validated ({} bytes)",
        text.len()
    ));
    std::fs::create_dir_all(&args.dir).map_err(|e| Error::io(&args.dir, e))?;
    crate::output::write_file_atomic(&path, text.as_bytes())?;
    crate::outln!(
        "wrote {p}\n  check it: toeslagenlab validate {p}\n  run it:   toeslagenlab run {p} --households 5000",
        p = path.display()
    )?;
    Ok(path)
}

/// Loads a scenario and applies command-line overrides of seed and household count.
pub fn load_with_overrides(
    path: &Path,
    seed: Option<u64>,
    households: Option<i64>,
) -> Result<Scenario> {
    let mut sc = scenario::load(path)?;
    if let Some(s) = seed {
        sc.seed = s;
    }
    if let Some(n) = households {
        sc.households = scenario::check_households(n)
            .map_err(|m| Error::Usage(format!("--households: {m}")))?;
    }
    Ok(sc)
}

/// Runs a scenario as `toeslagenlab run` does and returns the run directory.
///
/// Every parallel step (simulation, bootstrap, charts) runs on one pool of `--threads` workers
/// (the global pool, a thread per core, by default).
pub fn run_command(args: &RunArgs) -> Result<PathBuf> {
    on_threads(args.threads, || run_in_pool(args))
}

fn run_in_pool(args: &RunArgs) -> Result<PathBuf> {
    let started = Instant::now();
    let sc = load_with_overrides(&args.scenario, args.seed, args.households)?;
    let detail = |m: String| {
        if !args.quiet {
            term::detail(m)
        }
    };
    detail(format!(
        "loaded {} ({}): {} households, {} arms ({}), {} design, seed {}, benefit year {}",
        args.scenario.display(),
        sc.name,
        sc.households,
        sc.arms.len(),
        sc.arms
            .iter()
            .map(|a| format!("{} {}", a.name, a.policy.name()))
            .collect::<Vec<_>>()
            .join(", "),
        sc.design.name(),
        sc.seed,
        sc.year
    ));
    let target = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(safe_dir_name(&sc.name)));
    crate::output::interrupt::install();
    let staging = Staging::new(&target, &[args.scenario.as_path()])?;
    let mut csv_writer = if args.households_csv {
        let p = staging.path("households.csv");
        let f = std::fs::File::create(&p).map_err(|e| Error::io(&p, e))?;
        let mut w = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 20, f));
        w.write_record(report::csv_header())
            .map_err(|e| csv_err(&p, e))?;
        Some((w, p))
    } else {
        None
    };
    let replications = args.replications.unwrap_or(sc.replications).max(1);
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let total_work = sc.households * replications as u64;
    let bar = show_progress.then(|| {
        let b = indicatif::ProgressBar::new(total_work);
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg} [{bar:40}] {human_pos}/{human_len} households ({per_sec}, eta {eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        b.set_message(sc.name.clone());
        b
    });
    let opts = RunOptions {
        threads: args.threads,
        household_rows: args.households_csv,
        ..RunOptions::default()
    };
    let t_loaded = started.elapsed().as_secs_f64();
    let result = crate::analysis::run::run(
        &sc,
        &opts,
        |rows| {
            if let Some((w, p)) = csv_writer.as_mut() {
                report::write_rows(w, &sc, rows).map_err(|e| csv_err(p, e))?;
            }
            Ok(())
        },
        |done, _| {
            if let Some(b) = &bar {
                b.set_position(done);
            }
        },
    )?;
    detail(format!(
        "simulated {} households × {} arms in {:.1} ms on {} threads (loaded in {:.1} ms)",
        sc.households,
        sc.arms.len(),
        (started.elapsed().as_secs_f64() - t_loaded) * 1e3,
        rayon::current_num_threads(),
        t_loaded * 1e3
    ));
    if let Some((mut w, p)) = csv_writer.take() {
        w.flush().map_err(|e| Error::io(&p, e))?;
        detail(format!("wrote {}", p.display()));
    }
    let t_sim = started.elapsed().as_secs_f64();
    let mut summary = report::summarize(&sc, &result);
    detail(format!(
        "statistics in {:.1} ms",
        (started.elapsed().as_secs_f64() - t_sim) * 1e3
    ));
    let mut reps = vec![summary.clone()];
    for r in 1..replications {
        let mut rsc = sc.clone();
        rsc.seed = report::replication_seed(sc.seed, r);
        let opts = RunOptions {
            household_rows: false,
            ..opts.clone()
        };
        let offset = sc.households * r as u64;
        let res = crate::analysis::run::run(
            &rsc,
            &opts,
            |_| Ok(()),
            |done, _| {
                if let Some(b) = &bar {
                    b.set_position(offset + done);
                }
            },
        )?;
        reps.push(report::summarize(&rsc, &res));
        detail(format!(
            "replication {}/{replications} (seed {}) done at {:.2} s",
            r + 1,
            rsc.seed,
            started.elapsed().as_secs_f64()
        ));
    }
    report::add_replications(&mut summary, &reps);
    drop(reps);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    staging.write("summary.json", report::summary_json(&summary).as_bytes())?;
    let t_charts = started.elapsed().as_secs_f64();
    let charts = crate::output::charts::write_all(
        &crate::output::charts::run_tables(&sc, &result),
        |name, bytes| staging.write(name, bytes),
    )?;
    detail(format!(
        "{} charts in {:.1} ms",
        charts.len(),
        (started.elapsed().as_secs_f64() - t_charts) * 1e3
    ));
    // National scenarios compare their control arm with the public figures (a second,
    // control-only pass counting per toeslag, as `calibrate` does).
    let public = if sc.compare_public {
        let t = crate::cli::calibrate::tally(&sc, args.threads)?;
        Some((
            crate::cli::calibrate::report_section(&sc, &t),
            crate::cli::calibrate::headline_vs_public(&t),
        ))
    } else {
        None
    };
    let mut report_md = report::report_markdown(&sc, &summary);
    if let Some((section, _)) = &public {
        report_md.push_str(section);
    }
    report_md.push_str(&crate::output::charts::markdown_section(&charts));
    staging.write("report.md", report_md.as_bytes())?;
    let manifest = manifest(&sc, args, started.elapsed().as_secs_f64());
    staging.write("manifest.json", manifest.as_bytes())?;
    let dir = staging.commit()?;
    detail(format!(
        "wrote {} charts and report.md, summary.json, manifest.json into {}/ at {:.2} s",
        charts.len(),
        dir.display(),
        started.elapsed().as_secs_f64()
    ));
    if !args.quiet {
        let mut out = report::headline(&summary);
        if let Some((_, line)) = &public {
            out.push_str(line);
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "wrote {}/ (report.md, summary.json, manifest.json, charts/{}) in {:.1} s",
            dir.display(),
            if args.households_csv {
                ", households.csv"
            } else {
                ""
            },
            started.elapsed().as_secs_f64()
        );
        term::out(out)?;
    }
    Ok(dir)
}

fn csv_err(p: &Path, e: csv::Error) -> Error {
    Error::io(p, std::io::Error::other(e.to_string()))
}

fn manifest(sc: &Scenario, args: &RunArgs, seconds: f64) -> String {
    let v = serde_json::json!({
        "program": "toeslagenlab",
        "version": env!("CARGO_PKG_VERSION"),
        "scenario": sc.name,
        "scenario_file": sc.path.display().to_string(),
        "scenario_sha256": sc.sha256,
        "seed": sc.seed,
        "households": sc.households,
        "parameter_year": sc.year,
        "parameter_file": format!("parameters/{}.toml (embedded)", sc.year),
        "parameter_overrides": sc.overrides,
        "uncertain_parameters": sc.parameter_set.uncertain().into_iter().map(|(k, p)| serde_json::json!({"parameter": k, "value": p.value.to_string(), "source": p.source})).collect::<Vec<_>>(),
        "threads": rayon::current_num_threads(),
        "households_csv": args.households_csv,
        "run_seconds": (seconds * 1000.0).round() / 1000.0,
        "finished_unix_time": std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0),
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

/// The scenario files named by `paths` (directories give their `*.toml` files, sorted).
pub fn scenario_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from("scenarios")]
    } else {
        paths.to_vec()
    };
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(&p)
                .map_err(|e| {
                    Error::Usage(format!("{}: cannot read this directory: {e}", p.display()))
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "toml") && f.is_file())
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: no .toml scenario files in this directory",
                    p.display()
                )));
            }
            files.extend(found);
        } else {
            files.push(p);
        }
    }
    Ok(files)
}

fn validate_command(paths: &[PathBuf]) -> Result<()> {
    let mut problems = Vec::new();
    let files = scenario_files(paths)?;
    for f in &files {
        match scenario::load(f) {
            Ok(sc) => crate::outln!(
                "{}  {} ({}, {} arms, {} households)",
                term::paint("ok", term::Style::Ok, term::stdout_color()),
                f.display(),
                sc.name,
                sc.arms.len(),
                sc.households
            )?,
            Err(Error::Input(d)) => problems.extend(d),
            Err(e) => return Err(e),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(problems))
    }
}

fn plot_command(dir: &Path) -> Result<()> {
    let charts = crate::output::charts::plot_dir(dir)?;
    crate::outln!(
        "redrew {} charts in {}/charts/ ({})",
        charts.len(),
        dir.display(),
        charts
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn params_command(year: u16) -> Result<()> {
    let set = ParameterSet::for_year(year).map_err(Error::Usage)?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Parameters for benefit year {year} (parameters/{year}.toml, embedded)\n"
    );
    for (group, params) in &set.groups {
        let _ = writeln!(out, "[{group}]");
        for (k, p) in params {
            let _ = writeln!(
                out,
                "  {:<34} {:>12} {:<10} {}{}",
                k,
                p.value.to_string(),
                p.unit,
                if p.uncertain { "[uncertain] " } else { "" },
                p.source
            );
        }
        let _ = writeln!(out);
    }
    for (name, t) in &set.tables {
        let _ = writeln!(
            out,
            "[{name}] {} rows, {}\n  {}{}",
            t.rows.len(),
            t.summary.unit.trim_start_matches("table rows; "),
            if t.summary.uncertain {
                "[uncertain] "
            } else {
                ""
            },
            t.summary.source
        );
        let _ = writeln!(
            out,
            "  {:>8} {:>8} {:>7} {:>7}  remarks",
            "from", "to", "first", "next"
        );
        for r in &t.rows {
            let pct = |d: rust_decimal::Decimal| {
                format!("{}%", (d * rust_decimal::Decimal::from(100)).normalize())
            };
            let mut remarks = Vec::new();
            if r.next_interpolated {
                remarks.push("next interpolated".to_string());
            }
            if r.bounds_interpolated {
                remarks.push("bounds guessed".to_string());
            }
            if let Some(n) = &r.note {
                remarks.push(n.clone());
            }
            let _ = writeln!(
                out,
                "  {:>8} {:>8} {:>7} {:>7}  {}",
                r.from,
                r.to.map_or("and up".to_string(), |t| t.to_string()),
                pct(r.first),
                pct(r.next),
                remarks.join("; ")
            );
        }
        let _ = writeln!(out);
    }
    for (benefit, reason) in &set.unavailable {
        let _ = writeln!(out, "[{benefit}] not available for {year}: {reason}");
    }
    term::out(out)
}
