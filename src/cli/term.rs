//! Terminal conventions: whether to colour output and whether to print progress detail.
//!
//! Colour follows `--color` (`auto` by default): in `auto` mode a stream is coloured only when it
//! is a terminal and `NO_COLOR` is unset or empty (<https://no-color.org>). Files, pipes and
//! tests therefore never see ANSI escapes unless `--color always` asks for them. `--verbose`
//! prints progress detail to stderr.
//!
//! The settings are process-wide, set once by [`crate::cli::dispatch::run_cli`] from the command line;
//! library users who never call it get no colour and no detail.
//!
//! Results go to stdout through [`out`] (and the `outln!` / `out!`
//! macros), the one writer every command uses: a reader that stops early (`| head -c1`) is not
//! an error, so a closed pipe ends the output quietly and the command still exits 0, while any
//! other write failure is reported (exit 3). Rust ignores SIGPIPE, so `println!` would panic
//! there instead: it is not used for stdout.

use crate::cli::ColorMode;
use crate::error::{Error, Result};
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

static COLOR: AtomicU8 = AtomicU8::new(2); // 0 auto, 1 always, 2 never (library default)
static VERBOSE: AtomicBool = AtomicBool::new(false);
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `bytes` to stdout and flushes them.
///
/// A closed stdout (broken pipe: the reader went away) is not an error: nothing more is
/// written for the rest of the process and `Ok` is returned, so the command finishes with exit
/// 0 and no message. Any other write error is [`Error::Io`] on "standard output" (exit 3).
pub fn out(bytes: impl AsRef<[u8]>) -> Result<()> {
    write_to(
        &mut std::io::stdout().lock(),
        bytes.as_ref(),
        &STDOUT_CLOSED,
    )
}

/// Whether stdout was found closed by an earlier [`out`].
pub fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

fn write_to(w: &mut impl Write, bytes: &[u8], closed: &AtomicBool) -> Result<()> {
    if closed.load(Ordering::Relaxed) {
        return Ok(());
    }
    match w.write_all(bytes).and_then(|()| w.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            closed.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => Err(Error::io("standard output", e)),
    }
}

/// Prints formatted text to stdout through [`out`] (a closed pipe ends
/// the output quietly); evaluates to `Result<()>`.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::term::out(format!($($arg)*))
    };
}

/// `out!` with a newline.
#[macro_export]
macro_rules! outln {
    () => {
        $crate::cli::term::out("\n")
    };
    ($($arg:tt)*) => {
        $crate::cli::term::out(format!("{}\n", format_args!($($arg)*)))
    };
}

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

/// Whether the environment asks for no colour: `NO_COLOR` set and not empty, or `TERM=dumb`
/// (a terminal that cannot show it).
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
        || std::env::var_os("TERM").is_some_and(|t| t == "dumb")
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

/// Prints `warning: MSG` to stderr (the prefix in bold yellow when stderr takes colour).
pub fn warn(msg: impl std::fmt::Display) {
    eprintln!(
        "{} {msg}",
        paint("warning:", Style::Warning, stderr_color())
    );
}

/// Prints `note: MSG` to stderr.
pub fn note(msg: impl std::fmt::Display) {
    eprintln!("note: {msg}");
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

    /// A writer that fails as a closed pipe (or another error) after `ok` writes.
    struct Failing(usize, std::io::ErrorKind);
    impl Write for Failing {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            if self.0 == 0 {
                return Err(std::io::Error::from(self.1));
            }
            self.0 -= 1;
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_broken_pipe_ends_output_quietly_other_errors_are_reported() {
        let closed = AtomicBool::new(false);
        let mut w = Failing(1, std::io::ErrorKind::BrokenPipe);
        assert!(write_to(&mut w, b"a", &closed).is_ok());
        assert!(!closed.load(Ordering::Relaxed));
        assert!(write_to(&mut w, b"b", &closed).is_ok());
        assert!(closed.load(Ordering::Relaxed));
        // Later writes are skipped (the writer would fail again).
        assert!(write_to(&mut w, b"c", &closed).is_ok());
        let closed = AtomicBool::new(false);
        let mut w = Failing(0, std::io::ErrorKind::StorageFull);
        let e = write_to(&mut w, b"x", &closed).unwrap_err();
        assert_eq!(e.exit_code(), 3);
        assert!(e.to_string().starts_with("standard output:"), "{e}");
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
