//! The household calculator (`toeslagenlab calc`): one household's entitlement to each benefit
//! for a year, with the building blocks the agency's decision letter shows and the sources of
//! the parameters used.
//!
//! Owns: the household the flags describe
//! ([`household_from_flags`]) and the command ([`run`]). The household file is
//! [`crate::scenario::household`], the computation [`crate::rules::calc`] (with each benefit's
//! building blocks in its own rules module), the renderings [`crate::output::calc`]; their
//! items are re-exported here under their public paths (`toeslagenlab::calc::…`). Must not:
//! hold an amount or a formula of its own.

use crate::error::{Error, Result};
use crate::model::money::Money;
use crate::rules::{Care, CareType, CoResident};
use crate::scenario::household::{complete, ADULT_CO_RESIDENT_AGE, MAX_AGE, MAX_CARE_HOURS};
use rust_decimal::Decimal;
use std::str::FromStr;

pub use crate::cli::args::CalcArgs;
pub use crate::output::calc::{notes, to_json, to_text};
pub use crate::rules::blocks::{building_blocks, BuildingBlocks};
/// The calculator's household under its public path (`toeslagenlab::calc::Household`).
pub use crate::rules::calc::CalcHousehold as Household;
pub use crate::rules::calc::{check_expected, CaseCheck, CaseExpected};
pub use crate::rules::calc::{compute, BenefitResult, CalcHousehold, CalcResult};
pub use crate::scenario::household::{
    is_case_file, line_col, parse_case, parse_household, resolve_file, CaseFile, HouseholdFile,
    DEFAULT_YEAR, MAX_PERSONS,
};

fn flag_money(flag: &str, s: &str) -> Result<Money> {
    Decimal::from_str(s.trim().replace('_', "").as_str())
        .ok()
        .and_then(Money::from_decimal)
        .filter(|m| *m >= Money::ZERO)
        .ok_or_else(|| {
            Error::Usage(format!(
                "--{flag} {s}: give euros ≥ 0 with at most two decimals, e.g. 30000 or 650.50"
            ))
        })
}

fn flag_int(flag: &str, what: &str, s: &str, lo: i64, hi: i64) -> Result<i64> {
    match s.trim().parse::<i64>() {
        Ok(x) if (lo..=hi).contains(&x) => Ok(x),
        _ => Err(Error::Usage(format!(
            "--{flag}: {what} `{s}` must be a whole number from {lo} to {hi}"
        ))),
    }
}

/// Parses `AGE[:TYPE:HOURS:PRICE]`.
pub fn parse_child(s: &str) -> Result<(u8, Option<Care>)> {
    let parts: Vec<&str> = s.split(':').collect();
    // A child counts for the kindgebonden budget and childcare below 18; an older son or
    // daughter at home is a co-resident (huurtoeslag).
    if parts[0]
        .trim()
        .parse::<i64>()
        .is_ok_and(|a| (18..=MAX_AGE).contains(&a))
    {
        return Err(Error::Usage(format!(
            "--child {s}: a child is 0 to 17 on 1 January; give an adult child living at home as --co-resident-income EUR:{}:child",
            parts[0].trim()
        )));
    }
    let age = flag_int("child", "age", parts[0], 0, 17)? as u8;
    match parts.len() {
        1 => Ok((age, None)),
        4 => {
            let kind = CareType::parse(parts[1].trim())
                .map_err(|m| Error::Usage(format!("--child {s}: {m}")))?;
            let hours = flag_int("child", "hours per month", parts[2], 0, MAX_CARE_HOURS)? as u16;
            let price = flag_money("child", parts[3])?;
            Ok((age, Some(Care { kind, hours, price })))
        }
        _ => Err(Error::Usage(format!(
            "--child {s}: give AGE or AGE:TYPE:HOURS:PRICE, e.g. --child 7 or --child 2:dagopvang:120:10.50"
        ))),
    }
}

/// The household the flags describe.
pub fn household_from_flags(a: &CalcArgs) -> Result<CalcHousehold> {
    let income =
        match &a.income {
            Some(s) => flag_money("income", s)?,
            None => return Err(Error::Usage(
                "give --income EUR (the applicant's assessed annual income) or --household FILE"
                    .into(),
            )),
        };
    let partner_income = a
        .partner_income
        .as_deref()
        .map(|s| flag_money("partner-income", s))
        .transpose()?;
    let mut co_residents = Vec::new();
    for c in &a.co_resident_income {
        let parts: Vec<&str> = c.split(':').collect();
        let age = match parts.get(1) {
            Some(age) => flag_int("co-resident-income", "age", age, 0, MAX_AGE)? as u8,
            None => ADULT_CO_RESIDENT_AGE,
        };
        let child = match parts.get(2).map(|k| k.trim()) {
            None => false,
            Some("child") => true,
            Some("other") => false,
            Some(k) => {
                return Err(Error::Usage(format!(
                    "--co-resident-income {c}: `{k}`: give `child` (a child living at home) or `other`, e.g. 8000:20:child"
                )))
            }
        };
        if parts.len() > 3 {
            return Err(Error::Usage(format!(
                "--co-resident-income {c}: give EUR, EUR:AGE or EUR:AGE:child"
            )));
        }
        co_residents.push(CoResident {
            age,
            income: flag_money("co-resident-income", parts[0])?,
            child,
            assets: Money::ZERO,
        });
    }
    let children = a
        .child
        .iter()
        .map(|c| parse_child(c))
        .collect::<Result<Vec<_>>>()?;
    let h = CalcHousehold {
        year: a.year.unwrap_or(DEFAULT_YEAR),
        income,
        partner: a.partner || partner_income.is_some(),
        partner_income: partner_income.unwrap_or(Money::ZERO),
        assets: a
            .assets
            .as_deref()
            .map(|s| flag_money("assets", s))
            .transpose()?
            .unwrap_or(Money::ZERO),
        rent: a
            .rent
            .as_deref()
            .map(|s| flag_money("rent", s))
            .transpose()?
            .unwrap_or(Money::ZERO),
        birthdays: vec![None; children.len()],
        hours_by_month: vec![None; children.len()],
        children,
        co_residents,
        age: a
            .age
            .as_deref()
            .map(|s| flag_int("age", "age", s, 0, MAX_AGE))
            .transpose()?
            .map(|x| x as u8),
        partner_age: a
            .partner_age
            .as_deref()
            .map(|s| flag_int("partner-age", "age", s, 0, MAX_AGE))
            .transpose()?
            .map(|x| x as u8),
    };
    complete(h, a.persons).map_err(|m| Error::Usage(format!("--persons: {m}")))
}

/// Runs `toeslagenlab calc`. A reference case file (tests/cases/*.toml) is computed like a
/// household file and its expected amounts are compared with the result (shown, not an error).
pub fn run(a: &CalcArgs) -> Result<String> {
    let (h, case) = match &a.household {
        Some(path) => {
            let text = crate::scenario::read_input_text(
                path,
                crate::scenario::MAX_INPUT_BYTES,
                "household files",
            )?;
            if is_case_file(&text) {
                let case = parse_case(path, &text)?;
                (
                    resolve_file(path, &text, &case.household, a.year)?,
                    Some(case),
                )
            } else {
                (parse_household(path, &text, a.year)?, None)
            }
        }
        None => (household_from_flags(a)?, None),
    };
    let r = compute(&h)?;
    let checks = case.as_ref().map(|c| check_expected(&r, &c.expected));
    Ok(if a.json {
        let mut v = to_json(&r);
        if let (Some(c), Some(checks)) = (&case, &checks) {
            v["case"] = serde_json::json!({
                "description": c.description,
                "source": c.source,
                "source_kind": c.source_kind,
                "checks": checks.iter().map(|k| serde_json::json!({
                    "benefit": k.benefit,
                    "what": k.what,
                    "expected": k.expected,
                    "tolerance": k.tolerance,
                    "actual": k.actual,
                    "holds": k.holds(),
                })).collect::<Vec<_>>(),
                "holds": checks.iter().all(CaseCheck::holds),
            });
        }
        let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
        s.push('\n');
        s
    } else {
        let mut s = to_text(&r);
        if let (Some(c), Some(checks)) = (&case, &checks) {
            use std::fmt::Write as _;
            let _ = writeln!(s, "\nReference case: {}", c.description);
            let _ = writeln!(s, "  source ({}): {}", c.source_kind, c.source);
            for k in checks {
                let _ = writeln!(
                    s,
                    "  {} {}: expected {} (± {}), computed {}: {}",
                    k.benefit,
                    k.what,
                    k.expected,
                    k.tolerance,
                    k.actual
                        .map_or_else(|| "— (unknown benefit)".to_string(), |x| x.to_string()),
                    if k.holds() { "holds" } else { "DIFFERS" }
                );
            }
        }
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn flags(args: &[&str]) -> CalcArgs {
        use clap::Parser;
        #[derive(Parser)]
        struct T {
            #[command(flatten)]
            a: CalcArgs,
        }
        let mut v = vec!["t"];
        v.extend_from_slice(args);
        T::try_parse_from(v).unwrap().a
    }

    #[test]
    fn acceptance_single_30000_json() {
        let out = run(&flags(&["--year", "2026", "--income", "30000", "--json"])).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["year"], 2026);
        assert_eq!(v["benefits"]["zorgtoeslag"]["annual"], 1514);
        assert_eq!(v["benefits"]["zorgtoeslag"]["monthly"], 126);
        for b in ["huurtoeslag", "kinderopvangtoeslag", "kindgebonden_budget"] {
            assert_eq!(v["benefits"][b]["annual"], 0, "{b}");
            assert_eq!(v["benefits"][b]["monthly"], 0, "{b}");
        }
    }

    #[test]
    fn text_explains_building_blocks_with_sources() {
        let out = run(&flags(&["--income", "30000", "--rent", "650"])).unwrap();
        assert!(out.contains("normpremie"), "{out}");
        assert!(out.contains("€604.80"), "{out}");
        assert!(out.contains("rekenhuur"), "{out}");
        assert!(out.contains("Stcrt. 2025-39783"), "{out}");
        assert!(out.contains("huurtoeslag: €2,957.00 a year"), "{out}");
    }

    #[test]
    fn huurtoeslag_before_2026_uses_the_normhuur_structure() {
        // 2025, single, rent €900, income €22,000: €498 a month (published; docs/rules.md §2a)
        let out = run(&flags(&[
            "--year", "2025", "--income", "22000", "--rent", "900",
        ]))
        .unwrap();
        assert!(out.contains("normhuur"), "{out}");
        assert!(out.contains("huurtoeslag: €5,985.00 a year"), "{out}");
    }

    #[test]
    fn childcare_result_says_the_table_is_reconstructed() {
        let out = run(&flags(&[
            "--income",
            "40000",
            "--partner-income",
            "20000",
            "--child",
            "2:dagopvang:100:10.50",
            "--child",
            "6:bso:40:9.00",
        ]))
        .unwrap();
        assert!(out.contains("RECONSTRUCTED"), "{out}");
        assert!(out.contains("first child"), "{out}");
    }

    #[test]
    fn persons_beyond_those_listed_are_co_residents() {
        let h = household_from_flags(&flags(&["--income", "20000", "--persons", "3"])).unwrap();
        assert_eq!(h.situation().persons(), 3);
        let e = household_from_flags(&flags(&[
            "--income",
            "20000",
            "--partner",
            "--persons",
            "1",
        ]))
        .unwrap_err();
        assert!(e.to_string().contains("--persons"), "{e}");
    }

    #[test]
    fn bad_flags_are_usage_errors() {
        for args in [
            &["--income", "abc"][..],
            &["--income", "1", "--child", "2:creche:10:5"],
            &["--income", "1", "--child", "2:bso:10"],
            &["--income=-5"],
        ] {
            let e = run(&flags(args)).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{args:?}: {e}");
        }
    }

    #[test]
    fn household_file_unknown_key_names_the_line() {
        let text = "year = 2026\nincome = 30000\nrnet = 600\n";
        let e = parse_household(Path::new("h.toml"), text, None).unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with("h.toml:3:"), "{s}");
        assert!(s.contains("rnet"), "{s}");
    }

    #[test]
    fn household_file_bad_value_names_the_line_and_key() {
        let text = "income = 30000\n[[children]]\nage = 2\ncare = \"dagopvang\"\nhours = 100\nprice = -3\n";
        let e = parse_household(Path::new("h.toml"), text, None).unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with("h.toml:6:"), "{s}");
        assert!(s.contains("children[0].price"), "{s}");
    }

    #[test]
    fn reference_case_files_are_read_and_checked() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
        let case = dir.join("zorgtoeslag_2026_single_30000.toml");
        let a = CalcArgs {
            household: Some(case),
            json: true,
            ..CalcArgs::default()
        };
        let v: serde_json::Value = serde_json::from_str(&run(&a).unwrap()).unwrap();
        assert_eq!(v["benefits"]["zorgtoeslag"]["annual"], 1514);
        assert_eq!(v["case"]["holds"], true, "{v}");
        // totals, and rates as numbers
        assert_eq!(v["total"]["annual"], 1514);
        assert_eq!(v["total"]["monthly"], 126);
        assert!(
            v["benefits"]["zorgtoeslag"]["building_blocks"]
                .as_object()
                .unwrap()
                .values()
                .all(|x| x.is_number()),
            "{v}"
        );
    }

    #[test]
    fn youth_limit_single_19_rent_700() {
        // rekenhuur min(700, 498.20): A = 295.68 a month → 12 × 295.68 = 3548.16 → €3,548
        let out = run(&flags(&[
            "--income", "15000", "--rent", "700", "--age", "19", "--json",
        ]))
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["benefits"]["huurtoeslag"]["annual"], 3548, "{v}");
        assert_eq!(
            v["benefits"]["huurtoeslag"]["building_blocks"]["youth_limit"],
            true
        );
        let h = household_from_flags(&flags(&[
            "--income",
            "1",
            "--co-resident-income",
            "8000:20:child",
        ]))
        .unwrap();
        assert!(h.co_residents[0].child && h.co_residents[0].age == 20);
        let e = household_from_flags(&flags(&[
            "--income",
            "1",
            "--co-resident-income",
            "8000:20:kid",
        ]))
        .unwrap_err();
        assert!(e.to_string().contains("child"), "{e}");
    }

    #[test]
    fn household_file_equals_flags() {
        let text = "year = 2026\nincome = 30000\npartner_income = 10000\nrent = 700\n[[children]]\nage = 3\ncare = \"dagopvang\"\nhours = 80\nprice = 10.5\n";
        let from_file = parse_household(Path::new("h.toml"), text, None).unwrap();
        let from_flags = household_from_flags(&flags(&[
            "--income",
            "30000",
            "--partner-income",
            "10000",
            "--rent",
            "700",
            "--child",
            "3:dagopvang:80:10.50",
        ]))
        .unwrap();
        assert_eq!(from_file, from_flags);
    }
}
