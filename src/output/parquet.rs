//! Parquet files of a run: `households.parquet` (the rows and columns of households.csv, typed)
//! and `monthly_ledger.parquet` (the monthly ledger: household × arm × month).
//!
//! Both are streamed: rows are buffered into columns and written one row group at a time
//! ([`ROW_GROUP_ROWS`] rows), so memory stays bounded whatever the number of households.
//! Money is `DECIMAL(18, 2)` stored as 64-bit integer cents (exact; pyarrow reads it as
//! `decimal128(18, 2)`); identifiers and counts are 64- or 32-bit integers, flags booleans,
//! names strings (dictionary encoded). Integer columns use delta encoding. Pages are compressed
//! with zstd where it pays (`Compress`); min/max statistics are kept for `household_id` only
//! (a reader skips row groups by household; statistics on every column cost a fifth of the
//! writing time).
//!
//! Must not: simulate, compute statistics or choose file names (the caller opens the file).

use crate::error::{Error, Result};
use crate::model::money::Money;
use crate::model::outcome::{Outcome, YearMonths};
use crate::model::scenario::{Scenario, EMPLOYMENT_TYPES, HOUSEHOLD_TYPES};
use crate::rules::{Benefit, N_BENEFITS};
use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::ColumnPath;
use std::io::Write;
use std::sync::Arc;

/// Rows per row group: the most rows held in memory before they are written (about 30 MB for
/// households.parquet).
pub const ROW_GROUP_ROWS: usize = 1 << 17;

/// Rows converted to columns as one task of [`HouseholdsParquet::write`].
const PART_ROWS: usize = 2048;

/// The zstd level of every page: level 1 is several times faster than the default 3 and makes
/// the national households.parquet only a few percent larger.
const ZSTD_LEVEL: i32 = 1;

/// Which columns a table compresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Compress {
    /// Every column (the monthly ledger: a household's advance repeats month after month, so
    /// its deltas are mostly zero and compress many times).
    All,
    /// The columns zstd shrinks at least about twice after delta encoding: names, identifiers
    /// and the money columns that are zero for most households (reclaims, in-year reclaims,
    /// repayment plans and every per-benefit column). Amounts most households have (advances,
    /// awards, back-payments, income) shrink only 1.2–1.9× and cost most of the compression
    /// time, so they are stored delta-encoded only (measured in docs/outputs.md).
    Sparse,
}

impl Compress {
    fn applies(self, name: &str, kind: Kind) -> bool {
        match self {
            Compress::All => true,
            Compress::Sparse => match kind {
                Kind::Text | Kind::Int | Kind::Small => true,
                Kind::Flag | Kind::OptionalSmall => false,
                Kind::Money => {
                    name.starts_with("reclaim")
                        || name == "in_year_reclaim"
                        || name == "repayment_monthly"
                        || Benefit::ALL
                            .iter()
                            .any(|b| name == format!("backpay_{}", b.name()))
                }
            },
        }
    }
}

/// What a column holds, and so its Parquet type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A 64-bit integer (`INT64`).
    Int,
    /// A small integer (`INT32`).
    Small,
    /// A small integer that may be missing (`INT32`, optional; empty in the CSV).
    OptionalSmall,
    /// Euros with two decimals: `DECIMAL(18, 2)` as `INT64` cents.
    Money,
    /// A flag (`BOOLEAN`).
    Flag,
    /// A name (`BYTE_ARRAY` UTF-8 string, dictionary encoded).
    Text,
}

impl Kind {
    fn schema_line(self, name: &str) -> String {
        match self {
            Kind::Int => format!("REQUIRED INT64 {name};"),
            Kind::Small => format!("REQUIRED INT32 {name};"),
            Kind::OptionalSmall => format!("OPTIONAL INT32 {name};"),
            Kind::Money => format!("REQUIRED INT64 {name} (DECIMAL(18,2));"),
            Kind::Flag => format!("REQUIRED BOOLEAN {name};"),
            Kind::Text => format!("REQUIRED BYTE_ARRAY {name} (UTF8);"),
        }
    }
}

/// The columns of households.parquet, in households.csv's order
/// ([`crate::output::report::csv_header`]), with their kinds.
pub fn household_columns() -> Vec<(String, Kind)> {
    use Kind::*;
    let mut c: Vec<(String, Kind)> = [
        ("household_id", Int),
        ("arm", Text),
        ("household_type", Text),
        ("took_offer", Flag),
        ("chosen_percentage", OptionalSmall),
        ("advances", Money),
        ("definitive_award", Money),
        ("reclaim", Money),
        ("reclaim_before_threshold", Money),
        ("backpay", Money),
        ("withheld", Money),
        ("in_year_reclaim", Money),
        ("repayment_monthly", Money),
        ("income", Money),
    ]
    .iter()
    .map(|(n, k)| (n.to_string(), *k))
    .collect();
    c.extend(
        Benefit::ALL
            .iter()
            .map(|b| (format!("reclaim_{}", b.name()), Money)),
    );
    c.extend([
        ("recipient".to_string(), Flag),
        ("backpay_counted".to_string(), Money),
        ("net_settlement".to_string(), Money),
    ]);
    c.extend(
        Benefit::ALL
            .iter()
            .map(|b| (format!("backpay_{}", b.name()), Money)),
    );
    c.push(("employment".to_string(), Text));
    c.push(("receives".to_string(), Text));
    c
}

/// The columns of monthly_ledger.parquet: one row per household, arm and payment month.
/// `advance_paid` is the net advance the household kept that month in the arm (after in-year
/// corrections); `advance_full` the 100% advance (the control schedule); `entitlement` the
/// actual entitlement of the month; `known_from` the first month of the knowledge state the
/// agency pays on (1: the household's own estimate).
pub fn monthly_columns() -> Vec<(String, Kind)> {
    use Kind::*;
    [
        ("household_id", Int),
        ("arm", Text),
        ("month", Small),
        ("known_from", Small),
        ("advance_paid", Money),
        ("advance_full", Money),
        ("entitlement", Money),
    ]
    .iter()
    .map(|(n, k)| (n.to_string(), *k))
    .collect()
}

/// One column's buffered values of the current row group.
enum Buf {
    Int(Vec<i64>),
    Small(Vec<i32>),
    OptionalSmall(Vec<i32>, Vec<i16>),
    Flag(Vec<bool>),
    Text(Vec<ByteArray>),
}

impl Buf {
    /// An empty row group's buffer.
    fn new(k: Kind) -> Buf {
        Buf::with_capacity(k, ROW_GROUP_ROWS)
    }

    /// An empty buffer with room for `n` rows.
    fn with_capacity(k: Kind, n: usize) -> Buf {
        match k {
            Kind::Int | Kind::Money => Buf::Int(Vec::with_capacity(n)),
            Kind::Small => Buf::Small(Vec::with_capacity(n)),
            Kind::OptionalSmall => Buf::OptionalSmall(Vec::with_capacity(n), Vec::with_capacity(n)),
            Kind::Flag => Buf::Flag(Vec::with_capacity(n)),
            Kind::Text => Buf::Text(Vec::with_capacity(n)),
        }
    }

    fn clear(&mut self) {
        match self {
            Buf::Int(v) => v.clear(),
            Buf::Small(v) => v.clear(),
            Buf::OptionalSmall(v, d) => {
                v.clear();
                d.clear()
            }
            Buf::Flag(v) => v.clear(),
            Buf::Text(v) => v.clear(),
        }
    }
}

/// One row after another pushed into typed column buffers: a row group being filled, or a part
/// of a batch converted on a worker thread and then moved into the row group.
struct Columns {
    bufs: Vec<Buf>,
    rows: usize,
    /// The column a row's next value goes to.
    next: usize,
    /// A value pushed into a column of another kind (a programming error, reported on the
    /// row's end).
    mismatch: Option<usize>,
}

impl Columns {
    /// Empty columns with room for `n` rows.
    fn with_capacity(kinds: &[Kind], n: usize) -> Columns {
        Columns::from_bufs(kinds.iter().map(|k| Buf::with_capacity(*k, n)).collect())
    }

    fn from_bufs(bufs: Vec<Buf>) -> Columns {
        Columns {
            bufs,
            rows: 0,
            next: 0,
            mismatch: None,
        }
    }

    /// The index of the column a row's next value goes to.
    fn advance(&mut self) -> usize {
        self.next += 1;
        self.next - 1
    }

    fn int(&mut self, v: i64) {
        let i = self.advance();
        match self.bufs.get_mut(i) {
            Some(Buf::Int(b)) => b.push(v),
            _ => self.mismatch = Some(i),
        }
    }

    fn money(&mut self, m: Money) {
        self.int(m.0);
    }

    fn small(&mut self, v: i32) {
        let i = self.advance();
        match self.bufs.get_mut(i) {
            Some(Buf::Small(b)) => b.push(v),
            _ => self.mismatch = Some(i),
        }
    }

    fn optional_small(&mut self, v: Option<i32>) {
        let i = self.advance();
        match self.bufs.get_mut(i) {
            Some(Buf::OptionalSmall(b, d)) => {
                if let Some(v) = v {
                    b.push(v);
                    d.push(1);
                } else {
                    d.push(0);
                }
            }
            _ => self.mismatch = Some(i),
        }
    }

    fn flag(&mut self, v: bool) {
        let i = self.advance();
        match self.bufs.get_mut(i) {
            Some(Buf::Flag(b)) => b.push(v),
            _ => self.mismatch = Some(i),
        }
    }

    fn text(&mut self, v: &ByteArray) {
        let i = self.advance();
        match self.bufs.get_mut(i) {
            Some(Buf::Text(b)) => b.push(v.clone()),
            _ => self.mismatch = Some(i),
        }
    }

    /// Ends a row: checks it filled every column once.
    fn end_row(&mut self) -> Result<()> {
        if self.next != self.bufs.len() {
            self.mismatch = Some(self.next);
        }
        if let Some(i) = self.mismatch {
            return Err(Error::Internal(format!(
                "a Parquet row does not match its columns (column {i})"
            )));
        }
        self.next = 0;
        self.rows += 1;
        Ok(())
    }

    /// Moves the first `k` rows of `from` to the end of these columns (same kinds).
    fn take_rows(&mut self, from: &mut Columns, k: usize) -> Result<()> {
        for (to, src) in self.bufs.iter_mut().zip(from.bufs.iter_mut()) {
            match (to, src) {
                (Buf::Int(t), Buf::Int(f)) => t.extend(f.drain(..k)),
                (Buf::Small(t), Buf::Small(f)) => t.extend(f.drain(..k)),
                (Buf::OptionalSmall(t, td), Buf::OptionalSmall(f, fd)) => {
                    let values = fd[..k].iter().filter(|d| **d == 1).count();
                    t.extend(f.drain(..values));
                    td.extend(fd.drain(..k));
                }
                (Buf::Flag(t), Buf::Flag(f)) => t.extend(f.drain(..k)),
                (Buf::Text(t), Buf::Text(f)) => t.extend(f.drain(..k)),
                _ => return Err(Error::Internal("Parquet: columns of another table".into())),
            }
        }
        self.rows += k;
        from.rows -= k;
        Ok(())
    }
}

/// A Parquet file written row group by row group from buffered columns. A full row group is
/// encoded and compressed on a thread of its own while the run goes on (the buffers come back
/// to be filled again), so at most three row groups are in memory.
struct TableWriter<W: Write + Send + 'static> {
    kinds: Vec<Kind>,
    /// The row group being filled.
    cols: Columns,
    /// Full row groups to the encoder thread.
    to_encoder: Option<std::sync::mpsc::SyncSender<Vec<Buf>>>,
    /// Written (and cleared) buffers back from it.
    spare: std::sync::mpsc::Receiver<Vec<Buf>>,
    encoder: Option<std::thread::JoinHandle<Result<W>>>,
}

/// Writes one row group of buffered columns and clears the buffers.
fn write_group<W: Write + Send>(
    writer: &mut SerializedFileWriter<W>,
    bufs: &mut [Buf],
) -> Result<()> {
    let e = |e| parquet_err("a Parquet row group", e);
    let mut rg = writer.next_row_group().map_err(e)?;
    for buf in bufs.iter_mut() {
        let mut col = rg
            .next_column()
            .map_err(e)?
            .ok_or_else(|| Error::Internal("Parquet: fewer columns than buffers".into()))?;
        match buf {
            Buf::Int(v) => col.typed::<Int64Type>().write_batch(v, None, None),
            Buf::Small(v) => col.typed::<Int32Type>().write_batch(v, None, None),
            Buf::OptionalSmall(v, d) => col.typed::<Int32Type>().write_batch(v, Some(d), None),
            Buf::Flag(v) => col.typed::<BoolType>().write_batch(v, None, None),
            Buf::Text(v) => col.typed::<ByteArrayType>().write_batch(v, None, None),
        }
        .map_err(e)?;
        col.close().map_err(e)?;
        buf.clear();
    }
    rg.close().map_err(e)?;
    Ok(())
}

fn parquet_err(what: &str, e: parquet::errors::ParquetError) -> Error {
    Error::Internal(format!("writing {what}: {e}"))
}

impl<W: Write + Send + 'static> TableWriter<W> {
    fn new(
        w: W,
        columns: &[(String, Kind)],
        compress: Compress,
        metadata: Vec<KeyValue>,
    ) -> Result<Self> {
        let mut text = String::from("message toeslagenlab {\n");
        for (name, kind) in columns {
            text.push_str(&kind.schema_line(name));
            text.push('\n');
        }
        text.push('}');
        let schema = parquet::schema::parser::parse_message_type(&text)
            .map_err(|e| parquet_err("the Parquet schema", e))?;
        let mut props = WriterProperties::builder()
            .set_writer_version(WriterVersion::PARQUET_2_0)
            .set_created_by(format!("toeslagenlab {}", env!("CARGO_PKG_VERSION")))
            .set_compression(Compression::ZSTD(
                ZstdLevel::try_new(ZSTD_LEVEL).map_err(|e| parquet_err("zstd level", e))?,
            ))
            .set_statistics_enabled(EnabledStatistics::None)
            .set_dictionary_enabled(false)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_key_value_metadata(Some(metadata));
        for (name, kind) in columns {
            let path = ColumnPath::from(name.as_str());
            if name == "household_id" {
                props = props.set_column_statistics_enabled(path.clone(), EnabledStatistics::Chunk);
            }
            if !compress.applies(name, *kind) {
                props = props.set_column_compression(path.clone(), Compression::UNCOMPRESSED);
            }
            props = match kind {
                Kind::Text => props.set_column_dictionary_enabled(path, true),
                Kind::Int | Kind::Small | Kind::OptionalSmall | Kind::Money => {
                    props.set_column_encoding(path, Encoding::DELTA_BINARY_PACKED)
                }
                Kind::Flag => props,
            };
        }
        let mut writer = SerializedFileWriter::new(w, Arc::new(schema), Arc::new(props.build()))
            .map_err(|e| parquet_err("the Parquet header", e))?;
        let (to_encoder, groups) = std::sync::mpsc::sync_channel::<Vec<Buf>>(1);
        let (give_back, spare) = std::sync::mpsc::channel::<Vec<Buf>>();
        let encoder = std::thread::Builder::new()
            .name("parquet-encoder".into())
            .spawn(move || -> Result<W> {
                for mut bufs in groups {
                    write_group(&mut writer, &mut bufs)?;
                    // The writer side may be gone already (finished or failed): nothing to do.
                    let _ = give_back.send(bufs);
                }
                writer
                    .into_inner()
                    .map_err(|e| parquet_err("the Parquet footer", e))
            })
            .map_err(|e| Error::Internal(format!("cannot start the Parquet encoder: {e}")))?;
        let kinds: Vec<Kind> = columns.iter().map(|(_, k)| *k).collect();
        Ok(TableWriter {
            cols: Columns::with_capacity(&kinds, ROW_GROUP_ROWS),
            kinds,
            to_encoder: Some(to_encoder),
            spare,
            encoder: Some(encoder),
        })
    }

    /// Ends a row pushed into [`TableWriter::cols`]; writes the row group when it is full.
    fn end_row(&mut self) -> Result<()> {
        self.cols.end_row()?;
        if self.cols.rows == ROW_GROUP_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    /// Appends every row of `part` in order, writing each row group that fills.
    fn append(&mut self, mut part: Columns) -> Result<()> {
        while part.rows > 0 {
            let k = part.rows.min(ROW_GROUP_ROWS - self.cols.rows);
            self.cols.take_rows(&mut part, k)?;
            if self.cols.rows == ROW_GROUP_ROWS {
                self.flush()?;
            }
        }
        Ok(())
    }

    /// Hands the full row group to the encoder thread and goes on with empty buffers.
    fn flush(&mut self) -> Result<()> {
        if self.cols.rows == 0 {
            return Ok(());
        }
        let fresh = self
            .spare
            .try_recv()
            .unwrap_or_else(|_| self.kinds.iter().map(|k| Buf::new(*k)).collect());
        let full = std::mem::replace(&mut self.cols, Columns::from_bufs(fresh)).bufs;
        let sent = self
            .to_encoder
            .as_ref()
            .is_some_and(|tx| tx.send(full).is_ok());
        if !sent {
            // The encoder stopped on an error: report it.
            self.to_encoder = None;
            self.join()?;
            return Err(Error::Internal("the Parquet encoder stopped".into()));
        }
        Ok(())
    }

    /// Waits for the encoder thread: the inner writer, or the encoder's error.
    fn join(&mut self) -> Result<W> {
        self.encoder
            .take()
            .ok_or_else(|| Error::Internal("the Parquet encoder is gone".into()))?
            .join()
            .map_err(|_| Error::Internal("the Parquet encoder panicked".into()))?
    }

    /// Writes the last rows and the footer; returns the inner writer.
    fn finish(mut self) -> Result<W> {
        self.flush()?;
        // Closing the channel ends the encoder's loop; it then writes the footer.
        self.to_encoder = None;
        self.join()
    }
}

/// The file's key-value metadata: what made it, its arms in scenario order (the first is
/// control) and how to read its money.
fn metadata(sc: &Scenario, table: &str) -> Vec<KeyValue> {
    [
        ("toeslagenlab.table", table.to_string()),
        ("toeslagenlab.scenario", sc.name.clone()),
        ("toeslagenlab.scenario_sha256", sc.sha256.clone()),
        ("toeslagenlab.seed", sc.seed.to_string()),
        ("toeslagenlab.benefit_year", sc.year.to_string()),
        (
            "toeslagenlab.arms",
            sc.arms
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(","),
        ),
        (
            "toeslagenlab.money",
            "DECIMAL(18,2): euros with two decimals, stored as integer cents".to_string(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| KeyValue::new(k.to_string(), v))
    .collect()
}

/// The names written as strings, made once (a row then only clones a shared buffer).
struct Names {
    arms: Vec<ByteArray>,
    household_types: Vec<ByteArray>,
    employment: Vec<ByteArray>,
    /// Per bit set of received benefits, its `+`-joined names (households.csv's `receives`).
    receives: Vec<ByteArray>,
}

impl Names {
    fn new(sc: &Scenario) -> Names {
        let ba = |s: &str| ByteArray::from(s.as_bytes().to_vec());
        Names {
            arms: sc.arms.iter().map(|a| ba(&a.name)).collect(),
            household_types: HOUSEHOLD_TYPES.iter().map(|s| ba(s)).collect(),
            employment: EMPLOYMENT_TYPES.iter().map(|s| ba(s)).collect(),
            receives: (0..1u16 << N_BENEFITS)
                .map(|bits| ba(&crate::output::report::receives_cell(bits as u8)))
                .collect(),
        }
    }
}

/// households.parquet, streamed: [`HouseholdsParquet::write`] the rows as the run hands them
/// over, then [`HouseholdsParquet::finish`].
pub struct HouseholdsParquet<W: Write + Send + 'static> {
    table: TableWriter<W>,
    names: Names,
    offers: Vec<bool>,
}

impl<W: Write + Send + 'static> HouseholdsParquet<W> {
    /// Starts households.parquet for `sc` on `w`.
    pub fn new(w: W, sc: &Scenario) -> Result<Self> {
        Ok(HouseholdsParquet {
            table: TableWriter::new(
                w,
                &household_columns(),
                Compress::Sparse,
                metadata(sc, "households"),
            )?,
            names: Names::new(sc),
            offers: sc.arms.iter().map(|a| a.policy.offers()).collect(),
        })
    }

    /// Appends outcomes (households.csv's rows, the same cells typed). The rows are converted
    /// to columns in parts of `PART_ROWS` (2,048) on the current rayon pool, then moved into the row
    /// group in order: the file does not depend on the thread count.
    pub fn write(&mut self, rows: &[Outcome]) -> Result<()> {
        use rayon::prelude::*;
        let kinds = &self.table.kinds;
        let (names, offers) = (&self.names, &self.offers);
        let parts: Vec<Result<Columns>> = rows
            .par_chunks(PART_ROWS)
            .map(|part| {
                let mut c = Columns::with_capacity(kinds, part.len());
                for o in part {
                    push_household(&mut c, names, offers, o)?;
                }
                Ok(c)
            })
            .collect();
        for part in parts {
            self.table.append(part?)?;
        }
        Ok(())
    }

    /// Writes the last rows and the footer; returns the inner writer (to flush and sync).
    pub fn finish(self) -> Result<W> {
        self.table.finish()
    }
}

/// Pushes one outcome's cells (households.parquet's row).
fn push_household(t: &mut Columns, names: &Names, offers: &[bool], o: &Outcome) -> Result<()> {
    t.int(o.household_id as i64);
    t.text(&names.arms[o.arm]);
    t.text(&names.household_types[o.household_type as usize]);
    t.flag(o.took_offer);
    t.optional_small(crate::output::report::chosen_percentage(offers[o.arm], o).map(|p| p as i32));
    for m in [
        o.advances,
        o.definitive,
        o.reclaim,
        o.reclaim_before_threshold,
        o.backpay,
        o.withheld,
        o.in_year_reclaim,
        o.repayment_monthly,
        o.income,
    ] {
        t.money(m);
    }
    for m in o.reclaim_by_benefit {
        t.money(m);
    }
    t.flag(o.recipient);
    t.money(o.backpay_counted);
    t.money(o.net_settlement());
    for m in o.backpay_by_benefit {
        t.money(m);
    }
    t.text(&names.employment[o.employment as usize]);
    t.text(&names.receives[o.receives as usize & ((1 << N_BENEFITS) - 1)]);
    t.end_row()
}

/// monthly_ledger.parquet, streamed: one row per household, arm and month.
pub struct MonthlyParquet<W: Write + Send + 'static> {
    table: TableWriter<W>,
    names: Names,
}

impl<W: Write + Send + 'static> MonthlyParquet<W> {
    /// Starts monthly_ledger.parquet for `sc` on `w`.
    pub fn new(w: W, sc: &Scenario) -> Result<Self> {
        Ok(MonthlyParquet {
            table: TableWriter::new(
                w,
                &monthly_columns(),
                Compress::All,
                metadata(sc, "monthly"),
            )?,
            names: Names::new(sc),
        })
    }

    /// Appends the months of `rows` (a run's outcomes in household order, each household's arms
    /// together) with `years`, the same households' months in the same order.
    pub fn write(&mut self, rows: &[Outcome], years: &[YearMonths]) -> Result<()> {
        let mut years = years.iter().peekable();
        let t = &mut self.table;
        for o in rows {
            while years
                .peek()
                .is_some_and(|y| y.household_id < o.household_id)
            {
                years.next();
            }
            let y = years
                .peek()
                .filter(|y| y.household_id == o.household_id)
                .ok_or_else(|| {
                    Error::Internal(format!(
                        "monthly ledger: no months for household {}",
                        o.household_id
                    ))
                })?;
            for m in 0..12 {
                let c = &mut t.cols;
                c.int(o.household_id as i64);
                c.text(&self.names.arms[o.arm]);
                c.small(m as i32 + 1);
                c.small(y.known_from[m] as i32);
                c.money(o.paid_by_month[m]);
                c.money(y.full_advance[m]);
                c.money(y.entitlement[m]);
                t.end_row()?;
            }
        }
        Ok(())
    }

    /// Writes the last rows and the footer; returns the inner writer.
    pub fn finish(self) -> Result<W> {
        self.table.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_rows_keeps_missing_values_with_their_rows() {
        let kinds = [Kind::Int, Kind::OptionalSmall, Kind::Text];
        let mut from = Columns::with_capacity(&kinds, 10);
        let name = ByteArray::from("a".as_bytes().to_vec());
        for i in 0..10i64 {
            from.int(i);
            from.optional_small((i % 3 == 0).then_some(i as i32));
            from.text(&name);
            from.end_row().unwrap();
        }
        let mut to = Columns::with_capacity(&kinds, 10);
        to.take_rows(&mut from, 4).unwrap();
        assert_eq!((to.rows, from.rows), (4, 6));
        match (&to.bufs[..], &from.bufs[..]) {
            (
                [Buf::Int(a), Buf::OptionalSmall(v, d), Buf::Text(t)],
                [Buf::Int(b), Buf::OptionalSmall(w, e), Buf::Text(u)],
            ) => {
                assert_eq!(a, &[0, 1, 2, 3]);
                assert_eq!(
                    (v.as_slice(), d.as_slice()),
                    (&[0, 3][..], &[1, 0, 0, 1][..])
                );
                assert_eq!(t.len(), 4);
                assert_eq!(b, &[4, 5, 6, 7, 8, 9]);
                assert_eq!(
                    (w.as_slice(), e.as_slice()),
                    (&[6, 9][..], &[0, 0, 1, 0, 0, 1][..])
                );
                assert_eq!(u.len(), 6);
            }
            _ => panic!("kinds changed"),
        }
        // A row that misses a column is refused.
        from.int(1);
        assert!(from.end_row().is_err());
    }

    #[test]
    fn household_columns_are_the_csv_header() {
        let names: Vec<String> = household_columns().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, crate::output::report::csv_header());
    }
}
