//! The assumption lines report.md's "Assumptions in force" section writes for the agency's
//! interventions and for the error-distribution shocks, in the output language. (They were
//! written by `sim::interventions` and `sim::events`; text belongs to the output layer.)

use crate::model::scenario::{ChangeType, Dist, InterventionKind, Scenario, ShockKind};
use crate::output::format::localize_number;
use crate::output::lang::{current, Lang};
use crate::tr;
use std::fmt::Write;

/// A number as Rust's `Display` writes it (`0.3`), in the current language (`0,3`).
fn plain(x: impl std::fmt::Display) -> String {
    localize_number(&x.to_string())
}

/// A list of numbers as `{:?}` writes it in English (`[0.8, 0.2]`), with `;` between Dutch
/// numbers (`[0,8; 0,2]`, since the comma is their decimal sign).
fn list<T: std::fmt::Display + std::fmt::Debug>(v: &[T]) -> String {
    match current() {
        Lang::En => format!("{v:?}"),
        Lang::Nl => format!("[{}]", v.iter().map(plain).collect::<Vec<_>>().join("; ")),
    }
}

/// The agency's assumptions in force: income indexation, the employment model, risk-aware
/// choice and each intervention an arm uses, with its sources (empty when none applies).
pub(super) fn interventions(sc: &Scenario) -> String {
    let mut o = String::new();
    let x = sc.agency.income_indexation_extra;
    if x > 0.0 {
        let x = plain(x);
        let _ = writeln!(o, "{}", tr!(
            "- Agency: the estimated income is indexed by an extra {x} at the year start (docs/rules.md §5: +3% extra since 2025).",
            "- Dienst Toeslagen: het geschatte inkomen wordt aan het begin van het jaar extra geïndexeerd met {x} (docs/rules.md §5: sinds 2025 +3% extra)."
        ));
    }
    if let Some(e) = &sc.population.employment {
        let (shares, vol, est) = (
            list(&e.shares),
            list(&e.volatility),
            list(&e.estimate_sigma),
        );
        let _ = writeln!(o, "{}", tr!(
            "- Employment (assumption): shares employee/flex/self-employed {shares}; yearly income surprise log-sd {vol}; income-estimate log-sd {est}.",
            "- Arbeidsvorm (aanname): aandelen werknemer/flex/zelfstandige {shares}; log-sd van de onverwachte inkomensverandering in het jaar {vol}; log-sd van de inkomensschatting {est}."
        ));
    }
    for a in sc
        .arms
        .iter()
        .filter(|a| a.takeup_volatile.is_some() || a.choice_volatile.is_some())
    {
        let (name, p) = (&a.name, plain(a.takeup_volatile.unwrap_or(a.takeup)));
        let _ = writeln!(o, "{}", tr!(
            "- Risk-aware choice in `{name}` (assumption): households with volatile income (flex, self-employed) take up with probability {p} and choose from their own percentage bands.",
            "- Risicobewuste keuze in `{name}` (aanname): huishoudens met een wisselend inkomen (flex, zelfstandigen) nemen het aanbod aan met kans {p} en kiezen uit hun eigen percentagebanden."
        ));
    }
    let p = &sc.interventions;
    let used = |k: InterventionKind| sc.arms.iter().any(|a| a.has(k));
    let arms_with = |k: InterventionKind| {
        sc.arms
            .iter()
            .filter(|a| a.has(k))
            .map(|a| format!("`{}`", a.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if used(InterventionKind::AttentionLetter) || used(InterventionKind::Mutation) {
        let share = plain(p.provider_quality_share);
        let _ = writeln!(o, "{}", tr!(
            "- Provider data (assumption, **uncertain**): {share} of households with childcare have a provider in the agency's two highest reliability categories (one draw per household); attention letters and childcare mutation use only their data (docs/rules.md §7).",
            "- Gegevens van kinderopvangorganisaties (aanname, **onzeker**): {share} van de huishoudens met kinderopvang heeft een organisatie in de twee hoogste betrouwbaarheidscategorieën van Dienst Toeslagen (één trekking per huishouden); attentiebrieven en de mutatie op kinderopvanggegevens gebruiken alleen die gegevens (docs/rules.md §7)."
        ));
    }
    if used(InterventionKind::AttentionLetter) {
        let (arms, month, gap, resp) = (
            arms_with(InterventionKind::AttentionLetter),
            p.letter_month,
            plain(p.letter_gap_threshold),
            plain(p.letter_response_share),
        );
        let _ = writeln!(o, "{}", tr!(
            "- Attention letter ({arms}): sent in month {month} when reliable provider data differ from the childcare hours paid on by more than {gap} for some child (threshold: **uncertain**, assumption, set for a reach near ≈2% of households with childcare); {resp} of recipients report their actual childcare (docs/rules.md §7: ≈12,000 letters, ≈22% acted, on average €977 lower).",
            "- Attentiebrief ({arms}): verstuurd in maand {month} als betrouwbare gegevens van de organisatie voor een kind meer dan {gap} afwijken van de opvanguren waarop het voorschot is gebaseerd (drempel: **onzeker**, aanname, gekozen voor een bereik van ≈2% van de huishoudens met kinderopvang); {resp} van de ontvangers geeft de werkelijke opvang door (docs/rules.md §7: ≈12.000 brieven, ≈22% kwam in actie, gemiddeld €977 lager)."
        ));
    }
    if used(InterventionKind::YearStartNotice) {
        let (arms, m) = (
            arms_with(InterventionKind::YearStartNotice),
            plain(p.notice_multiplier),
        );
        let _ = writeln!(o, "{}", tr!(
            "- Year-start notice ({arms}): every reporting probability × {m} (capped at 1; a calibrated factor: docs/rules.md §7, notified parents reported 3× as often). Households unaware of the duty to report income stay unaware (assumption).",
            "- Bericht aan het begin van het jaar ({arms}): elke kans om een wijziging door te geven × {m} (hoogstens 1; een gekalibreerde factor: docs/rules.md §7, ouders met het bericht gaven 3× zo vaak iets door). Huishoudens die niet weten dat ze inkomenswijzigingen moeten doorgeven, blijven dat niet weten (aanname)."
        ));
    }
    if used(InterventionKind::Mutation) {
        let arms = arms_with(InterventionKind::Mutation);
        let months = list(&p.mutation_months);
        let (excl, deliveries, max) = (
            p.mutation_exclusion_months,
            p.mutation_confirm_deliveries,
            p.mutation_max_letters,
        );
        let gap = plain(p.mutation_gap_threshold);
        let (selfr, obj) = (
            plain(p.mutation_self_report_share),
            plain(p.mutation_objection_share),
        );
        let (care, income) = match current() {
            Lang::En => (
                if p.mutation_childcare {
                    "childcare provider data"
                } else {
                    ""
                },
                if p.mutation_income {
                    " and payroll income (not for the self-employed)"
                } else {
                    ""
                },
            ),
            Lang::Nl => (
                if p.mutation_childcare {
                    "gegevens van kinderopvangorganisaties"
                } else {
                    ""
                },
                if p.mutation_income {
                    " en loongegevens (niet voor zelfstandigen)"
                } else {
                    ""
                },
            ),
        };
        let _ = writeln!(o, "{}", tr!(
            "- Mutation ({arms}): runs in months {months}; a household that reported a change in the last {excl} month(s) is skipped; a child's data change when the gap exceeds {gap} (**uncertain**, assumption, set for a reach near the agency's 0.5–1.4% of households with childcare) in {deliveries} consecutive provider deliveries; one letter per child, at most {max} at a time (more: to the attention process); applied from two months after the letter (3 weeks to object) only when it lowers the total advance; self-report share {selfr} and objection share {obj} (both **uncertain**, assumptions); sources: {care}{income} (docs/rules.md §7).",
            "- Mutatie ({arms}): in de maanden {months}; een huishouden dat in de laatste {excl} maand(en) een wijziging doorgaf, wordt overgeslagen; de gegevens van een kind worden aangepast als het verschil groter is dan {gap} (**onzeker**, aanname, gekozen voor een bereik rond de 0,5–1,4% van de huishoudens met kinderopvang van Dienst Toeslagen) in {deliveries} opeenvolgende aanleveringen van de organisatie; één brief per kind, hoogstens {max} tegelijk (meer: naar het attentieproces); toegepast vanaf twee maanden na de brief (3 weken om bezwaar te maken) en alleen als het totale voorschot erdoor daalt; aandeel dat zelf doorgeeft {selfr} en aandeel dat bezwaar maakt {obj} (beide **onzeker**, aannames); bronnen: {care}{income} (docs/rules.md §7)."
        ));
        if p.mutation_income {
            let _ = writeln!(o, "{}", tr!(
                "- Income mutation (assumption): payroll income up to the month before, used only when it alone lowers the total advance. The agency's published evidence (all reclaims reduced, no back-payments caused) covers childcare data only; results on income are not backed by it.",
                "- Mutatie op inkomen (aanname): het loon tot en met de vorige maand, alleen gebruikt als dat op zichzelf het totale voorschot verlaagt. Het gepubliceerde bewijs van Dienst Toeslagen (alle terugvorderingen lager, geen nabetalingen veroorzaakt) gaat alleen over kinderopvanggegevens; uitkomsten op inkomen worden er niet door gedragen."
            ));
        }
    }
    if used(InterventionKind::PersonalGuidance) {
        let (arms, gap, month, share) = (
            arms_with(InterventionKind::PersonalGuidance),
            plain(p.guidance_gap_threshold),
            p.guidance_month,
            plain(p.guidance_share),
        );
        let _ = writeln!(o, "{}", tr!(
            "- Personal guidance ({arms}): of the households whose childcare gap exceeds {gap} in month {month}, a share {share} (both **uncertain**, assumptions) has childcare and income brought up to date (docs/rules.md §7: 285 parents guided; 79 lowered by €4,960 a year on average, 44 raised by €2,517).",
            "- Persoonlijke begeleiding ({arms}): van de huishoudens met een verschil in kinderopvang boven {gap} in maand {month} krijgt een aandeel {share} (beide **onzeker**, aannames) kinderopvang en inkomen bijgewerkt (docs/rules.md §7: 285 ouders begeleid; bij 79 gemiddeld €4.960 per jaar omlaag, bij 44 €2.517 omhoog)."
        ));
    }
    o
}

/// A distribution of a shock's size, in the current language.
fn dist_text(d: &Dist) -> String {
    match *d {
        Dist::Fixed(x) => plain(x),
        Dist::LogNormal { median, sigma } => {
            let (m, s) = (plain(median), plain(sigma));
            tr!(
                "lognormal(median {m}, sigma {s})",
                "lognormaal(mediaan {m}, sigma {s})"
            )
        }
        Dist::Normal { mean, sd } => {
            let (m, s) = (plain(mean), plain(sd));
            tr!(
                "normal(mean {m}, sd {s})",
                "normaal(gemiddelde {m}, sd {s})"
            )
        }
        Dist::Uniform { min, max } => {
            let (a, b) = (plain(min), plain(max));
            tr!("uniform({a}–{b})", "uniform({a}–{b})")
        }
    }
}

/// The assumption lines of the error-distribution shocks the scenario lists (empty when it
/// lists none). Each names its source.
pub(super) fn error_distribution(sc: &Scenario) -> String {
    let mut o = String::new();
    for sh in &sc.shocks {
        let p = plain(sh.probability);
        let reported = |c: ChangeType| plain(sc.behaviour.p(c));
        let line = match &sh.kind {
            ShockKind::AssetsAboveEstimate { amount } => {
                let d = dist_text(amount);
                tr!(
                    "1 January assets turn out higher than estimated by {d} euros (probability {p}; the asset test looks at 1 January, so above the limit the whole year's award goes; never reported during the year; size an assumption after CPB, \"Toeslagen: een analyse van terugvorderingen\", ESB 2020)",
                    "het vermogen op 1 januari blijkt {d} euro hoger dan geschat (kans {p}; de vermogenstoets kijkt naar 1 januari, dus boven de grens vervalt de toeslag voor het hele jaar; nooit doorgegeven in het jaar; omvang een aanname naar CPB, \"Toeslagen: een analyse van terugvorderingen\", ESB 2020)"
                )
            }
            ShockKind::PartnerIncomeChange { factor } => {
                let (d, r) = (dist_text(factor), reported(ChangeType::PartnerIncome));
                tr!(
                    "the partner's income × {d} from a month (probability {p}, households with a partner; reported with probability {r}; assumption)",
                    "het inkomen van de partner × {d} vanaf een maand (kans {p}, huishoudens met een partner; doorgegeven met kans {r}; aanname)"
                )
            }
            ShockKind::CoResidentIncome { income } => {
                let (d, r) = (dist_text(income), reported(ChangeType::CoResident));
                tr!(
                    "a co-resident with {d} euros a year moves in or starts earning (probability {p}; counts for huurtoeslag; reported with probability {r}; assumption)",
                    "een medebewoner met {d} euro per jaar komt erbij wonen of gaat verdienen (kans {p}; telt mee voor de huurtoeslag; doorgegeven met kans {r}; aanname)"
                )
            }
            ShockKind::PartnerFoundAfterwards { income } => {
                let d = dist_text(income);
                tr!(
                    "a benefit partner with {d} euros a year is found after the year (probability {p}, households applying as single; never reported; assumption after CPB 2020 and IBO Toeslagen 2020 on partner changes as a source of reclaims)",
                    "na het jaar blijkt er een toeslagpartner met {d} euro per jaar te zijn (kans {p}, huishoudens die als alleenstaande aanvroegen; nooit doorgegeven; aanname naar CPB 2020 en IBO Toeslagen 2020 over partnerwijzigingen als bron van terugvorderingen)"
                )
            }
            ShockKind::SelfEmployedIncome { factor } => {
                let (d, r) = (dist_text(factor), reported(ChangeType::SelfEmployedIncome));
                tr!(
                    "the year's income × {d} known only after the year (probability {p}; reported with probability {r}; assumption: the self-employed's profit is known at the income tax assessment)",
                    "het inkomen van het jaar × {d}, pas na het jaar bekend (kans {p}; doorgegeven met kans {r}; aanname: de winst van zelfstandigen is pas bij de aanslag inkomstenbelasting bekend)"
                )
            }
            ShockKind::ChildcareStops => {
                let r = reported(ChangeType::ChildcareStops);
                tr!(
                    "childcare ends in a month (probability {p}; reported with probability {r}; assumption after the agency's reports on large childcare reclaims)",
                    "de kinderopvang stopt in een maand (kans {p}; doorgegeven met kans {r}; aanname naar de rapporten van Dienst Toeslagen over grote terugvorderingen op kinderopvangtoeslag)"
                )
            }
            _ => continue,
        };
        let kind = sh.kind.name();
        o.push_str(&tr!(
            "- Error distribution (`{kind}`): {line}.\n",
            "- Foutenverdeling (`{kind}`): {line}.\n"
        ));
    }
    o
}
