//! The household story's renderings (`toeslagenlab explain`): the human text, at most
//! [`WIDTH`] columns wide, and the JSON document of an [`Explanation`].
//!
//! Owns: [`to_text`] (one function per block: header, profile, changes, situations, knowledge
//! states, months, each benefit, settlement, parameters), [`to_json`], and their wording
//! helpers ([`describe`], event and policy texts, wrapping). Must not: compute an amount or
//! simulate (everything comes from [`crate::analysis::explain::explain`]); bytes only.

use crate::analysis::explain::{BenefitStory, Explanation, SituationStory};
use crate::model::money::{Fine, Money, Rate};
use crate::model::scenario::{Recalculation, Scenario, HOUSEHOLD_TYPES};
use crate::rules::blocks::{fine_json, fine_text, BuildingBlocks};
use crate::rules::{awir, Benefit, Situation, N_BENEFITS};
use crate::sim::events::EventKind;
use std::fmt::Write as _;

/// Widest line of the human output.
pub const WIDTH: usize = 100;

/// A rate as a JSON decimal string without trailing zeros (`"0.8"`), as `explain` writes
/// percentages and factors (the building blocks write numbers:
/// [`crate::rules::blocks::rate_json_scaled`]).
fn rate_json_normalized(r: Rate) -> serde_json::Value {
    serde_json::Value::String(r.to_decimal().normalize().to_string())
}

fn sid(i: usize) -> String {
    format!("S{}", i + 1)
}

/// Short name of a benefit for table headers.
fn short(b: Benefit) -> &'static str {
    match b {
        Benefit::Zorgtoeslag => "zorg",
        Benefit::Huurtoeslag => "huur",
        Benefit::Kinderopvangtoeslag => "kinderopvang",
        Benefit::KindgebondenBudget => "kindgebonden",
    }
}

/// Month ranges of equal values: `S1 months 1–4, S2 months 5–12`.
fn segments(ids: &[usize; 12]) -> Vec<(u8, u8, usize)> {
    let mut out: Vec<(u8, u8, usize)> = Vec::new();
    for (m, &id) in ids.iter().enumerate() {
        let m = m as u8 + 1;
        match out.last_mut() {
            Some(last) if last.2 == id => last.1 = m,
            _ => out.push((m, m, id)),
        }
    }
    out
}

fn months(a: u8, b: u8) -> String {
    if a == b {
        format!("month {a}")
    } else {
        format!("months {a}–{b}")
    }
}

fn segments_text(ids: &[usize; 12]) -> String {
    segments(ids)
        .iter()
        .map(|(a, b, id)| format!("{} {}", sid(*id), months(*a, *b)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A situation in a few words.
pub fn describe(s: &Situation) -> String {
    let mut o = String::from(if s.partner { "with partner" } else { "single" });
    let ages = s.children.ages();
    if ages.is_empty() {
        o.push_str(", no children");
    } else {
        let _ = write!(
            o,
            ", {} child{} (age {})",
            ages.len(),
            if ages.len() == 1 { "" } else { "ren" },
            ages.iter()
                .map(|a| a.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let care: Vec<String> = s
        .children
        .care()
        .iter()
        .flatten()
        .map(|c| format!("{} h {}", c.hours, c.kind.name()))
        .collect();
    if !care.is_empty() {
        let _ = write!(o, ", care {}", care.join(" + "));
    }
    let _ = write!(o, ", joint income {}", s.income);
    o
}

fn event_text(kind: EventKind) -> String {
    match kind {
        EventKind::IncomeFactor(f) => format!("applicant's income × {f} from this month"),
        EventKind::PartnerIn(y) => format!("a partner moves in (income {y} a year)"),
        EventKind::PartnerOut => "the partner moves out".to_string(),
        EventKind::ChildBorn => "a child is born".to_string(),
        EventKind::Bonus(f) => format!("a one-off bonus of {f} of this month's income"),
        EventKind::CareHours(f) => format!("childcare hours × {f} from the next month"),
        EventKind::RentFactor(f) => format!("rent × {f} from the next month"),
        EventKind::AssetsExtra(x) => {
            format!("assets on 1 January turn out {x} higher than estimated (whole year)")
        }
        EventKind::PartnerIncomeFactor(f) => format!("partner's income × {f} from this month"),
        EventKind::CoResidentIn(y) => {
            format!("a co-resident with income {y} a year, from the next month")
        }
        EventKind::PartnerFound(y) => {
            format!("a partner (income {y} a year) found after the year counts from this month")
        }
        EventKind::YearIncomeFactor(f) => {
            format!("the year's income turns out × {f} (self-employed, whole year)")
        }
        EventKind::CareStops => "childcare ends from the next month".to_string(),
        EventKind::CareData => {
            "the agency starts using the provider's childcare data (intervention)".to_string()
        }
        EventKind::IncomeData => {
            "the agency starts using payroll income data (intervention)".to_string()
        }
    }
}

fn event_kind_name(kind: EventKind) -> &'static str {
    match kind {
        EventKind::IncomeFactor(_) => "income_change",
        EventKind::PartnerIn(_) => "partner_moves_in",
        EventKind::PartnerOut => "partner_moves_out",
        EventKind::ChildBorn => "child_born",
        EventKind::Bonus(_) => "bonus",
        EventKind::CareHours(_) => "childcare_hours_change",
        EventKind::RentFactor(_) => "rent_change",
        EventKind::AssetsExtra(_) => "assets_above_estimate",
        EventKind::PartnerIncomeFactor(_) => "partner_income_change",
        EventKind::CoResidentIn(_) => "co_resident_income",
        EventKind::PartnerFound(_) => "partner_found_afterwards",
        EventKind::YearIncomeFactor(_) => "self_employed_income",
        EventKind::CareStops => "childcare_stops",
        EventKind::CareData => "care_data",
        EventKind::IncomeData => "income_data",
    }
}

/// When the agency's own data (an answered letter, a mutation, guidance) reach the advance.
fn agency_data_text(known_from: u8) -> String {
    if known_from > 12 {
        "not acted on before the definitive award".to_string()
    } else {
        format!("the agency uses it for advances from month {known_from}")
    }
}

fn reported_text(month: u8, known_from: u8) -> String {
    if known_from > 12 {
        "not known before the definitive award".to_string()
    } else {
        let delay = known_from - month - 1;
        match delay {
            0 => format!("reported at once, used for advances from month {known_from}"),
            1 => format!("reported a month late, used for advances from month {known_from}"),
            d => format!("reported {d} months late, used for advances from month {known_from}"),
        }
    }
}

/// Wraps `text` to [`WIDTH`] columns; continuation lines get `indent` spaces.
fn wrap(o: &mut String, first_prefix: &str, text: &str, indent: usize) {
    let mut line = String::from(first_prefix);
    let mut empty = true;
    for word in text.split(' ') {
        let len = line.chars().count();
        if !empty && len + 1 + word.chars().count() > WIDTH {
            o.push_str(line.trim_end());
            o.push('\n');
            line = " ".repeat(indent);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    o.push_str(line.trim_end());
    o.push('\n');
}

/// A label/value line; wrapped when longer than [`WIDTH`].
fn kv(o: &mut String, indent: usize, label: &str, width: usize, value: &str) {
    let pad = width.saturating_sub(label.chars().count());
    let prefix = format!("{:indent$}{label}{:pad$}  ", "", "");
    let n = prefix.chars().count();
    if n + value.chars().count() <= WIDTH {
        let _ = writeln!(o, "{prefix}{value}");
    } else if n <= 60 {
        wrap(o, &prefix, value, n);
    } else {
        let _ = writeln!(o, "{:indent$}{label}", "");
        wrap(o, &" ".repeat(indent + 4), value, indent + 4);
    }
}

fn policy_text(sc: &Scenario, arm: usize) -> String {
    let a = &sc.arms[arm];
    if a.policy.offers() {
        format!(
            "{}, offered, take-up {}",
            a.policy.describe_long(),
            Rate::from_f64(a.takeup)
        )
    } else {
        a.policy.describe_long()
    }
}

fn source_line<'a>(
    sc: &'a Scenario,
    key: &str,
) -> Option<(String, &'a crate::model::parameters::Param)> {
    let (g, k) = key.split_once('.').unwrap_or((key, ""));
    let p = if k.is_empty() {
        sc.parameter_set.tables.get(g).map(|t| &t.summary)
    } else {
        sc.parameter_set.get(g, k)
    }?;
    let mut v = format!("{} {}", p.value, p.unit);
    if let Some(was) = p.overridden_from {
        let _ = write!(v, " (scenario override; was {was})");
    }
    if p.uncertain {
        v.push_str(" [uncertain]");
    }
    Some((v, p))
}

// ------------------------------------------------------------------------------------------
// Human output
// ------------------------------------------------------------------------------------------

/// The human-readable story, at most [`WIDTH`] columns wide.
pub fn to_text(x: &Explanation) -> String {
    let mut o = String::new();
    o.push_str(&header_text(x));
    o.push_str(&profile_text(x));
    o.push_str(&not_applicable_text(x));
    o.push_str(&changes_text(x));
    o.push_str(&situations_text(x));
    o.push_str(&knowledge_text(x));
    o.push_str(&months_text(x));
    for b in shown_benefits(x) {
        benefit_text(&mut o, x, b);
    }
    settlement_text(&mut o, x);
    o.push_str(&sources_text(x));
    o
}

/// The benefits the human output shows (those that apply to the household).
fn shown_benefits(x: &Explanation) -> Vec<&BenefitStory> {
    x.benefits
        .iter()
        .filter(|b| x.applicable[b.benefit.index()])
        .collect()
}

/// The header: household, scenario, arm and policy, take-up, design, recalculation.
fn header_text(x: &Explanation) -> String {
    let sc = &x.scenario;
    let h = &x.household;
    let o_ = &x.outcome;
    let arm = &sc.arms[x.arm];
    let mut o = String::new();
    wrap(
        &mut o,
        "",
        &format!(
            "Household {} of scenario `{}` (seed {}, year {}, {} households, {} design)",
            h.id,
            sc.name,
            sc.seed,
            sc.year,
            sc.households,
            sc.design.name()
        ),
        2,
    );
    wrap(
        &mut o,
        "",
        &format!(
            "Arm `{}`{}: {}",
            arm.name,
            if x.arm == 0 { " (control)" } else { "" },
            policy_text(sc, x.arm)
        ),
        2,
    );
    if !arm.policy.offers() {
        let _ = writeln!(o, "  advances at 100%");
    } else {
        let draw = match x.risk_z {
            None => format!("take-up draw {:.4}", x.takeup_draw),
            Some(z) => format!(
                "take-up draw {:.4}, tied to its risk score (normal score {z:.3}, selection strength {}) as {:.4}",
                x.takeup_draw, sc.behaviour.selection.strength, x.selected_draw
            ),
        };
        let took = if o_.took_offer {
            format!("took the offer ({draw} < {})", x.takeup_threshold)
        } else {
            format!("declined the offer ({draw} ≥ {})", x.takeup_threshold)
        };
        let chose = if o_.took_offer && arm.policy.has_choice_bands() {
            format!(" and chose {}", o_.percentage)
        } else {
            String::new()
        };
        wrap(
            &mut o,
            "  ",
            &format!("household {took}{chose} → advances at {}", o_.percentage),
            4,
        );
    }
    let missed: Vec<String> = Benefit::ALL
        .iter()
        .filter(|b| {
            sc.population.benefits[b.index()]
                && !o_.applied_for(b.index())
                && o_.entitlement_by_benefit[b.index()] > Money::ZERO
        })
        .map(|b| {
            format!(
                "{} (entitled to {})",
                b.name(),
                o_.entitlement_by_benefit[b.index()]
            )
        })
        .collect();
    if !missed.is_empty() {
        wrap(
            &mut o,
            "  ",
            &format!(
                "did not apply for {} ([behaviour.non_take_up]): no advances and no award",
                missed.join(", ")
            ),
            4,
        );
    }
    if let Some(a) = x.assigned_arm {
        if a == x.arm {
            let _ = writeln!(
                o,
                "  randomized design: the household is assigned to this arm"
            );
        } else {
            wrap(
                &mut o,
                "  ",
                &format!(
                    "randomized design: the household is assigned to arm `{}`; this arm is a counterfactual that `run` does not simulate or write to households.csv",
                    sc.arms[a].name
                ),
                2,
            );
        }
    }
    let _ = writeln!(
        o,
        "  recalculation after a reported change: {} (scenario option)",
        sc.recalculation.name()
    );
    o
}

/// The household's profile on 1 January.
fn profile_text(x: &Explanation) -> String {
    let h = &x.household;
    let mut o = String::new();
    let _ = writeln!(o, "\nProfile on 1 January");
    let w = 18;
    kv(
        &mut o,
        2,
        "household type",
        w,
        HOUSEHOLD_TYPES[h.household_type as usize],
    );
    kv(
        &mut o,
        2,
        "applicant income",
        w,
        &format!(
            "{} a month ({} a year at that rate); own estimate {} a year",
            h.monthly_income,
            Money(h.monthly_income.0 * 12),
            h.estimated_income
        ),
    );
    kv(
        &mut o,
        2,
        "partner",
        w,
        &if h.partner {
            format!(
                "yes, income {} a year; estimate given {}",
                h.partner_income, h.estimated_partner_income
            )
        } else {
            "none".to_string()
        },
    );
    let kids = h.children();
    kv(
        &mut o,
        2,
        "children",
        w,
        &if kids.is_empty() {
            "none".to_string()
        } else {
            kids.iter()
                .map(|c| format!("age {} (birthday month {})", c.age, c.birthday))
                .collect::<Vec<_>>()
                .join(", ")
        },
    );
    for (i, (a, e)) in h.care_actual.iter().zip(&h.care_estimate).enumerate() {
        if let (Some(a), Some(e)) = (a, e) {
            kv(
                &mut o,
                2,
                &format!("childcare child {}", i + 1),
                w,
                &format!(
                    "{}, {} an hour, {} h a month (estimate given: {} h)",
                    a.kind.name(),
                    a.price,
                    a.hours,
                    e.hours
                ),
            );
        }
    }
    kv(&mut o, 2, "assets", w, &h.assets.to_string());
    kv(
        &mut o,
        2,
        "rent (kale huur)",
        w,
        &if h.rent > Money::ZERO {
            format!("{} a month", h.rent)
        } else {
            "does not rent".to_string()
        },
    );
    kv(
        &mut o,
        2,
        "co-residents",
        w,
        &if h.co_residents.is_empty() {
            "none".to_string()
        } else {
            h.co_residents
                .as_slice()
                .iter()
                .map(|c| format!("age {}, income {}", c.age, c.income))
                .collect::<Vec<_>>()
                .join("; ")
        },
    );
    kv(
        &mut o,
        2,
        "actual income",
        w,
        &format!("{} (applicant, whole year)", x.year.actual_income),
    );
    o
}

/// The benefits left out as not applicable (zero all year), if any.
fn not_applicable_text(x: &Explanation) -> String {
    let mut o = String::new();
    let na: Vec<String> = x
        .benefits
        .iter()
        .filter(|b| !x.applicable[b.benefit.index()])
        .map(|b| {
            format!(
                "{} ({})",
                b.benefit.name(),
                match b.benefit {
                    Benefit::Huurtoeslag => "does not rent",
                    Benefit::Kinderopvangtoeslag => "no childcare",
                    Benefit::KindgebondenBudget => "no children",
                    Benefit::Zorgtoeslag => "",
                }
            )
        })
        .collect();
    if !na.is_empty() {
        wrap(
            &mut o,
            "  ",
            &format!(
                "not applicable, zero all year and left out below: {}",
                na.join(", ")
            ),
            4,
        );
    }
    o
}

/// The changes during the year and when the agency knew them.
fn changes_text(x: &Explanation) -> String {
    let h = &x.household;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "\nChanges during the year (a change counts from the next month, Awir art. 5)"
    );
    if h.events().is_empty() {
        let _ = writeln!(o, "  none");
    }
    for e in h.events() {
        wrap(
            &mut o,
            &format!("  month {:>2}  ", e.month),
            &format!(
                "{}; {}",
                event_text(e.kind),
                if matches!(e.kind, EventKind::CareData | EventKind::IncomeData) {
                    agency_data_text(e.known_from)
                } else {
                    reported_text(e.month, e.known_from)
                }
            ),
            12,
        );
    }
    o
}

/// The distinct month situations with their building blocks (a repeat refers back).
fn situations_text(x: &Explanation) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "\nSituations (each distinct month situation; building blocks as `calc` shows them)"
    );
    // Building blocks already shown, to refer back instead of repeating them.
    let mut shown_blocks: Vec<(Benefit, &BuildingBlocks, usize)> = Vec::new();
    for (i, s) in x.situations.iter().enumerate() {
        wrap(
            &mut o,
            &format!("  {:<4}", sid(i)),
            &describe(&s.situation),
            6,
        );
        for (b, bl) in s.blocks.iter().filter(|(b, _)| x.applicable[b.index()]) {
            let same = shown_blocks
                .iter()
                .find(|(b2, bl2, _)| b2 == b && bl2.lines == bl.lines);
            if let Some((_, _, j)) = same {
                let _ = writeln!(
                    o,
                    "      {}: exact annual amount {} (building blocks as in {})",
                    b.name(),
                    fine_text(s.exact[b.index()]),
                    sid(*j)
                );
                continue;
            }
            shown_blocks.push((*b, bl, i));
            let _ = writeln!(
                o,
                "      {}: exact annual amount {}",
                b.name(),
                fine_text(s.exact[b.index()])
            );
            let lw = bl
                .lines
                .iter()
                .map(|(l, _)| l.chars().count())
                .max()
                .unwrap_or(0)
                .min(44);
            for (l, v) in &bl.lines {
                kv(&mut o, 8, l, lw, v);
            }
        }
    }
    o
}

/// What the agency knows in each knowledge state and the award it computes, and the definitive award.
fn knowledge_text(x: &Explanation) -> String {
    let h = &x.household;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "\nWhat the agency knows, and the annual award it computes (Σ months exact / 12, rounded)"
    );
    for (k, st) in x.year.states().iter().enumerate() {
        let v = &x.trace.known[k];
        let why: Vec<String> = h
            .events()
            .iter()
            .filter(|e| e.known_from == st.from_month)
            .map(|e| format!("month-{} change", e.month))
            .collect();
        let head = if k == 0 {
            "from month 1 (the household's estimate)".to_string()
        } else {
            format!(
                "from month {} (after the reported {})",
                st.from_month,
                why.join(", ")
            )
        };
        wrap(
            &mut o,
            &format!("  {head}: "),
            &format!(
                "applicant income {}; {}",
                v.applicant_income,
                segments_text(&x.known_ids[k])
            ),
            6,
        );
        award_lines(&mut o, x, &v.sums, &st.award);
    }
    wrap(
        &mut o,
        "  definitive (what really happened): ",
        &format!(
            "applicant income {}; {}",
            x.trace.actual.applicant_income,
            segments_text(&x.actual_ids)
        ),
        6,
    );
    award_lines(&mut o, x, &x.trace.actual.sums, &x.year.definitive);
    o
}

/// The month-by-month table: situations, advances per benefit, paid and entitled.
fn months_text(x: &Explanation) -> String {
    let o_ = &x.outcome;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "\nMonth by month: situation and advance paid (net of in-year corrections)"
    );
    let mut head = format!("  {:>5} {:>6} {:>6}", "month", "actual", "known");
    let shown = shown_benefits(x);
    for b in &shown {
        let _ = write!(head, " {:>12}", short(b.benefit));
    }
    let _ = write!(head, " {:>12} {:>12}", "paid", "entitled");
    let _ = writeln!(o, "{head}");
    for m in 1..=12u8 {
        let k = x.state_at(m);
        let mut line = format!(
            "  {:>5} {:>6} {:>6}",
            m,
            sid(x.actual_ids[m as usize - 1]),
            sid(x.known_ids[k][m as usize - 1])
        );
        for b in &shown {
            let _ = write!(
                line,
                " {:>12}",
                b.ledger.by_month[m as usize - 1].to_string()
            );
        }
        let _ = write!(
            line,
            " {:>12} {:>12}",
            o_.paid_by_month[m as usize - 1].to_string(),
            x.year.monthly_entitlement[m as usize - 1].to_string()
        );
        let _ = writeln!(o, "{line}");
    }
    let mut line = format!("  {:>5} {:>6} {:>6}", "total", "", "");
    for b in &shown {
        let _ = write!(line, " {:>12}", b.ledger.net.to_string());
    }
    let ent: Money = x.year.monthly_entitlement.iter().copied().sum();
    let _ = write!(
        line,
        " {:>12} {:>12}",
        o_.advances.to_string(),
        ent.to_string()
    );
    let _ = writeln!(o, "{line}");
    let _ = writeln!(
        o,
        "  (entitled: the actual month's exact annual amount / 12, all benefits, shown to the cent)"
    );
    o
}

/// The parameters used with their sources, and the uncertain ones.
fn sources_text(x: &Explanation) -> String {
    let sc = &x.scenario;
    let mut o = String::new();
    let _ = writeln!(o, "\nParameters and sources (parameters/{}.toml)", sc.year);
    for key in x.parameters_used() {
        if let Some((v, p)) = source_line(sc, &key) {
            wrap(&mut o, "  ", &format!("{key} = {v}: {}", p.source), 6);
        }
    }
    let notes: Vec<String> = sc
        .parameter_set
        .uncertain()
        .into_iter()
        .filter(|(k, _)| x.parameters_used().contains(k))
        .map(|(k, _)| k)
        .collect();
    if !notes.is_empty() {
        let _ = writeln!(o, "\nApproximations in this story");
        wrap(
            &mut o,
            "  ",
            &format!("uncertain parameters used: {}", notes.join(", ")),
            4,
        );
    }
    o
}

fn award_lines(o: &mut String, x: &Explanation, sums: &[Fine; N_BENEFITS], award: &[Money]) {
    for b in x
        .benefits
        .iter()
        .filter(|b| x.applicable[b.benefit.index()])
    {
        let i = b.benefit.index();
        let _ = writeln!(
            o,
            "      {:<20} Σ/12 = {:>12} → award {:>12}",
            b.benefit.name(),
            fine_text(sums[i].div_trunc(12)),
            award[i].to_string()
        );
    }
}

fn benefit_text(o: &mut String, x: &Explanation, b: &BenefitStory) {
    let sc = &x.scenario;
    let pct = x.outcome.percentage;
    let _ = writeln!(o, "\n{}", b.benefit.name());
    for s in &b.steps {
        let target = if pct == Rate::ONE {
            format!("target {}", s.target)
        } else {
            format!("target floor({} × {pct}) = {}", s.award, s.target)
        };
        if s.from_month == 1 {
            wrap(
                o,
                "  month 1: ",
                &format!(
                    "award {} on the estimate; {target}; advance floor(target / 12) = {} a month",
                    s.award, s.monthly
                ),
                4,
            );
            continue;
        }
        let what = match sc.recalculation {
            Recalculation::LumpSum => {
                let settle = if s.correction < Money::ZERO {
                    format!("in-year reclaim {} (always collected)", -s.correction)
                } else if s.correction == Money::ZERO {
                    "nothing to settle at once".to_string()
                } else {
                    format!("paid at once {}", s.correction)
                };
                format!(
                    "new advance floor(target / 12) = {} a month; {} months due {} − paid {} → {settle}",
                    s.monthly,
                    s.from_month - 1,
                    Money(s.monthly.0 * (s.from_month as i64 - 1)),
                    s.paid_before
                )
            }
            Recalculation::Spread => {
                if s.correction < Money::ZERO {
                    format!(
                        "paid so far {} exceeds the target: in-year reclaim {} (always collected), no more advances",
                        s.paid_before, -s.correction
                    )
                } else {
                    let left = 13 - s.from_month;
                    format!(
                        "(target − paid {}) / {left} month{} left = {} a month",
                        s.paid_before,
                        if left == 1 { "" } else { "s" },
                        s.monthly
                    )
                }
            }
        };
        wrap(
            o,
            &format!("  recalculated from month {}: ", s.from_month),
            &format!("award {}; {target}; {what}", s.award),
            4,
        );
    }
    let _ = writeln!(
        o,
        "  advances paid {} (in-year reclaims {}; withheld vs 100% {})",
        b.ledger.net, b.ledger.in_year_reclaim, b.withheld
    );
    let _ = writeln!(o, "  definitive award {}", b.definitive);
    let thr = sc.params.awir.small_reclaim_threshold;
    let settle = if b.backpay > Money::ZERO {
        format!(
            "back-payment {} (no threshold for back-payments)",
            b.backpay
        )
    } else if b.reclaim_raw > Money::ZERO {
        if b.reclaim > Money::ZERO {
            format!(
                "reclaim {} (above awir.small_reclaim_threshold {thr}: collected)",
                b.reclaim_raw
            )
        } else {
            format!(
                "reclaim {} (up to awir.small_reclaim_threshold {thr}: not collected)",
                b.reclaim_raw
            )
        }
    } else {
        "settled exactly".to_string()
    };
    wrap(
        o,
        "  settlement: ",
        &format!(
            "award {} − advances {} = {}",
            b.definitive, b.ledger.net, settle
        ),
        4,
    );
}

fn settlement_text(o: &mut String, x: &Explanation) {
    let sc = &x.scenario;
    let r = &x.outcome;
    let _ = writeln!(
        o,
        "\nSettlement, all benefits (the household's row in households.csv)"
    );
    let w = 30;
    for (l, v) in [
        ("advances", r.advances),
        ("definitive_award", r.definitive),
        ("reclaim_before_threshold", r.reclaim_before_threshold),
        ("reclaim (collected)", r.reclaim),
        ("backpay", r.backpay),
        ("in_year_reclaim", r.in_year_reclaim),
        ("withheld (vs 100% advance)", r.withheld),
        ("repayment_monthly", r.repayment_monthly),
        ("income (applicant, actual)", r.income),
    ] {
        let _ = writeln!(o, "  {l:<w$} {:>14}", v.to_string());
    }
    wrap(
        o,
        "  ",
        &format!(
            "netting: back-payments and reclaims are settled per benefit and not offset against each other in this model; the household's net result is {} (back-payments {} − collected reclaims {}).",
            r.backpay - r.reclaim,
            r.backpay,
            r.reclaim
        ),
        4,
    );
    let _ = writeln!(
        o,
        "\nRepayment plan (Awir; standard arrangement, one per benefit)"
    );
    let a = &sc.params.awir;
    if r.reclaim > Money::ZERO {
        for b in x.benefits.iter().filter(|b| b.reclaim > Money::ZERO) {
            let monthly = awir::repayment_instalment(a, b.reclaim);
            let (n, last) = instalments(b.reclaim, monthly);
            wrap(
                o,
                "  ",
                &format!(
                    "{}: reclaim {} over at most awir.repayment_months = {} instalments, each at least awir.repayment_min_monthly = {}: {} a month, {n} instalment{}{}.",
                    b.benefit.name(),
                    b.reclaim,
                    a.repayment_months,
                    a.repayment_min_monthly,
                    monthly,
                    if n == 1 { "" } else { "s" },
                    if last != monthly {
                        format!(" (the last {last})")
                    } else {
                        String::new()
                    }
                ),
                4,
            );
        }
        wrap(
            o,
            "  ",
            &format!(
                "together {} a month (repayment_monthly). No interest is modelled (docs/rules.md §5).",
                r.repayment_monthly
            ),
            4,
        );
    } else {
        let _ = writeln!(o, "  nothing to repay");
    }
}

/// Number of instalments and the last one for a reclaim repaid at `monthly` a month.
fn instalments(reclaim: Money, monthly: Money) -> (i64, Money) {
    if monthly <= Money::ZERO {
        return (0, Money::ZERO);
    }
    let n = (reclaim.0 + monthly.0 - 1) / monthly.0;
    (n, Money(reclaim.0 - (n - 1) * monthly.0))
}

// ------------------------------------------------------------------------------------------
// JSON
// ------------------------------------------------------------------------------------------

fn per_benefit(x: &Explanation, a: &[Money]) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for b in &x.benefits {
        m.insert(b.benefit.name().into(), a[b.benefit.index()].to_json());
    }
    serde_json::Value::Object(m)
}

fn situation_json(i: usize, s: &SituationStory) -> serde_json::Value {
    let st = &s.situation;
    let mut benefits = serde_json::Map::new();
    for (b, bl) in &s.blocks {
        benefits.insert(
            b.name().into(),
            serde_json::json!({
                "exact_annual": fine_json(s.exact[b.index()]),
                "building_blocks": serde_json::Value::Object(bl.details.clone()),
                "parameters": bl.parameters,
            }),
        );
    }
    serde_json::json!({
        "id": sid(i),
        "partner": st.partner,
        "persons": st.persons(),
        "children_ages": st.children.ages(),
        "childcare": st.children.care().iter().map(|c| c.map(|c| serde_json::json!({
            "type": c.kind.name(), "hours": c.hours, "price": c.price.to_json()
        }))).collect::<Vec<_>>(),
        "income": st.income.to_json(),
        "rent": st.rent.to_json(),
        "assets": st.assets.to_json(),
        "benefits": benefits,
    })
}

/// The arm explained: its policy, the take-up draw and the advance percentage.
fn arm_json(x: &Explanation) -> serde_json::Value {
    let sc = &x.scenario;
    let r = &x.outcome;
    let arm = &sc.arms[x.arm];
    serde_json::json!({
        "name": arm.name,
        "index": x.arm,
        "control": x.arm == 0,
        "policy": arm.policy.name(),
        "offered": arm.policy.offers(),
        "takeup": arm.takeup,
        "takeup_draw": x.takeup_draw,
        "selected_draw": x.selected_draw,
        "risk_z": x.risk_z,
        "takeup_threshold": x.takeup_threshold,
        "did_not_apply": Benefit::ALL
            .iter()
            .filter(|b| sc.population.benefits[b.index()] && !r.applied_for(b.index()))
            .map(|b| b.name())
            .collect::<Vec<_>>(),
        "took_offer": r.took_offer,
        "percentage": rate_json_normalized(r.percentage),
        "assigned_arm": x.assigned_arm.map(|a| sc.arms[a].name.clone()),
    })
}

/// The household's profile on 1 January.
fn profile_json(x: &Explanation) -> serde_json::Value {
    let h = &x.household;
    serde_json::json!({
        "household_type": HOUSEHOLD_TYPES[h.household_type as usize],
        "partner": h.partner,
        "monthly_income": h.monthly_income.to_json(),
        "estimated_income": h.estimated_income.to_json(),
        "partner_income": h.partner_income.to_json(),
        "estimated_partner_income": h.estimated_partner_income.to_json(),
        "children": h.children().iter().enumerate().map(|(i, c)| serde_json::json!({
            "age": c.age,
            "birthday_month": c.birthday,
            "childcare": h.care_actual[i].map(|a| serde_json::json!({
                "type": a.kind.name(),
                "price": a.price.to_json(),
                "hours": a.hours,
                "hours_estimate": h.care_estimate[i].map_or(0, |e| e.hours),
            })),
        })).collect::<Vec<_>>(),
        "assets": h.assets.to_json(),
        "rent": h.rent.to_json(),
        "co_residents": h.co_residents.as_slice().iter().map(|c| serde_json::json!({"age": c.age, "income": c.income.to_json()})).collect::<Vec<_>>(),
        "actual_income": x.year.actual_income.to_json(),
    })
}

/// The household's events with the month the agency knew each.
fn events_json(x: &Explanation) -> serde_json::Value {
    let h = &x.household;
    serde_json::json!(h.events().iter().map(|e| serde_json::json!({
        "month": e.month,
        "kind": event_kind_name(e.kind),
        "factor": match e.kind { EventKind::IncomeFactor(f) | EventKind::PartnerIncomeFactor(f) | EventKind::YearIncomeFactor(f) => Some(rate_json_normalized(f)), _ => None },
        "partner_income": match e.kind { EventKind::PartnerIn(y) | EventKind::PartnerFound(y) => Some(y.to_json()), _ => None },
        "known_from": (e.known_from <= 12).then_some(e.known_from),
    })).collect::<Vec<_>>())
}

/// The machine-readable story. Keys are stable; amounts are euros (JSON numbers with at most
/// two decimals), percentages decimal strings (`"0.8"`), months 1–12.
pub fn to_json(x: &Explanation) -> serde_json::Value {
    let sc = &x.scenario;
    let h = &x.household;
    let r = &x.outcome;
    let ids = |a: &[usize; 12]| a.iter().map(|i| sid(*i)).collect::<Vec<_>>();
    let states: Vec<serde_json::Value> = x
        .year
        .states()
        .iter()
        .enumerate()
        .map(|(k, st)| {
            serde_json::json!({
                "from_month": st.from_month,
                "applicant_income": x.trace.known[k].applicant_income.to_json(),
                "situation_by_month": ids(&x.known_ids[k]),
                "exact_annual": x.benefits.iter().map(|b| (b.benefit.name().to_string(), fine_json(x.trace.known[k].sums[b.benefit.index()].div_trunc(12)))).collect::<serde_json::Map<_, _>>(),
                "award": per_benefit(x, &st.award),
            })
        })
        .collect();
    let months: Vec<serde_json::Value> = (1..=12u8)
        .map(|m| {
            let i = m as usize - 1;
            let k = x.state_at(m);
            let mut adv = serde_json::Map::new();
            for b in &x.benefits {
                adv.insert(b.benefit.name().into(), b.ledger.by_month[i].to_json());
            }
            serde_json::json!({
                "month": m,
                "actual_situation": sid(x.actual_ids[i]),
                "known_situation": sid(x.known_ids[k][i]),
                "knowledge_state_from_month": x.year.states()[k].from_month,
                "advance": adv,
                "paid": r.paid_by_month[i].to_json(),
                "entitled": x.year.monthly_entitlement[i].to_json(),
            })
        })
        .collect();
    let mut benefits = serde_json::Map::new();
    for b in &x.benefits {
        benefits.insert(
            b.benefit.name().into(),
            serde_json::json!({
                "steps": b.steps.iter().map(|s| serde_json::json!({
                    "from_month": s.from_month,
                    "award": s.award.to_json(),
                    "target": s.target.to_json(),
                    "paid_before": s.paid_before.to_json(),
                    "correction": s.correction.to_json(),
                    "monthly": s.monthly.to_json(),
                })).collect::<Vec<_>>(),
                "applicable": x.applicable[b.benefit.index()],
                "advances": b.ledger.net.to_json(),
                "in_year_reclaim": b.ledger.in_year_reclaim.to_json(),
                "withheld": b.withheld.to_json(),
                "definitive_award": b.definitive.to_json(),
                "reclaim_before_threshold": b.reclaim_raw.to_json(),
                "reclaim": b.reclaim.to_json(),
                "backpay": b.backpay.to_json(),
            }),
        );
    }
    let plans: Vec<serde_json::Value> = x
        .benefits
        .iter()
        .filter(|b| b.reclaim > Money::ZERO)
        .map(|b| {
            let monthly = awir::repayment_instalment(&sc.params.awir, b.reclaim);
            let (n, last) = instalments(b.reclaim, monthly);
            serde_json::json!({
                "benefit": b.benefit.name(),
                "reclaim": b.reclaim.to_json(),
                "monthly": monthly.to_json(),
                "instalments": n,
                "last_instalment": last.to_json(),
            })
        })
        .collect();
    let parameters: Vec<serde_json::Value> = x
        .parameters_used()
        .into_iter()
        .filter_map(|k| {
            source_line(sc, &k).map(|(_, p)| {
                serde_json::json!({
                    "parameter": k,
                    "value": p.value.to_string(),
                    "unit": p.unit,
                    "source": p.source,
                    "uncertain": p.uncertain,
                    "overridden_from": p.overridden_from.map(|d| d.to_string()),
                })
            })
        })
        .collect();
    serde_json::json!({
        "format_version": 1,
        "scenario": sc.name,
        "seed": sc.seed,
        "year": sc.year,
        "households": sc.households,
        "design": sc.design.name(),
        "recalculation": sc.recalculation.name(),
        "household_id": h.id,
        "arm": arm_json(x),
        "profile": profile_json(x),
        "events": events_json(x),
        "situations": x.situations.iter().enumerate().map(|(i, s)| situation_json(i, s)).collect::<Vec<_>>(),
        "knowledge_states": states,
        "definitive": {
            "applicant_income": x.trace.actual.applicant_income.to_json(),
            "situation_by_month": ids(&x.actual_ids),
            "exact_annual": x.benefits.iter().map(|b| (b.benefit.name().to_string(), fine_json(x.trace.actual.sums[b.benefit.index()].div_trunc(12)))).collect::<serde_json::Map<_, _>>(),
            "award": per_benefit(x, &x.year.definitive),
        },
        "months": months,
        "benefits": benefits,
        "totals": {
            "advances": r.advances.to_json(),
            "definitive_award": r.definitive.to_json(),
            "reclaim_before_threshold": r.reclaim_before_threshold.to_json(),
            "reclaim": r.reclaim.to_json(),
            "backpay": r.backpay.to_json(),
            "in_year_reclaim": r.in_year_reclaim.to_json(),
            "withheld": r.withheld.to_json(),
            "repayment_monthly": r.repayment_monthly.to_json(),
            "income": r.income.to_json(),
            "net": (r.backpay - r.reclaim).to_json(),
        },
        "repayment_plan": {
            "reclaim": r.reclaim.to_json(),
            "monthly": r.repayment_monthly.to_json(),
            "plans": plans,
            "interest": 0,
        },
        "parameters": parameters,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instalments_cover_the_reclaim() {
        assert_eq!(
            instalments(Money::euros(306), Money::euros(20)),
            (16, Money::euros(6))
        );
        assert_eq!(
            instalments(Money::euros(1008), Money::euros(42)),
            (24, Money::euros(42))
        );
        assert_eq!(instalments(Money::ZERO, Money::ZERO), (0, Money::ZERO));
    }

    #[test]
    fn segments_group_equal_months() {
        let ids = [0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2, 2];
        assert_eq!(
            segments_text(&ids),
            "S1 months 1–5, S2 month 6, S3 months 7–12"
        );
    }

    #[test]
    fn wrapped_lines_fit() {
        let mut o = String::new();
        wrap(&mut o, "  prefix: ", &"word ".repeat(80), 6);
        assert!(o.lines().all(|l| l.chars().count() <= WIDTH), "{o}");
        assert!(o.lines().skip(1).all(|l| l.starts_with("      w")), "{o}");
    }
}
