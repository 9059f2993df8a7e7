//! The per-household files a run streams into its staging directory, as asked for on the
//! command line: households.csv (`--households-csv`), households.parquet
//! (`--households-parquet`) and the monthly ledger monthly_ledger.parquet (`--monthly-parquet`).
//!
//! Opens the files and hands rows to the writers of `output`; must not format a cell itself.

use crate::cli::run::{csv_err, detail};
use crate::error::{Error, Result};
use crate::model::outcome::{Outcome, YearMonths};
use crate::output::parquet::{
    HouseholdPiece, HouseholdPrep, HouseholdsParquet, MonthlyParquet, PieceFile, PIECES_FILE,
};
use crate::output::report;
use crate::output::Staging;
use crate::scenario::Scenario;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

type Sink = BufWriter<File>;

/// The streamed households.csv: its writer and its path (for error messages).
type HouseholdsCsv = (csv::Writer<Sink>, PathBuf);

/// Opens households.csv in the staging directory and writes its header (`--households-csv`).
fn open_households_csv(staging: &Staging, enabled: bool) -> Result<Option<HouseholdsCsv>> {
    if !enabled {
        return Ok(None);
    }
    let (sink, p) = create(staging, "households.csv")?;
    let mut w = csv::Writer::from_writer(sink);
    w.write_record(report::csv_header())
        .map_err(|e| csv_err(&p, e))?;
    Ok(Some((w, p)))
}

/// Where households.parquet's pieces go: the file itself, or (a shard of a run) the pieces
/// file `merge` splices into it.
enum ParquetSink {
    File(Box<HouseholdsParquet<Sink>>),
    Pieces(PieceFile<Sink>),
}

/// The streamed per-household files of one run.
pub(crate) struct HouseholdFiles {
    csv: Option<HouseholdsCsv>,
    parquet: Option<(ParquetSink, PathBuf)>,
    monthly: Option<(MonthlyParquet<Sink>, PathBuf)>,
}

/// Creates `name` in the staging directory, buffered; returns it with its path.
pub(crate) fn create(staging: &Staging, name: &str) -> Result<(Sink, PathBuf)> {
    let p = staging.path(name);
    let f = File::create(&p).map_err(|e| Error::io(&p, e))?;
    Ok((BufWriter::with_capacity(1 << 20, f), p))
}

impl HouseholdFiles {
    /// Opens the files asked for (none: nothing is collected); `shard`: households.parquet's
    /// pieces go to the pieces file of a shard's partial state instead.
    pub(crate) fn open(
        staging: &Staging,
        sc: &Scenario,
        csv: bool,
        parquet: bool,
        monthly: bool,
        shard: bool,
    ) -> Result<HouseholdFiles> {
        let parquet = match (parquet, shard) {
            (false, _) => None,
            (true, false) => {
                let (w, p) = create(staging, "households.parquet")?;
                Some((
                    ParquetSink::File(Box::new(HouseholdsParquet::new(w, sc)?)),
                    p,
                ))
            }
            (true, true) => {
                let (w, p) = create(staging, PIECES_FILE)?;
                let f = PieceFile::new(w, sc).map_err(|e| Error::io(&p, e))?;
                Some((ParquetSink::Pieces(f), p))
            }
        };
        let monthly = if monthly {
            let (w, p) = create(staging, "monthly_ledger.parquet")?;
            Some((MonthlyParquet::new(w, sc)?, p))
        } else {
            None
        };
        Ok(HouseholdFiles {
            csv: open_households_csv(staging, csv)?,
            parquet,
            monthly,
        })
    }

    /// Whether the run must collect its rows.
    pub(crate) fn rows(&self) -> bool {
        self.csv.is_some() || self.parquet.is_some() || self.monthly.is_some()
    }

    /// What turns rows into households.parquet's pieces on the workers (with
    /// `--households-parquet`).
    pub(crate) fn prep(&self) -> Option<std::sync::Arc<HouseholdPrep>> {
        self.parquet.as_ref().map(|(w, _)| match w {
            ParquetSink::File(f) => f.prep(),
            ParquetSink::Pieces(f) => f.prep(),
        })
    }

    /// Whether the files need the rows themselves, besides households.parquet's pieces.
    pub(crate) fn rows_too(&self) -> bool {
        self.csv.is_some() || self.monthly.is_some()
    }

    /// Whether the run must collect its households' months.
    pub(crate) fn months(&self) -> bool {
        self.monthly.is_some()
    }

    /// Writes a batch of rows (outcomes in household order; `years` the same households'
    /// months, when asked for) to every open file.
    pub(crate) fn write(
        &mut self,
        sc: &Scenario,
        rows: &[Outcome],
        years: &[YearMonths],
    ) -> Result<()> {
        match self.parquet.as_mut() {
            Some((ParquetSink::File(w), _)) => w.write(rows)?,
            Some((ParquetSink::Pieces(_), _)) => {
                return Err(Error::Internal(
                    "households.parquet's pieces come from the workers".into(),
                ))
            }
            None => {}
        }
        self.write_rows(sc, rows, years)
    }

    /// Writes rows to the files that take rows: households.csv and the monthly ledger.
    fn write_rows(&mut self, sc: &Scenario, rows: &[Outcome], years: &[YearMonths]) -> Result<()> {
        if let Some((w, p)) = self.csv.as_mut() {
            report::write_rows(w, sc, rows).map_err(|e| csv_err(p, e))?;
        }
        if let Some((w, _)) = self.monthly.as_mut() {
            w.write(rows, years)?;
        }
        Ok(())
    }

    /// Writes a batch as the workers prepared it: `piece` (households.parquet's columns of the
    /// batch, made by [`HouseholdFiles::prep`]'s preparer) and, when [`HouseholdFiles::rows_too`],
    /// the rows themselves (outcomes in household order; `years` their months, when asked for).
    pub(crate) fn write_prepared(
        &mut self,
        sc: &Scenario,
        rows: &[Outcome],
        years: &[YearMonths],
        piece: Option<HouseholdPiece>,
    ) -> Result<()> {
        match (self.parquet.as_mut(), piece) {
            (Some((ParquetSink::File(w), _)), Some(piece)) => w.write_piece(piece)?,
            (Some((ParquetSink::Pieces(w), p)), Some(piece)) => {
                w.write_piece(&piece).map_err(|e| Error::io(&*p, e))?
            }
            (None, None) => {}
            _ => {
                return Err(Error::Internal(
                    "households.parquet: a batch came without its piece".into(),
                ))
            }
        }
        self.write_rows(sc, rows, years)
    }

    /// Finishes and flushes every open file (a detail line each).
    pub(crate) fn finish(self, quiet: bool) -> Result<()> {
        if let Some((mut w, p)) = self.csv {
            w.flush().map_err(|e| Error::io(&p, e))?;
            detail(quiet, format!("wrote {}", p.display()));
        }
        let parquet = self.parquet.map(|(w, p)| match w {
            ParquetSink::File(w) => (w.finish(), p),
            ParquetSink::Pieces(w) => (Ok(w.into_inner()), p),
        });
        for (w, p) in [parquet, self.monthly.map(|(w, p)| (w.finish(), p))]
            .into_iter()
            .flatten()
        {
            w?.flush().map_err(|e| Error::io(&p, e))?;
            detail(quiet, format!("wrote {}", p.display()));
        }
        Ok(())
    }

    /// The names of the open files, for the headline ("households.csv, households.parquet").
    pub(crate) fn names(&self) -> Vec<&'static str> {
        let mut v = vec![];
        if self.csv.is_some() {
            v.push("households.csv");
        }
        if self.parquet.is_some() {
            v.push("households.parquet");
        }
        if self.monthly.is_some() {
            v.push("monthly_ledger.parquet");
        }
        v
    }
}
