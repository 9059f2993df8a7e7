//! Charts: the data tables behind every chart (`charts/<name>.csv`) and their drawings
//! (`charts/<name>.svg` and `.png`, 1000×600), drawn with plotters and pure-Rust fonts.
//!
//! A chart is drawn only from its table of strings, and the table is exactly what the CSV file
//! holds, so `toeslagenlab plot RUN_DIR` redraws byte-identical charts from the CSV files without
//! re-simulating. Tables are built from exact integer accumulators; floating point appears only
//! in shares and in drawing. Nothing iterates a hash map, so drawings are deterministic.
//!
//! Each chart lives in its own file and implements the `Chart` trait there (its CSV columns
//! and their checks, title and caption, drawing, and where it has one its table from a run);
//! [`ChartKind`] names every chart and dispatches to its file with exhaustive matches. This file
//! holds what charts share: the table, rendering and writing, `plot`'s checks of the CSV files,
//! fonts, palette and the common drawing helpers.
//!
//! Every word a chart draws (title, subtitle, axes, legends, labels) and its caption is made
//! here in the current language ([`crate::output::lang`], English or Dutch), keyed on the
//! table's cells; a cell that names something (a household type, a window, a measure) is
//! mapped to words at draw time. The tables themselves never change with the language, so the
//! CSV files are byte-identical in both and `plot` redraws a run in either.
//!
//! Must not: run the simulation, or write files itself (it returns bytes; the caller stages
//! them atomically).

mod advance_vs_entitlement;
mod by_decile;
mod by_type;
mod chosen_percentages;
mod open_debt;
mod power_curve;
mod reclaim_shares;
pub mod sensitivity;
mod settlement;
mod sweep_heatmap;
mod sweep_tradeoff;
mod winners_losers;

use crate::analysis::run::RunResult;
use crate::error::{Error, Result};
use crate::model::scenario::Scenario;
pub use crate::output::format::euro_label;
use crate::output::lang::pick;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::fmt::Write as _;
use std::path::Path;

/// Width of every chart in pixels.
pub const WIDTH: u32 = 1000;
/// Height of every chart in pixels.
pub const HEIGHT: u32 = 600;

/// Okabe–Ito colour-blind-safe palette (without yellow, which is unreadable on white).
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(230, 159, 0),   // orange
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
];

const FONT: &str = "sans-serif";
const GREY: RGBColor = RGBColor(90, 90, 90);

/// Every chart toeslagenlab draws. Its [`stem`](ChartKind::stem) names its files in `charts/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChartKind {
    /// `settlement_distribution`: net settlement per €-band, each recipient household once.
    SettlementDistribution,
    /// `reclaim_shares`: the shares with a reclaim and with a high reclaim, per arm.
    ReclaimShares,
    /// `advance_vs_entitlement`: the mean advance and entitlement per month, per arm.
    AdvanceVsEntitlement,
    /// `chosen_percentages`: the advance percentages chosen in adjustable arms.
    ChosenPercentages,
    /// `reclaim_share_by_type`: the share with a reclaim per household type and arm.
    ReclaimShareByType,
    /// `effect_by_decile`: each treatment arm's effect on the reclaim share per income decile.
    EffectByDecile,
    /// `winners_losers`: shares better off, the same and worse off in cash per income decile.
    WinnersLosers,
    /// `sweep_tradeoff`: reclaims vs money withheld across a sweep's grid points.
    SweepTradeoff,
    /// `power_curve`: the power of a randomized pilot against its households per arm.
    PowerCurve,
    /// `sensitivity_<arm>`: the tornado chart of `uncertainty`, one file per treatment arm.
    Sensitivity,
    /// `sweep_heatmap_<arm>`: a two-way sweep's effect per grid point, one file per treatment arm.
    SweepHeatmap,
    /// `open_debt`: a multi-year run's open debt per month of the horizon, per arm.
    OpenDebt,
}

/// Calls the [`Chart`] item after the comma on the type of the chart `$kind`: the one place
/// that maps a [`ChartKind`] to its file (an exhaustive match, so a new variant must be added).
macro_rules! dispatch {
    ($kind:expr, $($item:tt)+) => {
        match $kind {
            ChartKind::SettlementDistribution => <settlement::Settlement as Chart>::$($item)+,
            ChartKind::ReclaimShares => <reclaim_shares::ReclaimShares as Chart>::$($item)+,
            ChartKind::AdvanceVsEntitlement => {
                <advance_vs_entitlement::AdvanceVsEntitlement as Chart>::$($item)+
            }
            ChartKind::ChosenPercentages => {
                <chosen_percentages::ChosenPercentages as Chart>::$($item)+
            }
            ChartKind::ReclaimShareByType => <by_type::ByType as Chart>::$($item)+,
            ChartKind::EffectByDecile => <by_decile::ByDecile as Chart>::$($item)+,
            ChartKind::WinnersLosers => <winners_losers::WinnersLosers as Chart>::$($item)+,
            ChartKind::SweepTradeoff => <sweep_tradeoff::SweepTradeoff as Chart>::$($item)+,
            ChartKind::PowerCurve => <power_curve::PowerCurve as Chart>::$($item)+,
            ChartKind::Sensitivity => <sensitivity::Sensitivity as Chart>::$($item)+,
            ChartKind::SweepHeatmap => <sweep_heatmap::SweepHeatmap as Chart>::$($item)+,
            ChartKind::OpenDebt => <open_debt::OpenDebt as Chart>::$($item)+,
        }
    };
}

impl ChartKind {
    /// Every chart in report order (the order a run writes them and `plot` redraws them).
    pub const ALL: [ChartKind; 12] = [
        ChartKind::SettlementDistribution,
        ChartKind::ReclaimShares,
        ChartKind::AdvanceVsEntitlement,
        ChartKind::ChosenPercentages,
        ChartKind::ReclaimShareByType,
        ChartKind::EffectByDecile,
        ChartKind::WinnersLosers,
        ChartKind::OpenDebt,
        ChartKind::PowerCurve,
        ChartKind::SweepTradeoff,
        ChartKind::Sensitivity,
        ChartKind::SweepHeatmap,
    ];

    /// The file stem inside `charts/` (`settlement_distribution`).
    pub fn stem(self) -> &'static str {
        match self {
            ChartKind::SettlementDistribution => "settlement_distribution",
            ChartKind::ReclaimShares => "reclaim_shares",
            ChartKind::AdvanceVsEntitlement => "advance_vs_entitlement",
            ChartKind::ChosenPercentages => "chosen_percentages",
            ChartKind::ReclaimShareByType => "reclaim_share_by_type",
            ChartKind::EffectByDecile => "effect_by_decile",
            ChartKind::WinnersLosers => "winners_losers",
            ChartKind::SweepTradeoff => "sweep_tradeoff",
            ChartKind::PowerCurve => "power_curve",
            ChartKind::Sensitivity => "sensitivity",
            ChartKind::SweepHeatmap => "sweep_heatmap",
            ChartKind::OpenDebt => "open_debt",
        }
    }

    /// The chart whose files have this stem (`reclaim_shares` for `charts/reclaim_shares.csv`;
    /// `sensitivity_<arm>` for a tornado chart).
    pub fn from_stem(stem: &str) -> Option<ChartKind> {
        ChartKind::ALL
            .into_iter()
            .find(|k| k.stem() == stem)
            .or_else(|| {
                stem.starts_with("sensitivity_")
                    .then_some(ChartKind::Sensitivity)
            })
            .or_else(|| {
                stem.starts_with("sweep_heatmap_")
                    .then_some(ChartKind::SweepHeatmap)
            })
    }

    /// The columns of the chart's table, in order, with what each holds.
    fn columns(self) -> &'static [(&'static str, Cell)] {
        dispatch!(self, COLUMNS)
    }

    /// The chart's checks of one data row beyond its cells.
    fn check_row(self, row: &[String]) -> std::result::Result<(), String> {
        dispatch!(self, check_row(row))
    }

    /// The chart's file stem, title and caption for the table `t`.
    fn info(self, t: &Table) -> std::result::Result<ChartInfo, String> {
        let (title, caption) = dispatch!(self, title_caption(t))?;
        Ok(ChartInfo {
            name: self.stem().to_string(),
            title,
            caption,
        })
    }

    /// The chart's table from a run, `None` when the run has no such chart.
    fn run_table(self, sc: &Scenario, r: &RunResult) -> Option<Table> {
        dispatch!(self, run_table(sc, r))
    }

    /// Draws the chart from its table.
    fn draw<DB: DrawingBackend>(
        self,
        t: &Table,
        info: &ChartInfo,
        root: &DrawingArea<DB, Shift>,
    ) -> DrawResult {
        dispatch!(self, draw(t, info, root))
    }
}

/// What differs per chart. Each chart's file implements it on a unit type; [`ChartKind`]
/// dispatches to it. Everything a chart draws comes from its table, so `plot` can redraw it.
trait Chart {
    /// The columns of the chart's table, exactly as it is written, with what each holds: the
    /// header of [`Table::for_chart`] and what `plot` checks every cell against.
    const COLUMNS: &'static [(&'static str, Cell)];

    /// Checks of one data row beyond its single cells (which have passed their column checks);
    /// the error names the column. None by default.
    fn check_row(_row: &[String]) -> std::result::Result<(), String> {
        Ok(())
    }

    /// The title and the one-sentence caption, from the table (a caption may name a value).
    fn title_caption(t: &Table) -> std::result::Result<(String, String), String>;

    /// The chart's table from a run; `None` when the run has no such chart (the default: a
    /// chart drawn from something else than a run, such as the sweep's).
    fn run_table(_sc: &Scenario, _r: &RunResult) -> Option<Table> {
        None
    }

    /// Draws the chart from its table onto `root` (the same code draws the SVG and the PNG).
    fn draw<DB: DrawingBackend>(
        t: &Table,
        info: &ChartInfo,
        root: &DrawingArea<DB, Shift>,
    ) -> DrawResult;
}

/// One drawn chart, for the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartInfo {
    /// File stem inside `charts/` (`settlement_distribution`).
    pub name: String,
    /// The chart's title.
    pub title: String,
    /// One sentence on how to read it.
    pub caption: String,
}

/// A chart's data: a header and rows of text cells, exactly as in its CSV file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// Column names.
    pub header: Vec<String>,
    /// Rows, each with one cell per column.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// An empty table with the columns of the chart `kind`.
    pub fn for_chart(kind: ChartKind) -> Table {
        Table {
            header: kind.columns().iter().map(|c| c.0.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// The table as CSV bytes.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = w.write_record(&self.header);
        for r in &self.rows {
            let _ = w.write_record(r);
        }
        w.into_inner().unwrap_or_default()
    }

    /// Parses CSV bytes; the error says what is wrong.
    pub fn from_csv(bytes: &[u8]) -> std::result::Result<Table, String> {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(bytes);
        let header = r
            .headers()
            .map_err(|e| e.to_string())?
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut rows = Vec::new();
        for rec in r.records() {
            let rec = rec.map_err(|e| e.to_string())?;
            rows.push(rec.iter().map(|s| s.to_string()).collect());
        }
        Ok(Table { header, rows })
    }

    fn col(&self, name: &str) -> std::result::Result<usize, String> {
        self.header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("missing column `{name}`"))
    }

    fn str(&self, row: usize, name: &str) -> std::result::Result<&str, String> {
        let c = self.col(name)?;
        self.rows[row]
            .get(c)
            .map(|s| s.as_str())
            .ok_or_else(|| format!("row {}: missing `{name}`", row + 2))
    }

    fn num(&self, row: usize, name: &str) -> std::result::Result<f64, String> {
        let s = self.str(row, name)?;
        s.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("row {}: `{name}` = `{s}` is not a number", row + 2))
    }

    /// Distinct values of a column in first-seen order.
    fn distinct(&self, name: &str) -> std::result::Result<Vec<String>, String> {
        let c = self.col(name)?;
        let mut out: Vec<String> = Vec::new();
        for r in &self.rows {
            let v = r.get(c).cloned().unwrap_or_default();
            if !out.contains(&v) {
                out.push(v);
            }
        }
        Ok(out)
    }
}

/// 95% Wilson score interval of a share, in percent.
pub fn wilson(x: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 0.0);
    }
    let z = 1.959_963_984_540_054_f64;
    let (nf, p) = (n as f64, x as f64 / n as f64);
    let denom = 1.0 + z * z / nf;
    let centre = (p + z * z / (2.0 * nf)) / denom;
    let half = z * (p * (1.0 - p) / nf + z * z / (4.0 * nf * nf)).sqrt() / denom;
    (
        ((centre - half).max(0.0)) * 100.0,
        ((centre + half).min(1.0)) * 100.0,
    )
}

fn ci_cells(x: u64, n: u64) -> [String; 2] {
    let (lo, hi) = wilson(x, n);
    [format!("{lo:.4}"), format!("{hi:.4}")]
}

/// The data tables of every chart of a run, in report order.
pub fn run_tables(sc: &Scenario, r: &RunResult) -> Vec<(ChartKind, Table)> {
    ChartKind::ALL
        .into_iter()
        .filter_map(|k| k.run_table(sc, r).map(|t| (k, t)))
        .collect()
}

// ------------------------------------------------------------------------------------------
// Rendering
// ------------------------------------------------------------------------------------------

/// A rendered chart: its info and the bytes of its three files.
pub struct Rendered {
    /// Title and caption.
    pub info: ChartInfo,
    /// `charts/<name>.csv`.
    pub csv: Vec<u8>,
    /// `charts/<name>.svg`.
    pub svg: Vec<u8>,
    /// `charts/<name>.png`.
    pub png: Vec<u8>,
}

fn register_fonts() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// Draws the chart `kind` from `table` as SVG and PNG. Errors say what is wrong.
pub fn render(kind: ChartKind, table: &Table) -> std::result::Result<Rendered, String> {
    register_fonts();
    let info = kind.info(table)?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        kind.draw(table, &info, &root)?;
        root.present().map_err(|e| e.to_string())?;
    }
    let mut buf = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (WIDTH, HEIGHT)).into_drawing_area();
        kind.draw(table, &info, &root)?;
        root.present().map_err(|e| e.to_string())?;
    }
    let png = encode_png(&buf).map_err(|e| format!("PNG encoding: {e}"))?;
    Ok(Rendered {
        info,
        csv: table.to_csv(),
        svg: svg.into_bytes(),
        png,
    })
}

fn encode_png(rgb: &[u8]) -> std::result::Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, WIDTH, HEIGHT);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        // Adaptive row filters with zlib level 1: about 2.5 times faster than the default level
        // (the PNGs were most of a small run's time) for files about a third larger (~50 KB).
        enc.set_compression(png::Compression::Balanced);
        enc.set_deflate_compression(png::DeflateCompression::Level(1));
        let mut w = enc.write_header()?;
        w.write_image_data(rgb)?;
        w.finish()?;
    }
    Ok(out)
}

/// Renders every table and writes `charts/<name>.{csv,svg,png}` through `write`.
pub fn write_all(
    tables: &[(ChartKind, Table)],
    write: impl FnMut(&str, &[u8]) -> Result<()>,
) -> Result<Vec<ChartInfo>> {
    let named: Vec<(ChartKind, String, Table)> = tables
        .iter()
        .map(|(k, t)| (*k, k.stem().to_string(), t.clone()))
        .collect();
    write_named(&named, write)
}

/// [`write_all`] with each chart's file stem given (`sensitivity_cautious`: a kind drawn
/// once per arm).
pub fn write_named(
    tables: &[(ChartKind, String, Table)],
    mut write: impl FnMut(&str, &[u8]) -> Result<()>,
) -> Result<Vec<ChartInfo>> {
    use rayon::prelude::*;
    // Drawn in parallel (on the current rayon pool), written in order: the files do not depend
    // on the thread count, since each chart is drawn by one thread from its own table.
    // Each worker draws in this thread's language.
    let lang = crate::output::lang::current();
    let rendered: Vec<_> = tables
        .par_iter()
        .map(|(kind, name, t)| {
            let _lang = crate::output::lang::scoped(lang);
            render(*kind, t)
                .map(|mut r| {
                    r.info.name = name.clone();
                    r
                })
                .map_err(|e| Error::Internal(format!("drawing chart `{name}`: {e}")))
        })
        .collect();
    let mut infos = Vec::new();
    for ((_, name, _), r) in tables.iter().zip(rendered) {
        let r = r?;
        write(&format!("charts/{name}.csv"), &r.csv)?;
        write(&format!("charts/{name}.svg"), &r.svg)?;
        write(&format!("charts/{name}.png"), &r.png)?;
        infos.push(r.info);
    }
    Ok(infos)
}

/// The `## Charts` section of `report.md`: each chart embedded with a relative link.
pub fn markdown_section(charts: &[ChartInfo]) -> String {
    let mut o = String::new();
    if charts.is_empty() {
        return o;
    }
    let _ = writeln!(o, "\n## {}\n", pick("Charts", "Grafieken"));
    let (data, vector) = (pick("Data", "Gegevens"), pick("vector", "vectorafbeelding"));
    for c in charts {
        let _ = writeln!(
            o,
            "### {}\n\n![{}](charts/{}.png)\n\n{} {data}: [`charts/{}.csv`](charts/{}.csv); {vector}: [`charts/{}.svg`](charts/{}.svg).\n",
            c.title, c.title, c.name, c.caption, c.name, c.name, c.name, c.name
        );
    }
    o
}

/// Redraws every chart of a finished run (or sweep) directory from its `charts/*.csv` files and
/// rewrites the SVG and PNG files beside them (each file written atomically). Returns the
/// charts drawn.
pub fn plot_dir(dir: &Path) -> Result<Vec<ChartInfo>> {
    let charts = dir.join("charts");
    if !charts.is_dir() {
        return Err(Error::Usage(format!(
            "{}: no charts/ directory; give the directory of a finished run, e.g. output/cautious-vs-standard",
            dir.display()
        )));
    }
    let mut infos = Vec::new();
    // Every kind's own file, then the per-arm files of kinds drawn once per arm, sorted.
    let mut per_arm: Vec<(ChartKind, String)> = std::fs::read_dir(&charts)
        .map_err(|e| Error::io(&charts, e))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            let stem = n.strip_suffix(".csv")?.to_string();
            let kind = ChartKind::from_stem(&stem)?;
            (kind.stem() != stem).then_some((kind, stem))
        })
        .collect();
    per_arm.sort_by(|a, b| a.1.cmp(&b.1));
    let files: Vec<(ChartKind, String)> = ChartKind::ALL
        .into_iter()
        .map(|k| (k, k.stem().to_string()))
        .chain(per_arm)
        .collect();
    for (kind, name) in files {
        let p = charts.join(format!("{name}.csv"));
        if !p.is_file() {
            continue;
        }
        let bytes = read_bounded(&p)?;
        let bad = |line: Option<u64>, m: String| {
            Error::Input(vec![crate::error::Diagnostic {
                file: p.clone(),
                line: line.map(|l| l as usize),
                col: None,
                key: None,
                message: format!("{m}; {TAMPERED}"),
            }])
        };
        let (table, lines) = parse_checked(&bytes).map_err(|(l, m)| bad(l, m))?;
        check_table(kind, &table, &lines).map_err(|(l, m)| bad(Some(l), m))?;
        let mut r = render(kind, &table).map_err(|m| bad(None, m))?;
        r.info.name = name.clone();
        for (ext, data) in [("svg", &r.svg), ("png", &r.png)] {
            write_atomic(&charts.join(format!("{name}.{ext}")), data)?;
        }
        infos.push(r.info);
    }
    if infos.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no chart data files (expected one of {})",
            charts.display(),
            ChartKind::ALL
                .iter()
                .map(|k| format!("{}.csv", k.stem()))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(infos)
}

/// What `plot` says after a chart data file fails its checks.
const TAMPERED: &str =
    "the file was changed after the run — rerun `toeslagenlab run` (or `sweep`) to write it again";

/// The largest chart data file `plot` reads (10 MB; a run writes a few KB).
pub const MAX_CSV_BYTES: u64 = 10 * 1024 * 1024;

/// The most data rows `plot` draws from one chart data file (a run writes at most a few
/// thousand: arms × bins, arms × months, sweep points × arms).
pub const MAX_CSV_ROWS: usize = 100_000;

/// The longest text cell (an arm or household-type name) `plot` accepts.
const MAX_TEXT_CELL: usize = 200;

/// The largest euro amount in chart data (bin edges, means, thresholds): €10⁹.
const MAX_EUROS: f64 = 1e9;

/// The largest household count in chart data (the loader accepts at most 5·10⁷).
const MAX_COUNT: f64 = 1e9;

/// Reads a chart data file, at most [`MAX_CSV_BYTES`] (a bounded read: a device or FIFO in
/// its place cannot make `plot` run away). Unreadable or oversized files are bad input.
fn read_bounded(p: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| {
        Error::Usage(format!("{}: cannot read it ({e}); {TAMPERED}", p.display()))
    };
    let mut bytes = Vec::new();
    std::fs::File::open(p)
        .map_err(unreadable)?
        .take(MAX_CSV_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_CSV_BYTES {
        return Err(Error::Usage(format!(
            "{}: larger than the {} MB limit of a chart data file; {TAMPERED}",
            p.display(),
            MAX_CSV_BYTES / (1024 * 1024)
        )));
    }
    Ok(bytes)
}

/// Parses chart CSV with the line of every row, refusing more than [`MAX_CSV_ROWS`] rows.
type LineError = (Option<u64>, String);

fn parse_checked(bytes: &[u8]) -> std::result::Result<(Table, Vec<u64>), LineError> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let line_of = |e: &csv::Error| e.position().map(|p| p.line());
    let header = r
        .headers()
        .map_err(|e| (line_of(&e).or(Some(1)), e.to_string()))?
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| (line_of(&e), e.to_string()))?;
        let line = rec.position().map_or(rows.len() as u64 + 2, |p| p.line());
        if rows.len() >= MAX_CSV_ROWS {
            return Err((Some(line), format!("more than {MAX_CSV_ROWS} data rows")));
        }
        rows.push(rec.iter().map(|s| s.to_string()).collect());
        lines.push(line);
    }
    Ok((Table { header, rows }, lines))
}

/// What a chart data column holds.
#[derive(Clone, Copy)]
enum Cell {
    /// A name (arm, household type, parameter): at most [`MAX_TEXT_CELL`] characters.
    Text,
    /// One of the listed words.
    OneOf(&'static [&'static str]),
    /// A whole number of households, 0 to [`MAX_COUNT`].
    Count,
    /// A percentage, 0 to 100.
    Percent,
    /// A euro amount, −[`MAX_EUROS`] to [`MAX_EUROS`].
    Euros,
    /// A non-negative euro amount up to [`MAX_EUROS`], or empty (the open outer bin).
    EdgeOrOpen,
    /// A month, 1 to 12.
    Month,
    /// A whole advance percentage, 0 to 100.
    WholePercent,
    /// A finite number within ±10¹² (a swept parameter's value).
    Number,
}

/// Checks one cell against its column; the error says what was found and what is allowed.
fn check_cell(kind: Cell, v: &str) -> std::result::Result<(), String> {
    let num = || {
        v.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("`{v}` is not a number"))
    };
    let within = |lo: f64, hi: f64, what: &str| -> std::result::Result<f64, String> {
        let x = num()?;
        if (lo..=hi).contains(&x) {
            Ok(x)
        } else {
            Err(format!("{v} is not {what}"))
        }
    };
    let whole = |x: f64, what: &str| {
        if x.fract() == 0.0 {
            Ok(())
        } else {
            Err(format!("{v} is not {what}"))
        }
    };
    match kind {
        Cell::Text => {
            if v.chars().count() > MAX_TEXT_CELL {
                return Err(format!("a name longer than {MAX_TEXT_CELL} characters"));
            }
            Ok(())
        }
        Cell::OneOf(allowed) => {
            if allowed.contains(&v) {
                Ok(())
            } else {
                Err(format!("`{v}` is not one of {}", allowed.join(", ")))
            }
        }
        Cell::Count => {
            let what = format!("a household count between 0 and {MAX_COUNT:e}");
            whole(within(0.0, MAX_COUNT, &what)?, &what)
        }
        Cell::Percent => within(0.0, 100.0, "a percentage between 0 and 100").map(|_| ()),
        Cell::Euros => within(
            -MAX_EUROS,
            MAX_EUROS,
            "a euro amount within ±€1,000,000,000",
        )
        .map(|_| ()),
        Cell::EdgeOrOpen if v.is_empty() => Ok(()),
        Cell::EdgeOrOpen => {
            within(0.0, MAX_EUROS, "a bin edge between €0 and €1,000,000,000").map(|_| ())
        }
        Cell::Month => whole(
            within(1.0, 12.0, "a month from 1 to 12")?,
            "a month from 1 to 12",
        ),
        Cell::WholePercent => whole(
            within(0.0, 100.0, "a whole percentage from 0 to 100")?,
            "a whole percentage from 0 to 100",
        ),
        Cell::Number => within(-1e12, 1e12, "a number within ±10¹²").map(|_| ()),
    }
}

/// Checks a chart data table before it is drawn: the columns of its kind, in order, and every
/// cell in range (finite numbers, shares and percentages within 0–100, months 1–12, counts and
/// euro amounts within bounds, bins with a positive width), so tampered data is refused
/// instead of drawn as nonsense or spinning the renderer. `lines` holds each row's line.
fn check_table(
    kind: ChartKind,
    t: &Table,
    lines: &[u64],
) -> std::result::Result<(), (u64, String)> {
    let cols = kind.columns();
    let expected: Vec<&str> = cols.iter().map(|c| c.0).collect();
    if t.header != expected {
        return Err((
            1,
            format!(
                "expected the columns {}; found {}",
                expected.join(","),
                t.header.join(",")
            ),
        ));
    }
    if t.rows.is_empty() {
        return Err((2, "no data rows".into()));
    }
    for (i, row) in t.rows.iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(i as u64 + 2);
        for ((col, kind), v) in cols.iter().zip(row) {
            check_cell(*kind, v).map_err(|m| (line, format!("column {col}: {m}")))?;
        }
        kind.check_row(row).map_err(|m| (line, m))?;
    }
    Ok(())
}

fn write_atomic(path: &Path, data: &[u8]) -> Result<()> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, data).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// What drawing a chart returns: nothing, or what went wrong.
type DrawResult = std::result::Result<(), String>;

fn e2s<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// Draws the chart's legend in the house style: at `position`, `margin` pixels in from the plot
/// area's edge, labels at `size`, on a translucent white box with a grey border.
fn legend<'a, DB, CT>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
    margin: u32,
    size: u32,
) -> DrawResult
where
    DB: DrawingBackend + 'a,
    CT: plotters::coord::CoordTranslate,
{
    chart
        .configure_series_labels()
        .position(position)
        .margin(margin)
        .label_font(font(size))
        .background_style(WHITE.mix(0.9))
        .border_style(GREY)
        .draw()
        .map_err(e2s)
}

fn font(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().color(&BLACK)
}

fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Draws the title and subtitle; returns the area below them.
fn header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> std::result::Result<DrawingArea<DB, Shift>, String> {
    root.fill(&WHITE).map_err(e2s)?;
    root.draw(&Text::new(
        title.to_string(),
        (20, 12),
        (FONT, 26).into_font().style(FontStyle::Bold).color(&BLACK),
    ))
    .map_err(e2s)?;
    root.draw(&Text::new(
        subtitle.to_string(),
        (20, 46),
        (FONT, 15).into_font().color(&GREY),
    ))
    .map_err(e2s)?;
    let (_, rest) = root.split_vertically(72);
    Ok(rest)
}

fn legend_rect(c: RGBColor) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    move |(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], c.filled())
}

/// One bar with its interval: (share, ci_low, ci_high) in percent; `None` when absent.
type Bar = Option<(f64, f64, f64)>;

/// Draws grouped bars with error bars over categories. `groups` are the category labels;
/// `values[g][a]` is (share, ci_low, ci_high) of arm `a` in group `g`.
#[allow(clippy::too_many_arguments)]
fn grouped_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    root: &DrawingArea<DB, Shift>,
    groups: &[String],
    arms: &[String],
    values: &[Vec<Bar>],
    x_desc: &str,
    y_desc: &str,
) -> DrawResult {
    let ymax = values
        .iter()
        .flatten()
        .flatten()
        .map(|v| v.2)
        .fold(0.0f64, f64::max);
    let ymax = (ymax * 1.2).max(1.0);
    let n = groups.len().max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .margin(15)
        .margin_right(30)
        .x_label_area_size(60)
        .y_label_area_size(75)
        .build_cartesian_2d(0.0..n, 0.0..ymax)
        .map_err(e2s)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(RGBColor(235, 235, 235))
        .x_desc(x_desc)
        .y_desc(y_desc)
        .axis_desc_style(font(18))
        .label_style(font(15))
        .x_labels(0)
        .x_label_formatter(&|_| String::new())
        .y_label_formatter(&|y| format!("{y:.0}%"))
        .draw()
        .map_err(e2s)?;
    let k = arms.len().max(1) as f64;
    let w = 0.8 / k;
    for (a, arm) in arms.iter().enumerate() {
        let c = colour(a);
        let bar = |g: usize| 0.1 + g as f64 + a as f64 * w;
        chart
            .draw_series(values.iter().enumerate().filter_map(|(g, v)| {
                v.get(a).copied().flatten().map(|(s, _, _)| {
                    Rectangle::new([(bar(g), 0.0), (bar(g) + w * 0.92, s)], c.filled())
                })
            }))
            .map_err(e2s)?
            .label(arm.clone())
            .legend(legend_rect(c));
        // Error bars as plain paths: a vertical line with caps (no centre marker).
        let cap = w * 0.2;
        chart
            .draw_series(values.iter().enumerate().filter_map(|(g, v)| {
                v.get(a).copied().flatten().map(|(_, lo, hi)| {
                    let x = bar(g) + w * 0.46;
                    PathElement::new(
                        vec![
                            (x - cap, lo),
                            (x + cap, lo),
                            (x, lo),
                            (x, hi),
                            (x - cap, hi),
                            (x + cap, hi),
                        ],
                        BLACK.stroke_width(2),
                    )
                })
            }))
            .map_err(e2s)?;
        chart
            .draw_series(values.iter().enumerate().filter_map(|(g, v)| {
                v.get(a).copied().flatten().map(|(s, _, hi)| {
                    Text::new(
                        format!("{}%", crate::output::format::num(s, 1)),
                        (bar(g) + w * 0.46, hi + ymax * 0.015),
                        font(13).pos(Pos::new(HPos::Center, VPos::Bottom)),
                    )
                })
            }))
            .map_err(e2s)?;
    }
    for (g, label) in groups.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(g as f64 + 0.5, 0.0));
        root.draw(&Text::new(
            label.clone(),
            (x, y + 8),
            font(16).pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(e2s)?;
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight, 12, 16)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chart_has_its_own_stem_and_is_found_by_it() {
        for (i, k) in ChartKind::ALL.iter().enumerate() {
            assert_eq!(ChartKind::from_stem(k.stem()), Some(*k));
            assert!(ChartKind::ALL[..i].iter().all(|o| o.stem() != k.stem()));
            assert_eq!(Table::for_chart(*k).header.len(), k.columns().len());
        }
        assert_eq!(ChartKind::from_stem("settlement"), None);
    }

    #[test]
    fn every_chart_has_a_dutch_title_and_caption_and_keeps_its_english_one() {
        use crate::output::lang::{scoped, Lang};
        let english = [
            "reclaim",
            "household",
            "households",
            "advance",
            "back-payment",
            "arm",
            "the",
            "share",
            "with",
            "settlement",
            "Each",
            "Top",
            "Share",
            "Power",
        ];
        for k in ChartKind::ALL {
            let t = Table::for_chart(k);
            let en = k.info(&t).unwrap();
            let nl = {
                let _nl = scoped(Lang::Nl);
                k.info(&t).unwrap()
            };
            assert_eq!(k.info(&t).unwrap(), en, "{k:?}: English after Dutch");
            assert_ne!(en.title, nl.title, "{k:?}");
            assert_ne!(en.caption, nl.caption, "{k:?}");
            for text in [&nl.title, &nl.caption] {
                let found: Vec<&str> = text
                    .split(|c: char| !(c.is_alphanumeric() || c == '-'))
                    .filter(|w| english.contains(w))
                    .collect();
                assert!(found.is_empty(), "{k:?}: {found:?} in {text}");
            }
        }
    }

    #[test]
    fn the_chart_section_is_dutch_in_dutch() {
        use crate::output::lang::{scoped, Lang};
        let c = [ChartInfo {
            name: "x".into(),
            title: "T".into(),
            caption: "C.".into(),
        }];
        assert_eq!(
            markdown_section(&c),
            "\n## Charts\n\n### T\n\n![T](charts/x.png)\n\nC. Data: [`charts/x.csv`](charts/x.csv); vector: [`charts/x.svg`](charts/x.svg).\n\n"
        );
        let _nl = scoped(Lang::Nl);
        assert_eq!(
            markdown_section(&c),
            "\n## Grafieken\n\n### T\n\n![T](charts/x.png)\n\nC. Gegevens: [`charts/x.csv`](charts/x.csv); vectorafbeelding: [`charts/x.svg`](charts/x.svg).\n\n"
        );
        assert_eq!(markdown_section(&[]), "");
    }

    #[test]
    fn wilson_contains_the_share() {
        let (lo, hi) = wilson(30, 100);
        assert!(lo < 30.0 && hi > 30.0);
        assert_eq!(wilson(0, 0), (0.0, 0.0));
    }

    #[test]
    fn csv_round_trips() {
        let mut t = Table {
            header: vec!["a".into(), "b".into()],
            rows: Vec::new(),
        };
        t.push(vec!["x,y".into(), "".into()]);
        assert_eq!(Table::from_csv(&t.to_csv()).unwrap(), t);
    }
}
