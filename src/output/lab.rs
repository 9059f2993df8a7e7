//! The report.md section of a scenario with a `[lab]` block: the simulated lab figures next to
//! the 2026 progress letter's findings.

use crate::model::scenario::Scenario;
use crate::output::format::pct1 as pct;
use crate::output::lang::pick;
use crate::output::report::Summary;
use crate::tr;
use std::fmt::Write as _;

use crate::analysis::accumulators::ratio as share;

/// The report.md section of a scenario with a `[lab]` block: simulated take-up and chosen
/// percentages next to the lab findings of the 2026 progress letter (the effectiveness split by chosen
/// percentage needs the paired per-household view: `toeslagenlab calibrate`).
pub fn lab_section_md(sc: &Scenario, s: &Summary) -> String {
    let Some(lab) = &sc.lab else {
        return String::new();
    };
    let mut o = String::from(pick(
        "\n## Lab replication (the 2026 progress letter)\n\n| figure | simulated | lab |\n| --- | --- | --- |\n",
        "\n## Replicatie van het lab (de voortgangsbrief van 2026)\n\n| cijfer | gesimuleerd | lab |\n| --- | --- | --- |\n",
    ));
    if let Some(a) = lab.cautious_arm.as_ref().and_then(|n| s.arms.get(n)) {
        let t = pct(a.metrics.takeup_share);
        let _ = writeln!(
            o,
            "{}",
            tr!(
                "| cautious 80%: take-up | {t} | somewhat over two thirds |",
                "| voorzichtig 80%: deelname | {t} | iets meer dan twee derde |"
            )
        );
    }
    if let Some(a) = lab.adjustable_arm.as_ref().and_then(|n| s.arms.get(n)) {
        let t = pct(a.metrics.takeup_share);
        let _ = writeln!(
            o,
            "{}",
            tr!(
                "| adjustable: take-up | {t} | over two thirds |",
                "| instelbaar: deelname | {t} | meer dan twee derde |"
            )
        );
        let mut bands = [0u64; 4];
        for (p, c) in &a.chosen_percentages {
            let p: u32 = p.parse().unwrap_or(100);
            bands[match p {
                ..=74 => 0,
                75..=84 => 1,
                85..=94 => 2,
                _ => 3,
            }] += c;
        }
        let n: u64 = bands.iter().sum();
        for (i, label, lab) in [
            (
                1,
                "75–85%",
                pick("the most chosen range", "het vaakst gekozen bereik"),
            ),
            (2, "85–95%", pick("a sizeable group", "een flinke groep")),
            (
                0,
                pick("below 75%", "onder 75%"),
                pick("a smaller group, spread", "een kleinere groep, verspreid"),
            ),
            (3, "95–100%", pick("(not reported)", "(niet gerapporteerd)")),
        ] {
            let v = pct(share(bands[i], n));
            let _ = writeln!(
                o,
                "{}",
                tr!(
                    "| adjustable: chose {label} | {v} | {lab} |",
                    "| instelbaar: koos {label} | {v} | {lab} |"
                )
            );
        }
        let path = sc.path.display();
        let _ = writeln!(o, "{}", tr!(
            "\nSeed 004 also finds the adjustable advance less effective for those choosing above 80%; `toeslagenlab calibrate {path}` shows the reclaim share by chosen percentage.",
            "\nSeed 004 vindt ook dat het instelbare voorschot minder effect heeft bij wie boven 80% kiest; `toeslagenlab calibrate {path}` toont het aandeel met een terugvordering per gekozen percentage."
        ));
    }
    o
}
