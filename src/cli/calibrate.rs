//! `toeslagenlab calibrate`: the scenario's control arm next to the public figures of
//! RULES.md §8 (benefit mix, share of toeslagen with a reclaim or back-payment, mean amounts),
//! and — when the scenario has a `[lab]` block — the lab findings of seed 004 next to the
//! simulated take-up, chosen percentages and effectiveness, and the interventions' figures next
//! to seed 000. Writes the tables as Markdown (stdout, or `--write FILE`, atomically).
//!
//! Counting: a *toeslag* is one benefit of one household with a definitive award or advances
//! above zero; a *recipient household* has at least one. A reclaim is the amount collected (above
//! the small-reclaim threshold); a back-payment counts when above €11, because up to €11 per
//! benefit is the rounding remainder of floor(annual / 12) monthly advances, which the public
//! statistics do not count as a back-payment (assumption). Every count is an exact integer
//! merged in a fixed way, so the table does not depend on the thread count.

use crate::error::Result;
use crate::model::money::Money;
use crate::output::format::pct1 as pct;
use crate::rules::{awir, Benefit, N_BENEFITS};
use crate::scenario::Scenario;
use crate::sim::engine::{simulate_arm_given, Year};
use crate::sim::population::generate;
use clap::Args;
use rayon::prelude::*;
use std::fmt::Write;
use std::path::PathBuf;

/// A `--write` file keeps everything from a line starting with this heading on: the
/// hand-written notes below the generated tables.
pub const NOTES_MARKER: &str = "## Notes on";

/// Options of `calibrate`.
#[derive(Args, Debug, Clone)]
pub struct CalibrateArgs {
    /// Scenario files (TOML); their tables follow each other in this order.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Number of households (overrides the scenario).
    #[arg(long, value_name = "N")]
    pub households: Option<i64>,
    /// Seed of all random draws (overrides the scenario).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = crate::cli::parse_threads)]
    pub threads: usize,
    /// Write the tables to this Markdown file instead of printing them.
    #[arg(long, value_name = "FILE")]
    pub write: Option<PathBuf>,
}

/// Back-payments up to this amount are rounding remainders, not counted.
const BACKPAY_MIN: Money = Money::euros(11);

/// Exact counts of the control arm and the lab and intervention arms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Households simulated.
    pub households: u64,
    /// Households with at least one toeslag.
    pub recipients: u64,
    /// Recipient households with a collected reclaim.
    pub households_reclaim: u64,
    /// Toeslagen per benefit.
    pub toeslagen: [u64; N_BENEFITS],
    /// Toeslagen with a collected reclaim, per benefit.
    pub reclaims: [u64; N_BENEFITS],
    /// Collected reclaims, cents, per benefit.
    pub reclaimed: [i64; N_BENEFITS],
    /// Toeslagen with a reclaim before the small-reclaim threshold (all benefits).
    pub reclaims_raw: u64,
    /// Those reclaims before the threshold, cents.
    pub reclaimed_raw: i64,
    /// Toeslagen with a back-payment above €11, per benefit.
    pub backpays: [u64; N_BENEFITS],
    /// Those back-payments, cents, per benefit.
    pub backpaid: [i64; N_BENEFITS],
    /// Definitive awards, cents, per benefit (over toeslagen).
    pub awarded: [i64; N_BENEFITS],
    /// Per arm: households that took the offer.
    pub took: Vec<u64>,
    /// Per arm: takers by chosen percentage band: <75, 75–84, 85–94, ≥95.
    pub bands: Vec<[u64; 4]>,
    /// Per arm: takers choosing ≤80% / >80%: [n, reclaims under control, reclaims in the arm].
    pub by_pct: Vec<[[u64; 3]; 2]>,
    /// Per arm: households with a reclaim in the arm.
    pub arm_reclaims: Vec<u64>,
    /// Per arm: attention letters sent, answered, answered with a lower childcare advance.
    pub letters: Vec<[u64; 3]>,
    /// Per arm: Σ decrease of the annual childcare award among answers that lowered it, cents.
    pub letter_decrease: Vec<i64>,
    /// Per arm: mutation letters, mutations carried out, households guided.
    pub mutations: Vec<[u64; 3]>,
}

impl Tally {
    fn new(arms: usize) -> Tally {
        Tally {
            took: vec![0; arms],
            bands: vec![[0; 4]; arms],
            by_pct: vec![[[0; 3]; 2]; arms],
            arm_reclaims: vec![0; arms],
            letters: vec![[0; 3]; arms],
            letter_decrease: vec![0; arms],
            mutations: vec![[0; 3]; arms],
            ..Tally::default()
        }
    }

    fn merge(mut self, o: Tally) -> Tally {
        self.households += o.households;
        self.recipients += o.recipients;
        self.households_reclaim += o.households_reclaim;
        self.reclaims_raw += o.reclaims_raw;
        self.reclaimed_raw += o.reclaimed_raw;
        for b in 0..N_BENEFITS {
            self.toeslagen[b] += o.toeslagen[b];
            self.reclaims[b] += o.reclaims[b];
            self.reclaimed[b] += o.reclaimed[b];
            self.backpays[b] += o.backpays[b];
            self.backpaid[b] += o.backpaid[b];
            self.awarded[b] += o.awarded[b];
        }
        for a in 0..self.took.len() {
            self.took[a] += o.took[a];
            self.arm_reclaims[a] += o.arm_reclaims[a];
            self.letter_decrease[a] += o.letter_decrease[a];
            for i in 0..4 {
                self.bands[a][i] += o.bands[a][i];
            }
            for i in 0..3 {
                self.letters[a][i] += o.letters[a][i];
                self.mutations[a][i] += o.mutations[a][i];
                for g in 0..2 {
                    self.by_pct[a][g][i] += o.by_pct[a][g][i];
                }
            }
        }
        self
    }

    fn add(&mut self, sc: &Scenario, id: u64) -> Result<()> {
        let h = generate(sc, id);
        let year = Year::compute(sc, &h);
        self.households += 1;
        let mut any = false;
        let mut control_reclaim = false;
        for b in 0..N_BENEFITS {
            if !sc.population.benefits[b] {
                continue;
            }
            let net = year.full[b].net;
            let d = year.definitive[b];
            if net <= Money::ZERO && d <= Money::ZERO {
                continue;
            }
            any = true;
            self.toeslagen[b] += 1;
            self.awarded[b] += d.0;
            let raw = (net - d).max_zero();
            if raw > Money::ZERO {
                self.reclaims_raw += 1;
                self.reclaimed_raw += raw.0;
            }
            let reclaim = awir::collected_reclaim(&sc.params.awir, raw);
            if reclaim > Money::ZERO {
                self.reclaims[b] += 1;
                self.reclaimed[b] += reclaim.0;
                control_reclaim = true;
            }
            let backpay = (d - net).max_zero();
            if backpay > BACKPAY_MIN {
                self.backpays[b] += 1;
                self.backpaid[b] += backpay.0;
            }
        }
        if any {
            self.recipients += 1;
        }
        if control_reclaim {
            self.households_reclaim += 1;
        }
        let u = crate::sim::behaviour::takeup_draw(sc.seed, id);
        for a in 1..sc.arms.len() {
            let arm = &sc.arms[a];
            let (hh, trace) = if arm.interventions.is_empty() {
                (None, Default::default())
            } else {
                let (hh, t) = crate::sim::interventions::apply(sc, arm, &h);
                (Some(hh), t)
            };
            let o = match &hh {
                Some(hh) => simulate_arm_given(sc, hh, &Year::compute(sc, hh), a, u)?,
                None => simulate_arm_given(sc, &h, &year, a, u)?,
            };
            let arm_reclaim = o.reclaim > Money::ZERO;
            self.arm_reclaims[a] += u64::from(arm_reclaim);
            if o.took_offer {
                self.took[a] += 1;
                let p = o.percentage.0 / (crate::model::money::RATE_SCALE / 100);
                let band = match p {
                    ..=74 => 0,
                    75..=84 => 1,
                    85..=94 => 2,
                    _ => 3,
                };
                self.bands[a][band] += 1;
                let g = usize::from(p > 80);
                self.by_pct[a][g][0] += 1;
                self.by_pct[a][g][1] += u64::from(control_reclaim);
                self.by_pct[a][g][2] += u64::from(arm_reclaim);
            }
            self.letters[a][0] += u64::from(trace.letter_sent);
            self.letters[a][1] += u64::from(trace.letter_answered);
            if trace.letter_childcare_change < Money::ZERO {
                self.letters[a][2] += 1;
                self.letter_decrease[a] -= trace.letter_childcare_change.0;
            }
            self.mutations[a][0] += trace.mutation_letters as u64;
            self.mutations[a][1] += trace.mutations as u64;
            self.mutations[a][2] += u64::from(trace.guided);
        }
        Ok(())
    }
}

/// Simulates the scenario's households into a [`Tally`] (exact; independent of `threads`).
pub fn tally(sc: &Scenario, threads: usize) -> Result<Tally> {
    let pool = crate::sim::engine::worker_pool(threads)?;
    let chunk = 4096u64;
    let n = sc.households;
    let arms = sc.arms.len();
    crate::sim::engine::install(&pool, || {
        (0..n.div_ceil(chunk))
            .into_par_iter()
            .try_fold(
                || Tally::new(arms),
                |mut t, c| {
                    for id in c * chunk..((c + 1) * chunk).min(n) {
                        t.add(sc, id)?;
                    }
                    Ok(t)
                },
            )
            .try_reduce(|| Tally::new(arms), |a, b| Ok(a.merge(b)))
    })
}

fn share(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Mean in euros of `cents` over `n` (0 when `n` is 0).
fn mean(cents: i64, n: u64) -> f64 {
    if n == 0 {
        0.0
    } else {
        cents as f64 / n as f64 / 100.0
    }
}

fn euro(cents: i64, n: u64) -> String {
    if n == 0 {
        return "—".into();
    }
    format!(
        "€{}",
        crate::model::money::group_thousands((cents / n as i64 / 100) as u64)
    )
}

/// A calibration row: figure, kind (`r` ratio, `p` share, `e` euros), simulated value, public
/// value, public text, source.
type Row = (
    &'static str,
    char,
    f64,
    Option<f64>,
    &'static str,
    &'static str,
);

/// The Markdown tables for a finished tally.
pub fn markdown(sc: &Scenario, t: &Tally) -> String {
    let mut o = String::new();
    let total_toeslagen: u64 = t.toeslagen.iter().sum();
    let total_reclaims: u64 = t.reclaims.iter().sum();
    let total_backpays: u64 = t.backpays.iter().sum();
    let reclaimed: i64 = t.reclaimed.iter().sum();
    let backpaid: i64 = t.backpaid.iter().sum();
    let hb = |b: Benefit| share(t.toeslagen[b.index()], t.recipients);
    let _ = writeln!(
        o,
        "# Calibration: `{}`\n\nGenerated by `toeslagenlab calibrate` from `{}` ({} households, seed {}, benefit year {}). Control arm (standard advance, no intervention). A reclaim is one collected (above the small-reclaim threshold per benefit) unless the row says small ones are included. Of the simulated households {} receive at least one toeslag; shares below are of those recipient households or of their toeslagen. A back-payment counts when above €11 (smaller ones are the rounding remainder of the monthly advances).\n",
        sc.name,
        sc.path.display(),
        crate::model::money::group_thousands(t.households),
        sc.seed,
        sc.year,
        pct(share(t.recipients, t.households))
    );
    let special = sc.lab.is_some() || sc.arms.iter().any(|a| !a.interventions.is_empty());
    if special {
        let _ = writeln!(o, "This scenario's population is not the national one (it has a `[lab]` block or intervention arms): the national figures below are for orientation only; calibrate against `scenarios/nl-2026.toml`.\n");
    }
    let kot = Benefit::Kinderopvangtoeslag.index();
    // (figure, kind, simulated, public value, public text, source); kind: r ratio, p share,
    // e euros. Public values are those of RULES.md §8 (derived ratios computed from them).
    let rows: Vec<Row> = vec![
        (
            "toeslagen per recipient household",
            'r',
            share(total_toeslagen, t.recipients),
            Some(7.4 / 5.4),
            "1.37 (7.4 M toeslagen / 5.4 M households, 2021)",
            "seed 002 via RULES.md §8",
        ),
        (
            "households with huurtoeslag",
            'p',
            hb(Benefit::Huurtoeslag),
            Some(1.5 / 5.4),
            "27.8% (~1.5 M of 5.4 M)",
            "Rijksoverheid 2024 [S], seed 002",
        ),
        (
            "households with kinderopvangtoeslag",
            'p',
            hb(Benefit::Kinderopvangtoeslag),
            Some(0.583 / 5.4),
            "10.8% (~583,000 of 5.4 M)",
            "CBS 2017 [S], seed 002",
        ),
        (
            "households with zorgtoeslag",
            'p',
            hb(Benefit::Zorgtoeslag),
            None,
            "— (not in RULES.md §8)",
            "",
        ),
        (
            "households with kindgebonden budget",
            'p',
            hb(Benefit::KindgebondenBudget),
            None,
            "— (not in RULES.md §8)",
            "",
        ),
        (
            "toeslagen with a reclaim",
            'p',
            share(total_reclaims, total_toeslagen),
            Some(2.3 / 7.5),
            "30.7% (2.3 M of ~7.5 M, 2016)",
            "IBO toeslagen via press [S]",
        ),
        (
            "toeslagen with a reclaim, small ones included",
            'p',
            share(t.reclaims_raw, total_toeslagen),
            Some(2.3 / 7.5),
            "30.7% (if the public count includes reclaims below the threshold)",
            "IBO toeslagen via press [S]",
        ),
        (
            "mean reclaim, small ones included",
            'e',
            mean(t.reclaimed_raw, t.reclaims_raw),
            Some(1e9 / 2.3e6),
            "€435",
            "IBO toeslagen via press [S]",
        ),
        (
            "toeslagen with a back-payment",
            'p',
            share(total_backpays, total_toeslagen),
            Some(1.5 / 7.5),
            "20.0% (1.5 M of ~7.5 M, 2016)",
            "IBO toeslagen via press [S]",
        ),
        (
            "mean reclaim",
            'e',
            mean(reclaimed, total_reclaims),
            Some(1e9 / 2.3e6),
            "€435 (€1 bn / 2.3 M)",
            "IBO toeslagen via press [S]",
        ),
        (
            "mean back-payment",
            'e',
            mean(backpaid, total_backpays),
            Some(0.5e9 / 1.5e6),
            "€333 (€0.5 bn / 1.5 M)",
            "IBO toeslagen via press [S]",
        ),
        (
            "recipient households repaying",
            'p',
            share(t.households_reclaim, t.recipients),
            Some(0.30),
            "30% (3 in 10, 2011–2016)",
            "CPB 2019 [S]",
        ),
        (
            "mean kinderopvangtoeslag per household",
            'e',
            mean(t.awarded[kot], t.toeslagen[kot]),
            Some(4000.0),
            "~€4,000",
            "CBS [S]",
        ),
    ];
    let _ = writeln!(
        o,
        "| figure | simulated | public | simulated − public | source |\n| --- | --- | --- | --- | --- |"
    );
    for (f, kind, sim, public, p, src) in rows {
        let (st, dt) = match kind {
            'p' => (
                pct(sim),
                public.map(|x| format!("{:+.1} pp", (sim - x) * 100.0)),
            ),
            'e' => (
                format!(
                    "€{}",
                    crate::model::money::group_thousands(sim.round().max(0.0) as u64)
                ),
                public.map(|x| format!("{:+.0} €", sim - x)),
            ),
            _ => (
                format!("{sim:.2}"),
                public.map(|x| format!("{:+.2}", sim - x)),
            ),
        };
        let _ = writeln!(
            o,
            "| {f} | {st} | {p} | {} | {src} |",
            dt.unwrap_or("—".into())
        );
    }
    let _ = writeln!(o, "\nPer benefit (simulated):\n\n| benefit | toeslagen | with a reclaim | mean reclaim | with a back-payment | mean back-payment |\n| --- | --- | --- | --- | --- | --- |");
    for b in Benefit::ALL {
        let i = b.index();
        if t.toeslagen[i] == 0 {
            continue;
        }
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            b.name(),
            crate::model::money::group_thousands(t.toeslagen[i]),
            pct(share(t.reclaims[i], t.toeslagen[i])),
            euro(t.reclaimed[i], t.reclaims[i]),
            pct(share(t.backpays[i], t.toeslagen[i])),
            euro(t.backpaid[i], t.backpays[i])
        );
    }
    let scale = 5_400_000.0 / t.households.max(1) as f64;
    let _ = writeln!(o, "\nScaled to 5.4 M households: {} reclaims totalling €{} M (public 2016: 2.3 M, €1,000 M); {} back-payments totalling €{} M (public: 1.5 M, €500 M).",
        crate::model::money::group_thousands((total_reclaims as f64 * scale).round() as u64),
        crate::model::money::group_thousands((reclaimed as f64 * scale / 1e8).round() as u64),
        crate::model::money::group_thousands((total_backpays as f64 * scale).round() as u64),
        crate::model::money::group_thousands((backpaid as f64 * scale / 1e8).round() as u64));

    if let Some(lab) = &sc.lab {
        let _ = writeln!(o, "\n## Lab replication (seed 004)\n\n| figure | simulated | lab | source |\n| --- | --- | --- | --- |");
        let idx = |n: &Option<String>| {
            n.as_ref()
                .and_then(|n| sc.arms.iter().position(|a| &a.name == n))
        };
        if let Some(a) = idx(&lab.cautious_arm) {
            let _ = writeln!(o, "| cautious 80%: take-up | {} | somewhat over two thirds (> 66.7%) | seed 004, lab 1 |", pct(share(t.took[a], t.households)));
            let _ = writeln!(o, "| cautious 80%: households with a reclaim, control → arm | {} → {} | (not reported) | |", pct(share(t.households_reclaim, t.households)), pct(share(t.arm_reclaims[a], t.households)));
        }
        if let Some(a) = idx(&lab.adjustable_arm) {
            let took = t.took[a];
            let b = t.bands[a];
            let _ = writeln!(
                o,
                "| adjustable: take-up | {} | over two thirds (> 66.7%) | seed 004, lab 2 |",
                pct(share(took, t.households))
            );
            let _ = writeln!(
                o,
                "| adjustable: chose 75–85% | {} | the most chosen range | seed 004, lab 2 |",
                pct(share(b[1], took))
            );
            let _ = writeln!(
                o,
                "| adjustable: chose 85–95% | {} | a sizeable group | seed 004, lab 2 |",
                pct(share(b[2], took))
            );
            let _ = writeln!(
                o,
                "| adjustable: chose below 75% | {} | a smaller group, spread | seed 004, lab 2 |",
                pct(share(b[0], took))
            );
            let _ = writeln!(
                o,
                "| adjustable: chose 95–100% | {} | (not reported) | |",
                pct(share(b[3], took))
            );
            for (g, label) in [(0, "≤ 80%"), (1, "> 80%")] {
                let [n, c, r] = t.by_pct[a][g];
                let _ = writeln!(o, "| takers choosing {label}: reclaim share control → arm | {} → {} ({:+.1} pp) | above 80% less effective | seed 004, lab 2 |", pct(share(c, n)), pct(share(r, n)), (share(r, n) - share(c, n)) * 100.0);
            }
        }
    }

    let arms: Vec<usize> = (1..sc.arms.len())
        .filter(|a| !sc.arms[*a].interventions.is_empty())
        .collect();
    if !arms.is_empty() {
        let _ = writeln!(o, "\n## Interventions (seeds 000 and 004)\n\n| arm | households with a reclaim (control → arm) | attention letters: sent, answered (share) | answers lowering the childcare advance: share of letters, mean decrease | mutation letters, mutations | guided |\n| --- | --- | --- | --- | --- | --- |");
        for a in arms {
            let l = t.letters[a];
            let m = t.mutations[a];
            let _ = writeln!(
                o,
                "| {} | {} → {} | {}, {} ({}) | {}, {} | {}, {} | {} |",
                sc.arms[a].name,
                pct(share(t.households_reclaim, t.households)),
                pct(share(t.arm_reclaims[a], t.households)),
                l[0],
                l[1],
                pct(share(l[1], l[0])),
                pct(share(l[2], l[0])),
                euro(t.letter_decrease[a], l[2]),
                m[0],
                m[1],
                m[2]
            );
        }
        let _ = writeln!(o, "\nSeed 000: of ≈12,000 parents with an attention letter over 2,600 (≈22%) lowered their annual childcare benefit, on average by €977. Seed 004 (mutation, clean population): 100% had a reclaim reduced or prevented, no back-payments caused.");
    }
    o
}

pub use crate::output::lab::lab_section_md;

/// Runs `calibrate`.
pub fn calibrate_command(args: &CalibrateArgs) -> Result<()> {
    let mut md = String::new();
    for (i, path) in args.scenarios.iter().enumerate() {
        let sc = crate::cli::dispatch::load_with_overrides(path, args.seed, args.households)?;
        let t = tally(&sc, args.threads)?;
        if i > 0 {
            md.push('\n');
        }
        md.push_str(&markdown(&sc, &t));
    }
    match &args.write {
        None => crate::out!("{md}")?,
        Some(p) => {
            // Hand-written notes after the marker heading survive regeneration.
            let mut md = md;
            if let Some(notes) = std::fs::read_to_string(p)
                .ok()
                .and_then(|old| old.find(NOTES_MARKER).map(|i| old[i..].to_string()))
            {
                md = format!("{}\n\n{notes}", md.trim_end());
            }
            crate::output::write_file_atomic(p, md.as_bytes())?;
            crate::outln!("wrote {}", p.display())?;
        }
    }
    Ok(())
}

/// The comparison with the public figures as a report.md section (`compare_public = true`):
/// the tables of [`markdown`] under one level-2 heading, with where the distances are explained.
pub fn report_section(sc: &Scenario, t: &Tally) -> String {
    let md = markdown(sc, t);
    // Demote the generated headings by one level and drop the first (the report has its own).
    let mut o = String::from("\n## Against the public figures\n\n");
    for line in md
        .lines()
        .skip_while(|l| l.starts_with("# ") || l.is_empty())
    {
        if line.starts_with('#') {
            o.push('#');
        }
        o.push_str(line);
        o.push('\n');
    }
    let _ = writeln!(
        o,
        "\nThe distances are explained in `docs/calibration.md` (the public figures are from other years and counts; which assumptions were tuned and why is in the comments of the scenario file)."
    );
    o
}

/// One line for the terminal: the control arm's headline figures next to the public ones.
pub fn headline_vs_public(t: &Tally) -> String {
    let toeslagen: u64 = t.toeslagen.iter().sum();
    let reclaims: u64 = t.reclaims.iter().sum();
    let backpays: u64 = t.backpays.iter().sum();
    let reclaimed: i64 = t.reclaimed.iter().sum();
    format!(
        "control vs public figures (per toeslag): reclaim {} (public 30.7%), mean reclaim €{:.0} (€435), back-payment {} (20.0%); see report.md and docs/calibration.md",
        pct(share(reclaims, toeslagen)),
        mean(reclaimed, reclaims),
        pct(share(backpays, toeslagen)),
    )
}
