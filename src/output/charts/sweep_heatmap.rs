//! The chart `sweep_heatmap_<arm>` of a two-way `sweep` (`--param` and `--by`): the arm's
//! difference with control on the primary metric at every grid point, as coloured cells with
//! the value written in each. One file per treatment arm; its table is built by
//! `output::sweep::heatmap_tables`.

use super::{e2s, font, header, Cell, Chart, ChartInfo, DrawResult, Table, GREY};
use crate::output::format::localize_number;
use crate::output::lang::pick;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The heat map of one arm.
pub(super) struct SweepHeatmap;

/// Units of the difference: percentage points (a share metric) or euros.
const UNITS: &[&str] = &["pp", "EUR"];

impl Chart for SweepHeatmap {
    const COLUMNS: &'static [(&'static str, Cell)] = &[
        ("param", Cell::Text),
        ("value", Cell::Number),
        ("param2", Cell::Text),
        ("value2", Cell::Number),
        ("arm", Cell::Text),
        ("vs", Cell::Text),
        ("metric", Cell::Text),
        ("unit", Cell::OneOf(UNITS)),
        ("difference", Cell::Number),
        ("ci_low", Cell::Number),
        ("ci_high", Cell::Number),
    ];

    fn title_caption(t: &Table) -> Result<(String, String), String> {
        let (arm, vs, metric, p1, p2) = if t.rows.is_empty() {
            ("?", "?", "?", "?", "?")
        } else {
            (
                t.str(0, "arm")?,
                t.str(0, "vs")?,
                t.str(0, "metric")?,
                t.str(0, "param")?,
                t.str(0, "param2")?,
            )
        };
        let words = super::sensitivity::metric_words(metric);
        Ok((
            crate::tr!(
                "Effect of {arm} on {words} over two swept keys",
                "Effect van {arm} op {words} over twee parameters"
            ),
            crate::tr!(
                "Each cell: the difference {arm} − {vs} at one grid point (rows: {p1}; columns: {p2}); blue cells are falls, red cells rises, darker is larger. Every grid point simulates the same households with the same draws. The 95% intervals are in the chart's CSV and sweep.csv.",
                "Elke cel: het verschil {arm} − {vs} in één punt van het rooster (rijen: {p1}; kolommen: {p2}); blauwe cellen zijn dalingen, rode cellen stijgingen, donkerder is groter. Elk roosterpunt simuleert dezelfde huishoudens met dezelfde trekkingen. De 95%-intervallen staan in de CSV van de grafiek en in sweep.csv."
            ),
        ))
    }

    fn draw<DB: DrawingBackend>(
        t: &Table,
        info: &ChartInfo,
        root: &DrawingArea<DB, Shift>,
    ) -> DrawResult {
        let unit = if t.rows.is_empty() {
            "pp"
        } else {
            t.str(0, "unit")?
        };
        let (p1, p2) = if t.rows.is_empty() {
            (String::new(), String::new())
        } else {
            (
                t.str(0, "param")?.to_string(),
                t.str(0, "param2")?.to_string(),
            )
        };
        let area = header(
            root,
            &info.title,
            &format!(
                "{} {}",
                pick(
                    "difference with control, in",
                    "verschil met de controlegroep, in"
                ),
                if unit == "pp" {
                    pick("percentage points", "procentpunten")
                } else {
                    pick("euros", "euro")
                }
            ),
        )?;
        let mut ys: Vec<String> = Vec::new();
        let mut xs: Vec<String> = Vec::new();
        let mut cells = Vec::new();
        for i in 0..t.rows.len() {
            let (a, b) = (
                t.str(i, "value")?.to_string(),
                t.str(i, "value2")?.to_string(),
            );
            if !ys.contains(&a) {
                ys.push(a.clone());
            }
            if !xs.contains(&b) {
                xs.push(b.clone());
            }
            cells.push((a, b, t.num(i, "difference")?));
        }
        let (nx, ny) = (xs.len().max(1) as f64, ys.len().max(1) as f64);
        let max = cells
            .iter()
            .map(|c| c.2.abs())
            .fold(0.0f64, f64::max)
            .max(1e-12);
        let mut chart = ChartBuilder::on(&area)
            .margin(15)
            .margin_right(30)
            .x_label_area_size(70)
            .y_label_area_size(110)
            .build_cartesian_2d(0.0..nx, 0.0..ny)
            .map_err(e2s)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(0)
            .y_labels(0)
            .x_label_formatter(&|_| String::new())
            .y_label_formatter(&|_| String::new())
            .x_desc(p2.clone())
            .y_desc(p1.clone())
            .axis_desc_style(font(16))
            .draw()
            .map_err(e2s)?;
        let fmt = |x: f64| {
            localize_number(&if unit == "pp" {
                format!("{x:+.1}")
            } else {
                format!("{x:+.0}")
            })
        };
        for (a, b, d) in &cells {
            let xi = xs.iter().position(|x| x == b).unwrap_or(0) as f64;
            let yi = ys.iter().position(|y| y == a).unwrap_or(0) as f64;
            let s = (d.abs() / max).clamp(0.0, 1.0);
            // White at 0, the palette's blue for falls and a red for rises at the largest size.
            let mix = |c: u8| (255.0 - s * (255.0 - f64::from(c))).round() as u8;
            let c = if *d < 0.0 {
                RGBColor(mix(0), mix(114), mix(178))
            } else {
                RGBColor(mix(213), mix(94), mix(0))
            };
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(xi, yi), (xi + 1.0, yi + 1.0)],
                    c.filled(),
                )))
                .map_err(e2s)?;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(xi, yi), (xi + 1.0, yi + 1.0)],
                    WHITE.stroke_width(1),
                )))
                .map_err(e2s)?;
            let text_colour = if s > 0.6 { WHITE } else { BLACK };
            chart
                .draw_series(std::iter::once(Text::new(
                    fmt(*d),
                    (xi + 0.5, yi + 0.5),
                    font(if xs.len() > 12 { 10 } else { 13 })
                        .color(&text_colour)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                )))
                .map_err(e2s)?;
        }
        for (i, x) in xs.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
            root.draw(&Text::new(
                localize_number(x),
                (px, py + 8),
                font(13).pos(Pos::new(HPos::Center, VPos::Top)),
            ))
            .map_err(e2s)?;
        }
        for (i, y) in ys.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(0.0, i as f64 + 0.5));
            root.draw(&Text::new(
                localize_number(y),
                (px - 8, py),
                font(13)
                    .color(&GREY)
                    .pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(e2s)?;
        }
        Ok(())
    }
}
