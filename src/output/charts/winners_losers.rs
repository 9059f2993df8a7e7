//! The chart `winners_losers`: per treatment arm and income decile, the shares of recipient
//! households with less, the same or more cash than under control, in the benefit year (the
//! advances paid) and after its settlement (advances + back-payment − collected reclaim); a
//! change of at most the threshold in the table counts as the same. Paired design only (the
//! change is within household); from `summary.json`'s `winners_losers`.

use super::{e2s, font, header, legend_rect, Cell, Chart, ChartInfo, ChartKind, DrawResult, Table};
use crate::analysis::cash_change::{cash_changes, CashChangeRow, CashShares};
use crate::analysis::run::RunResult;
use crate::model::scenario::Scenario;
use crate::output::format::euro_label;
use crate::output::lang::{current, pick, Lang};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Winners and losers by income decile.
pub(super) struct WinnersLosers;

/// The two windows, as the table names them and as the panels title them (English, Dutch).
const WINDOWS: [(&str, &str, &str); 2] = [
    (
        "in_year",
        "in the benefit year (advances paid)",
        "in het toeslagjaar (betaalde voorschotten)",
    ),
    (
        "after_settlement",
        "after settlement (advances + back-payment − reclaim)",
        "na de vaststelling (voorschotten + nabetaling − terugvordering)",
    ),
];

/// Worse off, unchanged, better off: vermillion, light grey, bluish green.
const COLOURS: [RGBColor; 3] = [
    RGBColor(213, 94, 0),
    RGBColor(215, 215, 215),
    RGBColor(0, 158, 115),
];

/// The group's label: `decile 3: €14,000 to €21,000`, or `all recipient households`.
pub(crate) fn group_label(r: &CashChangeRow) -> String {
    match r.decile {
        None => "all recipient households".to_string(),
        Some(d) => crate::analysis::subgroups::decile_label(d, r.income_from, r.income_to),
    }
}

/// The threshold the table states (€; the first row's, or the default €10 of an empty table),
/// as text: `€10` (English: the cell after `€`; Dutch: as an amount, `€1.000`).
fn threshold(t: &Table) -> Result<String, String> {
    let cell = if t.rows.is_empty() {
        "10".to_string()
    } else {
        t.str(0, "threshold_eur")?.to_string()
    };
    Ok(match current() {
        Lang::En => format!("€{cell}"),
        Lang::Nl => euro_label(cell.parse().unwrap_or(10.0)),
    })
}

impl Chart for WinnersLosers {
    const COLUMNS: &'static [(&'static str, Cell)] = &[
        ("arm", Cell::Text),
        ("vs", Cell::Text),
        ("window", Cell::OneOf(&["in_year", "after_settlement"])),
        ("group", Cell::Text),
        ("households", Cell::Count),
        ("worse_pct", Cell::Percent),
        ("unchanged_pct", Cell::Percent),
        ("better_pct", Cell::Percent),
        ("threshold_eur", Cell::Euros),
    ];

    fn title_caption(t: &Table) -> Result<(String, String), String> {
        let th = threshold(t)?;
        Ok((
            pick(
                "Better or worse off in cash, by income decile",
                "Erop vooruit of achteruit in geld, per inkomensdeciel",
            )
            .to_string(),
            crate::tr!(
                "Per treatment arm: the share of recipient households with less cash (worse off), the same (a change of at most {th} either way) or more cash (better off) than the same household under control, by decile of the applicant's actual income (the control arm's deciles), in the benefit year (advances paid) and after its settlement (advances + back-payment − collected reclaim). The definitive award is the same in both arms unless an arm changes who applies, so after settlement differences come mostly from reclaims below the small-reclaim threshold, which are not collected. Paired design; descriptive (no test).",
                "Per experimentele variant: het aandeel van de huishoudens met een toeslag dat minder geld heeft (erop achteruit), evenveel (een verandering van hoogstens {th} naar boven of beneden) of meer geld (erop vooruit) dan hetzelfde huishouden in de controlegroep, per deciel van het werkelijke inkomen van de aanvrager (de decielen van de controlegroep), in het toeslagjaar (betaalde voorschotten) en na de vaststelling (voorschotten + nabetaling − geïnde terugvordering). De definitieve toekenning is in beide varianten gelijk, tenzij een variant verandert wie aanvraagt; verschillen na de vaststelling komen dus vooral van terugvorderingen onder de drempel voor kleine terugvorderingen, die niet worden geïnd. Gepaard ontwerp; beschrijvend (geen toets)."
            ),
        ))
    }

    fn run_table(sc: &Scenario, r: &RunResult) -> Option<Table> {
        let changes = cash_changes(sc, r);
        if changes.is_empty() {
            return None;
        }
        let mut t = Table::for_chart(ChartKind::WinnersLosers);
        let pct = |x: f64| format!("{:.4}", x * 100.0);
        for c in &changes {
            for row in c.by_income_decile.iter().chain(std::iter::once(&c.all)) {
                let windows: [&CashShares; 2] = [&row.in_year, &row.after_settlement];
                for ((key, _, _), s) in WINDOWS.iter().zip(windows) {
                    t.push(vec![
                        c.arm.clone(),
                        c.vs.clone(),
                        key.to_string(),
                        group_label(row),
                        row.households.to_string(),
                        pct(s.worse),
                        pct(s.unchanged),
                        pct(s.better),
                        c.threshold.to_string(),
                    ]);
                }
            }
        }
        Some(t)
    }

    fn draw<DB: DrawingBackend>(
        t: &Table,
        info: &ChartInfo,
        root: &DrawingArea<DB, Shift>,
    ) -> DrawResult {
        let th = threshold(t)?;
        let area = header(
            root,
            &info.title,
            &crate::tr!(
                "share of recipient households vs the same household under control; a change of at most {th} counts as the same",
                "aandeel huishoudens met een toeslag, tegenover hetzelfde huishouden in de controlegroep; een verschil tot {th} telt als gelijk"
            ),
        )?;
        let arms = t.distinct("arm")?;
        let groups = t.distinct("group")?;
        let (legend_area, panels) = area.split_vertically(30);
        // The legend: worse, the same, better.
        let names = match current() {
            Lang::En => ["worse off", "the same", "better off"],
            Lang::Nl => ["erop achteruit", "gelijk", "erop vooruit"],
        };
        for (k, name) in names.iter().enumerate() {
            let x = 90 + k as i32 * 150;
            legend_area
                .draw(&legend_rect(COLOURS[k])((x, 12)))
                .map_err(e2s)?;
            legend_area
                .draw(&Text::new(
                    name.to_string(),
                    (x + 22, 12),
                    font(15).pos(Pos::new(HPos::Left, VPos::Center)),
                ))
                .map_err(e2s)?;
        }
        let rows = panels.split_evenly((arms.len().max(1), WINDOWS.len()));
        for (p, panel) in rows.iter().enumerate() {
            let (a, w) = (p / WINDOWS.len(), p % WINDOWS.len());
            let Some(arm) = arms.get(a) else { continue };
            let caption = format!("{arm}: {}", pick(WINDOWS[w].1, WINDOWS[w].2));
            let n = groups.len().max(1);
            let mut chart = ChartBuilder::on(panel)
                .caption(caption, font(14))
                .margin(6)
                .margin_right(18)
                .x_label_area_size(22)
                .y_label_area_size(if w == 0 { 60 } else { 10 })
                .build_cartesian_2d(0.0..100.0, 0.0..n as f64)
                .map_err(e2s)?;
            let all = pick("all", "alle");
            let labels: Vec<String> = groups
                .iter()
                .map(|g| {
                    g.split(':')
                        .next()
                        .unwrap_or_default()
                        .replace("decile ", "D")
                        .replace("all recipient households", all)
                })
                .collect();
            chart
                .configure_mesh()
                .disable_y_mesh()
                .light_line_style(RGBColor(240, 240, 240))
                .max_light_lines(1)
                .label_style(font(11))
                .x_labels(6)
                .x_label_formatter(&|x| format!("{x:.0}%"))
                .y_labels(if w == 0 { 2 * n + 1 } else { 0 })
                .y_label_formatter(&|y| {
                    let k = y.floor() as usize;
                    if w == 0 && (y - k as f64 - 0.5).abs() < 1e-9 && k < n {
                        // The first group at the top.
                        labels[n - 1 - k].clone()
                    } else {
                        String::new()
                    }
                })
                .draw()
                .map_err(e2s)?;
            for i in 0..t.rows.len() {
                if t.str(i, "arm")? != arm || t.str(i, "window")? != WINDOWS[w].0 {
                    continue;
                }
                let g = groups
                    .iter()
                    .position(|x| x == t.str(i, "group").unwrap_or_default())
                    .unwrap_or(0);
                let y = (n - 1 - g) as f64;
                let parts = [
                    t.num(i, "worse_pct")?,
                    t.num(i, "unchanged_pct")?,
                    t.num(i, "better_pct")?,
                ];
                let mut x0 = 0.0;
                for (k, v) in parts.iter().enumerate() {
                    let x1 = (x0 + v).min(100.0);
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(x0, y + 0.12), (x1, y + 0.88)],
                            COLOURS[k].filled(),
                        )))
                        .map_err(e2s)?;
                    x0 = x1;
                }
            }
        }
        Ok(())
    }
}
