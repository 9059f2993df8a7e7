//! Terminal conventions: whether to colour output and whether to print progress detail.
//!
//! Colour follows `--color` (`auto` by default): in `auto` mode a stream is coloured only when it
//! is a terminal and `NO_COLOR` is unset or empty (<https://no-color.org>). Files, pipes and
//! tests therefore never see ANSI escapes unless `--color always` asks for them. `--verbose`
//! prints progress detail to stderr.
//!
//! The settings are process-wide, set once by [`crate::app::run_cli`] from the command line;
//! library users who never call it get no colour and no detail.
//!
//! Must not: print results (those go through each command's own writer).

use crate::cli::ColorMode;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

static COLOR: AtomicU8 = AtomicU8::new(2); // 0 auto, 1 always, 2 never (library default)
static VERBOSE: AtomicBool = AtomicBool::new(false);

/// Sets the process-wide colour mode and verbosity.
pub fn configure(color: ColorMode, verbose: bool) {
    let c = match color {
        ColorMode::Auto => 0,
        ColorMode::Always => 1,
        ColorMode::Never => 2,
    };
    COLOR.store(c, Ordering::Relaxed);
    VERBOSE.store(verbose, Ordering::Relaxed);
}

/// Whether `--verbose` is on.
pub fn verbose() -> bool {
    VERBOSE.load(Ordering::Relaxed)
}

/// The `--color` mode in force.
pub fn color_mode() -> ColorMode {
    match COLOR.load(Ordering::Relaxed) {
        0 => ColorMode::Auto,
        1 => ColorMode::Always,
        _ => ColorMode::Never,
    }
}

/// Whether `NO_COLOR` asks for no colour (set and not empty).
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Whether to colour a stream that is (or is not) a terminal under `mode`.
pub fn decide(mode: ColorMode, is_terminal: bool, no_color: bool) -> bool {
    match mode {
        ColorMode::Always => true,
        ColorMode::Never => false,
        ColorMode::Auto => is_terminal && !no_color,
    }
}

/// Whether to colour stderr.
pub fn stderr_color() -> bool {
    decide(
        color_mode(),
        std::io::stderr().is_terminal(),
        no_color_env(),
    )
}

/// Whether to colour stdout.
pub fn stdout_color() -> bool {
    decide(
        color_mode(),
        std::io::stdout().is_terminal(),
        no_color_env(),
    )
}

/// A text style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Bold red: errors, failures.
    Error,
    /// Bold yellow: warnings.
    Warning,
    /// Green: success.
    Ok,
    /// Dim: progress detail.
    Dim,
}

/// `text` wrapped in the ANSI escapes of `style` when `on`, else unchanged.
pub fn paint(text: &str, style: Style, on: bool) -> String {
    if !on {
        return text.to_string();
    }
    let code = match style {
        Style::Error => "1;31",
        Style::Warning => "1;33",
        Style::Ok => "32",
        Style::Dim => "2",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// Prints a progress detail line to stderr when `--verbose` is on.
pub fn detail(msg: impl std::fmt::Display) {
    if verbose() {
        eprintln!(
            "{}",
            paint(&format!("[verbose] {msg}"), Style::Dim, stderr_color())
        );
    }
}

/// The clap colour choice for `mode`, so clap's help and usage errors follow `--color` and
/// `NO_COLOR` too.
pub fn clap_color(mode: ColorMode) -> clap::ColorChoice {
    match mode {
        ColorMode::Auto if no_color_env() => clap::ColorChoice::Never,
        ColorMode::Auto => clap::ColorChoice::Auto,
        ColorMode::Always => clap::ColorChoice::Always,
        ColorMode::Never => clap::ColorChoice::Never,
    }
}

/// The `--color` value given in raw arguments (before clap parses them), for clap's own
/// output; the last one wins, invalid values count as `auto` (clap reports them).
pub fn color_from_args(args: &[std::ffi::OsString]) -> ColorMode {
    let mut mode = ColorMode::Auto;
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        let a = a.to_string_lossy();
        if a == "--" {
            break;
        }
        let value = if a == "--color" {
            it.next().map(|v| v.to_string_lossy().to_string())
        } else {
            a.strip_prefix("--color=").map(str::to_string)
        };
        if let Some(v) = value {
            mode = match v.as_str() {
                "always" => ColorMode::Always,
                "never" => ColorMode::Never,
                _ => ColorMode::Auto,
            };
        }
    }
    mode
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_colours_only_terminals_without_no_color() {
        assert!(decide(ColorMode::Auto, true, false));
        assert!(!decide(ColorMode::Auto, false, false));
        assert!(!decide(ColorMode::Auto, true, true));
        assert!(decide(ColorMode::Always, false, true));
        assert!(!decide(ColorMode::Never, true, false));
    }

    #[test]
    fn paint_is_plain_when_off() {
        assert_eq!(paint("x", Style::Error, false), "x");
        assert_eq!(paint("x", Style::Error, true), "\x1b[1;31mx\x1b[0m");
    }

    #[test]
    fn color_flag_is_found_before_parsing() {
        let a = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(
            color_from_args(&a(&["t", "run", "--color", "always"])),
            ColorMode::Always
        );
        assert_eq!(
            color_from_args(&a(&["t", "--color=never", "x"])),
            ColorMode::Never
        );
        assert_eq!(color_from_args(&a(&["t", "run"])), ColorMode::Auto);
    }
}
