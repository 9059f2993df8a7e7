//! Command dispatch: turns parsed command-line arguments into work and exit codes.
//!
//! Everything here is testable in-process; `main.rs` only calls [`run_cli`]. Each command lives
//! in its own module (run, validate, params, plot, new, check, …); this file only routes.

use crate::cli::term;
use crate::cli::{Cli, Command};
use crate::error::Result;
use crate::sim::engine;
use clap::{CommandFactory, FromArgMatches};

pub use crate::cli::new::{check_scenario_name, new_command, starter_scenario};
pub use crate::cli::params::params_command;
pub use crate::cli::plot::plot_command;
pub use crate::cli::run::run_command;
pub use crate::cli::validate::validate_command;
pub use crate::scenario::files::scenario_files;
pub use crate::scenario::overrides::load_with_overrides;

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
        Command::Merge(args) => crate::cli::merge::merge_command(&args).map(|_| ()),
        Command::Validate { paths } => validate_command(&paths),
        Command::Params { year } => params_command(year),
        Command::Power(args) => on_threads(args.threads.threads, || {
            crate::cli::power::power_command(&args)
        }),
        Command::Check(args) => on_threads(args.threads.threads, || {
            crate::cli::check::check_command(&args)
        }),
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
        Command::Sweep(args) => on_threads(args.threads.threads, || {
            crate::cli::sweep::sweep_command(&args)
        })
        .map(|_| ()),
        Command::Uncertainty(args) => on_threads(args.threads.threads, || {
            crate::cli::uncertainty::uncertainty_command(&args)
        })
        .map(|_| ()),
        Command::Plot { run_dir, lang } => plot_command(&run_dir, lang),
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
pub(crate) fn on_threads<T: Send>(
    threads: usize,
    f: impl FnOnce() -> Result<T> + Send,
) -> Result<T> {
    let pool = engine::worker_pool(threads)?;
    engine::install(&pool, f)
}
