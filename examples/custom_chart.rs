//! Read the `households.csv` of a run and draw your own chart with plotters.
//!
//! ```text
//! cargo run --example custom_chart
//! cargo run --example custom_chart -- output/my-run/households.csv
//! ```
//!
//! Without an argument the example first runs scenarios/cautious-vs-standard.toml with 3,000
//! households and `--households-csv` into output/examples/custom-chart-run/ (through the same
//! entry point as the command line). It then draws the mean reclaim per income decile for each
//! arm into output/examples/reclaim_by_income.svg.

use plotters::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out_dir = root.join("output/examples");
    std::fs::create_dir_all(&out_dir)?;
    let csv_path = match std::env::args().nth(1) {
        Some(p) => PathBuf::from(p),
        None => {
            let run_dir = out_dir.join("custom-chart-run");
            let scenario = root.join("scenarios/cautious-vs-standard.toml");
            let code = toeslagenlab::run_cli([
                "toeslagenlab".as_ref(),
                "run".as_ref(),
                scenario.as_os_str(),
                "--households".as_ref(),
                "3000".as_ref(),
                "--households-csv".as_ref(),
                "--quiet".as_ref(),
                "--out".as_ref(),
                run_dir.as_os_str(),
            ] as [&std::ffi::OsStr; 9]);
            if code != 0 {
                return Err(format!("the run failed with exit code {code}").into());
            }
            run_dir.join("households.csv")
        }
    };

    // arm → (income, reclaim) per household.
    let mut rows: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    let mut reader = csv::Reader::from_path(&csv_path)?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("{}: no column {name}", csv_path.display()))
    };
    let (arm_i, income_i, reclaim_i) = (col("arm")?, col("income")?, col("reclaim")?);
    for rec in reader.records() {
        let rec = rec?;
        rows.entry(rec[arm_i].to_string())
            .or_default()
            .push((rec[income_i].parse()?, rec[reclaim_i].parse()?));
    }

    // Income deciles over all rows of the first arm (every arm holds the same households in the
    // paired design).
    let mut incomes: Vec<f64> = rows
        .values()
        .next()
        .ok_or("households.csv has no rows")?
        .iter()
        .map(|r| r.0)
        .collect();
    incomes.sort_by(f64::total_cmp);
    let cut: Vec<f64> = (1..10).map(|d| incomes[incomes.len() * d / 10]).collect();
    let decile = |x: f64| cut.iter().filter(|c| x >= **c).count();
    let series: Vec<(String, Vec<f64>)> = rows
        .iter()
        .map(|(arm, v)| {
            let mut sum = [0.0; 10];
            let mut n = [0usize; 10];
            for (inc, rec) in v {
                sum[decile(*inc)] += rec;
                n[decile(*inc)] += 1;
            }
            (
                arm.clone(),
                (0..10).map(|d| sum[d] / n[d].max(1) as f64).collect(),
            )
        })
        .collect();
    let y_max = series
        .iter()
        .flat_map(|s| s.1.iter().copied())
        .fold(1.0, f64::max)
        * 1.1;

    // plotters needs a font for labels: register the embedded DejaVu Sans (no system fonts).
    plotters::style::register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular())
        .map_err(|_| "cannot register the font")?;
    let svg = out_dir.join("reclaim_by_income.svg");
    {
        let area = SVGBackend::new(&svg, (800, 480)).into_drawing_area();
        area.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&area)
            .caption("Mean reclaim per income decile", ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(1f64..10f64, 0f64..y_max)?;
        chart
            .configure_mesh()
            .x_desc("income decile")
            .y_desc("mean reclaim (€)")
            .draw()?;
        for (i, (arm, ys)) in series.iter().enumerate() {
            let color = Palette99::pick(i).to_rgba();
            chart
                .draw_series(LineSeries::new(
                    ys.iter().enumerate().map(|(d, y)| (d as f64 + 1.0, *y)),
                    color.stroke_width(2),
                ))?
                .label(arm.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()?;
        area.present()?;
    }
    println!("read {} ({} arms)", csv_path.display(), series.len());
    for (arm, ys) in &series {
        println!(
            "{arm:<12} decile 1: {:>7}   decile 10: {:>7}",
            toeslagenlab::output::format::euro0(ys[0]),
            toeslagenlab::output::format::euro0(ys[9])
        );
    }
    println!("wrote {}", relative(&svg, &root).display());
    Ok(())
}

fn relative<'a>(p: &'a Path, root: &Path) -> &'a Path {
    p.strip_prefix(root).unwrap_or(p)
}
