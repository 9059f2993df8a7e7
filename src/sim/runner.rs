//! The parallel runner: streams households through [`Year::compute`] and every arm's payment
//! loop into a [`Tally`] (implemented by `analysis`), in exact, order-free merges so a result
//! cannot depend on the thread count or the chunking; the worker pool; the randomized
//! design's assignment draw.
//!
//! Must not: do I/O, format output or compute statistics (it only calls [`Tally`]).

use crate::error::{Error, Result};
use crate::model::money::Money;
use crate::model::outcome::{Outcome, Year, YearMonths};
use crate::model::scenario::{Design, Scenario};
use crate::sim::pay::{arm_outcome_into, simulate_arm_into};
use crate::sim::population::generate;
use crate::sim::random::{stream, weighted_index, Purpose};
use rayon::prelude::*;

/// Most worker threads a command starts (`--threads`): far more than any machine this runs on
/// has cores (results do not depend on it), few enough that starting them cannot exhaust the
/// system.
pub const MAX_THREADS: usize = 256;

/// The rayon pool for `threads` workers: `None` when the current pool already has that many,
/// or when `threads` is 0 (the current pool: by default the global one, a thread per core).
/// Runs inside one pool (a `run`, a sweep, repeated bench runs) so share its threads instead of
/// starting and stopping their own, whose idle spinning would compete with the next step.
pub fn worker_pool(threads: usize) -> Result<Option<rayon::ThreadPool>> {
    if threads > MAX_THREADS {
        return Err(Error::Usage(format!(
            "--threads: found {threads}; at most {MAX_THREADS} (0 = one per core)"
        )));
    }
    if threads == 0 || threads == rayon::current_num_threads() {
        return Ok(None);
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map(Some)
        .map_err(|e| Error::Internal(format!("cannot start worker threads: {e}")))
}

/// Runs `f` on `pool`, or on the current pool when `pool` is `None` (see [`worker_pool`]).
pub fn install<T: Send>(pool: &Option<rayon::ThreadPool>, f: impl FnOnce() -> T + Send) -> T {
    match pool {
        Some(p) => p.install(f),
        None => f(),
    }
}

/// Options of a run that are not part of the scenario.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Worker threads (0 = all cores).
    pub threads: usize,
    /// Collect per-household rows (for households.csv and households.parquet).
    pub household_rows: bool,
    /// With `household_rows`: also each household's year month by month (the monthly ledger).
    pub monthly_rows: bool,
    /// Households per work unit.
    pub chunk_size: usize,
    /// Chunks of exactly `chunk_size` households whatever the thread count (by default small
    /// runs get smaller chunks so every core has work): for output made per chunk, such as
    /// households.parquet's pages, which must not depend on the thread count.
    pub fixed_chunks: bool,
    /// The household ids to simulate (`run --shard`: one shard's range of `0..households`);
    /// `None` simulates every household. Progress then counts the range's households.
    pub ids: Option<std::ops::Range<u64>>,
}

impl RunOptions {
    /// The ids of the households this run simulates, out of `households` in the scenario.
    pub fn id_range(&self, households: u64) -> std::ops::Range<u64> {
        match &self.ids {
            Some(r) => r.start.min(households)..r.end.min(households),
            None => 0..households,
        }
    }
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            threads: 0,
            household_rows: false,
            monthly_rows: false,
            chunk_size: 4096,
            fixed_chunks: false,
            ids: None,
        }
    }
}

/// What a run accumulates over households: `analysis` implements it (per-arm and paired
/// statistics); the runner only calls it. Merging must be exact and order-free, so a result
/// cannot depend on the thread count or the chunking.
pub trait Tally: Send + Sized {
    /// An empty tally for the scenario.
    fn empty(sc: &Scenario) -> Self;
    /// One household's outcome in arm `arm`, with its year.
    fn add(&mut self, arm: usize, o: &Outcome, year: &Year, thresholds: &[Money]);
    /// Paired design: the household's outcome in treatment arm `arm` (1..) next to its control
    /// outcome.
    fn add_pair(&mut self, arm: usize, control: &Outcome, o: &Outcome, thresholds: &[Money]);
    /// Paired design with two or more treatment arms: the household's outcomes in treatment
    /// arms `a < b` (both 1..). Nothing by default.
    fn add_between(
        &mut self,
        _a: usize,
        _b: usize,
        _oa: &Outcome,
        _ob: &Outcome,
        _thresholds: &[Money],
    ) {
    }
    /// Adds another tally (exactly).
    fn merge(&mut self, other: &Self);
    /// Called once when every household is in.
    fn finish(&mut self);
}

/// One chunk's rows: its index, the outcomes per household and arm, and (when asked for) each
/// household's months.
type ChunkRows = (u64, Vec<Outcome>, Vec<YearMonths>);

/// A chunk as the row writer receives it: its index, its rows (empty when the writer only
/// needs the piece) and the piece the worker made of them ([`run_prepared`]).
type PreparedChunk<P> = (u64, Vec<Outcome>, Vec<YearMonths>, P);

/// Row vectors of written batches, reused by the next chunks: a batch's rows are tens of
/// megabytes, and allocating them afresh each time cost more in page faults than the copying.
#[derive(Default)]
struct RowBuffers(std::sync::Mutex<Vec<(Vec<Outcome>, Vec<YearMonths>)>>);

impl RowBuffers {
    /// Empty vectors with room for `rows` outcomes.
    fn take(&self, rows: usize) -> (Vec<Outcome>, Vec<YearMonths>) {
        let (mut r, m) = self
            .0
            .lock()
            .ok()
            .and_then(|mut v| v.pop())
            .unwrap_or_default();
        r.reserve(rows);
        (r, m)
    }

    /// Gives written vectors back (emptied).
    fn give(&self, mut r: Vec<Outcome>, mut m: Vec<YearMonths>) {
        if r.capacity() == 0 && m.capacity() == 0 {
            return;
        }
        r.clear();
        m.clear();
        if let Ok(mut v) = self.0.lock() {
            v.push((r, m));
        }
    }
}

fn assigned_arm(sc: &Scenario, id: u64, shares: &[f64]) -> usize {
    let mut rng = stream(sc.seed, id, Purpose::Assignment);
    weighted_index(shares, &mut rng)
}

/// One household's outcomes in the arms of the design, reused from household to household.
pub(crate) struct ArmOutcomes {
    /// Per arm (paired: every arm; randomized: only `assigned` is filled).
    pub outs: Vec<Outcome>,
    /// Randomized design: the household's arm.
    pub assigned: usize,
    between: bool,
    shares: Vec<f64>,
}

impl ArmOutcomes {
    pub(crate) fn new(sc: &Scenario) -> ArmOutcomes {
        ArmOutcomes {
            outs: vec![Outcome::default(); sc.arms.len()],
            assigned: 0,
            // Paired design with two or more treatment arms: each pair of them is compared.
            between: sc.design == Design::Paired && sc.arms.len() > 2,
            shares: sc.arms.iter().map(|a| a.share).collect(),
        }
    }

    /// The arms simulated for the household: every arm (paired) or its own (randomized).
    pub(crate) fn arms(&self, sc: &Scenario) -> std::ops::Range<usize> {
        match sc.design {
            Design::Paired => 0..sc.arms.len(),
            Design::Randomized => self.assigned..self.assigned + 1,
        }
    }
}

/// Simulates household `h` (its year computed) in the arms of the design into the tally, with
/// `u(arm)` its take-up draw in each arm; the outcomes stay in `b` (and are appended to `rows`
/// when given, in arm order).
pub(crate) fn simulate_household<T: Tally>(
    tally: &mut T,
    sc: &Scenario,
    h: &crate::sim::population::Household,
    year: &Year,
    u: impl Fn(usize) -> f64,
    b: &mut ArmOutcomes,
    mut rows: Option<&mut Vec<Outcome>>,
) -> Result<()> {
    let th = &sc.high_reclaim_thresholds;
    match sc.design {
        Design::Paired => {
            let (control, treated) = b.outs.split_at_mut(1);
            let control = &mut control[0];
            simulate_arm_into(sc, h, year, 0, u(0), control)?;
            tally.add(0, control, year, th);
            if let Some(r) = rows.as_deref_mut() {
                r.push(*control);
            }
            for (i, o) in treated.iter_mut().enumerate() {
                let a = i + 1;
                arm_outcome_into(sc, h, year, a, u(a), o)?;
                tally.add(a, o, year, th);
                tally.add_pair(a, control, o, th);
                if let Some(r) = rows.as_deref_mut() {
                    r.push(*o);
                }
            }
            if b.between {
                for (a, oa) in b.outs.iter().enumerate().skip(1) {
                    for (c, oc) in b.outs.iter().enumerate().skip(a + 1) {
                        tally.add_between(a, c, oa, oc, th);
                    }
                }
            }
        }
        Design::Randomized => {
            let a = assigned_arm(sc, h.id, &b.shares);
            b.assigned = a;
            let o = &mut b.outs[a];
            arm_outcome_into(sc, h, year, a, u(a), o)?;
            tally.add(a, o, year, th);
            if let Some(r) = rows {
                r.push(*o);
            }
        }
    }
    Ok(())
}

/// Simulates households `start..end` (chunk `c`) into `tally`; returns the chunk's rows when
/// asked for.
fn simulate_chunk<T: Tally>(
    tally: &mut T,
    sc: &Scenario,
    c: u64,
    start: u64,
    end: u64,
    opts: &RunOptions,
    spare: &RowBuffers,
) -> Result<Option<ChunkRows>> {
    let rows = opts.household_rows;
    let months = rows && opts.monthly_rows;
    let (mut out_rows, mut out_months) = if rows {
        spare.take((end - start) as usize * sc.arms.len())
    } else {
        (Vec::new(), Vec::new())
    };
    let mut b = ArmOutcomes::new(sc);
    for id in start..end {
        let h = generate(sc, id);
        let year = Year::compute(sc, &h);
        if months {
            out_months.push(YearMonths::of(id, &year));
        }
        let u = crate::sim::behaviour::takeup_draw(sc.seed, id);
        simulate_household(
            tally,
            sc,
            &h,
            &year,
            |_| u,
            &mut b,
            rows.then_some(&mut out_rows),
        )?;
    }
    Ok(rows.then_some((c, out_rows, out_months)))
}

/// One tally per worker thread, kept across batches and merged once at the end. Merges are
/// exact and order-free, so which worker simulated which chunk cannot change a result; and a
/// batch costs no fresh accumulators and no merges (with rows the batches are small, and
/// merging per batch cost more than a second of page faults and copies at national scale).
struct WorkerTallies<T>(Vec<std::sync::Mutex<Option<T>>>);

impl<T: Tally> WorkerTallies<T> {
    /// Slots for `threads` workers and one for a caller outside the pool.
    fn new(threads: usize) -> Self {
        WorkerTallies((0..=threads).map(|_| std::sync::Mutex::new(None)).collect())
    }

    /// Runs `f` on the current worker's tally. The tally is taken out of its slot while `f`
    /// runs (no lock is held, so a worker that picks up another chunk meanwhile cannot block
    /// on itself) and merged back afterwards.
    fn with<R>(&self, sc: &Scenario, f: impl FnOnce(&mut T) -> R) -> R {
        let last = self.0.len() - 1;
        let slot = &self.0[rayon::current_thread_index().map_or(last, |i| i.min(last))];
        let taken = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
        let mut t = taken.unwrap_or_else(|| T::empty(sc));
        let r = f(&mut t);
        let mut g = slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(other) = g.take() {
            t.merge(&other);
        }
        *g = Some(t);
        r
    }

    /// Every worker's tally merged into `total`.
    fn merge_into(self, total: &mut T) {
        for slot in self.0 {
            if let Some(t) = slot.into_inner().unwrap_or_else(|e| e.into_inner()) {
                total.merge(&t);
            }
        }
    }
}

impl Scenario {
    /// Number of high-reclaim thresholds.
    pub fn thresholds_len(&self) -> usize {
        self.high_reclaim_thresholds.len()
    }
}

/// Runs the scenario into a tally `T` (`analysis::run` gives the usual statistics).
/// `on_rows` receives per-household outcomes in household order (when
/// `opts.household_rows`), with the households' months (when also `opts.monthly_rows`; empty
/// otherwise); `on_progress` receives (households done, total).
pub fn run_with<T: Tally>(
    sc: &Scenario,
    opts: &RunOptions,
    mut on_rows: impl FnMut(&[Outcome], &[YearMonths]) -> Result<()> + Send,
    on_progress: impl FnMut(u64, u64),
) -> Result<T> {
    run_prepared(
        sc,
        opts,
        |_, _| Ok(()),
        true,
        |rows, months, ()| on_rows(rows, months),
        on_progress,
    )
}

/// [`run_with`], where each chunk's rows are first handed to `prepare` on the worker that
/// simulated them (while they are still in its cache; chunks are consecutive households, in
/// any order and on any thread), and `on_rows` receives, in household order, each chunk's
/// piece with its rows (empty unless `rows_too`: the rows' memory then goes straight back to
/// the workers).
pub fn run_prepared<T: Tally, P: Send>(
    sc: &Scenario,
    opts: &RunOptions,
    prepare: impl Fn(&[Outcome], &[YearMonths]) -> Result<P> + Sync,
    rows_too: bool,
    mut on_rows: impl FnMut(&[Outcome], &[YearMonths], P) -> Result<()> + Send,
    mut on_progress: impl FnMut(u64, u64),
) -> Result<T> {
    // Selection into the offer ranks households in a reference sample: built once here.
    let prepared = crate::sim::selection::prepared(sc);
    let sc: &Scenario = &prepared;
    let pool = worker_pool(opts.threads)?;
    let threads = install(&pool, rayon::current_num_threads) as u64;
    let ids = opts.id_range(sc.households);
    let (first, n) = (ids.start, ids.end - ids.start);
    // Small runs get smaller chunks (at least 16 per thread, at least 256 households), so both
    // cores have work; results do not depend on the chunking (exact merges, rows in order).
    let chunk = if opts.fixed_chunks {
        opts.chunk_size.max(1) as u64
    } else {
        (opts.chunk_size.max(1) as u64).min((n / (threads * 16)).max(256))
    };
    let n_chunks = n.div_ceil(chunk);
    let mut total = T::empty(sc);
    // Each batch is one parallel loop over chunks: every worker adds its chunks to its own
    // tally ([`WorkerTallies`]), merged exactly at the end (so the thread count cannot change
    // a result). With rows the batch is small, bounding the rows held in memory; without, it
    // only sets how often the progress bar moves.
    let batch = if opts.household_rows {
        threads * 8
    } else {
        threads * 64
    }
    .max(1);
    let spare = RowBuffers::default();
    let tallies = WorkerTallies::<T>::new(threads as usize);
    // With rows, a batch's rows are written on a thread of their own while the workers
    // simulate the next batch (at most one batch waits): the workers never stand idle while
    // files are written, and the writing (its parallel parts run on the same pool) fills the
    // cores between batches.
    std::thread::scope(|scope| -> Result<()> {
        let (to_writer, batches) = std::sync::mpsc::sync_channel::<Vec<PreparedChunk<P>>>(1);
        let writer = opts.household_rows.then(|| {
            let (pool, spare) = (&pool, &spare);
            let on_rows = &mut on_rows;
            scope.spawn(move || -> Result<()> {
                for chunks in batches {
                    let mut written = Vec::with_capacity(chunks.len());
                    install(pool, || -> Result<()> {
                        for (_, r, m, p) in chunks {
                            on_rows(&r, &m, p)?;
                            written.push((r, m));
                        }
                        Ok(())
                    })?;
                    for (r, m) in written {
                        spare.give(r, m);
                    }
                }
                Ok(())
            })
        });
        let mut c0 = 0;
        while c0 < n_chunks {
            let c1 = (c0 + batch).min(n_chunks);
            let min_len = ((c1 - c0) / (threads * 4)).max(1) as usize;
            let batch_rows = std::sync::Mutex::new(Vec::<PreparedChunk<P>>::new());
            install(&pool, || {
                (c0 as usize..c1 as usize)
                    .into_par_iter()
                    .with_min_len(min_len)
                    .try_for_each(|c| -> Result<()> {
                        let c = c as u64;
                        let rows = tallies.with(sc, |t| {
                            simulate_chunk(
                                t,
                                sc,
                                c,
                                first + c * chunk,
                                first + ((c + 1) * chunk).min(n),
                                opts,
                                &spare,
                            )
                        })?;
                        if let Some((c, r, m)) = rows {
                            let piece = prepare(&r, &m)?;
                            let chunk = if rows_too {
                                (c, r, m, piece)
                            } else {
                                spare.give(r, m);
                                (c, Vec::new(), Vec::new(), piece)
                            };
                            batch_rows
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .push(chunk);
                        }
                        Ok(())
                    })
            })?;
            if opts.household_rows {
                let mut rows = batch_rows.into_inner().unwrap_or_else(|e| e.into_inner());
                rows.sort_by_key(|(c, _, _, _)| *c);
                if to_writer.send(rows).is_err() {
                    // The writer stopped on an error: it is reported below.
                    break;
                }
            }
            on_progress((c1 * chunk).min(n), n);
            c0 = c1;
        }
        // Closing the channel ends the writer once it has written every batch.
        drop(to_writer);
        match writer.map(|w| w.join()) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(Error::Internal("the row writer panicked".into())),
            None => Ok(()),
        }
    })?;
    tallies.merge_into(&mut total);
    total.finish();
    Ok(total)
}

/// The household ids of shard `index` of `count` (`run --shard`): consecutive ranges of
/// `0..households` whose sizes differ by at most one, in shard order, together every id once.
pub fn shard_ids(households: u64, index: u32, count: u32) -> std::ops::Range<u64> {
    shard_ids_aligned(households, index, count, 1)
}

/// [`shard_ids`] with every cut between shards at a multiple of `align` households (a run
/// writing households.parquet cuts its pages per chunk of households, so a shard must start
/// where a chunk of the whole run starts); the sizes then differ by at most `align`.
pub fn shard_ids_aligned(
    households: u64,
    index: u32,
    count: u32,
    align: u64,
) -> std::ops::Range<u64> {
    let align = align.max(1);
    let cut = |k: u32| {
        if k >= count {
            households
        } else {
            let c = (households as u128 * k as u128 / count.max(1) as u128) as u64;
            c / align * align
        }
    };
    cut(index)..cut(index + 1)
}

/// The arm household `id` is assigned to in the randomized design (the draw [`run_with`] makes).
pub fn randomized_arm(sc: &Scenario, id: u64) -> usize {
    let shares: Vec<f64> = sc.arms.iter().map(|a| a.share).collect();
    assigned_arm(sc, id, &shares)
}

#[cfg(test)]
mod tests {
    use super::{shard_ids, shard_ids_aligned};

    #[test]
    fn shards_cover_every_household_once_in_order() {
        for n in [0u64, 1, 7, 1000, 5_400_001, u64::MAX / 3] {
            for count in [1u32, 2, 3, 4, 7, 64] {
                let mut next = 0;
                for k in 0..count {
                    let r = shard_ids(n, k, count);
                    assert_eq!(r.start, next, "{n} {k}/{count}");
                    let size = r.end - r.start;
                    assert!(size == n / count as u64 || size == n / count as u64 + 1);
                    next = r.end;
                }
                assert_eq!(next, n);
                let mut next = 0;
                for k in 0..count {
                    let r = shard_ids_aligned(n, k, count, 4096);
                    assert_eq!(r.start, next);
                    assert!(r.start.is_multiple_of(4096) && r.start <= r.end);
                    next = r.end;
                }
                assert_eq!(next, n);
            }
        }
    }
}
