//! Agency interventions: attention letters, the year-start notice, data-driven mutation and
//! personal guidance (docs/rules.md §7). Each is switched on per arm
//! (`interventions = ["attention_letter", "mutation"]`) and combines with any advance policy;
//! their parameters live in the scenario's `[interventions.*]` tables.
//!
//! Owns: how an intervention changes what the agency knows about a household and when. It
//! works on the household's events: a year-start notice re-draws the reporting with higher
//! probabilities (same draws, so every change reported without the notice is still reported);
//! the other interventions add agency data events ([`EventKind::CareData`],
//! [`EventKind::IncomeData`]) that make the agency use provider or payroll data from a payment
//! month on. The engine then computes the arm's own knowledge states from that household.
//!
//! Draws come only from the household's own `Interventions` stream, in a fixed order whatever
//! interventions an arm uses: a letter response draw, a guidance draw, one objection draw per
//! possible mutation run (12), then — appended for issue 18 — the provider-quality draw, one
//! self-report draw per possible run (12) and the response draw of a household sent from
//! mutation to the attention process. Must not: pay advances or settle the year (engine).

use crate::model::benefit::MAX_CHILDREN;
use crate::model::money::Money;
use crate::model::scenario::{Arm, InterventionKind, InterventionParams, Scenario};
use crate::rules::Benefit;
use crate::sim::engine::known_award;
use crate::sim::events::{Event, EventKind};
use crate::sim::population::Household;
use crate::sim::random::{stream, Purpose};
use crate::sim::year::{situation, View};
use rand::RngExt;

pub use crate::model::outcome::InterventionTrace as Trace;

/// The household as the agency knows it in an arm with interventions (`None` for an arm
/// without interventions: the household as drawn).
pub fn household_for_arm(sc: &Scenario, arm: &Arm, h: &Household) -> Option<Household> {
    household_and_trace(sc, arm, h).map(|(hh, _)| hh)
}

/// As [`household_for_arm`], with what the interventions did.
pub fn household_and_trace(sc: &Scenario, arm: &Arm, h: &Household) -> Option<(Household, Trace)> {
    if arm.interventions.is_empty() {
        return None;
    }
    Some(apply(sc, arm, h))
}

/// Does the household use childcare (so provider data exist)?
fn has_childcare(h: &Household) -> bool {
    h.care_actual.iter().any(Option::is_some)
}

/// Sum of the annual awards over benefits.
fn total(a: &[Money]) -> Money {
    a.iter().copied().fold(Money::ZERO, |x, y| x + y)
}

/// Per child of 1 January, the relative gap in month `d` between the childcare hours the
/// agency pays on (its knowledge for payment month `k`) and the hours the provider reports
/// for that month: |paid on − provider| / provider (infinite when the provider reports no
/// hours but the agency pays on some; zero for a child without childcare). A decision
/// threshold only, never money. Both views come from the engine's own month situation, so
/// the hours (with their rounding) are those the awards use.
pub fn child_gaps(h: &Household, k: u8, d: u8) -> [f64; MAX_CHILDREN] {
    let known = situation(h, View::Known(k), d, Money::ZERO);
    let actual = situation(h, View::Actual, d, Money::ZERO);
    let mut gaps = [0.0; MAX_CHILDREN];
    let n = h.children().len();
    let pairs = known.children.care().iter().zip(actual.children.care());
    for (g, (kc, ac)) in gaps.iter_mut().zip(pairs).take(n) {
        let paid = kc.map_or(0.0, |c| f64::from(c.hours));
        let provider = ac.map_or(0.0, |c| f64::from(c.hours));
        *g = if provider > 0.0 {
            (paid - provider).abs() / provider
        } else if paid > 0.0 {
            f64::INFINITY
        } else {
            0.0
        };
    }
    gaps
}

/// Largest child gap of [`child_gaps`].
fn max_gap(h: &Household, k: u8, d: u8) -> f64 {
    child_gaps(h, k, d).into_iter().fold(0.0, f64::max)
}

/// The children whose gap exceeds `p.mutation_gap_threshold` in each of the
/// `mutation_confirm_deliveries` monthly deliveries ending with run month `m`, on the agency's
/// knowledge for payment month `m` (a bit per child). Empty when the year has fewer
/// deliveries before the run than needed.
pub fn confirmed_children(p: &InterventionParams, h: &Household, m: u8) -> u16 {
    let c = p.mutation_confirm_deliveries.max(1);
    if m < c {
        return 0;
    }
    let mut set = u16::MAX;
    for d in m + 1 - c..=m {
        let gaps = child_gaps(h, m, d);
        let mut here = 0u16;
        for (i, g) in gaps.iter().enumerate() {
            if *g > p.mutation_gap_threshold {
                here |= 1 << i;
            }
        }
        set &= here;
    }
    set
}

/// Did the household report a change used for the advance from one of the `e` payment months
/// up to run month `m` (that is, reported in the `e` months before the run)? `own` holds the
/// payment months from which the household's own answers during the year (attention letter,
/// self-report, guidance) are used, a bit per month.
pub fn recently_reported(h: &Household, own: u16, m: u8, e: u8) -> bool {
    if e == 0 {
        return false;
    }
    let lo = (m + 1).saturating_sub(e).max(1);
    let in_window = |k: u8| (lo..=m).contains(&k);
    h.events()
        .iter()
        .any(|ev| ev.change_type().is_some() && in_window(ev.known_from))
        || (lo..=m).any(|k| own & (1 << k) != 0)
}

/// Applies the arm's interventions to household `h`; returns the household as the agency then
/// knows it and what happened (docs/rules.md §7).
///
/// - **Year-start notice**: every reporting probability × `report_multiplier` (capped at 1).
/// - **Personal guidance** (households with childcare whose largest child gap in
///   `guidance_month` exceeds the guidance threshold; of those a share `guidance_share`): the
///   agency brings childcare and income up to date (data events used from the next payment
///   month), whether that raises or lowers the advance.
/// - **Attention letter** (households with childcare whose provider data are reliable and
///   whose hours paid on differ from them by more than `gap_threshold` in `letter_month`):
///   with probability `response_share` the household reports its actual childcare, used from
///   the next payment month.
/// - **Mutation**: in each run month `m` (the letter month; the change applies from payment
///   month `m + 2`, after the 3 weeks to object, so runs after month 10 do nothing this year):
///   1. a household that reported a change in the last `exclusion_months` is skipped;
///   2. childcare: only reliable provider data; the children whose gap exceeds the mutation
///      threshold in `confirm_deliveries` consecutive deliveries get one letter each; with
///      more than `max_letters` such children the household is sent to the attention process
///      instead (once; it answers like an attention letter);
///   3. income (when a source): payroll data up to the month before (not the self-employed),
///      one letter;
///   4. each source is used only when it alone lowers the household's total advance, both
///      only when each does and together they lower it most (per child the data may go up or
///      down);
///   5. after the letters a share `self_report_share` reports the same data itself (used from
///      payment month `m + 1`); of the rest a share `objection_share` objects (and is not
///      mutated again that year); otherwise the mutation is carried out.
pub fn apply(sc: &Scenario, arm: &Arm, h: &Household) -> (Household, Trace) {
    let p = &sc.interventions;
    let mut t = Trace {
        childcare: has_childcare(h),
        ..Trace::default()
    };
    let mut hh = h.clone();
    let mut rng = stream(sc.seed, h.id, Purpose::Interventions);
    let u_letter: f64 = rng.random();
    let u_guidance: f64 = rng.random();
    let mut u_object = [0.0f64; 12];
    for u in u_object.iter_mut() {
        *u = rng.random();
    }
    // Appended draws (issue 18): after every earlier draw, so those keep their values.
    let u_quality: f64 = rng.random();
    let mut u_self = [0.0f64; 12];
    for u in u_self.iter_mut() {
        *u = rng.random();
    }
    let u_attention: f64 = rng.random();
    let reliable = u_quality < p.provider_quality_share;
    let kot = Benefit::Kinderopvangtoeslag.index();
    // Payment months from which the household's own answers are used (exclusion window).
    let mut own: u16 = 0;

    if arm.has(InterventionKind::YearStartNotice) {
        let n = hh.n_events as usize;
        crate::sim::behaviour::draw_reporting(sc, h.id, &mut hh.events[..n], p.notice_multiplier);
    }

    let g = p.guidance_month;
    if arm.has(InterventionKind::PersonalGuidance)
        && t.childcare
        && g < 12
        && max_gap(&hh, g, g) > p.guidance_gap_threshold
        && u_guidance < p.guidance_share
    {
        t.guided = true;
        let before = known_award(sc, &hh, g + 1);
        hh.push_event(Event {
            month: g,
            kind: EventKind::CareData,
            known_from: g + 1,
        });
        // With guidance the household states its current income itself, so this also holds
        // for the self-employed.
        hh.push_event(Event {
            month: g,
            kind: EventKind::IncomeData,
            known_from: g + 1,
        });
        t.guidance_childcare_change = known_award(sc, &hh, g + 1)[kot] - before[kot];
        own |= 1 << (g + 1);
    }

    let l = p.letter_month;
    if arm.has(InterventionKind::AttentionLetter)
        && t.childcare
        && reliable
        && l < 12
        && max_gap(&hh, l, l) > p.letter_gap_threshold
    {
        t.letter_sent = true;
        if u_letter < p.letter_response_share {
            t.letter_answered = true;
            let before = known_award(sc, &hh, l + 1);
            hh.push_event(Event {
                month: l,
                kind: EventKind::CareData,
                known_from: l + 1,
            });
            t.letter_childcare_change = known_award(sc, &hh, l + 1)[kot] - before[kot];
            own |= 1 << (l + 1);
        }
    }

    if arm.has(InterventionKind::Mutation) {
        let mut objected = false;
        for (i, &m) in p.mutation_months.iter().enumerate() {
            let k = m + 2;
            if objected || k > 12 {
                continue;
            }
            if recently_reported(&hh, own, m, p.mutation_exclusion_months) {
                continue;
            }
            let mut care = None;
            let mut care_letters = 0u8;
            if p.mutation_childcare && t.childcare && reliable && !t.to_attention {
                let n = confirmed_children(p, &hh, m).count_ones() as u8;
                if n > p.mutation_max_letters {
                    // Sent to the attention process: answers like an attention letter.
                    t.to_attention = true;
                    if u_attention < p.letter_response_share
                        && hh.push_event(Event {
                            month: m,
                            kind: EventKind::CareData,
                            known_from: m + 1,
                        })
                    {
                        own |= 1 << (m + 1);
                    }
                    continue;
                }
                if n > 0 {
                    care_letters = n;
                    care = Some(Event {
                        month: m,
                        kind: EventKind::CareData,
                        known_from: k,
                    });
                }
            }
            let income = (p.mutation_income && hh.employment != 2 && m > 1).then(|| Event {
                month: m - 1,
                kind: EventKind::IncomeData,
                known_from: k,
            });
            if care.is_none() && income.is_none() {
                continue;
            }
            let current = total(&known_award(sc, &hh, k));
            let with = |evs: &[Event]| {
                let mut cand = hh.clone();
                for e in evs {
                    cand.push_event(*e);
                }
                total(&known_award(sc, &cand, k))
            };
            // Each source only when it lowers the total on its own.
            let care = care.filter(|e| with(&[*e]) < current);
            let income = income.filter(|e| with(&[*e]) < current);
            let chosen: Vec<Event> = match (care, income) {
                (Some(c), Some(y)) => {
                    let (tc, ty, tb) = (with(&[c]), with(&[y]), with(&[c, y]));
                    if tb <= tc && tb <= ty {
                        vec![c, y]
                    } else if tc <= ty {
                        vec![c]
                    } else {
                        vec![y]
                    }
                }
                (Some(c), None) => vec![c],
                (None, Some(y)) => vec![y],
                (None, None) => continue,
            };
            let letters = chosen
                .iter()
                .map(|e| {
                    if e.kind == EventKind::CareData {
                        care_letters
                    } else {
                        1
                    }
                })
                .sum::<u8>();
            t.mutation_letters = t.mutation_letters.saturating_add(letters);
            let run = i.min(11);
            if u_self[run] < p.mutation_self_report_share {
                // The household reports the data itself: used from the next payment month.
                let mut ok = true;
                for e in &chosen {
                    ok &= hh.push_event(Event {
                        known_from: m + 1,
                        ..*e
                    });
                }
                if ok {
                    t.self_reports += 1;
                    own |= 1 << (m + 1);
                }
            } else if u_object[run] < p.mutation_objection_share {
                objected = true;
            } else {
                let mut ok = true;
                for e in &chosen {
                    ok &= hh.push_event(*e);
                }
                if ok {
                    t.mutations += 1;
                }
            }
        }
    }
    (hh, t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse_str;
    use std::path::Path;

    fn scenario(extra: &str) -> Scenario {
        let text = format!(
            r#"
[experiment]
name = "t"
year = 2026
households = 10
seed = 5

[[arms]]
name = "control"
advance = {{ policy = "standard" }}

[[arms]]
name = "all"
advance = {{ policy = "standard" }}
interventions = ["attention_letter", "year_start_notice", "mutation", "personal_guidance"]

[population]
household_types = {{ single = 0.0, couple = 0.0, single_parent = 0.5, couple_with_children = 0.5 }}
childcare = {{ share_using = 1.0 }}
{extra}
"#
        );
        parse_str(Path::new("t.toml"), &text, String::new()).unwrap()
    }

    /// A one-arm-with-mutation scenario whose `[interventions]` part is `extra` (added after
    /// settings that make every draw decide one way: reliable data, nobody objects or reports).
    fn mutation_scenario(extra: &str) -> (Scenario, Arm) {
        let base = format!("[interventions]\nprovider_quality_share = 1.0\n{extra}");
        let sc = scenario(&base);
        let arm = Arm {
            interventions: vec![InterventionKind::Mutation],
            ..sc.arms[1].clone()
        };
        (sc, arm)
    }

    /// A hand-made household: applicant earning €2,000 a month, no partner, no rent, no events,
    /// and one child per `(estimated, actual)` pair of monthly day-care hours at €10 an hour.
    fn family(sc: &Scenario, care: &[(u16, u16)]) -> Household {
        use crate::model::benefit::{Care, CareType};
        use crate::model::household::Child;
        let mut h = crate::sim::population::generate(sc, 0);
        h.partner = false;
        h.monthly_income = Money::euros(2_000);
        h.estimated_income = Money::euros(24_000);
        h.partner_income = Money::ZERO;
        h.estimated_partner_income = Money::ZERO;
        h.rent = Money::ZERO;
        h.assets = Money::ZERO;
        h.employment = 0;
        h.n_events = 0;
        h.care_actual = [None; MAX_CHILDREN];
        h.care_estimate = [None; MAX_CHILDREN];
        h.n_children = care.len() as u8;
        for (i, &(est, act)) in care.iter().enumerate() {
            h.children[i] = Child {
                age: 2,
                birthday: 12,
            };
            let c = |hours| Care {
                kind: CareType::Dagopvang,
                hours,
                price: Money::euros(10),
            };
            h.care_estimate[i] = Some(c(est));
            h.care_actual[i] = Some(c(act));
        }
        h
    }

    /// The data events the interventions added: (kind, month, known_from).
    fn data_events(h: &Household) -> Vec<(EventKind, u8, u8)> {
        h.events()
            .iter()
            .filter(|e| e.is_data())
            .map(|e| (e.kind, e.month, e.known_from))
            .collect()
    }

    #[test]
    fn quality_filter_uses_only_reliable_provider_data() {
        // Estimate 150 h, provider 100 h: gap |150 − 100| / 100 = 0.5 > 0.22 in deliveries 3
        // and 4, and using the provider's hours lowers the advance. Run in month 4: one letter,
        // the mutation used from payment month 6. With no provider in the top two categories
        // (share 0) nothing happens.
        let (sc, arm) = mutation_scenario("[interventions.mutation]\nmonths = [4]\nobjection_share = 0.0\nself_report_share = 0.0\n");
        let h = family(&sc, &[(150, 100)]);
        assert_eq!(child_gaps(&h, 4, 4)[0], 0.5);
        let (hh, t) = apply(&sc, &arm, &h);
        assert_eq!((t.mutation_letters, t.mutations), (1, 1));
        assert_eq!(data_events(&hh), vec![(EventKind::CareData, 4, 6)]);
        let none = scenario("[interventions]\nprovider_quality_share = 0.0\n[interventions.mutation]\nmonths = [4]\nobjection_share = 0.0\nself_report_share = 0.0\n");
        let (hh, t) = apply(&none, &arm, &h);
        assert_eq!((t.mutation_letters, t.mutations), (0, 0));
        assert!(data_events(&hh).is_empty());
    }

    #[test]
    fn a_change_reported_in_the_month_before_the_run_skips_that_run() {
        // A rent change in month 2 reported with a delay of one month: used from payment month
        // 4, i.e. reported in month 3, the month before run 4. Exclusion of one month: run 4
        // skips the household, run 6 mutates (data used from month 8). Without exclusion run 4
        // mutates (from month 6).
        let (sc, arm) = mutation_scenario("[interventions.mutation]\nmonths = [4, 6]\nobjection_share = 0.0\nself_report_share = 0.0\n");
        let mut h = family(&sc, &[(150, 100)]);
        h.push_event(Event {
            month: 2,
            kind: EventKind::RentFactor(crate::model::money::Rate::ONE),
            known_from: 4,
        });
        assert!(recently_reported(&h, 0, 4, 1));
        assert!(!recently_reported(&h, 0, 6, 1));
        assert!(recently_reported(&h, 0, 6, 3));
        let (hh, t) = apply(&sc, &arm, &h);
        assert_eq!(t.mutations, 1);
        assert_eq!(data_events(&hh), vec![(EventKind::CareData, 6, 8)]);
        let (sc, arm) = mutation_scenario("[interventions.mutation]\nmonths = [4, 6]\nobjection_share = 0.0\nself_report_share = 0.0\nexclusion_months = 0\n");
        let (hh, _) = apply(&sc, &arm, &h);
        assert_eq!(data_events(&hh), vec![(EventKind::CareData, 4, 6)]);
    }

    #[test]
    fn the_gap_must_show_in_two_consecutive_deliveries() {
        // Estimate = provider = 100 h until the provider's hours halve from month 4 (a change
        // in month 3, never reported): gap 0 in month 3, |100 − 50| / 50 = 1.0 in months 4 and
        // 5. Two deliveries: run 4 sees months 3–4 (not confirmed), run 5 months 4–5
        // (confirmed, used from month 7). One delivery: run 4 already (used from month 6).
        let mut_text = |c: u8| {
            format!("[interventions.mutation]\nmonths = [4, 5]\nobjection_share = 0.0\nself_report_share = 0.0\nconfirm_deliveries = {c}\n")
        };
        let (sc, arm) = mutation_scenario(&mut_text(2));
        let mut h = family(&sc, &[(100, 100)]);
        h.push_event(Event {
            month: 3,
            kind: EventKind::CareHours(crate::model::money::Rate::percent(50)),
            known_from: 13,
        });
        assert_eq!(child_gaps(&h, 4, 3)[0], 0.0);
        assert_eq!(child_gaps(&h, 4, 4)[0], 1.0);
        assert_eq!(confirmed_children(&sc.interventions, &h, 4), 0);
        assert_eq!(confirmed_children(&sc.interventions, &h, 5), 1);
        let (hh, t) = apply(&sc, &arm, &h);
        assert_eq!((t.mutation_letters, t.mutations), (1, 1));
        assert_eq!(data_events(&hh), vec![(EventKind::CareData, 5, 7)]);
        let (sc, arm) = mutation_scenario(&mut_text(1));
        let (hh, t) = apply(&sc, &arm, &h);
        // Run 4 mutates; by run 5 the agency pays on the provider's 50 h: no second letter.
        assert_eq!((t.mutation_letters, t.mutations), (1, 1));
        assert_eq!(data_events(&hh), vec![(EventKind::CareData, 4, 6)]);
    }

    #[test]
    fn more_than_three_children_to_change_go_to_the_attention_process() {
        // Four children, each estimated 150 h against the provider's 100 h (gap 0.5): four
        // letters needed, at most three at a time, so no mutation; the household is sent to
        // the attention process once and (response share 1) reports its actual childcare,
        // used from the month after the run (5). With four letters allowed: four letters.
        let (sc, arm) = mutation_scenario("[interventions.attention_letter]\nresponse_share = 1.0\n[interventions.mutation]\nmonths = [4, 6]\nobjection_share = 0.0\nself_report_share = 0.0\n");
        let h = family(&sc, &[(150, 100); 4]);
        assert_eq!(confirmed_children(&sc.interventions, &h, 4), 0b1111);
        let (hh, t) = apply(&sc, &arm, &h);
        assert!(t.to_attention);
        assert_eq!((t.mutation_letters, t.mutations), (0, 0));
        assert_eq!(data_events(&hh), vec![(EventKind::CareData, 4, 5)]);
        let (sc, arm) = mutation_scenario("[interventions.mutation]\nmonths = [4]\nmax_letters = 4\nobjection_share = 0.0\nself_report_share = 0.0\n");
        let (_, t) = apply(&sc, &arm, &h);
        assert!(!t.to_attention);
        assert_eq!((t.mutation_letters, t.mutations), (4, 1));
    }

    #[test]
    fn mutation_only_when_it_lowers_the_household_total() {
        // One child estimated 100 h, provider 150 h (gap 0.33): the provider's hours would
        // raise the advance, so no letter. Two children, 200 → 100 h and 70 → 100 h (gaps 1.0
        // and 0.3): the total falls (−100 h at one rate, +30 h at a rate at most 3× higher:
        // the childcare percentages lie between 33.3% and 96%), so two letters, one per child,
        // one up and one down, and one mutation.
        let (sc, arm) = mutation_scenario("[interventions.mutation]\nmonths = [4]\nobjection_share = 0.0\nself_report_share = 0.0\n");
        let (_, t) = apply(&sc, &arm, &family(&sc, &[(100, 150)]));
        assert_eq!((t.mutation_letters, t.mutations), (0, 0));
        let h = family(&sc, &[(200, 100), (70, 100)]);
        let (hh, t) = apply(&sc, &arm, &h);
        assert_eq!((t.mutation_letters, t.mutations), (2, 1));
        let kot = Benefit::Kinderopvangtoeslag.index();
        assert!(known_award(&sc, &hh, 6)[kot] < known_award(&sc, &h, 6)[kot]);
    }

    #[test]
    fn a_household_that_reports_itself_is_not_mutated() {
        // Self-report share 1: after the letter of run 4 the household reports the provider's
        // hours itself, used from the next payment month (5), and the agency's mutation (from
        // month 6) is not carried out.
        let (sc, arm) = mutation_scenario("[interventions.mutation]\nmonths = [4]\nobjection_share = 0.0\nself_report_share = 1.0\n");
        let (hh, t) = apply(&sc, &arm, &family(&sc, &[(150, 100)]));
        assert_eq!((t.mutation_letters, t.mutations, t.self_reports), (1, 0, 1));
        assert_eq!(data_events(&hh), vec![(EventKind::CareData, 4, 5)]);
        // Objection share 1 (and no self-report): the letter goes out, nothing changes.
        let (sc, arm) = mutation_scenario("[interventions.mutation]\nmonths = [4, 6]\nobjection_share = 1.0\nself_report_share = 0.0\n");
        let (hh, t) = apply(&sc, &arm, &family(&sc, &[(150, 100)]));
        assert_eq!((t.mutation_letters, t.mutations, t.self_reports), (1, 0, 0));
        assert!(data_events(&hh).is_empty());
    }

    #[test]
    fn mutation_never_raises_the_known_total_when_made() {
        let sc = scenario("[interventions]\nprovider_quality_share = 1.0\n[interventions.mutation]\nsources = [\"childcare\", \"income\"]\nobjection_share = 0.0\nself_report_share = 0.0\ngap_threshold = 0.1\n");
        let arm = &sc.arms[1];
        let mut mutated = 0;
        for id in 0..300 {
            let h = crate::sim::population::generate(&sc, id);
            let (hh, t) = apply(&sc, arm, &h);
            mutated += t.mutations as usize;
            for e in hh.events().iter().filter(|e| e.is_data()) {
                // Compare the knowledge with and without each data event at its start month.
                let mut without = hh.clone();
                let idx = without.events().iter().position(|x| x == e).unwrap();
                let n = without.n_events as usize;
                without.events.copy_within(idx + 1..n, idx);
                without.n_events -= 1;
                if t.guided || t.letter_answered || t.to_attention {
                    continue;
                }
                let k = e.known_from;
                assert!(
                    total(&known_award(&sc, &hh, k)) <= total(&known_award(&sc, &without, k)),
                    "household {id}: mutation raised the advance"
                );
            }
        }
        assert!(mutated > 0, "no mutation happened in 300 households");
    }

    #[test]
    fn interventions_are_deterministic_and_leave_control_alone() {
        let sc = scenario("");
        for id in 0..50 {
            let h = crate::sim::population::generate(&sc, id);
            assert!(household_for_arm(&sc, &sc.arms[0], &h).is_none());
            let (a, ta) = apply(&sc, &sc.arms[1], &h);
            let (b, tb) = apply(&sc, &sc.arms[1], &h);
            assert_eq!(a.events(), b.events());
            assert_eq!(ta, tb);
        }
    }

    #[test]
    fn notice_reports_a_superset_of_changes() {
        let sc = scenario("");
        let arm = Arm {
            interventions: vec![InterventionKind::YearStartNotice],
            ..sc.arms[1].clone()
        };
        let (mut more, mut base) = (0, 0);
        for id in 0..500 {
            let h = crate::sim::population::generate(&sc, id);
            let (hh, _) = apply(&sc, &arm, &h);
            for (a, b) in h.events().iter().zip(hh.events()) {
                assert_eq!(a.month, b.month);
                if a.known_from <= 12 {
                    base += 1;
                    assert_eq!(a.known_from, b.known_from, "household {id}");
                }
                if b.known_from <= 12 {
                    more += 1;
                }
            }
        }
        assert!(more > base, "{more} vs {base}");
    }
}

/// Measurement on scenarios/nl-2026.toml (not a check; run with
/// `cargo test --release --lib measure_nl_2026 -- --ignored --nocapture`, households from
/// `MEASURE_N`, extra `[interventions.*]` text from `MEASURE_EXTRA`): reach of each
/// intervention among households with childcare and what it did.
#[cfg(test)]
mod measure {
    use super::*;
    use crate::sim::engine::{simulate_arm, Year};
    use std::path::Path;

    #[test]
    #[ignore]
    fn measure_nl_2026() {
        let n: u64 = std::env::var("MEASURE_N")
            .ok()
            .and_then(|x| x.parse().ok())
            .unwrap_or(20_000);
        let extra = std::env::var("MEASURE_EXTRA").unwrap_or_default();
        let base = std::fs::read_to_string("scenarios/nl-2026.toml").unwrap();
        let arms = r#"
[[arms]]
name = "mutation"
advance = { policy = "standard" }
interventions = ["mutation"]

[[arms]]
name = "letters"
advance = { policy = "standard" }
interventions = ["attention_letter"]

[[arms]]
name = "guidance"
advance = { policy = "standard" }
interventions = ["personal_guidance"]
"#;
        let text = base.replace("[population]\n", &format!("{arms}\n[population]\n"));
        let text = format!("{text}\n{}\n", extra.replace("\\n", "\n"));
        let sc = crate::scenario::parse_str(Path::new("m.toml"), &text, String::new()).unwrap();
        let (am, al, ag) = (3, 4, 5);
        let mut care = 0u64;
        let mut gaps = Vec::new();
        let mut c = [0i64; 24];
        let (mut g_low, mut g_low_sum, mut g_up, mut g_up_sum) = (0i64, 0i64, 0i64, 0i64);
        let (mut l_low, mut l_low_sum) = (0i64, 0i64);
        for id in 0..n {
            let h = crate::sim::population::generate(&sc, id);
            if !has_childcare(&h) {
                continue;
            }
            care += 1;
            gaps.push(max_gap(&h, 4, 4));
            let year = Year::compute(&sc, &h);
            let ctl = simulate_arm(&sc, &h, &year, 0).unwrap();
            let om = simulate_arm(&sc, &h, &year, am).unwrap();
            let t = om.interventions;
            let kot = Benefit::Kinderopvangtoeslag.index();
            let better = |o: &crate::model::outcome::Outcome| {
                ctl.reclaim_by_benefit[kot] > Money::ZERO
                    && o.reclaim_by_benefit[kot] < ctl.reclaim_by_benefit[kot]
            };
            let new_backpay = om.backpay_by_benefit[kot] > ctl.backpay_by_benefit[kot]
                && om.backpay_by_benefit[kot] > sc.backpay_threshold;
            // "Clean": no change after the first run month that affects childcare or income
            // (the agency's clean population: no other change after the mutation).
            let clean = !h.events().iter().any(|e| {
                e.month >= 4 && !matches!(e.kind, EventKind::RentFactor(_)) && !e.is_data()
            });
            if t.mutations > 0 && clean {
                c[15] += 1;
                c[16] += i64::from(better(&om));
                c[17] += i64::from(new_backpay);
                c[18] += i64::from(ctl.reclaim_by_benefit[kot] > Money::ZERO);
            }
            if t.mutations > 0 {
                c[0] += 1;
                c[1] += i64::from(better(&om));
                c[2] += i64::from(new_backpay);
                c[3] += i64::from(ctl.reclaim_by_benefit[kot] > Money::ZERO);
            }
            if t.self_reports > 0 {
                c[4] += 1;
                c[5] += i64::from(better(&om));
                c[6] += i64::from(ctl.reclaim_by_benefit[kot] > Money::ZERO);
            }
            c[7] += i64::from(t.mutation_letters);
            c[8] += i64::from(t.to_attention);
            c[9] += i64::from(t.mutation_letters > 0);
            let ol = simulate_arm(&sc, &h, &year, al).unwrap();
            c[10] += i64::from(ol.interventions.letter_sent);
            c[11] += i64::from(ol.interventions.letter_answered);
            if ol.interventions.letter_childcare_change < Money::ZERO {
                l_low += 1;
                l_low_sum -= ol.interventions.letter_childcare_change.0;
            }
            let og = simulate_arm(&sc, &h, &year, ag).unwrap();
            if og.interventions.guided {
                c[12] += 1;
                let d = og.interventions.guidance_childcare_change.0;
                if d < 0 {
                    g_low += 1;
                    g_low_sum -= d;
                } else if d > 0 {
                    g_up += 1;
                    g_up_sum += d;
                }
            }
            c[13] += i64::from(ctl.reclaim > Money::ZERO);
            c[14] += i64::from(om.reclaim > Money::ZERO);
        }
        gaps.sort_by(f64::total_cmp);
        let q = |x: f64| gaps[((gaps.len() - 1) as f64 * x) as usize];
        let pc = |a: i64, b: i64| 100.0 * a as f64 / b.max(1) as f64;
        let eur = |s: i64, k: i64| s as f64 / 100.0 / k.max(1) as f64;
        println!("households {n}, with childcare {care}");
        println!("gap in month 4 (largest child): p50 {:.3} p80 {:.3} p90 {:.3} p95 {:.3} p98 {:.3} p99 {:.3}", q(0.5), q(0.8), q(0.9), q(0.95), q(0.98), q(0.99));
        let care = care as i64;
        println!("mutation: households with a letter {} ({:.2}%), letters {}, mutated {} ({:.2}%), self-reports {} ({:.2}%), to attention {}", c[9], pc(c[9], care), c[7], c[0], pc(c[0], care), c[4], pc(c[4], care), c[8]);
        println!("  mutated: childcare reclaim reduced or prevented {:.1}% (of those with a control childcare reclaim: {:.1}%), new childcare back-payment {}", pc(c[1], c[0]), pc(c[1], c[3]), c[2]);
        println!("  clean mutated (no change from month 4 on but rent): {}, reclaim reduced or prevented {:.1}% (of those with one: {:.1}%), new childcare back-payment {}", c[15], pc(c[16], c[15]), pc(c[16], c[18]), c[17]);
        println!("  self-reported: childcare reclaim reduced or prevented {:.1}% (of those with one: {:.1}%)", pc(c[5], c[4]), pc(c[5], c[6]));
        println!("  households with any reclaim among childcare households: control {:.2}%, mutation {:.2}%", pc(c[13], care), pc(c[14], care));
        println!(
            "letters: sent {} ({:.2}%), answered {} ({:.1}%), lowered {} mean €{:.0}",
            c[10],
            pc(c[10], care),
            c[11],
            pc(c[11], c[10]),
            l_low,
            eur(l_low_sum, l_low)
        );
        println!(
            "guidance: guided {} ({:.2}%), lowered {} mean €{:.0}, raised {} mean €{:.0}",
            c[12],
            pc(c[12], care),
            g_low,
            eur(g_low_sum, g_low),
            g_up,
            eur(g_up_sum, g_up)
        );
    }
}
