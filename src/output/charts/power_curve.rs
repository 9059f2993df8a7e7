//! The chart `power_curve`: the power of a two-arm randomized pilot to detect the simulated
//! effect on the reclaim share against its households per arm, one line per treatment arm,
//! with the band of the effect's 95% interval and the pilot size for 80% power with its range
//! (`analysis::power`).

use super::{
    colour, e2s, font, header, legend, Cell, Chart, ChartInfo, ChartKind, DrawResult, Table, GREY,
};
use crate::analysis::accumulators::GroupStats;
use crate::analysis::intervals;
use crate::analysis::power::{
    curve_grid, pilot_range, power_at, power_curve, PilotRange, PowerPoint, GRID_CAP, PILOT_ALPHA,
    PILOT_POWER,
};
use crate::analysis::run::RunResult;
use crate::model::scenario::{Design, Scenario};
use crate::output::format::thousands;
use crate::output::lang::pick;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The power curve of a pilot.
pub(super) struct PowerCurve;

/// What a row of the table is: a point of the curve, or the pilot size for 80% power for the
/// point effect and for the bounds of its interval (no `pilot_size_high` row: unbounded).
const KINDS: &[&str] = &["curve", "pilot_size", "pilot_size_low", "pilot_size_high"];

/// The power columns, each checked to lie in [0, 1].
const POWERS: [(&str, usize); 3] = [("power", 3), ("power_low", 4), ("power_high", 5)];

impl Chart for PowerCurve {
    const COLUMNS: &'static [(&'static str, Cell)] = &[
        ("arm", Cell::Text),
        ("kind", Cell::OneOf(KINDS)),
        ("households_per_arm", Cell::Count),
        ("power", Cell::Number),
        ("power_low", Cell::Number),
        ("power_high", Cell::Number),
    ];

    fn check_row(row: &[String]) -> Result<(), String> {
        if let Some(n) = row.get(2) {
            if n.parse::<f64>().is_ok_and(|n| n < 1.0) {
                return Err(format!(
                    "column households_per_arm: {n} is not at least 1 household"
                ));
            }
        }
        let mut v = [0.0; 3];
        for (k, (name, i)) in POWERS.iter().enumerate() {
            let Some(x) = row.get(*i).and_then(|s| s.parse::<f64>().ok()) else {
                return Ok(()); // a short row has already failed its column checks
            };
            if !(0.0..=1.0).contains(&x) {
                return Err(format!("column {name}: {x} is not a power between 0 and 1"));
            }
            v[k] = x;
        }
        if v[1] > v[2] {
            return Err(format!(
                "column power_low: {} is above power_high {}",
                v[1], v[2]
            ));
        }
        Ok(())
    }

    fn title_caption(_t: &Table) -> Result<(String, String), String> {
        Ok((
            pick(
                "Power of a randomized pilot to detect the simulated effect on the reclaim share",
                "Onderscheidend vermogen van een pilot voor het effect op terugvorderingen",
            )
            .to_string(),
            pick("Power of a two-arm randomized pilot (treatment arm vs control, 5% two-sided test of two proportions, normal approximation) against its households per arm (log scale), taking the simulated reclaim shares as the truth. Band: the power at the bounds of the effect's 95% interval (down to 5% when the interval contains no effect); dashed: 80% power; dot: the pilot size for 80% power; bar: its range for the interval's bounds (reaching the right edge when the simulation cannot exclude no effect; the bars of several arms are stacked just below 80%).", "Onderscheidend vermogen van een gerandomiseerde pilot met twee groepen (experimentele variant tegen controlegroep, tweezijdige toets van twee proporties op 5%, normale benadering) uitgezet tegen het aantal huishoudens per variant (logaritmische schaal), met de gesimuleerde aandelen met een terugvordering als de werkelijke. Band: het onderscheidend vermogen bij de grenzen van het 95%-interval van het effect (tot 5% als het interval een effect van nul omvat); gestreept: 80% onderscheidend vermogen; stip: de pilotomvang voor 80% onderscheidend vermogen; balk: het bereik daarvan bij de grenzen van het interval (tot de rechterrand als de simulatie een effect van nul niet kan uitsluiten; de balken van meerdere varianten liggen net onder 80% onder elkaar).").to_string(),
        ))
    }

    fn run_table(sc: &Scenario, r: &RunResult) -> Option<Table> {
        let c = &r.arms.first()?.total;
        let effects: Vec<Effect> = sc
            .arms
            .iter()
            .enumerate()
            .skip(1)
            .filter_map(|(i, arm)| {
                let paired = match sc.design {
                    Design::Paired => r
                        .paired
                        .get(i - 1)
                        .map(|p| (p.control_only, p.treatment_only, p.n)),
                    Design::Randomized => None,
                };
                Effect::of(&arm.name, c, &r.arms.get(i)?.total, paired)
            })
            .collect();
        let ranges: Vec<PilotRange> = effects.iter().map(|e| e.range.clone()).collect();
        let grid = curve_grid(&ranges);
        let mut t = Table::for_chart(ChartKind::PowerCurve);
        for e in &effects {
            e.push_rows(&mut t, &grid);
        }
        (!t.rows.is_empty()).then_some(t)
    }

    fn draw<DB: DrawingBackend>(
        t: &Table,
        info: &ChartInfo,
        root: &DrawingArea<DB, Shift>,
    ) -> DrawResult {
        let area = header(
            root,
            &info.title,
            pick(
                "5% two-sided, normal approximation; band: the effect's 95% interval; dot: households per arm for 80% power",
                "tweezijdig op 5%, normale benadering; band: 95%-interval van het effect; stip: huishoudens per variant voor 80% onderscheidend vermogen",
            ),
        )?;
        let arms = t.distinct("arm")?;
        let mut series: Vec<ArmSeries> = vec![ArmSeries::default(); arms.len()];
        let (mut xmin, mut xmax) = (f64::MAX, f64::MIN);
        for i in 0..t.rows.len() {
            let a = arms
                .iter()
                .position(|x| x == t.str(i, "arm").unwrap_or_default())
                .unwrap_or(0);
            let n = t.num(i, "households_per_arm")?.max(1.0);
            let p = [
                t.num(i, "power")? * 100.0,
                t.num(i, "power_low")? * 100.0,
                t.num(i, "power_high")? * 100.0,
            ];
            xmin = xmin.min(n);
            xmax = xmax.max(n);
            let s = &mut series[a];
            match t.str(i, "kind")? {
                "pilot_size" => s.pilot = Some((n, p[0])),
                "pilot_size_low" => s.low = Some(n),
                "pilot_size_high" => s.high = Some(n),
                _ => s.curve.push((n, p)),
            }
        }
        if xmin > xmax {
            (xmin, xmax) = (1.0, 10.0);
        }
        if xmax <= xmin {
            xmax = xmin * 10.0;
        }
        let mut chart = ChartBuilder::on(&area)
            .margin(15)
            .margin_right(30)
            .x_label_area_size(55)
            .y_label_area_size(75)
            .build_cartesian_2d((xmin..xmax).log_scale(), 0.0..Y_MAX)
            .map_err(e2s)?;
        chart
            .configure_mesh()
            .light_line_style(RGBColor(235, 235, 235))
            .x_desc(pick(
                "households per arm (log scale)",
                "huishoudens per variant (logaritmische schaal)",
            ))
            .y_desc(pick("power (%)", "onderscheidend vermogen (%)"))
            .axis_desc_style(font(18))
            .label_style(font(15))
            .x_label_formatter(&|x| thousands(x.round().max(0.0) as u64))
            .y_labels(12)
            .y_label_formatter(&|y| {
                if *y > 100.0 {
                    String::new()
                } else {
                    format!("{y:.0}%")
                }
            })
            .draw()
            .map_err(e2s)?;
        for (a, s) in series.iter().enumerate() {
            draw_band(&mut chart, s, colour(a + 1))?;
        }
        let target = PILOT_POWER * 100.0;
        chart
            .draw_series(DashedLineSeries::new(
                [(xmin, target), (xmax, target)],
                8,
                5,
                GREY.stroke_width(2),
            ))
            .map_err(e2s)?
            .label(crate::tr!(
                "{target:.0}% power",
                "{target:.0}% onderscheidend vermogen"
            ))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], GREY.stroke_width(2)));
        for (a, arm) in arms.iter().enumerate() {
            // The range bars of several arms are stacked just below the 80% line.
            let bar_y = PILOT_POWER * 100.0 - BAR_STEP * a as f64;
            draw_arm(&mut chart, &series[a], arm, colour(a + 1), (bar_y, xmax))?;
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight, 12, 16)?;
        Ok(())
    }
}

/// One treatment arm's effect on the reclaim share, as the chart needs it.
struct Effect {
    arm: String,
    p_control: f64,
    p_treat: f64,
    ci: Option<(f64, f64)>,
    range: PilotRange,
}

impl Effect {
    /// The effect of the arm with group `g` against control `c`; `None` when it is zero or not
    /// estimable (fewer than 2 recipient households in a group). `paired` holds the paired
    /// design's reclaim pairs (control only, treatment only, households), for the interval.
    fn of(
        arm: &str,
        c: &GroupStats,
        g: &GroupStats,
        paired: Option<(u64, u64, u64)>,
    ) -> Option<Effect> {
        if c.n.min(g.n) < 2 {
            return None;
        }
        let interval = intervals::share_difference(c.n_reclaim, c.n, g.n_reclaim, g.n, paired);
        let ci = interval.ok().map(|i| (i.lo, i.hi));
        let (p_control, p_treat) = (c.reclaim_share(), g.reclaim_share());
        let range = pilot_range(p_control, p_treat, ci, PILOT_ALPHA, PILOT_POWER);
        range.point?;
        Some(Effect {
            arm: arm.to_string(),
            p_control,
            p_treat,
            ci,
            range,
        })
    }

    /// The arm's rows: its curve on `grid`, then its pilot sizes (those within the grid's cap).
    fn push_rows(&self, t: &mut Table, grid: &[u64]) {
        let mut row = |kind: &str, p: PowerPoint| {
            t.push(vec![
                self.arm.clone(),
                kind.to_string(),
                p.households_per_arm.to_string(),
                format!("{:.6}", p.power),
                format!("{:.6}", p.power_low),
                format!("{:.6}", p.power_high),
            ]);
        };
        let (pc, pt, ci) = (self.p_control, self.p_treat, self.ci);
        for p in power_curve(pc, pt, ci, PILOT_ALPHA, grid) {
            row("curve", p);
        }
        let r = &self.range;
        for (kind, n) in [
            ("pilot_size", r.point),
            ("pilot_size_low", r.low),
            ("pilot_size_high", r.high),
        ] {
            let at = n
                .filter(|&n| n <= GRID_CAP)
                .and_then(|n| power_at(pc, pt, ci, n, PILOT_ALPHA));
            if let Some(p) = at {
                row(kind, p);
            }
        }
    }
}

/// One arm's data as drawn: the curve (households, [power, low, high] in %), the point pilot
/// size with its power and the range's ends.
#[derive(Clone, Default)]
struct ArmSeries {
    curve: Vec<(f64, [f64; 3])>,
    pilot: Option<(f64, f64)>,
    low: Option<f64>,
    high: Option<f64>,
}

/// The top of the power axis, above 100% so a curve at 100% is not drawn on the frame.
const Y_MAX: f64 = 104.0;

type PowerChart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<
        plotters::coord::combinators::LogCoord<f64>,
        plotters::coord::types::RangedCoordf64,
    >,
>;

/// Percentage points between the range bars of consecutive arms.
const BAR_STEP: f64 = 2.5;

/// Draws one arm's band: between the powers at the bounds of the effect's interval.
fn draw_band<DB: DrawingBackend>(
    chart: &mut PowerChart<'_, DB>,
    s: &ArmSeries,
    c: RGBColor,
) -> DrawResult {
    let band: Vec<(f64, f64)> = s
        .curve
        .iter()
        .map(|(n, p)| (*n, p[2]))
        .chain(s.curve.iter().rev().map(|(n, p)| (*n, p[1])))
        .collect();
    if band.len() >= 3 {
        chart
            .draw_series(std::iter::once(Polygon::new(band, c.mix(0.15).filled())))
            .map_err(e2s)?;
    }
    Ok(())
}

/// Draws one arm over the bands: its line, its pilot size on the curve and its range as a bar
/// at height `bar_y` (up to `xmax`, the right edge, when unbounded).
fn draw_arm<DB: DrawingBackend>(
    chart: &mut PowerChart<'_, DB>,
    s: &ArmSeries,
    arm: &str,
    c: RGBColor,
    (bar_y, xmax): (f64, f64),
) -> DrawResult {
    chart
        .draw_series(LineSeries::new(
            s.curve.iter().map(|(n, p)| (*n, p[0])),
            c.stroke_width(3),
        ))
        .map_err(e2s)?
        .label(arm.to_string())
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(3)));
    let target = bar_y;
    if let Some(lo) = s.low {
        let hi = s.high.unwrap_or(xmax);
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(lo, target), (hi, target)],
                c.stroke_width(5),
            )))
            .map_err(e2s)?;
        let ends = [Some(lo), s.high].into_iter().flatten();
        chart
            .draw_series(ends.map(|x| {
                PathElement::new(
                    vec![(x, target - 2.0), (x, target + 2.0)],
                    c.stroke_width(3),
                )
            }))
            .map_err(e2s)?;
    }
    if let Some((n, p)) = s.pilot {
        chart
            .draw_series(std::iter::once(Circle::new((n, p), 7, c.filled())))
            .map_err(e2s)?;
        chart
            .draw_series(std::iter::once(Text::new(
                thousands(n.round() as u64),
                (n, p + 3.0),
                font(14).pos(Pos::new(HPos::Right, VPos::Bottom)),
            )))
            .map_err(e2s)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn rows_are_checked() {
        let ok = row(&["cautious", "curve", "100", "0.5", "0.4", "0.6"]);
        assert_eq!(PowerCurve::check_row(&ok), Ok(()));
        let bad = row(&["cautious", "curve", "100", "1.5", "0.4", "0.6"]);
        assert!(PowerCurve::check_row(&bad)
            .unwrap_err()
            .contains("column power:"));
        let bad = row(&["cautious", "curve", "100", "0.5", "0.7", "0.6"]);
        assert!(PowerCurve::check_row(&bad)
            .unwrap_err()
            .contains("above power_high"));
        let bad = row(&["cautious", "curve", "0", "0.5", "0.4", "0.6"]);
        assert!(PowerCurve::check_row(&bad)
            .unwrap_err()
            .contains("households_per_arm"));
        assert_eq!(PowerCurve::check_row(&row(&["cautious"])), Ok(()));
    }

    fn group(n: u64, n_reclaim: u64) -> GroupStats {
        GroupStats {
            n,
            n_all: n,
            n_reclaim,
            ..GroupStats::default()
        }
    }

    fn rows(effects: &[Option<Effect>]) -> Table {
        let effects: Vec<&Effect> = effects.iter().flatten().collect();
        let ranges: Vec<PilotRange> = effects.iter().map(|e| e.range.clone()).collect();
        let grid = curve_grid(&ranges);
        let mut t = Table::for_chart(ChartKind::PowerCurve);
        for e in effects {
            e.push_rows(&mut t, &grid);
        }
        t
    }

    #[test]
    fn an_arm_gives_its_curve_and_pilot_sizes() {
        let t = rows(&[Effect::of(
            "cautious",
            &group(1000, 311),
            &group(1000, 180),
            None,
        )]);
        let kinds: Vec<&str> = t.rows.iter().map(|r| r[1].as_str()).collect();
        assert!(kinds.iter().filter(|k| **k == "curve").count() >= 35);
        assert!(kinds.ends_with(&["pilot_size", "pilot_size_low", "pilot_size_high"]));
        let point = &t.rows[kinds.len() - 3];
        assert_eq!(point[2], "169");
        for r in &t.rows {
            assert_eq!(PowerCurve::check_row(r), Ok(()), "{r:?}");
        }
        // No effect, or too few households: no rows.
        assert!(Effect::of("same", &group(1000, 311), &group(1000, 311), None).is_none());
        assert!(Effect::of("tiny", &group(1, 1), &group(1, 0), None).is_none());
    }

    #[test]
    fn arms_share_one_grid_and_a_weak_effect_has_no_upper_pilot_size() {
        let c = group(300, 90);
        let t = rows(&[
            Effect::of("weak", &c, &group(300, 84), None),
            Effect::of("strong", &c, &group(300, 10), None),
        ]);
        let curve = |arm: &str| -> Vec<String> {
            let r = t.rows.iter().filter(|r| r[0] == arm && r[1] == "curve");
            r.map(|r| r[2].clone()).collect()
        };
        assert_eq!(curve("weak"), curve("strong"));
        let weak: Vec<&str> = t
            .rows
            .iter()
            .filter(|r| r[0] == "weak")
            .map(|r| r[1].as_str())
            .collect();
        assert!(weak.contains(&"pilot_size") && weak.contains(&"pilot_size_low"));
        assert!(!weak.contains(&"pilot_size_high"));
        // The band of the weak arm reaches down to the test's size, 5%.
        assert!(t
            .rows
            .iter()
            .filter(|r| r[0] == "weak")
            .all(|r| r[4] == "0.050000"));
        // The grid starts below the strong arm's smallest pilot size.
        let first: u64 = curve("strong")[0].parse().unwrap();
        let low = t
            .rows
            .iter()
            .find(|r| r[0] == "strong" && r[1] == "pilot_size_low")
            .unwrap();
        assert!(first < low[2].parse().unwrap());
    }
}
