//! The chart `settlement_distribution`: each recipient household's *net* settlement across its
//! benefits (back-payments paid − reclaims collected), per €-band, as a share of each arm's
//! recipient households: net reclaims left of zero, net back-payments (above the back-payment
//! threshold) right. Each household appears once; the rest are settled within the threshold.

use super::{
    colour, e2s, font, header, legend, legend_rect, Cell, Chart, ChartInfo, ChartKind, DrawResult,
    Table, GREY,
};
use crate::analysis::run::RunResult;
use crate::model::scenario::Scenario;
use crate::output::format::euro_label;
use crate::output::format::pct4_of as pct;
use crate::output::lang::pick;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The settlement distribution.
pub(super) struct Settlement;

impl Chart for Settlement {
    const COLUMNS: &'static [(&'static str, Cell)] = &[
        ("arm", Cell::Text),
        ("arm_households", Cell::Count),
        ("settlement", Cell::OneOf(&["reclaim", "back-payment"])),
        ("bin_from_eur", Cell::EdgeOrOpen),
        ("bin_to_eur", Cell::EdgeOrOpen),
        ("households", Cell::Count),
        ("share_pct", Cell::Percent),
    ];

    /// Only the outer bin may be open (`bin_to_eur` empty), and every bin has a positive width.
    fn check_row(row: &[String]) -> Result<(), String> {
        let (Some(from), Some(to)) = (row.get(3), row.get(4)) else {
            return Ok(()); // a short row has already failed its column checks
        };
        if from.is_empty() {
            return Err(
                "column bin_from_eur: empty; only bin_to_eur may be empty (the open outer bin)"
                    .into(),
            );
        }
        if let (Ok(a), Ok(b)) = (from.parse::<f64>(), to.parse::<f64>()) {
            if b <= a {
                return Err(format!(
                    "column bin_to_eur: {to} is not above bin_from_eur {from}"
                ));
            }
        }
        Ok(())
    }

    fn title_caption(_t: &Table) -> Result<(String, String), String> {
        Ok((
            title().to_string(),
            pick("Each recipient household once, by its net settlement over all its benefits (back-payments paid minus reclaims collected). Left of zero: households that pay money back on balance (net reclaim); right of zero: households that receive money on balance, above the back-payment threshold (net back-payment). Bar height is the share of the arm's recipient households in each €-band; the outermost bars collect everything beyond the last band; households settled within the threshold are in neither side, so the bars of an arm sum to at most 100%.", "Elk huishouden met een toeslag telt één keer, naar het saldo van de vaststelling over al zijn toeslagen (uitbetaalde nabetalingen min geïnde terugvorderingen). Links van nul: huishoudens die per saldo geld terugbetalen (netto terugvordering); rechts van nul: huishoudens die per saldo geld ontvangen, boven de drempel voor nabetalingen (netto nabetaling). De hoogte van een staaf is het aandeel van de huishoudens met een toeslag in de variant per €-klasse; de buitenste staven bevatten alles voorbij de laatste klasse; huishoudens met een saldo binnen de drempel vallen aan geen van beide kanten, zodat de staven van een variant samen hoogstens 100% zijn.").to_string(),
        ))
    }

    fn run_table(sc: &Scenario, r: &RunResult) -> Option<Table> {
        // Bin width from the pooled 95th percentile of reclaims and back-payments, all arms.
        let mut pooled = crate::analysis::accumulators::Histogram::default();
        for a in &r.arms {
            pooled.merge(&a.total.net_reclaims);
            pooled.merge(&a.total.net_backpays);
        }
        let p95 = pooled.quantile(0.95).0.max(100);
        let width = nice_width(p95, 12);
        let bins = (p95 + width - 1) / width; // regular bins; then one open bin
        let mut t = Table::for_chart(ChartKind::SettlementDistribution);
        for (i, arm) in sc.arms.iter().enumerate() {
            let g = &r.arms[i].total;
            for (kind, h) in [
                ("reclaim", &g.net_reclaims),
                ("back-payment", &g.net_backpays),
            ] {
                let mut counts = vec![0u64; bins as usize + 1];
                for (c, n) in h.iter() {
                    let b = (c / width).clamp(0, bins) as usize;
                    counts[b] += n;
                }
                for (b, n) in counts.iter().enumerate() {
                    let from = b as i64 * width;
                    let to = if (b as i64) < bins {
                        euros(from + width)
                    } else {
                        String::new()
                    };
                    t.push(vec![
                        arm.name.clone(),
                        g.n.to_string(),
                        kind.into(),
                        euros(from),
                        to,
                        n.to_string(),
                        pct(*n, g.n),
                    ]);
                }
            }
        }
        Some(t)
    }

    fn draw<DB: DrawingBackend>(
        t: &Table,
        _info: &ChartInfo,
        root: &DrawingArea<DB, Shift>,
    ) -> DrawResult {
        let area = header(
            root,
            title(),
            pick(
                "Each household once: net reclaim (left, pays back) or net back-payment (right, receives); share of each arm's recipient households",
                "Elk huishouden één keer: netto terugvordering (links) of netto nabetaling (rechts); aandeel van de huishoudens met een toeslag per variant",
            ),
        )?;
        let arms = t.distinct("arm")?;
        let k = arms.len().max(1) as f64;
        // Bars: (arm index, x0, x1, share); the open bin is drawn one width wide.
        let mut bars = Vec::new();
        let mut width = 0.0f64;
        let mut last_edge = 0.0f64;
        for i in 0..t.rows.len() {
            let from = t.num(i, "bin_from_eur")?;
            if let Ok(to) = t.num(i, "bin_to_eur") {
                width = width.max(to - from);
                last_edge = last_edge.max(to);
            }
        }
        if width <= 0.0 {
            width = 100.0;
        }
        let mut ymax = 0.0f64;
        for i in 0..t.rows.len() {
            let arm = t.str(i, "arm")?;
            let a = arms.iter().position(|x| x == arm).unwrap_or(0);
            let from = t.num(i, "bin_from_eur")?;
            let to = t.num(i, "bin_to_eur").unwrap_or(from + width);
            let share = t.num(i, "share_pct")?;
            ymax = ymax.max(share);
            let sign = match t.str(i, "settlement")? {
                "reclaim" => -1.0,
                "back-payment" => 1.0,
                other => return Err(format!("row {}: unknown settlement `{other}`", i + 2)),
            };
            let w = (to - from) * 0.84 / k;
            let lo = from + (to - from) * 0.08 + a as f64 * w;
            let (x0, x1) = if sign < 0.0 {
                (-(lo + w), -lo)
            } else {
                (lo, lo + w)
            };
            bars.push((a, x0, x1, share));
        }
        let xmax = last_edge + width;
        let ymax = (ymax * 1.15).max(1.0);
        let mut chart = ChartBuilder::on(&area)
            .margin(15)
            .margin_right(30)
            .x_label_area_size(55)
            .y_label_area_size(75)
            .build_cartesian_2d(-xmax..xmax, 0.0..ymax)
            .map_err(e2s)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(RGBColor(235, 235, 235))
            .x_desc(pick(
                "settlement (€): reclaim ← 0 → back-payment",
                "saldo (€): terugvordering ← 0 → nabetaling",
            ))
            .y_desc(pick(
                "households (% of arm)",
                "huishoudens (% van de variant)",
            ))
            .axis_desc_style(font(18))
            .label_style(font(15))
            .x_labels(11)
            // No ticks inside the open-ended outer bins: they hold everything beyond the last edge.
            .x_label_formatter(&|x| {
                if x.abs() > last_edge + 1e-6 {
                    String::new()
                } else {
                    euro_label(*x)
                }
            })
            .y_label_formatter(&|y| format!("{y:.0}%"))
            .draw()
            .map_err(e2s)?;
        for (a, arm) in arms.iter().enumerate() {
            let c = colour(a);
            chart
                .draw_series(
                    bars.iter()
                        .filter(|b| b.0 == a)
                        .map(|b| Rectangle::new([(b.1, 0.0), (b.2, b.3)], c.filled())),
                )
                .map_err(e2s)?
                .label(arm.clone())
                .legend(legend_rect(c));
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 0.0), (0.0, ymax)],
                BLACK.stroke_width(1),
            )))
            .map_err(e2s)?;
        // Label the open-ended outer bins just above their bars.
        let outer = |left: bool| {
            bars.iter()
                .filter(|b| {
                    if left {
                        b.2 <= -last_edge
                    } else {
                        b.1 >= last_edge
                    }
                })
                .map(|b| b.3)
                .fold(0.0f64, f64::max)
        };
        let beyond = pick("beyond", "voorbij");
        let note = font(14)
            .color(&GREY)
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        chart
            .draw_series([
                Text::new(
                    format!("{beyond} {}", euro_label(-last_edge)),
                    (-xmax + width * 0.5, outer(true) + ymax * 0.02),
                    note.clone(),
                ),
                Text::new(
                    format!("{beyond} {}", euro_label(last_edge)),
                    (xmax - width * 0.5, outer(false) + ymax * 0.02),
                    note.clone(),
                ),
            ])
            .map_err(e2s)?;
        legend(&mut chart, SeriesLabelPosition::UpperRight, 15, 16)?;
        Ok(())
    }
}

/// The chart's title.
fn title() -> &'static str {
    pick(
        "Net settlement at the definitive award, per arm",
        "Saldo bij de definitieve toekenning, per variant",
    )
}

/// A "nice" bin width in cents (1, 2, 2.5 or 5 × 10^k euros) so that about `bins` bins cover
/// `span` cents.
fn nice_width(span: i64, bins: i64) -> i64 {
    let target = (span / bins).max(100);
    let mut base = 100i64; // €1
    loop {
        for m in [100, 200, 250, 500] {
            let w = base / 100 * m;
            if w >= target {
                return w;
            }
        }
        base = base.saturating_mul(10);
        if base > 1_000_000_000 {
            return base;
        }
    }
}

/// Whole euros from cents (only for whole-euro amounts such as bin edges).
fn euros(cents: i64) -> String {
    (cents / 100).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_widths() {
        assert_eq!(nice_width(120_000, 12), 10_000);
        assert_eq!(nice_width(130_000, 12), 20_000);
        assert_eq!(nice_width(50, 12), 100);
    }
}
