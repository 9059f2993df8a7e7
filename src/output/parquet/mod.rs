//! Parquet files of a run: `households.parquet` (the rows and columns of households.csv, typed)
//! and `monthly_ledger.parquet` (the monthly ledger: household × arm × month).
//!
//! Both are streamed, one row group at a time (about [`ROW_GROUP_ROWS`] rows), so memory stays
//! bounded whatever the number of households. Money is `DECIMAL(18, 2)` stored as 64-bit
//! integer cents (exact; pyarrow reads it as `decimal128(18, 2)`); identifiers and counts are
//! 64- or 32-bit integers, flags booleans, names dictionary-encoded strings. Integer columns
//! are delta encoded; pages are compressed with zstd where it pays (`Compress`); min/max
//! statistics are kept for `household_id` only (a reader skips row groups by household).
//!
//! households.parquet's pages are encoded by `pages.rs` on the worker threads, one page per
//! column per chunk of households ([`HouseholdPrep`]), and spliced into column chunks here;
//! the monthly ledger goes through arrow-rs's column writer (`TableWriter`), encoded on a
//! thread of its own.
//!
//! Must not: simulate, compute statistics or choose file names (the caller opens the file).

use crate::error::{Error, Result};
use crate::model::money::Money;
use crate::model::outcome::{Outcome, YearMonths};
use crate::model::scenario::{Scenario, EMPLOYMENT_TYPES, HOUSEHOLD_TYPES};
use crate::rules::{Benefit, N_BENEFITS};
use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::column::writer::ColumnCloseResult;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::file::metadata::{ColumnChunkMetaData, KeyValue};
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};
use parquet::file::statistics::Statistics;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::ColumnPath;
use std::io::Write;
use std::sync::Arc;

mod pages;

/// Rows per row group: the most rows held in memory before they are written (about 30 MB for
/// households.parquet).
pub const ROW_GROUP_ROWS: usize = 1 << 17;

/// Rows per part: the unit in which rows are turned into columns (a part of
/// [`HouseholdsParquet::write`]'s rows per task on the worker threads) and handed to the
/// encoder. Parts start at multiples of `PART_ROWS` rows in the file and a row group is
/// `ROW_GROUP_ROWS / PART_ROWS` of them, so how the rows arrive (the batches, the thread count)
/// cannot change a byte. A part (about 400 KB of outcomes) is read from the core's cache.
const PART_ROWS: usize = 1024;

/// Values per call of the column writer's inner loop (its `write_batch_size`), after which it
/// decides whether a page is full. A part is a whole number of such calls, so writing a row
/// group part by part cuts its pages where writing it at once would.
const WRITE_BATCH: usize = 1024;

const _: () =
    assert!(ROW_GROUP_ROWS.is_multiple_of(PART_ROWS) && PART_ROWS.is_multiple_of(WRITE_BATCH));

/// The zstd level of every page: level 1 is several times faster than the default 3 and makes
/// the national households.parquet only a few percent larger.
const ZSTD_LEVEL: i32 = 1;

/// Which columns a table compresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Compress {
    /// Every column (the monthly ledger: a household's advance repeats month after month, so
    /// its deltas are mostly zero and compress many times).
    All,
    /// The columns zstd shrinks about 2.5× or more after encoding (measured per column at
    /// national scale, docs/outputs.md): `household_id`, the arm, employment and benefit-set
    /// names, and the reclaims, in-year reclaims and repayment plans that are zero for most
    /// households. The rest (the household type, advances, awards, back-payments, income, the
    /// reclaim before the threshold) shrinks 1.0–2.2×, not worth zstd's time.
    Sparse,
}

impl Compress {
    fn applies(self, name: &str, kind: Kind) -> bool {
        match self {
            Compress::All => true,
            Compress::Sparse => match kind {
                Kind::Text => name != "household_type",
                Kind::Int | Kind::Small => true,
                Kind::Flag | Kind::OptionalSmall => false,
                Kind::Money => {
                    name == "reclaim"
                        || name == "in_year_reclaim"
                        || name == "repayment_monthly"
                        || Benefit::ALL
                            .iter()
                            .any(|b| name == format!("reclaim_{}", b.name()))
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

/// Where a households.parquet column takes its cells from in an [`Outcome`]. Each field
/// fills its column in a loop of its own ([`Field::fill`]): no call through a pointer per cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    HouseholdId,
    Arm,
    HouseholdType,
    TookOffer,
    ChosenPercentage,
    Advances,
    DefinitiveAward,
    Reclaim,
    ReclaimBeforeThreshold,
    Backpay,
    Withheld,
    InYearReclaim,
    RepaymentMonthly,
    Income,
    /// `reclaim_<benefit>`: the benefit's index in [`Benefit::ALL`].
    ReclaimOf(usize),
    Recipient,
    BackpayCounted,
    NetSettlement,
    /// `backpay_<benefit>`.
    BackpayOf(usize),
    Employment,
    Receives,
}

/// Appends one cell per outcome.
fn fill<T>(v: &mut Vec<T>, rows: &[Outcome], cell: impl Fn(&Outcome) -> T) {
    v.extend(rows.iter().map(cell));
}

impl Field {
    /// Appends this field's cells of `rows` to its column's buffer.
    fn fill(self, buf: &mut Buf, cx: &Context, rows: &[Outcome]) -> Result<()> {
        use Field::*;
        match (self, buf) {
            (HouseholdId, Buf::Int(v)) => fill(v, rows, |o| o.household_id as i64),
            (Advances, Buf::Int(v)) => fill(v, rows, |o| o.advances.0),
            (DefinitiveAward, Buf::Int(v)) => fill(v, rows, |o| o.definitive.0),
            (Reclaim, Buf::Int(v)) => fill(v, rows, |o| o.reclaim.0),
            (ReclaimBeforeThreshold, Buf::Int(v)) => {
                fill(v, rows, |o| o.reclaim_before_threshold.0)
            }
            (Backpay, Buf::Int(v)) => fill(v, rows, |o| o.backpay.0),
            (Withheld, Buf::Int(v)) => fill(v, rows, |o| o.withheld.0),
            (InYearReclaim, Buf::Int(v)) => fill(v, rows, |o| o.in_year_reclaim.0),
            (RepaymentMonthly, Buf::Int(v)) => fill(v, rows, |o| o.repayment_monthly.0),
            (Income, Buf::Int(v)) => fill(v, rows, |o| o.income.0),
            (ReclaimOf(i), Buf::Int(v)) => fill(v, rows, |o| o.reclaim_by_benefit[i].0),
            (BackpayCounted, Buf::Int(v)) => fill(v, rows, |o| o.backpay_counted.0),
            (NetSettlement, Buf::Int(v)) => fill(v, rows, |o| o.net_settlement().0),
            (BackpayOf(i), Buf::Int(v)) => fill(v, rows, |o| o.backpay_by_benefit[i].0),
            (TookOffer, Buf::Flag(v)) => fill(v, rows, |o| o.took_offer),
            (Recipient, Buf::Flag(v)) => fill(v, rows, |o| o.recipient),
            // Names as indices into their column's names (`PrepColumn::dictionary`).
            (Arm, Buf::Codes(v)) => fill(v, rows, |o| o.arm as u64),
            (HouseholdType, Buf::Codes(v)) => fill(v, rows, |o| o.household_type as u64),
            (Employment, Buf::Codes(v)) => fill(v, rows, |o| o.employment as u64),
            (Receives, Buf::Codes(v)) => fill(v, rows, |o| {
                (o.receives as usize & ((1 << N_BENEFITS) - 1)) as u64
            }),
            (ChosenPercentage, Buf::OptionalSmall(v, d)) => {
                for o in rows {
                    match crate::output::report::chosen_percentage(cx.offers[o.arm], o) {
                        Some(p) => {
                            v.push(p as i32);
                            d.push(1);
                        }
                        None => d.push(0),
                    }
                }
            }
            _ => {
                return Err(Error::Internal(format!(
                    "Parquet: the field {self:?} is not of its column's kind"
                )))
            }
        }
        Ok(())
    }
}

/// The columns of households.parquet with their kinds and where their cells come from, in
/// households.csv's order ([`crate::output::report::csv_header`]).
fn household_fields() -> Vec<(String, Kind, Field)> {
    use Field::*;
    use Kind::{Flag, Int, Money, OptionalSmall, Text};
    let named = |n: &str, k: Kind, f: Field| (n.to_string(), k, f);
    let per_benefit = |prefix: &str, f: fn(usize) -> Field| {
        Benefit::ALL
            .iter()
            .enumerate()
            .map(|(i, b)| (format!("{prefix}_{}", b.name()), Money, f(i)))
            .collect::<Vec<_>>()
    };
    let mut c = vec![
        named("household_id", Int, HouseholdId),
        named("arm", Text, Arm),
        named("household_type", Text, HouseholdType),
        named("took_offer", Flag, TookOffer),
        named("chosen_percentage", OptionalSmall, ChosenPercentage),
        named("advances", Money, Advances),
        named("definitive_award", Money, DefinitiveAward),
        named("reclaim", Money, Reclaim),
        named("reclaim_before_threshold", Money, ReclaimBeforeThreshold),
        named("backpay", Money, Backpay),
        named("withheld", Money, Withheld),
        named("in_year_reclaim", Money, InYearReclaim),
        named("repayment_monthly", Money, RepaymentMonthly),
        named("income", Money, Income),
    ];
    c.extend(per_benefit("reclaim", ReclaimOf));
    c.push(named("recipient", Flag, Recipient));
    c.push(named("backpay_counted", Money, BackpayCounted));
    c.push(named("net_settlement", Money, NetSettlement));
    c.extend(per_benefit("backpay", BackpayOf));
    c.push(named("employment", Text, Employment));
    c.push(named("receives", Text, Receives));
    c
}

/// The columns of households.parquet, in households.csv's order
/// ([`crate::output::report::csv_header`]), with their kinds.
pub fn household_columns() -> Vec<(String, Kind)> {
    household_fields()
        .into_iter()
        .map(|(n, k, _)| (n, k))
        .collect()
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

/// One column's values in a part.
enum Buf {
    Int(Vec<i64>),
    Small(Vec<i32>),
    OptionalSmall(Vec<i32>, Vec<i16>),
    Flag(Vec<bool>),
    Text(Vec<ByteArray>),
    /// Names as indices into their column's names (households.parquet's dictionary pages).
    Codes(Vec<u64>),
}

impl Buf {
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
            Buf::Codes(v) => v.clear(),
        }
    }
}

/// A part of a table: up to [`PART_ROWS`] rows in typed column buffers, filled row by row
/// (the monthly ledger) or column by column ([`Columns::extract`], households.parquet).
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
    /// An empty part with room for [`PART_ROWS`] rows.
    fn new(kinds: &[Kind]) -> Columns {
        Columns {
            bufs: kinds
                .iter()
                .map(|k| Buf::with_capacity(*k, PART_ROWS))
                .collect(),
            rows: 0,
            next: 0,
            mismatch: None,
        }
    }

    /// Empties the part (its buffers keep their memory).
    fn clear(&mut self) {
        self.bufs.iter_mut().for_each(Buf::clear);
        self.rows = 0;
        self.next = 0;
        self.mismatch = None;
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

    fn text(&mut self, v: &'static [u8]) {
        let i = self.advance();
        match self.bufs.get_mut(i) {
            Some(Buf::Text(b)) => b.push(text(v)),
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
}

/// A Parquet file written row group by row group from parts. A full row group is encoded and
/// compressed on a thread of its own while the run goes on; its emptied parts come back to be
/// filled again, so at most three row groups are in memory and no part is allocated twice.
struct TableWriter<W: Write + Send + 'static> {
    kinds: Vec<Kind>,
    /// The full parts of the row group being filled.
    group: Vec<Columns>,
    /// The part being filled (fewer than [`PART_ROWS`] rows).
    open: Columns,
    /// Empty parts to fill.
    spare: Vec<Columns>,
    /// Full row groups to the encoder thread.
    to_encoder: Option<std::sync::mpsc::SyncSender<Vec<Columns>>>,
    /// Written (and emptied) parts back from it.
    returned: std::sync::mpsc::Receiver<Vec<Columns>>,
    encoder: Option<std::thread::JoinHandle<Result<W>>>,
}

/// Writes one row group from its parts (column by column, each column part by part) and empties
/// the parts.
fn write_group<W: Write + Send>(
    writer: &mut SerializedFileWriter<W>,
    parts: &mut [Columns],
) -> Result<()> {
    let e = |e| parquet_err("a Parquet row group", e);
    let mut rg = writer.next_row_group().map_err(e)?;
    let columns = parts.first().map_or(0, |p| p.bufs.len());
    for i in 0..columns {
        let mut col = rg
            .next_column()
            .map_err(e)?
            .ok_or_else(|| Error::Internal("Parquet: fewer columns than buffers".into()))?;
        for part in parts.iter() {
            match &part.bufs[i] {
                Buf::Int(v) => col.typed::<Int64Type>().write_batch(v, None, None),
                Buf::Small(v) => col.typed::<Int32Type>().write_batch(v, None, None),
                Buf::OptionalSmall(v, d) => col.typed::<Int32Type>().write_batch(v, Some(d), None),
                Buf::Flag(v) => col.typed::<BoolType>().write_batch(v, None, None),
                Buf::Text(v) => col.typed::<ByteArrayType>().write_batch(v, None, None),
                Buf::Codes(_) => {
                    return Err(Error::Internal(
                        "Parquet: a column of indices reached the arrow-rs writer".into(),
                    ))
                }
            }
            .map_err(e)?;
        }
        col.close().map_err(e)?;
    }
    rg.close().map_err(e)?;
    parts.iter_mut().for_each(Columns::clear);
    Ok(())
}

/// The schema of a table of `columns`.
fn schema(columns: &[(String, Kind)]) -> Result<parquet::schema::types::Type> {
    let mut text = String::from("message toeslagenlab {\n");
    for (name, kind) in columns {
        text.push_str(&kind.schema_line(name));
        text.push('\n');
    }
    text.push('}');
    parquet::schema::parser::parse_message_type(&text)
        .map_err(|e| parquet_err("the Parquet schema", e))
}

/// The writer properties every table shares (the monthly ledger sets its columns' on top).
fn properties(
    metadata: Vec<KeyValue>,
) -> Result<parquet::file::properties::WriterPropertiesBuilder> {
    Ok(WriterProperties::builder()
        .set_writer_version(WriterVersion::PARQUET_2_0)
        .set_created_by(format!("toeslagenlab {}", env!("CARGO_PKG_VERSION")))
        .set_compression(Compression::ZSTD(
            ZstdLevel::try_new(ZSTD_LEVEL).map_err(|e| parquet_err("zstd level", e))?,
        ))
        .set_statistics_enabled(EnabledStatistics::None)
        .set_dictionary_enabled(false)
        .set_write_batch_size(WRITE_BATCH)
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_key_value_metadata(Some(metadata)))
}

/// households.parquet's writer properties: its pages are encoded by [`pages`], so only the
/// file's own metadata matters.
fn file_properties(metadata: Vec<KeyValue>) -> Result<WriterProperties> {
    Ok(properties(metadata)?.build())
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
        let schema = schema(columns)?;
        let mut props = properties(metadata)?;
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
        let (to_encoder, groups) = std::sync::mpsc::sync_channel::<Vec<Columns>>(1);
        let (give_back, returned) = std::sync::mpsc::channel::<Vec<Columns>>();
        let encoder = std::thread::Builder::new()
            .name("parquet-encoder".into())
            .spawn(move || -> Result<W> {
                for mut parts in groups {
                    write_group(&mut writer, &mut parts)?;
                    // The writer side may be gone already (finished or failed): nothing to do.
                    let _ = give_back.send(parts);
                }
                writer
                    .into_inner()
                    .map_err(|e| parquet_err("the Parquet footer", e))
            })
            .map_err(|e| Error::Internal(format!("cannot start the Parquet encoder: {e}")))?;
        let kinds: Vec<Kind> = columns.iter().map(|(_, k)| *k).collect();
        Ok(TableWriter {
            open: Columns::new(&kinds),
            kinds,
            group: Vec::with_capacity(ROW_GROUP_ROWS / PART_ROWS),
            spare: Vec::new(),
            to_encoder: Some(to_encoder),
            returned,
            encoder: Some(encoder),
        })
    }

    /// An empty part: one the encoder gave back, or a new one.
    fn part(&mut self) -> Columns {
        while let Ok(parts) = self.returned.try_recv() {
            self.spare.extend(parts);
        }
        self.spare
            .pop()
            .unwrap_or_else(|| Columns::new(&self.kinds))
    }

    /// Adds a full part to the row group; writes the row group when it is full.
    fn push_full(&mut self, part: Columns) -> Result<()> {
        debug_assert_eq!(part.rows, PART_ROWS);
        self.group.push(part);
        if self.group.len() * PART_ROWS == ROW_GROUP_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    /// Moves the open part to the row group when it is full.
    fn close_open_if_full(&mut self) -> Result<()> {
        if self.open.rows == PART_ROWS {
            let fresh = self.part();
            let full = std::mem::replace(&mut self.open, fresh);
            self.push_full(full)?;
        }
        Ok(())
    }

    /// Ends a row pushed into [`TableWriter::open`].
    fn end_row(&mut self) -> Result<()> {
        self.open.end_row()?;
        self.close_open_if_full()
    }

    /// Hands the row group to the encoder thread and goes on with an empty one.
    fn flush(&mut self) -> Result<()> {
        if self.group.is_empty() {
            return Ok(());
        }
        let full = std::mem::replace(
            &mut self.group,
            Vec::with_capacity(ROW_GROUP_ROWS / PART_ROWS),
        );
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
        if self.open.rows > 0 {
            let last = std::mem::replace(&mut self.open, Columns::new(&[]));
            self.group.push(last);
        }
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

/// A name kept for the life of the process, so that each cell can point at it
/// ([`text`]) without counting references. Each distinct name is kept once, so memory is
/// bounded by the names scenarios can have (arms, household and employment types, sets of
/// benefits).
fn static_name(s: &str) -> &'static [u8] {
    use std::collections::BTreeSet;
    use std::sync::Mutex;
    static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    let kept: &'static str = match names.get(s) {
        Some(k) => k,
        None => {
            let k: &'static str = Box::leak(s.to_owned().into_boxed_str());
            names.insert(k);
            k
        }
    };
    kept.as_bytes()
}

/// A string cell pointing at a kept name: made without an allocation or a reference count
/// (cloning a shared buffer instead cost an atomic increment and decrement per cell).
fn text(name: &'static [u8]) -> ByteArray {
    ByteArray::from(bytes::Bytes::from_static(name))
}

/// The names written as strings, kept once ([`static_name`]).
struct Names {
    arms: Vec<&'static [u8]>,
    household_types: Vec<&'static [u8]>,
    employment: Vec<&'static [u8]>,
    /// Per bit set of received benefits, its `+`-joined names (households.csv's `receives`).
    receives: Vec<&'static [u8]>,
}

impl Names {
    fn new(sc: &Scenario) -> Names {
        Names {
            arms: sc.arms.iter().map(|a| static_name(&a.name)).collect(),
            household_types: HOUSEHOLD_TYPES.iter().map(|s| static_name(s)).collect(),
            employment: EMPLOYMENT_TYPES.iter().map(|s| static_name(s)).collect(),
            receives: (0..1u16 << N_BENEFITS)
                .map(|bits| static_name(&crate::output::report::receives_cell(bits as u8)))
                .collect(),
        }
    }
}

/// What a households.parquet cell may need besides its outcome.
struct Context {
    /// Per arm: whether it offers a percentage (else `chosen_percentage` is missing).
    offers: Vec<bool>,
}

/// A households.parquet column as the workers encode it.
struct PrepColumn {
    field: Field,
    kind: Kind,
    /// Whether its pages are zstd frames ([`Compress::Sparse`]).
    compressed: bool,
    /// A string column: the names its dictionary holds (every name it can have).
    dictionary: Vec<&'static [u8]>,
}

/// Turns a run's rows into households.parquet's pages ([`HouseholdPrep::prepare`]) on the
/// worker threads that simulated them, while the rows are still in the core's cache. Shared
/// by the workers (`Sync`); made by [`HouseholdsParquet::prep`].
pub struct HouseholdPrep {
    columns: Vec<PrepColumn>,
    cx: Context,
}

/// Consecutive rows of households.parquet encoded: one data page per column. Made by
/// [`HouseholdPrep::prepare`], written by [`HouseholdsParquet::write_piece`].
pub struct HouseholdPiece {
    rows: usize,
    /// Per column: its page (header and body).
    pages: Vec<Vec<u8>>,
    /// Per column: the page's size before compression (header included).
    uncompressed: Vec<usize>,
    /// The least and greatest `household_id` (the file keeps them per row group).
    ids: Option<(i64, i64)>,
}

/// The file a shard of a run keeps its households.parquet pieces in (`run --shard
/// --households-parquet`), for `merge` to splice into the one file in household order.
pub const PIECES_FILE: &str = "households.pieces";

/// What [`PIECES_FILE`] starts with (its format's name and version).
const PIECES_MAGIC: &[u8] = b"toeslagenlab-pieces 1\n";

/// Largest page read back from [`PIECES_FILE`]: far above a page of one chunk's rows.
const MAX_PIECE_PAGE: u64 = 1 << 30;

/// The pieces of one shard of a run, in household order, as `merge` reads them back
/// ([`HouseholdsParquet::write_pieces_from`]).
pub struct PieceFile<W: Write> {
    w: W,
    prep: Arc<HouseholdPrep>,
}

impl<W: Write> PieceFile<W> {
    /// Starts the file for `sc` on `w`.
    pub fn new(mut w: W, sc: &Scenario) -> std::io::Result<Self> {
        w.write_all(PIECES_MAGIC)?;
        Ok(PieceFile {
            w,
            prep: Arc::new(HouseholdPrep::new(sc)),
        })
    }

    /// What encodes rows into the pieces on the workers.
    pub fn prep(&self) -> Arc<HouseholdPrep> {
        self.prep.clone()
    }

    /// Appends a piece: its rows, then per column the page's length, its size before
    /// compression and its bytes, then the least and greatest household id (little-endian
    /// integers).
    pub fn write_piece(&mut self, p: &HouseholdPiece) -> std::io::Result<()> {
        let w = &mut self.w;
        w.write_all(&(p.rows as u64).to_le_bytes())?;
        w.write_all(&(p.pages.len() as u64).to_le_bytes())?;
        for (page, unc) in p.pages.iter().zip(&p.uncompressed) {
            w.write_all(&(page.len() as u64).to_le_bytes())?;
            w.write_all(&(*unc as u64).to_le_bytes())?;
            w.write_all(page)?;
        }
        match p.ids {
            Some((a, b)) => {
                w.write_all(&[1])?;
                w.write_all(&a.to_le_bytes())?;
                w.write_all(&b.to_le_bytes())
            }
            None => w.write_all(&[0]),
        }
    }

    /// The inner writer, to flush.
    pub fn into_inner(self) -> W {
        self.w
    }
}

/// Reads a little-endian u64; `None` at a clean end of the input when `eof_ok`.
fn read_u64(r: &mut impl std::io::Read, eof_ok: bool) -> std::io::Result<Option<u64>> {
    let mut b = [0u8; 8];
    let mut got = 0;
    while got < 8 {
        let n = r.read(&mut b[got..])?;
        if n == 0 {
            if got == 0 && eof_ok {
                return Ok(None);
            }
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the file ends inside a piece",
            ));
        }
        got += n;
    }
    Ok(Some(u64::from_le_bytes(b)))
}

/// A worker's means to encode pieces, kept across chunks: its zstd context and a buffer per
/// column (so no piece allocates its cells afresh).
struct Scratch {
    zstd: pages::Zstd,
    bufs: Vec<Buf>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Option<Scratch>> = const { std::cell::RefCell::new(None) };
}

/// Rows turned into columns at a time: their outcomes (about 20 KB) stay in the core's first
/// cache while every column takes its cells, instead of each column reading every row anew.
const GATHER_ROWS: usize = 64;

fn zstd_err(e: std::io::Error) -> Error {
    Error::Internal(format!("compressing a Parquet page: {e}"))
}

impl HouseholdPrep {
    fn new(sc: &Scenario) -> HouseholdPrep {
        let names = Names::new(sc);
        let columns = household_fields()
            .into_iter()
            .map(|(name, kind, field)| PrepColumn {
                field,
                kind,
                compressed: Compress::Sparse.applies(&name, kind),
                dictionary: match field {
                    Field::Arm => names.arms.clone(),
                    Field::HouseholdType => names.household_types.clone(),
                    Field::Employment => names.employment.clone(),
                    Field::Receives => names.receives.clone(),
                    _ => Vec::new(),
                },
            })
            .collect();
        HouseholdPrep {
            columns,
            cx: Context {
                offers: sc.arms.iter().map(|a| a.policy.offers()).collect(),
            },
        }
    }

    /// The pages of `rows` (outcomes in household order, as the run hands them over): the
    /// next rows of the file.
    pub fn prepare(&self, rows: &[Outcome]) -> Result<HouseholdPiece> {
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            if s.as_ref()
                .is_none_or(|s| s.bufs.len() != self.columns.len())
            {
                *s = Some(Scratch {
                    zstd: pages::Zstd::new(ZSTD_LEVEL).map_err(zstd_err)?,
                    bufs: self
                        .columns
                        .iter()
                        .map(|c| match c.kind {
                            Kind::Text => Buf::Codes(Vec::new()),
                            k => Buf::with_capacity(k, 0),
                        })
                        .collect(),
                });
            }
            let s = s
                .as_mut()
                .ok_or_else(|| Error::Internal("no scratch".into()))?;
            self.encode(rows, s)
        })
    }

    fn encode(&self, rows: &[Outcome], s: &mut Scratch) -> Result<HouseholdPiece> {
        let n = rows.len();
        let mut piece = HouseholdPiece {
            rows: n,
            pages: Vec::with_capacity(self.columns.len()),
            uncompressed: Vec::with_capacity(self.columns.len()),
            ids: None,
        };
        s.bufs.iter_mut().for_each(Buf::clear);
        for block in rows.chunks(GATHER_ROWS) {
            for (buf, col) in s.bufs.iter_mut().zip(&self.columns) {
                col.field.fill(buf, &self.cx, block)?;
            }
        }
        let z = &mut s.zstd;
        let mut values: Vec<u8> = Vec::with_capacity(n * 4);
        let mut scratch: Vec<u64> = Vec::new();
        for (col, buf) in self.columns.iter().zip(&s.bufs) {
            values.clear();
            let mut levels = Vec::new();
            let mut nulls = 0;
            let encoding = match buf {
                Buf::Int(v) => {
                    if col.field == Field::HouseholdId {
                        piece.ids = v.iter().min().zip(v.iter().max()).map(|(a, b)| (*a, *b));
                    }
                    pages::delta(&mut values, v);
                    pages::DELTA_BINARY_PACKED
                }
                Buf::OptionalSmall(v, d) => {
                    nulls = n - v.len();
                    scratch.clear();
                    scratch.extend(d.iter().map(|&x| x as u64));
                    pages::hybrid(&mut levels, &scratch, 1);
                    let v: Vec<i64> = v.iter().map(|&x| i64::from(x)).collect();
                    pages::delta(&mut values, &v);
                    pages::DELTA_BINARY_PACKED
                }
                Buf::Flag(v) => {
                    pages::booleans(&mut values, v);
                    pages::PLAIN
                }
                Buf::Codes(codes) => {
                    let len = col.dictionary.len();
                    if codes.iter().any(|&c| c as usize >= len) {
                        return Err(Error::Internal(format!(
                            "Parquet: a {:?} outside its {len} names",
                            col.field
                        )));
                    }
                    pages::dictionary_indices(&mut values, codes, pages::index_width(len));
                    pages::RLE_DICTIONARY
                }
                Buf::Small(_) | Buf::Text(_) => {
                    return Err(Error::Internal(format!(
                        "Parquet: households.parquet's {:?} has no page encoding",
                        col.field
                    )))
                }
            };
            let body;
            let body_ref = if col.compressed {
                body = z.compress(&values).map_err(zstd_err)?;
                &body[..]
            } else {
                &values[..]
            };
            let mut page = Vec::with_capacity(body_ref.len() + levels.len() + 32);
            let unc = pages::data_page(
                &mut page,
                &pages::DataPage {
                    rows: n,
                    nulls,
                    encoding,
                    def_len: levels.len(),
                    compressed: col.compressed,
                },
                &levels,
                body_ref,
                values.len(),
            );
            piece.pages.push(page);
            piece.uncompressed.push(unc);
        }
        Ok(piece)
    }
}

/// households.parquet, streamed: [`HouseholdsParquet::write_piece`] the pieces the workers
/// encoded (or [`HouseholdsParquet::write`] rows), then [`HouseholdsParquet::finish`]. A row
/// group closes after the piece that brings it to [`ROW_GROUP_ROWS`] rows; each column chunk
/// is the column's dictionary page (strings) and the pieces' pages, spliced as they are.
pub struct HouseholdsParquet<W: Write + Send + 'static> {
    writer: SerializedFileWriter<W>,
    prep: Arc<HouseholdPrep>,
    descr: Vec<parquet::schema::types::ColumnDescPtr>,
    /// Per string column: its dictionary page and that page's uncompressed size.
    dictionaries: Vec<Option<(Vec<u8>, usize)>>,
    group: Vec<HouseholdPiece>,
    group_rows: usize,
    /// [`HouseholdsParquet::write`]: rows short of a whole piece.
    pending: Vec<Outcome>,
}

/// Rows per piece when [`HouseholdsParquet::write`] is handed rows (a `run` hands over
/// pieces of one chunk of households each: [`crate::sim::engine::RunOptions::fixed_chunks`]).
const PIECE_ROWS: usize = 8192;

/// Households per chunk of a `run` that writes households.parquet, and so per page (their rows
/// in every arm): the runner's usual chunk. Smaller chunks (1,024) kept the outcomes in the
/// core's cache but doubled zstd's time, which builds its tables anew for every page.
pub const HOUSEHOLDS_PER_PAGE: usize = 4096;

impl<W: Write + Send + 'static> HouseholdsParquet<W> {
    /// Starts households.parquet for `sc` on `w`.
    pub fn new(w: W, sc: &Scenario) -> Result<Self> {
        let columns = household_columns();
        let schema = Arc::new(schema(&columns)?);
        let props = file_properties(metadata(sc, "households"))?;
        let writer = SerializedFileWriter::new(w, schema.clone(), Arc::new(props))
            .map_err(|e| parquet_err("the Parquet header", e))?;
        let descr: Vec<_> = (0..columns.len())
            .map(|i| writer.schema_descr().column(i))
            .collect();
        let prep = Arc::new(HouseholdPrep::new(sc));
        let mut z = pages::Zstd::new(ZSTD_LEVEL).map_err(zstd_err)?;
        let dictionaries = prep
            .columns
            .iter()
            .map(|c| -> Result<Option<(Vec<u8>, usize)>> {
                if c.kind != Kind::Text {
                    return Ok(None);
                }
                let mut page = Vec::new();
                let unc = pages::dictionary_page(
                    &mut page,
                    &c.dictionary,
                    c.compressed.then_some(&mut z),
                )
                .map_err(zstd_err)?;
                Ok(Some((page, unc)))
            })
            .collect::<Result<_>>()?;
        Ok(HouseholdsParquet {
            writer,
            prep,
            descr,
            dictionaries,
            group: Vec::new(),
            group_rows: 0,
            pending: Vec::new(),
        })
    }

    /// What encodes rows into this file's pieces on the workers.
    pub fn prep(&self) -> Arc<HouseholdPrep> {
        self.prep.clone()
    }

    /// Appends every piece of a [`PieceFile`] read from `r` (a shard's, in household order);
    /// returns the rows. A file that is not one, or is cut short, is an error naming `what`.
    pub fn write_pieces_from(&mut self, r: &mut impl std::io::Read, what: &str) -> Result<u64> {
        let bad = |m: String| Error::Usage(format!("{what}: {m}; the part is damaged"));
        let io = |e: std::io::Error| bad(e.to_string());
        let mut magic = vec![0u8; PIECES_MAGIC.len()];
        r.read_exact(&mut magic).map_err(io)?;
        if magic != PIECES_MAGIC {
            return Err(bad("not a file of households.parquet pieces".into()));
        }
        let columns = self.prep.columns.len();
        let mut rows = 0u64;
        while let Some(n) = read_u64(r, true).map_err(io)? {
            let k = read_u64(r, false).map_err(io)?.unwrap_or(0);
            if k != columns as u64 || n > MAX_PIECE_PAGE {
                return Err(bad(format!(
                    "a piece of {n} rows in {k} columns, where the file has {columns}"
                )));
            }
            let mut pages = Vec::with_capacity(columns);
            let mut uncompressed = Vec::with_capacity(columns);
            for _ in 0..columns {
                let len = read_u64(r, false).map_err(io)?.unwrap_or(0);
                let unc = read_u64(r, false).map_err(io)?.unwrap_or(0);
                if len > MAX_PIECE_PAGE || unc > MAX_PIECE_PAGE {
                    return Err(bad(format!("a page of {len} bytes")));
                }
                let mut page = vec![0u8; len as usize];
                r.read_exact(&mut page).map_err(io)?;
                pages.push(page);
                uncompressed.push(unc as usize);
            }
            let mut flag = [0u8; 1];
            r.read_exact(&mut flag).map_err(io)?;
            let ids = match flag[0] {
                0 => None,
                1 => {
                    let a = read_u64(r, false).map_err(io)?.unwrap_or(0) as i64;
                    let b = read_u64(r, false).map_err(io)?.unwrap_or(0) as i64;
                    Some((a, b))
                }
                f => return Err(bad(format!("a piece's id flag is {f}"))),
            };
            rows += n;
            self.write_piece(HouseholdPiece {
                rows: n as usize,
                pages,
                uncompressed,
                ids,
            })?;
        }
        Ok(rows)
    }

    /// Appends a piece (the next rows of the file). Pages are cut where the pieces are, so the
    /// pieces must not depend on the thread count (a `run`'s chunks do not).
    pub fn write_piece(&mut self, piece: HouseholdPiece) -> Result<()> {
        if piece.rows == 0 {
            return Ok(());
        }
        self.group_rows += piece.rows;
        self.group.push(piece);
        if self.group_rows >= ROW_GROUP_ROWS {
            self.write_group()?;
        }
        Ok(())
    }

    /// Appends outcomes (households.csv's rows, the same cells typed), encoded in pieces of
    /// 8,192 rows at fixed rows of the file (so how the rows arrive cannot change a
    /// byte), in parallel on the current rayon pool.
    pub fn write(&mut self, mut rows: &[Outcome]) -> Result<()> {
        use rayon::prelude::*;
        if !self.pending.is_empty() {
            let k = rows.len().min(PIECE_ROWS - self.pending.len());
            self.pending.extend_from_slice(&rows[..k]);
            rows = &rows[k..];
            if self.pending.len() == PIECE_ROWS {
                let piece = self.prep.prepare(&self.pending)?;
                self.pending.clear();
                self.write_piece(piece)?;
            }
        }
        let whole = rows.len() / PIECE_ROWS * PIECE_ROWS;
        let prep = &self.prep;
        let pieces: Vec<HouseholdPiece> = rows[..whole]
            .par_chunks(PIECE_ROWS)
            .map(|r| prep.prepare(r))
            .collect::<Result<_>>()?;
        for p in pieces {
            self.write_piece(p)?;
        }
        self.pending.extend_from_slice(&rows[whole..]);
        Ok(())
    }

    /// Writes the row group's column chunks: per column its dictionary page and the pieces'
    /// pages, with the chunk's metadata.
    fn write_group(&mut self) -> Result<()> {
        if self.group.is_empty() {
            return Ok(());
        }
        let e = |e| parquet_err("a Parquet row group", e);
        let rows = self.group_rows as i64;
        let mut rg = self.writer.next_row_group().map_err(e)?;
        for (i, col) in self.prep.columns.iter().enumerate() {
            let mut chunk = Vec::new();
            let mut uncompressed = 0;
            let dictionary_offset = self.dictionaries[i].as_ref().map(|(page, unc)| {
                chunk.extend_from_slice(page);
                uncompressed += unc;
                0
            });
            let data_offset = chunk.len() as i64;
            for p in &self.group {
                chunk.extend_from_slice(&p.pages[i]);
                uncompressed += p.uncompressed[i];
            }
            let encodings = match col.kind {
                Kind::Text => vec![Encoding::PLAIN, Encoding::RLE_DICTIONARY],
                Kind::Flag => vec![Encoding::PLAIN],
                Kind::OptionalSmall => vec![Encoding::RLE, Encoding::DELTA_BINARY_PACKED],
                _ => vec![Encoding::DELTA_BINARY_PACKED],
            };
            let compression = if col.compressed {
                Compression::ZSTD(ZstdLevel::try_new(ZSTD_LEVEL).map_err(e)?)
            } else {
                Compression::UNCOMPRESSED
            };
            let mut meta = ColumnChunkMetaData::builder(self.descr[i].clone())
                .set_compression(compression)
                .set_encodings(encodings)
                .set_num_values(rows)
                .set_total_compressed_size(chunk.len() as i64)
                .set_total_uncompressed_size(uncompressed as i64)
                .set_data_page_offset(data_offset)
                .set_dictionary_page_offset(dictionary_offset);
            if col.field == Field::HouseholdId {
                let min = self.group.iter().filter_map(|p| p.ids).map(|x| x.0).min();
                let max = self.group.iter().filter_map(|p| p.ids).map(|x| x.1).max();
                meta = meta.set_statistics(Statistics::int64(min, max, None, Some(0), false));
            }
            let close = ColumnCloseResult {
                bytes_written: chunk.len() as u64,
                rows_written: rows as u64,
                metadata: meta.build().map_err(e)?,
                bloom_filter: None,
                column_index: None,
                offset_index: None,
            };
            rg.append_column(&bytes::Bytes::from(chunk), close)
                .map_err(e)?;
        }
        rg.close().map_err(e)?;
        self.group.clear();
        self.group_rows = 0;
        Ok(())
    }

    /// Writes the last rows and the footer; returns the inner writer (to flush and sync).
    pub fn finish(mut self) -> Result<W> {
        if !self.pending.is_empty() {
            let piece = self.prep.prepare(&self.pending)?;
            self.pending.clear();
            self.write_piece(piece)?;
        }
        self.write_group()?;
        self.writer
            .into_inner()
            .map_err(|e| parquet_err("the Parquet footer", e))
    }
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
                let c = &mut t.open;
                c.int(o.household_id as i64);
                c.text(self.names.arms[o.arm]);
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

    /// A paired run's rows for `n` households in two arms, with cells that vary.
    fn outcomes(n: u64) -> Vec<Outcome> {
        (0..n * 2)
            .map(|i| Outcome {
                household_id: i / 2,
                arm: (i % 2) as usize,
                household_type: (i % 3) as u8,
                took_offer: i % 5 == 0,
                advances: Money((i as i64 * 7919) % 300_000),
                reclaim: Money(if i % 11 == 0 { i as i64 } else { 0 }),
                receives: (i % 4) as u8,
                ..Outcome::default()
            })
            .collect()
    }

    fn households_file(rows: &[Outcome], batches: &[usize]) -> Vec<u8> {
        let sc = crate::scenario::parse_str(
            std::path::Path::new("t.toml"),
            "[experiment]\nname = \"t\"\nyear = 2026\nhouseholds = 10\n\n[[arms]]\nname = \"control\"\nadvance = { policy = \"standard\" }\n\n[[arms]]\nname = \"cautious\"\nadvance = { policy = \"cautious\", fraction = 0.8 }\n",
            "sha".into(),
        )
        .unwrap();
        let mut w = HouseholdsParquet::new(Vec::new(), &sc).unwrap();
        let mut rest = rows;
        for &b in batches.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let k = b.min(rest.len());
            w.write(&rest[..k]).unwrap();
            rest = &rest[k..];
        }
        w.finish().unwrap()
    }

    #[test]
    fn the_bytes_do_not_depend_on_how_the_rows_arrive() {
        // Two row groups and a part left open, handed over at once, in odd batches that
        // straddle parts and row groups, and in whole parts.
        let rows = outcomes((ROW_GROUP_ROWS as u64 + 3 * PART_ROWS as u64) / 2 + 77);
        let at_once = households_file(&rows, &[usize::MAX]);
        assert_eq!(
            at_once,
            households_file(&rows, &[1, 1023, 5000, 7, 130_000])
        );
        assert_eq!(at_once, households_file(&rows, &[PART_ROWS]));
        let reader =
            parquet::file::reader::SerializedFileReader::new(bytes::Bytes::from(at_once)).unwrap();
        use parquet::file::reader::FileReader;
        let meta = reader.metadata();
        assert_eq!(meta.file_metadata().num_rows(), rows.len() as i64);
        assert_eq!(meta.num_row_groups(), 2);
        assert_eq!(meta.row_group(0).num_rows(), ROW_GROUP_ROWS as i64);
    }

    /// Every value of column `i` of households.parquet, read back with arrow-rs's reader
    /// (integers and flags as `i64`, strings as text, a missing value as `None`).
    fn read_column(file: &[u8], i: usize) -> Vec<Option<String>> {
        use parquet::column::reader::ColumnReader;
        use parquet::file::reader::FileReader;
        let reader =
            parquet::file::reader::SerializedFileReader::new(bytes::Bytes::from(file.to_vec()))
                .unwrap();
        let mut out = Vec::new();
        for g in 0..reader.num_row_groups() {
            let rg = reader.get_row_group(g).unwrap();
            let n = rg.metadata().num_rows() as usize;
            let mut defs = Vec::new();
            macro_rules! read {
                ($r:expr, $v:expr, $show:expr) => {{
                    let (records, _, _) =
                        $r.read_records(n, Some(&mut defs), None, &mut $v).unwrap();
                    assert_eq!(records, n, "column {i}, row group {g}");
                    let mut vals = $v.iter();
                    for k in 0..n {
                        let present = defs.get(k).is_none_or(|&d| d == 1);
                        out.push(present.then(|| $show(vals.next().unwrap())));
                    }
                }};
            }
            match rg.get_column_reader(i).unwrap() {
                ColumnReader::Int64ColumnReader(mut r) => {
                    let mut v: Vec<i64> = Vec::new();
                    read!(r, v, |x: &i64| x.to_string())
                }
                ColumnReader::Int32ColumnReader(mut r) => {
                    let mut v: Vec<i32> = Vec::new();
                    read!(r, v, |x: &i32| x.to_string())
                }
                ColumnReader::BoolColumnReader(mut r) => {
                    let mut v: Vec<bool> = Vec::new();
                    read!(r, v, |x: &bool| (*x as i64).to_string())
                }
                ColumnReader::ByteArrayColumnReader(mut r) => {
                    let mut v: Vec<ByteArray> = Vec::new();
                    read!(r, v, |x: &ByteArray| x.as_utf8().unwrap().to_string())
                }
                _ => panic!("column {i}: an unexpected type"),
            }
        }
        out
    }

    #[test]
    fn households_parquet_reads_back_every_cell() {
        let sc = crate::scenario::parse_str(
            std::path::Path::new("t.toml"),
            "[experiment]\nname = \"t\"\nyear = 2026\nhouseholds = 10\n\n[[arms]]\nname = \"control\"\nadvance = { policy = \"standard\" }\n\n[[arms]]\nname = \"cautious\"\nadvance = { policy = \"cautious\", fraction = 0.8 }\n\n[[arms]]\nname = \"adjustable\"\nadvance = { policy = \"adjustable\" }\n",
            "sha".into(),
        )
        .unwrap();
        // Amounts of every size and sign (widths 0 to 64 bits in the delta encoding), runs of
        // zeros, every name of every string column, flags, missing percentages.
        let n = 3 * 9_000u64;
        let rows: Vec<Outcome> = (0..n)
            .map(|i| {
                let x = (i as i64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15_u64 as i64);
                let wide = if i % 997 == 0 { x } else { x >> (i % 64) };
                Outcome {
                    household_id: i / 3,
                    arm: (i % 3) as usize,
                    household_type: (i % HOUSEHOLD_TYPES.len() as u64) as u8,
                    employment: (i % EMPLOYMENT_TYPES.len() as u64) as u8,
                    receives: (i % 16) as u8,
                    took_offer: i % 5 == 0,
                    recipient: i % 7 != 0,
                    percentage: crate::model::money::Rate::percent((i % 101) as i64),
                    advances: Money(wide),
                    definitive: Money(-(i as i64) * 1_234),
                    reclaim: Money(if i % 211 == 0 { i as i64 * 31 } else { 0 }),
                    income: Money(i64::MAX - i as i64),
                    ..Outcome::default()
                }
            })
            .collect();
        let mut w = HouseholdsParquet::new(Vec::new(), &sc).unwrap();
        // Pieces of a run's sizes, then rows: both paths in one file.
        let prep = w.prep();
        let (pieces, rest) = rows.split_at(3 * 3 * 1024);
        for p in pieces.chunks(3 * 1024) {
            w.write_piece(prep.prepare(p).unwrap()).unwrap();
        }
        w.write(rest).unwrap();
        let file = w.finish().unwrap();
        let names = Names::new(&sc);
        let offers: Vec<bool> = sc.arms.iter().map(|a| a.policy.offers()).collect();
        for (i, (name, _, field)) in household_fields().into_iter().enumerate() {
            let got = read_column(&file, i);
            assert_eq!(got.len(), rows.len(), "{name}");
            for (k, o) in rows.iter().enumerate() {
                let text =
                    |v: &[&'static [u8]], c: usize| Some(String::from_utf8(v[c].to_vec()).unwrap());
                let want = match field {
                    Field::HouseholdId => Some(o.household_id.to_string()),
                    Field::Arm => text(&names.arms, o.arm),
                    Field::HouseholdType => text(&names.household_types, o.household_type as usize),
                    Field::Employment => text(&names.employment, o.employment as usize),
                    Field::Receives => text(&names.receives, o.receives as usize),
                    Field::TookOffer => Some((o.took_offer as i64).to_string()),
                    Field::Recipient => Some((o.recipient as i64).to_string()),
                    Field::ChosenPercentage => {
                        crate::output::report::chosen_percentage(offers[o.arm], o)
                            .map(|p| p.to_string())
                    }
                    Field::Advances => Some(o.advances.0.to_string()),
                    Field::DefinitiveAward => Some(o.definitive.0.to_string()),
                    Field::Reclaim => Some(o.reclaim.0.to_string()),
                    Field::Income => Some(o.income.0.to_string()),
                    Field::NetSettlement => Some(o.net_settlement().0.to_string()),
                    _ => got[k].clone(),
                };
                assert_eq!(got[k], want, "{name}, row {k}");
            }
        }
        // household_id's statistics bound each row group.
        use parquet::file::reader::FileReader;
        let reader =
            parquet::file::reader::SerializedFileReader::new(bytes::Bytes::from(file)).unwrap();
        let stats = reader
            .metadata()
            .row_group(0)
            .column(0)
            .statistics()
            .cloned();
        match stats {
            Some(parquet::file::statistics::Statistics::Int64(s)) => {
                assert_eq!(s.min_opt(), Some(&0));
                assert!(s.max_opt().is_some_and(|&m| m > 0));
            }
            other => panic!("household_id statistics: {other:?}"),
        }
    }

    #[test]
    fn a_row_that_misses_a_column_is_refused() {
        let mut c = Columns::new(&[Kind::Int, Kind::Small]);
        c.int(1);
        assert!(c.end_row().is_err());
        let mut c = Columns::new(&[Kind::Int, Kind::Small]);
        c.int(1);
        c.int(2);
        assert!(c.end_row().is_err(), "a value in a column of another kind");
    }

    #[test]
    fn household_columns_are_the_csv_header() {
        let names: Vec<String> = household_columns().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, crate::output::report::csv_header());
    }
}
