//! The `toeslagenlab` binary: parse the command line, run, map errors to exit codes.

fn main() {
    let code = toeslagenlab::run_cli(std::env::args_os());
    std::process::exit(code);
}
