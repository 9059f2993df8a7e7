//! The language of the human-facing outputs: report.md, report.html, chart titles, axes,
//! legends and captions (`--lang en|nl`). Machine-readable outputs never change with it:
//! summary.json, manifest.json keys, the tidy tables and every CSV header and number cell are
//! the same in both languages, so scripts and `diff` work on a Dutch run as on an English one.
//!
//! The language is a per-thread setting, set once by the command for the text it writes
//! ([`scoped`]) and read where a sentence is made ([`tr!`], [`pick`], [`current`]). Code that
//! writes text on another thread (the charts are drawn on rayon's workers) takes the
//! language with it: `let l = lang::current();` before, `let _g = lang::scoped(l);` inside.
//! English is the default, so every caller that does not ask for Dutch gets the English bytes
//! it always got.
//!
//! The Dutch terms follow the glossary in the README (voorschot, terugvordering, nabetaling,
//! definitieve toekenning, toetsingsinkomen, controlegroep, …) and [`GLOSSARY`] below, so the
//! report speaks the agency's own words.
//!
//! Must not: translate user text (a scenario's name, description or arm labels), keys of
//! machine-readable files, or error messages (those stay English, as the CLI's reference is).

use std::cell::Cell;

/// An output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Dutch (Nederlands).
    Nl,
}

impl Lang {
    /// The language's code as `--lang`, manifest.json and `<html lang>` spell it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }

    /// Parses a code (`en`, `nl`; case-insensitive).
    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "nl" => Some(Lang::Nl),
            _ => None,
        }
    }

    /// All languages, in the order help texts list them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Nl];
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// The language text made on this thread is written in.
pub fn current() -> Lang {
    CURRENT.with(Cell::get)
}

/// Restores the previous language when dropped (see [`scoped`]).
#[must_use = "the language is reset when the guard is dropped"]
pub struct Guard {
    previous: Lang,
}

impl Drop for Guard {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.previous));
    }
}

/// Writes text on this thread in `lang` until the returned guard is dropped.
pub fn scoped(lang: Lang) -> Guard {
    let previous = CURRENT.with(|c| c.replace(lang));
    Guard { previous }
}

/// `en` or `nl`, whichever is the current language.
pub fn pick<'a>(en: &'a str, nl: &'a str) -> &'a str {
    match current() {
        Lang::En => en,
        Lang::Nl => nl,
    }
}

/// `format!` of the English or the Dutch text, whichever is the current language:
/// `tr!("{n} households", "{n} huishoudens")`. Both texts take the same arguments (inline
/// captures or positional ones after the two literals).
#[macro_export]
macro_rules! tr {
    ($en:literal, $nl:literal $(,)?) => {
        match $crate::output::lang::current() {
            $crate::output::lang::Lang::En => format!($en),
            $crate::output::lang::Lang::Nl => format!($nl),
        }
    };
    ($en:literal, $nl:literal, $($arg:tt)+) => {
        match $crate::output::lang::current() {
            $crate::output::lang::Lang::En => format!($en, $($arg)+),
            $crate::output::lang::Lang::Nl => format!($nl, $($arg)+),
        }
    };
}
pub use crate::tr;

/// The Dutch words of the report for the English ones (the README glossary plus the words of
/// an experiment), one place for every translator of the report to follow.
pub const GLOSSARY: &[(&str, &str)] = &[
    ("advance", "voorschot"),
    (
        "100% advance (calculated advance)",
        "berekend voorschot (100%)",
    ),
    ("cautious advance", "voorzichtig voorschot"),
    ("adjustable advance", "instelbaar voorschot"),
    ("definitive award", "definitieve toekenning"),
    ("entitlement", "recht (definitieve toekenning)"),
    ("reclaim", "terugvordering"),
    ("back-payment", "nabetaling"),
    ("net settlement", "saldo van de vaststelling"),
    ("withheld", "ingehouden (niet als voorschot betaald)"),
    ("household", "huishouden"),
    ("assessed income", "toetsingsinkomen"),
    ("income decile", "inkomensdeciel"),
    ("benefit", "toeslag"),
    ("healthcare benefit", "zorgtoeslag"),
    ("rent benefit", "huurtoeslag"),
    ("childcare benefit", "kinderopvangtoeslag"),
    ("child budget", "kindgebonden budget"),
    ("benefit partner", "toeslagpartner"),
    ("repayment plan", "betalingsregeling"),
    ("report a change", "wijziging doorgeven"),
    ("arm", "variant"),
    ("control arm / control group", "controlegroep"),
    ("treatment arm", "experimentele variant"),
    ("paired design", "gepaard ontwerp"),
    ("randomized design", "gerandomiseerd ontwerp"),
    (
        "intention to treat",
        "intention-to-treat (iedereen met het aanbod)",
    ),
    ("took the offer", "nam het aanbod aan"),
    ("share", "aandeel"),
    ("percentage points (pp)", "procentpunt (%-punt)"),
    ("interval", "interval"),
    ("95% confidence interval", "95%-betrouwbaarheidsinterval"),
    ("standard error", "standaardfout"),
    ("significant", "significant"),
    ("effect", "effect"),
    ("uncertainty", "onzekerheid"),
    ("assumption", "aanname"),
    ("draw", "trekking"),
    ("seed", "seed (startwaarde)"),
    ("simulation", "simulatie"),
    ("sweep", "parameterreeks"),
    ("open debt", "openstaande schuld"),
    ("winners / losers", "voor- en achteruitgang"),
    (
        "better off / worse off / unchanged",
        "erop vooruit / erop achteruit / gelijk",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_the_default_and_a_scope_ends_with_its_guard() {
        assert_eq!(current(), Lang::En);
        {
            let _g = scoped(Lang::Nl);
            assert_eq!(current(), Lang::Nl);
            assert_eq!(pick("advance", "voorschot"), "voorschot");
            let n = 3;
            assert_eq!(tr!("{n} households", "{n} huishoudens"), "3 huishoudens");
            assert_eq!(tr!("{} of {}", "{} van {}", 1, 2), "1 van 2");
            {
                let _e = scoped(Lang::En);
                assert_eq!(pick("advance", "voorschot"), "advance");
            }
            assert_eq!(current(), Lang::Nl);
        }
        assert_eq!(current(), Lang::En);
    }

    #[test]
    fn codes_round_trip() {
        for l in Lang::ALL {
            assert_eq!(Lang::parse(l.code()), Some(l));
        }
        assert_eq!(Lang::parse("NL"), Some(Lang::Nl));
        assert_eq!(Lang::parse("de"), None);
    }
}
