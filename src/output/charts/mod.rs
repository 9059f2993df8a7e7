//! Charts: the data tables behind every chart (`charts/<name>.csv`) and their drawings
//! (`charts/<name>.svg` and `.png`, 1000×600), drawn with plotters and pure-Rust fonts.
//!
//! A chart is drawn only from its table of strings, and the table is exactly what the CSV file
//! holds, so `toeslagenlab plot RUN_DIR` redraws byte-identical charts from the CSV files without
//! re-simulating. Tables are built from exact integer accumulators; floating point appears only
//! in shares and in drawing. Nothing iterates a hash map, so drawings are deterministic.
//!
//! Must not: run the simulation, or write files itself (it returns bytes; the caller stages
//! them atomically).

use crate::analysis::accumulators::GroupStats;
use crate::analysis::run::RunResult;
use crate::error::{Error, Result};
use crate::model::scenario::{Scenario, HOUSEHOLD_TYPES};
pub use crate::output::format::euro_label;
use crate::output::format::pct4_of as pct;
use crate::output::report::primary_threshold;
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

/// The chart kinds, by file stem, in report order.
pub const KINDS: [&str; 6] = [
    "settlement_distribution",
    "reclaim_shares",
    "advance_vs_entitlement",
    "chosen_percentages",
    "reclaim_share_by_type",
    "sweep_tradeoff",
];

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
    fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
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

// ------------------------------------------------------------------------------------------
// Exact formatting helpers
// ------------------------------------------------------------------------------------------

/// `num / den` euro cents, rounded half away from zero to whole cents, as `123.45`.
fn cents_mean(num: i128, den: u64) -> String {
    if den == 0 {
        return "0.00".into();
    }
    let d = den as i128;
    let q = (2 * num.abs() + d) / (2 * d);
    let sign = if num < 0 && q != 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", q / 100, q % 100)
}

/// Whole euros from cents (only for whole-euro amounts such as bin edges).
fn euros(cents: i64) -> String {
    (cents / 100).to_string()
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

fn human_type(t: &str) -> String {
    t.replace('_', " ")
}

// ------------------------------------------------------------------------------------------
// Tables from a run
// ------------------------------------------------------------------------------------------

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

fn settlement_table(sc: &Scenario, r: &RunResult) -> Table {
    // Bin width from the pooled 95th percentile of reclaims and back-payments, all arms.
    let mut pooled = crate::analysis::accumulators::Histogram::default();
    for a in &r.arms {
        pooled.merge(&a.total.reclaims);
        pooled.merge(&a.total.backpays);
    }
    let p95 = pooled.quantile(0.95).0.max(100);
    let width = nice_width(p95, 12);
    let bins = (p95 + width - 1) / width; // regular bins; then one open bin
    let mut t = Table::new(&[
        "arm",
        "arm_households",
        "settlement",
        "bin_from_eur",
        "bin_to_eur",
        "households",
        "share_pct",
    ]);
    for (i, arm) in sc.arms.iter().enumerate() {
        let g = &r.arms[i].total;
        for (kind, h) in [("reclaim", &g.reclaims), ("back-payment", &g.backpays)] {
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
    t
}

fn shares_table(sc: &Scenario, r: &RunResult) -> Table {
    let primary = primary_threshold(&sc.high_reclaim_thresholds);
    let thr = sc
        .high_reclaim_thresholds
        .get(primary)
        .map(|m| m.whole_euros())
        .unwrap_or(1000);
    let mut t = Table::new(&[
        "arm",
        "measure",
        "threshold_eur",
        "households",
        "with",
        "share_pct",
        "ci_low_pct",
        "ci_high_pct",
    ]);
    for (i, arm) in sc.arms.iter().enumerate() {
        let g = &r.arms[i].total;
        let high = g.n_high.get(primary).copied().unwrap_or(0);
        for (measure, th, x) in [("reclaim", 0, g.n_reclaim), ("high_reclaim", thr, high)] {
            let [lo, hi] = ci_cells(x, g.n);
            t.push(vec![
                arm.name.clone(),
                measure.into(),
                th.to_string(),
                g.n.to_string(),
                x.to_string(),
                pct(x, g.n),
                lo,
                hi,
            ]);
        }
    }
    t
}

fn monthly_table(sc: &Scenario, r: &RunResult) -> Table {
    let mut t = Table::new(&[
        "arm",
        "month",
        "arm_households",
        "mean_advance_eur",
        "mean_entitlement_eur",
    ]);
    for (i, arm) in sc.arms.iter().enumerate() {
        let a = &r.arms[i];
        for m in 0..12 {
            t.push(vec![
                arm.name.clone(),
                (m + 1).to_string(),
                a.total.n.to_string(),
                cents_mean(a.month_paid[m] as i128, a.total.n),
                cents_mean(a.month_entitled[m] as i128, a.total.n),
            ]);
        }
    }
    t
}

fn percentages_table(sc: &Scenario, r: &RunResult) -> Option<Table> {
    let mut t = Table::new(&["arm", "percentage", "households", "share_pct"]);
    let mut any = false;
    for (i, arm) in sc.arms.iter().enumerate() {
        if !arm.policy.has_choice_bands() {
            continue;
        }
        any = true;
        let p = &r.arms[i].percentages;
        let took: u64 = p.iter().sum();
        let lo = p.iter().position(|c| *c > 0).unwrap_or(70).min(70);
        for (pc, c) in p.iter().enumerate().skip(lo) {
            t.push(vec![
                arm.name.clone(),
                pc.to_string(),
                c.to_string(),
                pct(*c, took),
            ]);
        }
    }
    any.then_some(t)
}

fn by_type_table(sc: &Scenario, r: &RunResult) -> Table {
    let mut t = Table::new(&[
        "household_type",
        "arm",
        "households",
        "with_reclaim",
        "share_pct",
        "ci_low_pct",
        "ci_high_pct",
    ]);
    for (ti, ty) in HOUSEHOLD_TYPES.iter().enumerate() {
        for (i, arm) in sc.arms.iter().enumerate() {
            let g: &GroupStats = &r.arms[i].by_type[ti];
            let [lo, hi] = ci_cells(g.n_reclaim, g.n);
            t.push(vec![
                ty.to_string(),
                arm.name.clone(),
                g.n.to_string(),
                g.n_reclaim.to_string(),
                pct(g.n_reclaim, g.n),
                lo,
                hi,
            ]);
        }
    }
    t
}

/// The data tables of every chart of a run, by file stem, in report order.
pub fn run_tables(sc: &Scenario, r: &RunResult) -> Vec<(String, Table)> {
    let mut v = vec![
        (
            "settlement_distribution".to_string(),
            settlement_table(sc, r),
        ),
        ("reclaim_shares".to_string(), shares_table(sc, r)),
        ("advance_vs_entitlement".to_string(), monthly_table(sc, r)),
    ];
    if let Some(t) = percentages_table(sc, r) {
        v.push(("chosen_percentages".to_string(), t));
    }
    v.push(("reclaim_share_by_type".to_string(), by_type_table(sc, r)));
    v
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

/// Draws the chart `name` from `table` as SVG and PNG. Errors name the chart and the problem.
pub fn render(name: &str, table: &Table) -> std::result::Result<Rendered, String> {
    register_fonts();
    let info = info(name, table)?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        draw(name, table, &info, &root)?;
        root.present().map_err(|e| e.to_string())?;
    }
    let mut buf = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (WIDTH, HEIGHT)).into_drawing_area();
        draw(name, table, &info, &root)?;
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
    tables: &[(String, Table)],
    mut write: impl FnMut(&str, &[u8]) -> Result<()>,
) -> Result<Vec<ChartInfo>> {
    use rayon::prelude::*;
    // Drawn in parallel (on the current rayon pool), written in order: the files do not depend
    // on the thread count, since each chart is drawn by one thread from its own table.
    let rendered: Vec<_> = tables
        .par_iter()
        .map(|(name, t)| {
            render(name, t).map_err(|e| Error::Internal(format!("drawing chart `{name}`: {e}")))
        })
        .collect();
    let mut infos = Vec::new();
    for ((name, _), r) in tables.iter().zip(rendered) {
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
    let _ = writeln!(o, "\n## Charts\n");
    for c in charts {
        let _ = writeln!(
            o,
            "### {}\n\n![{}](charts/{}.png)\n\n{} Data: [`charts/{}.csv`](charts/{}.csv); vector: [`charts/{}.svg`](charts/{}.svg).\n",
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
    for name in KINDS {
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
        check_table(name, &table, &lines).map_err(|(l, m)| bad(Some(l), m))?;
        let r = render(name, &table).map_err(|m| bad(None, m))?;
        for (ext, data) in [("svg", &r.svg), ("png", &r.png)] {
            write_atomic(&charts.join(format!("{name}.{ext}")), data)?;
        }
        infos.push(r.info);
    }
    if infos.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no chart data files (expected one of {})",
            charts.display(),
            KINDS
                .iter()
                .map(|k| format!("{k}.csv"))
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

/// The columns of each chart kind, exactly as a run writes them.
fn columns(name: &str) -> &'static [(&'static str, Cell)] {
    use Cell::*;
    match name {
        "settlement_distribution" => &[
            ("arm", Text),
            ("arm_households", Count),
            ("settlement", OneOf(&["reclaim", "back-payment"])),
            ("bin_from_eur", EdgeOrOpen),
            ("bin_to_eur", EdgeOrOpen),
            ("households", Count),
            ("share_pct", Percent),
        ],
        "reclaim_shares" => &[
            ("arm", Text),
            ("measure", Text),
            ("threshold_eur", Euros),
            ("households", Count),
            ("with", Count),
            ("share_pct", Percent),
            ("ci_low_pct", Percent),
            ("ci_high_pct", Percent),
        ],
        "advance_vs_entitlement" => &[
            ("arm", Text),
            ("month", Month),
            ("arm_households", Count),
            ("mean_advance_eur", Euros),
            ("mean_entitlement_eur", Euros),
        ],
        "chosen_percentages" => &[
            ("arm", Text),
            ("percentage", WholePercent),
            ("households", Count),
            ("share_pct", Percent),
        ],
        "reclaim_share_by_type" => &[
            ("household_type", Text),
            ("arm", Text),
            ("households", Count),
            ("with_reclaim", Count),
            ("share_pct", Percent),
            ("ci_low_pct", Percent),
            ("ci_high_pct", Percent),
        ],
        "sweep_tradeoff" => &[
            ("param", Text),
            ("value", Number),
            ("high_threshold_eur", Euros),
            ("arm", Text),
            ("reclaim_share_pct", Percent),
            ("high_reclaim_share_pct", Percent),
            ("withheld_eur", Euros),
        ],
        _ => &[],
    }
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
fn check_table(name: &str, t: &Table, lines: &[u64]) -> std::result::Result<(), (u64, String)> {
    let cols = columns(name);
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
        if name == "settlement_distribution" {
            let (from, to) = (&row[3], &row[4]);
            if from.is_empty() {
                return Err((
                    line,
                    "column bin_from_eur: empty; only bin_to_eur may be empty (the open outer bin)"
                        .into(),
                ));
            }
            if let (Ok(a), Ok(b)) = (from.parse::<f64>(), to.parse::<f64>()) {
                if b <= a {
                    return Err((
                        line,
                        format!("column bin_to_eur: {to} is not above bin_from_eur {from}"),
                    ));
                }
            }
        }
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

fn info(name: &str, t: &Table) -> std::result::Result<ChartInfo, String> {
    let (title, caption) = match name {
        "settlement_distribution" => (
            "Settlement at the definitive award, per arm".to_string(),
            "Left of zero: households that must pay money back (reclaim); right of zero: households that receive a back-payment. Bar height is the share of the arm's households in each €-band; the outermost bars collect everything beyond the last band.".to_string(),
        ),
        "reclaim_shares" => {
            let thr = (0..t.rows.len())
                .find(|&i| t.str(i, "measure").ok() == Some("high_reclaim"))
                .map(|i| t.num(i, "threshold_eur"))
                .transpose()?
                .unwrap_or(1000.0);
            (
                "Households with a reclaim, per arm".to_string(),
                format!("Share of households that must pay back part of their advance, and share whose reclaim is above {}. Error bars: 95% confidence intervals (Wilson).", euro_label(thr)),
            )
        }
        "advance_vs_entitlement" => (
            "Advance paid vs entitlement through the year".to_string(),
            "Mean per household and month. Solid lines: the advance each arm pays; dashed: the entitlement on the household's actual situation, which the definitive award settles against.".to_string(),
        ),
        "chosen_percentages" => (
            "Advance percentage chosen in the adjustable arm".to_string(),
            "Among households that took the adjustable advance: share choosing each whole percentage of the calculated advance.".to_string(),
        ),
        "reclaim_share_by_type" => (
            "Households with a reclaim, by household type".to_string(),
            "Share of households with a reclaim per household type and arm. Error bars: 95% confidence intervals (Wilson).".to_string(),
        ),
        "sweep_tradeoff" => {
            let param = if t.rows.is_empty() { String::new() } else { t.str(0, "param")?.to_string() };
            (
                format!("Trade-off as {param} varies"),
                "Top: share of households with a reclaim (solid) and with a high reclaim (dashed), per arm. Bottom: money held back during the year per household, compared with a 100% advance.".to_string(),
            )
        }
        other => return Err(format!("unknown chart `{other}`")),
    };
    Ok(ChartInfo {
        name: name.to_string(),
        title,
        caption,
    })
}

type DrawResult = std::result::Result<(), String>;

/// A plain-language gloss of a sweep key for the axis label.
fn key_meaning(key: &str) -> &'static str {
    if key.ends_with(".fraction") {
        " (advance as a fraction of the calculated amount)"
    } else if key.ends_with(".takeup") {
        " (share of offered households that accept)"
    } else if key == "experiment.households" {
        " (households simulated)"
    } else {
        ""
    }
}

fn e2s<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
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

fn draw<DB: DrawingBackend>(
    name: &str,
    t: &Table,
    info: &ChartInfo,
    root: &DrawingArea<DB, Shift>,
) -> DrawResult {
    match name {
        "settlement_distribution" => draw_settlement(t, info, root),
        "reclaim_shares" => draw_shares(t, info, root),
        "advance_vs_entitlement" => draw_monthly(t, info, root),
        "chosen_percentages" => draw_percentages(t, info, root),
        "reclaim_share_by_type" => draw_by_type(t, info, root),
        "sweep_tradeoff" => draw_tradeoff(t, info, root),
        other => Err(format!("unknown chart `{other}`")),
    }
}

fn legend_rect(c: RGBColor) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    move |(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], c.filled())
}

fn draw_settlement<DB: DrawingBackend>(
    t: &Table,
    _info: &ChartInfo,
    root: &DrawingArea<DB, Shift>,
) -> DrawResult {
    let area = header(
        root,
        "Settlement at the definitive award, per arm",
        "Reclaims (left, household pays back) and back-payments (right, household receives), share of each arm's households",
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
        .x_desc("settlement (€): reclaim ← 0 → back-payment")
        .y_desc("households (% of arm)")
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
    let note = font(14)
        .color(&GREY)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    chart
        .draw_series([
            Text::new(
                format!("beyond {}", euro_label(-last_edge)),
                (-xmax + width * 0.5, outer(true) + ymax * 0.02),
                note.clone(),
            ),
            Text::new(
                format!("beyond {}", euro_label(last_edge)),
                (xmax - width * 0.5, outer(false) + ymax * 0.02),
                note.clone(),
            ),
        ])
        .map_err(e2s)?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .margin(15)
        .label_font(font(16))
        .background_style(WHITE.mix(0.9))
        .border_style(GREY)
        .draw()
        .map_err(e2s)?;
    Ok(())
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
                        format!("{s:.1}%"),
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
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .margin(12)
        .label_font(font(16))
        .background_style(WHITE.mix(0.9))
        .border_style(GREY)
        .draw()
        .map_err(e2s)?;
    Ok(())
}

fn draw_shares<DB: DrawingBackend>(
    t: &Table,
    info: &ChartInfo,
    root: &DrawingArea<DB, Shift>,
) -> DrawResult {
    let area = header(
        root,
        &info.title,
        "Share of each arm's households, with 95% confidence intervals",
    )?;
    let arms = t.distinct("arm")?;
    let measures = t.distinct("measure")?;
    let mut groups = Vec::new();
    let mut values = Vec::new();
    for m in &measures {
        let mut label = String::new();
        let mut row = vec![None; arms.len()];
        for i in 0..t.rows.len() {
            if t.str(i, "measure")? != m {
                continue;
            }
            label = match m.as_str() {
                "reclaim" => "any reclaim".to_string(),
                "high_reclaim" => {
                    format!("reclaim above {}", euro_label(t.num(i, "threshold_eur")?))
                }
                other => other.replace('_', " "),
            };
            let a = arms
                .iter()
                .position(|x| x == t.str(i, "arm").unwrap_or_default())
                .unwrap_or(0);
            row[a] = Some((
                t.num(i, "share_pct")?,
                t.num(i, "ci_low_pct")?,
                t.num(i, "ci_high_pct")?,
            ));
        }
        groups.push(label);
        values.push(row);
    }
    grouped_bars(
        &area,
        root,
        &groups,
        &arms,
        &values,
        "reclaim at the definitive award",
        "households with a reclaim (% of arm)",
    )
}

fn draw_by_type<DB: DrawingBackend>(
    t: &Table,
    info: &ChartInfo,
    root: &DrawingArea<DB, Shift>,
) -> DrawResult {
    let area = header(
        root,
        &info.title,
        "Share of households of each type with a reclaim, per arm, with 95% confidence intervals",
    )?;
    let arms = t.distinct("arm")?;
    let types = t.distinct("household_type")?;
    let mut values = vec![vec![None; arms.len()]; types.len()];
    for i in 0..t.rows.len() {
        let g = types
            .iter()
            .position(|x| x == t.str(i, "household_type").unwrap_or_default())
            .unwrap_or(0);
        let a = arms
            .iter()
            .position(|x| x == t.str(i, "arm").unwrap_or_default())
            .unwrap_or(0);
        values[g][a] = Some((
            t.num(i, "share_pct")?,
            t.num(i, "ci_low_pct")?,
            t.num(i, "ci_high_pct")?,
        ));
    }
    let groups: Vec<String> = types.iter().map(|s| human_type(s)).collect();
    grouped_bars(
        &area,
        root,
        &groups,
        &arms,
        &values,
        "household type",
        "households with a reclaim (% of type)",
    )
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn draw_monthly<DB: DrawingBackend>(
    t: &Table,
    info: &ChartInfo,
    root: &DrawingArea<DB, Shift>,
) -> DrawResult {
    let area = header(
        root,
        &info.title,
        "Mean per household per month: advance paid (solid) and entitlement on the actual situation (dashed)",
    )?;
    let arms = t.distinct("arm")?;
    let mut adv: Vec<Vec<(i32, f64)>> = vec![Vec::new(); arms.len()];
    let mut ent: Vec<Vec<(i32, f64)>> = vec![Vec::new(); arms.len()];
    let mut ymax = 0.0f64;
    for i in 0..t.rows.len() {
        let a = arms
            .iter()
            .position(|x| x == t.str(i, "arm").unwrap_or_default())
            .unwrap_or(0);
        let m = t.num(i, "month")? as i32;
        let (p, e) = (
            t.num(i, "mean_advance_eur")?,
            t.num(i, "mean_entitlement_eur")?,
        );
        ymax = ymax.max(p).max(e);
        adv[a].push((m, p));
        ent[a].push((m, e));
    }
    let same_entitlement = ent.windows(2).all(|w| w[0] == w[1]);
    let ymax = (ymax * 1.1).max(1.0);
    let mut chart = ChartBuilder::on(&area)
        .margin(15)
        .margin_right(30)
        .x_label_area_size(55)
        .y_label_area_size(75)
        .build_cartesian_2d(1..12, 0.0..ymax)
        .map_err(e2s)?;
    chart
        .configure_mesh()
        .light_line_style(RGBColor(235, 235, 235))
        .x_desc("month of the benefit year")
        .y_desc("€ per household per month")
        .axis_desc_style(font(18))
        .label_style(font(15))
        .x_labels(12)
        .x_label_formatter(&|m: &i32| {
            MONTHS
                .get((*m - 1).clamp(0, 11) as usize)
                .unwrap_or(&"")
                .to_string()
        })
        .y_label_formatter(&|y| euro_label(*y))
        .draw()
        .map_err(e2s)?;
    for (a, arm) in arms.iter().enumerate() {
        let c = colour(a);
        chart
            .draw_series(LineSeries::new(adv[a].iter().copied(), c.stroke_width(3)))
            .map_err(e2s)?
            .label(format!("advance paid: {arm}"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(3)));
        chart
            .draw_series(adv[a].iter().map(|p| Circle::new(*p, 4, c.filled())))
            .map_err(e2s)?;
        if !same_entitlement || a == 0 {
            let ec = if same_entitlement { BLACK } else { c };
            let label = if same_entitlement {
                "entitlement (all arms)".to_string()
            } else {
                format!("entitlement: {arm}")
            };
            chart
                .draw_series(DashedLineSeries::new(
                    ent[a].iter().copied(),
                    8,
                    5,
                    ec.stroke_width(2),
                ))
                .map_err(e2s)?
                .label(label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 8, y)], ec.stroke_width(2))
                });
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .margin(12)
        .label_font(font(16))
        .background_style(WHITE.mix(0.9))
        .border_style(GREY)
        .draw()
        .map_err(e2s)?;
    Ok(())
}

fn draw_percentages<DB: DrawingBackend>(
    t: &Table,
    info: &ChartInfo,
    root: &DrawingArea<DB, Shift>,
) -> DrawResult {
    let area = header(
        root,
        &info.title,
        "Households that took the adjustable advance, by the percentage of the calculated advance they chose",
    )?;
    let arms = t.distinct("arm")?;
    let k = arms.len().max(1) as f64;
    let mut bars = Vec::new();
    let (mut lo, mut ymax) = (100.0f64, 0.0f64);
    for i in 0..t.rows.len() {
        let a = arms
            .iter()
            .position(|x| x == t.str(i, "arm").unwrap_or_default())
            .unwrap_or(0);
        let p = t.num(i, "percentage")?;
        let s = t.num(i, "share_pct")?;
        lo = lo.min(p);
        ymax = ymax.max(s);
        let w = 0.8 / k;
        let x0 = p - 0.4 + a as f64 * w;
        bars.push((a, x0, x0 + w, s));
    }
    let ymax = (ymax * 1.2).max(1.0);
    let mut chart = ChartBuilder::on(&area)
        .margin(15)
        .margin_right(30)
        .x_label_area_size(55)
        .y_label_area_size(75)
        .build_cartesian_2d((lo - 1.0)..101.0, 0.0..ymax)
        .map_err(e2s)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(RGBColor(235, 235, 235))
        .x_desc("chosen advance (% of the calculated advance)")
        .y_desc("households that took the offer (%)")
        .axis_desc_style(font(18))
        .label_style(font(15))
        .x_labels(16)
        .x_label_formatter(&|x| format!("{x:.0}%"))
        .y_label_formatter(&|y| format!("{y:.0}%"))
        .draw()
        .map_err(e2s)?;
    for (a, arm) in arms.iter().enumerate() {
        let c = colour(a + 2);
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
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .margin(12)
        .label_font(font(16))
        .background_style(WHITE.mix(0.9))
        .border_style(GREY)
        .draw()
        .map_err(e2s)?;
    Ok(())
}

fn draw_tradeoff<DB: DrawingBackend>(
    t: &Table,
    info: &ChartInfo,
    root: &DrawingArea<DB, Shift>,
) -> DrawResult {
    let area = header(
        root,
        &info.title,
        "Households with a reclaim vs money held back during the year; same households and draws at every point",
    )?;
    let arms = t.distinct("arm")?;
    let param = if t.rows.is_empty() {
        String::new()
    } else {
        t.str(0, "param")?.to_string()
    };
    let thr = if t.rows.is_empty() {
        1000.0
    } else {
        t.num(0, "high_threshold_eur")?
    };
    let mut reclaim: Vec<Series> = vec![Vec::new(); arms.len()];
    let mut high: Vec<Series> = vec![Vec::new(); arms.len()];
    let mut withheld: Vec<Series> = vec![Vec::new(); arms.len()];
    let (mut xmin, mut xmax, mut smax, mut wmax) = (f64::MAX, f64::MIN, 0.0f64, 0.0f64);
    for i in 0..t.rows.len() {
        let a = arms
            .iter()
            .position(|x| x == t.str(i, "arm").unwrap_or_default())
            .unwrap_or(0);
        let x = t.num(i, "value")?;
        let (r, h, w) = (
            t.num(i, "reclaim_share_pct")?,
            t.num(i, "high_reclaim_share_pct")?,
            t.num(i, "withheld_eur")?,
        );
        xmin = xmin.min(x);
        xmax = xmax.max(x);
        smax = smax.max(r).max(h);
        wmax = wmax.max(w);
        reclaim[a].push((x, r));
        high[a].push((x, h));
        withheld[a].push((x, w));
    }
    if xmin > xmax {
        (xmin, xmax) = (0.0, 1.0);
    }
    let pad = ((xmax - xmin) * 0.04).max(1e-9);
    let xr = (xmin - pad)..(xmax + pad);
    let (top, bottom) = area.split_vertically(310);
    draw_tradeoff_shares(&top, xr.clone(), smax, &arms, &reclaim, &high, thr)?;
    draw_tradeoff_withheld(&bottom, xr, wmax, &param, &arms, &withheld)?;
    Ok(())
}

/// One line series per arm of the trade-off chart: (swept value, y).
type Series = Vec<(f64, f64)>;

/// The swept value on the trade-off chart's x axis: up to 4 decimals, trailing zeros dropped.
fn swept_value_label(x: &f64) -> String {
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Top panel of the trade-off chart: the shares with any and with a high reclaim per arm.
fn draw_tradeoff_shares<DB: DrawingBackend>(
    top: &DrawingArea<DB, Shift>,
    xr: std::ops::Range<f64>,
    smax: f64,
    arms: &[String],
    reclaim: &[Series],
    high: &[Series],
    thr: f64,
) -> DrawResult {
    let mut chart = ChartBuilder::on(top)
        .margin(10)
        .margin_right(30)
        .x_label_area_size(30)
        .y_label_area_size(75)
        .build_cartesian_2d(xr.clone(), 0.0..(smax * 1.6).max(1.0))
        .map_err(e2s)?;
    chart
        .configure_mesh()
        .light_line_style(RGBColor(235, 235, 235))
        .y_desc("households (%)")
        .axis_desc_style(font(16))
        .label_style(font(15))
        .x_label_formatter(&swept_value_label)
        .y_label_formatter(&|y| format!("{y:.0}%"))
        .draw()
        .map_err(e2s)?;
    for (a, arm) in arms.iter().enumerate() {
        let c = colour(a);
        chart
            .draw_series(LineSeries::new(
                reclaim[a].iter().copied(),
                c.stroke_width(3),
            ))
            .map_err(e2s)?
            .label(format!("{arm}: any reclaim"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(3)));
        chart
            .draw_series(reclaim[a].iter().map(|p| Circle::new(*p, 4, c.filled())))
            .map_err(e2s)?;
        chart
            .draw_series(DashedLineSeries::new(
                high[a].iter().copied(),
                8,
                5,
                c.stroke_width(2),
            ))
            .map_err(e2s)?
            .label(format!("{arm}: reclaim above {}", euro_label(thr)))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 8, y)], c.stroke_width(2)));
        chart
            .draw_series(
                high[a]
                    .iter()
                    .map(|p| TriangleMarker::new(*p, 5, c.filled())),
            )
            .map_err(e2s)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .margin(8)
        .label_font(font(14))
        .background_style(WHITE.mix(0.9))
        .border_style(GREY)
        .draw()
        .map_err(e2s)?;
    Ok(())
}

/// Bottom panel of the trade-off chart: the money withheld during the year per arm.
fn draw_tradeoff_withheld<DB: DrawingBackend>(
    bottom: &DrawingArea<DB, Shift>,
    xr: std::ops::Range<f64>,
    wmax: f64,
    param: &str,
    arms: &[String],
    withheld: &[Series],
) -> DrawResult {
    let mut chart = ChartBuilder::on(bottom)
        .margin(10)
        .margin_right(30)
        .x_label_area_size(50)
        .y_label_area_size(75)
        .build_cartesian_2d(xr, 0.0..(wmax * 1.2).max(1.0))
        .map_err(e2s)?;
    chart
        .configure_mesh()
        .light_line_style(RGBColor(235, 235, 235))
        .x_desc(format!("swept value: {param}{}", key_meaning(param)))
        .y_desc("withheld (€/household)")
        .y_labels(6)
        .axis_desc_style(font(16))
        .label_style(font(15))
        .x_label_formatter(&swept_value_label)
        .y_label_formatter(&|y| euro_label(*y))
        .draw()
        .map_err(e2s)?;
    for (a, arm) in arms.iter().enumerate() {
        let c = colour(a);
        chart
            .draw_series(LineSeries::new(
                withheld[a].iter().copied(),
                c.stroke_width(3),
            ))
            .map_err(e2s)?
            .label(format!("{arm}: withheld during the year"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(3)));
        chart
            .draw_series(withheld[a].iter().map(|p| Circle::new(*p, 4, c.filled())))
            .map_err(e2s)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .margin(8)
        .label_font(font(14))
        .background_style(WHITE.mix(0.9))
        .border_style(GREY)
        .draw()
        .map_err(e2s)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_mean_rounds_half_away_from_zero() {
        assert_eq!(cents_mean(1050, 2), "5.25");
        assert_eq!(cents_mean(1, 2), "0.01");
        assert_eq!(cents_mean(-1, 2), "-0.01");
        assert_eq!(cents_mean(0, 0), "0.00");
    }

    #[test]
    fn nice_widths() {
        assert_eq!(nice_width(120_000, 12), 10_000);
        assert_eq!(nice_width(130_000, 12), 20_000);
        assert_eq!(nice_width(50, 12), 100);
    }

    #[test]
    fn wilson_contains_the_share() {
        let (lo, hi) = wilson(30, 100);
        assert!(lo < 30.0 && hi > 30.0);
        assert_eq!(wilson(0, 0), (0.0, 0.0));
    }

    #[test]
    fn csv_round_trips() {
        let mut t = Table::new(&["a", "b"]);
        t.push(vec!["x,y".into(), "".into()]);
        assert_eq!(Table::from_csv(&t.to_csv()).unwrap(), t);
    }
}
