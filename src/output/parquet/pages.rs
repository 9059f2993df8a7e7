//! Parquet data pages encoded here, for households.parquet: the worker threads encode each
//! chunk of rows into one page per column while the rows are still in their cache, and the
//! file writer only splices the pages into column chunks
//! ([`parquet::file::writer::SerializedRowGroupWriter::append_column`]), which keeps the
//! schema, the row groups' metadata and the footer with arrow-rs. arrow-rs's own column
//! writer cost about three times the CPU for the same pages (it hashes every string into its
//! dictionary and goes through a general encoder per value).
//!
//! The formats are the Apache Parquet specification's (`Encodings.md`, `parquet.thrift`):
//! data pages v2 with headers in the Thrift compact protocol; integers
//! `DELTA_BINARY_PACKED` (blocks of 128 values, 4 miniblocks); strings `RLE_DICTIONARY`
//! indices into a dictionary page holding every name the column can have; booleans `PLAIN`
//! (bit-packed); definition levels of an optional column in the RLE/bit-packing hybrid.
//! Pages of compressed columns are zstd frames. Files are checked by reading them back with
//! arrow-rs's reader (unit tests) and pyarrow (tests/parquet.rs).
//!
//! Must not: decide which columns a table has or how they are compressed (the caller does).

/// `Encoding` ids of parquet.thrift.
pub(super) const PLAIN: i32 = 0;
pub(super) const DELTA_BINARY_PACKED: i32 = 5;
pub(super) const RLE_DICTIONARY: i32 = 8;

/// `PageType` ids of parquet.thrift.
const DICTIONARY_PAGE: i32 = 2;
const DATA_PAGE_V2: i32 = 3;

/// Thrift compact protocol: the field types page headers use.
const T_TRUE: u8 = 1;
const T_FALSE: u8 = 2;
const T_I32: u8 = 5;
const T_STRUCT: u8 = 12;

/// An unsigned LEB128 varint.
fn uleb(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// A Thrift compact-protocol struct writer: just the field kinds page headers use.
struct Thrift<'a> {
    out: &'a mut Vec<u8>,
    /// The last field id written in each open struct (innermost last).
    last: Vec<i16>,
}

impl<'a> Thrift<'a> {
    fn new(out: &'a mut Vec<u8>) -> Self {
        Thrift { out, last: vec![0] }
    }

    fn field(&mut self, id: i16, ty: u8) {
        let last = self.last.last_mut().expect("an open struct");
        let delta = id - *last;
        if (1..=15).contains(&delta) {
            self.out.push(((delta as u8) << 4) | ty);
        } else {
            self.out.push(ty);
            uleb(self.out, zigzag(id as i64));
        }
        *last = id;
    }

    fn i32(&mut self, id: i16, v: i64) {
        self.field(id, T_I32);
        uleb(self.out, zigzag(v));
    }

    fn bool(&mut self, id: i16, v: bool) {
        self.field(id, if v { T_TRUE } else { T_FALSE });
    }

    fn begin(&mut self, id: i16) {
        self.field(id, T_STRUCT);
        self.last.push(0);
    }

    /// Ends the innermost struct (the header itself last).
    fn end(&mut self) {
        self.out.push(0);
        self.last.pop();
    }
}

/// What a data page holds, for its header.
pub(super) struct DataPage {
    /// Values including nulls (= rows: no column repeats).
    pub rows: usize,
    pub nulls: usize,
    pub encoding: i32,
    /// Bytes of definition levels at the start of the page (never compressed).
    pub def_len: usize,
    /// Whether the values are a zstd frame.
    pub compressed: bool,
}

/// Appends a data page v2: its header, then `levels` and `values` (already compressed when
/// `page.compressed`). `uncompressed_values` is the values' size before compression. Returns
/// the page's uncompressed size (header included), for the column chunk's metadata.
pub(super) fn data_page(
    out: &mut Vec<u8>,
    page: &DataPage,
    levels: &[u8],
    values: &[u8],
    uncompressed_values: usize,
) -> usize {
    let start = out.len();
    let mut t = Thrift::new(out);
    t.i32(1, DATA_PAGE_V2 as i64);
    t.i32(2, (levels.len() + uncompressed_values) as i64);
    t.i32(3, (levels.len() + values.len()) as i64);
    t.begin(8);
    t.i32(1, page.rows as i64);
    t.i32(2, page.nulls as i64);
    t.i32(3, page.rows as i64);
    t.i32(4, page.encoding as i64);
    t.i32(5, page.def_len as i64);
    t.i32(6, 0);
    t.bool(7, page.compressed);
    t.end();
    t.end();
    let header = out.len() - start;
    out.extend_from_slice(levels);
    out.extend_from_slice(values);
    header + levels.len() + uncompressed_values
}

/// Appends a dictionary page of `names` (`PLAIN` byte arrays), compressed by `compress` when
/// given. Returns its uncompressed size (header included).
pub(super) fn dictionary_page(
    out: &mut Vec<u8>,
    names: &[&[u8]],
    compress: Option<&mut Zstd>,
) -> std::io::Result<usize> {
    let mut plain = Vec::new();
    for n in names {
        plain.extend_from_slice(&(n.len() as u32).to_le_bytes());
        plain.extend_from_slice(n);
    }
    let body = match compress {
        Some(z) => z.compress(&plain)?,
        None => plain.clone(),
    };
    let start = out.len();
    let mut t = Thrift::new(out);
    t.i32(1, DICTIONARY_PAGE as i64);
    t.i32(2, plain.len() as i64);
    t.i32(3, body.len() as i64);
    t.begin(7);
    t.i32(1, names.len() as i64);
    t.i32(2, PLAIN as i64);
    t.end();
    t.end();
    let header = out.len() - start;
    out.extend_from_slice(&body);
    Ok(header + plain.len())
}

/// Packs `vals` (each below 2^`width`) least significant bit first, `width` bits each;
/// `vals.len() * width` must be a multiple of 8.
fn pack(out: &mut Vec<u8>, vals: &[u64], width: u32) {
    if width == 0 {
        return;
    }
    // Whole words into a buffer on the stack, then one copy (32 values of 64 bits at most).
    let mut words = [0u64; 33];
    let mut n = 0;
    let mut acc = 0u64;
    let mut bits = 0u32;
    for chunk in vals.chunks(32) {
        for &v in chunk {
            acc |= v << bits;
            let next = bits + width;
            if next >= 64 {
                words[n] = acc;
                n += 1;
                // The bits of `v` that did not fit (none when it started a word).
                acc = if bits == 0 { 0 } else { v >> (64 - bits) };
                bits = next - 64;
            } else {
                bits = next;
            }
        }
        if n >= 32 {
            for w in &words[..n] {
                out.extend_from_slice(&w.to_le_bytes());
            }
            n = 0;
        }
    }
    for w in &words[..n] {
        out.extend_from_slice(&w.to_le_bytes());
    }
    let bytes = bits.div_ceil(8) as usize;
    out.extend_from_slice(&acc.to_le_bytes()[..bytes]);
}

/// Packs a miniblock of 32 values (each below 2^`W`), least significant bit first, into
/// `4 * W` bytes. `W` is a constant, so the loop unrolls into fixed shifts.
fn pack32<const W: u32>(vals: &[u64; 32], out: &mut Vec<u8>) {
    let mut buf = [0u8; 264];
    let mut acc = 0u64;
    let mut bits = 0u32;
    let mut at = 0;
    // Written out 32 times (not a loop), so that `bits` is a constant at each step and the
    // branches fold away.
    macro_rules! step {
        ($($i:literal)*) => {$(
            let v = vals[$i];
            acc |= v << bits;
            if bits + W >= 64 {
                buf[at..at + 8].copy_from_slice(&acc.to_le_bytes());
                at += 8;
                acc = if bits == 0 { 0 } else { v >> (64 - bits) };
                bits = bits + W - 64;
            } else {
                bits += W;
            }
        )*};
    }
    if W > 0 {
        step!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31);
    }
    let _ = bits;
    buf[at..at + 8].copy_from_slice(&acc.to_le_bytes());
    out.extend_from_slice(&buf[..4 * W as usize]);
}

/// [`pack32`] for each width 0..=64.
type Pack32 = fn(&[u64; 32], &mut Vec<u8>);
macro_rules! packers {
    ($($w:literal)*) => { [$(pack32::<$w> as Pack32,)*] };
}
static PACK32: [Pack32; 65] = packers!(
    0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32
    33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62
    63 64
);

/// Bits needed for `v`.
fn width(v: u64) -> u32 {
    64 - v.leading_zeros()
}

/// Appends `values` `DELTA_BINARY_PACKED`: a header (block size 128, 4 miniblocks of 32, the
/// count, the first value), then per block of 128 deltas its least delta and the deltas above
/// it bit-packed per miniblock at the miniblock's width (the last miniblock padded with zeros).
pub(super) fn delta(out: &mut Vec<u8>, values: &[i64]) {
    const BLOCK: usize = 128;
    const MINI: usize = 32;
    uleb(out, BLOCK as u64);
    uleb(out, (BLOCK / MINI) as u64);
    uleb(out, values.len() as u64);
    uleb(out, zigzag(values.first().copied().unwrap_or(0)));
    let deltas: Vec<i64> = values.windows(2).map(|w| w[1].wrapping_sub(w[0])).collect();
    let mut mini = [0u64; MINI];
    for block in deltas.chunks(BLOCK) {
        let min = block
            .iter()
            .fold(i64::MAX, |m, &d| if d < m { d } else { m });
        uleb(out, zigzag(min));
        let widths_at = out.len();
        out.extend_from_slice(&[0u8; BLOCK / MINI]);
        for (j, part) in block.chunks(MINI).enumerate() {
            let mut all = 0u64;
            for (slot, d) in mini.iter_mut().zip(part) {
                *slot = d.wrapping_sub(min) as u64;
                all |= *slot;
            }
            mini[part.len()..].fill(0);
            let w = width(all);
            out[widths_at + j] = w as u8;
            PACK32[w as usize](&mini, out);
        }
    }
}

/// Appends `values` (each below 2^`w`) as one bit-packed run of the RLE/bit-packing hybrid
/// (the last group of 8 padded with zeros).
pub(super) fn hybrid(out: &mut Vec<u8>, values: &[u64], w: u32) {
    let groups = values.len().div_ceil(8);
    uleb(out, ((groups as u64) << 1) | 1);
    let mut group = [0u64; 8];
    for chunk in values.chunks(8) {
        group[..chunk.len()].copy_from_slice(chunk);
        group[chunk.len()..].fill(0);
        pack(out, &group, w);
    }
}

/// The bit width of dictionary indices below `n` (at least 1).
pub(super) fn index_width(n: usize) -> u32 {
    width(n.saturating_sub(1) as u64).max(1)
}

/// Appends `RLE_DICTIONARY` values: the indices' bit width, then the indices (each below
/// 2^`w`).
pub(super) fn dictionary_indices(out: &mut Vec<u8>, indices: &[u64], w: u32) {
    out.push(w as u8);
    hybrid(out, indices, w);
}

/// Appends booleans `PLAIN`: one bit each, least significant first.
pub(super) fn booleans(out: &mut Vec<u8>, values: &[bool]) {
    for chunk in values.chunks(8) {
        let mut b = 0u8;
        for (k, &v) in chunk.iter().enumerate() {
            b |= (v as u8) << k;
        }
        out.push(b);
    }
}

/// A zstd compressor kept per thread (making a context per page cost more than compressing).
pub(super) struct Zstd(zstd::bulk::Compressor<'static>);

impl Zstd {
    pub(super) fn new(level: i32) -> std::io::Result<Zstd> {
        zstd::bulk::Compressor::new(level).map(Zstd)
    }

    pub(super) fn compress(&mut self, data: &[u8]) -> std::io::Result<Vec<u8>> {
        self.0.compress(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thrift_fields_are_compact() {
        let mut out = Vec::new();
        let mut t = Thrift::new(&mut out);
        t.i32(1, 3);
        t.i32(2, -1);
        t.begin(8);
        t.i32(1, 300);
        t.bool(7, true);
        t.end();
        t.i32(20, 1);
        t.end();
        // Field 1 (delta 1, i32) = 3 → zigzag 6; field 2 (delta 1) = -1 → 1; struct field 8
        // (delta 6);
        // inside: field 1 = 300 → zigzag 600 = 0xd8 0x04; bool field 7 true (delta 6);
        // stop; field 20 (delta 12) = 1 → 2; stop.
        assert_eq!(
            out,
            vec![0x15, 6, 0x15, 1, 0x6c, 0x15, 0xd8, 0x04, 0x61, 0, 0xc5, 2, 0]
        );
    }

    #[test]
    fn packing_is_least_significant_bit_first() {
        let mut out = Vec::new();
        pack(&mut out, &[1, 2, 3, 4, 5, 6, 7, 0], 3);
        // Σ v_i · 2^(3i) = 0b000_111_110_101_100_011_010_001, little endian.
        assert_eq!(out, vec![0b1101_0001, 0b0101_1000, 0b0001_1111]);
        let mut wide = Vec::new();
        pack(&mut wide, &[u64::MAX; 8], 64);
        assert_eq!(wide, vec![0xff; 64]);
        // The unrolled miniblock packer agrees with the general one at every width.
        for w in 0..=64u32 {
            let vals: [u64; 32] = std::array::from_fn(|i| {
                let x = (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                if w == 64 {
                    x
                } else {
                    x & ((1u64 << w) - 1)
                }
            });
            let (mut a, mut b) = (Vec::new(), Vec::new());
            pack(&mut a, &vals, w);
            PACK32[w as usize](&vals, &mut b);
            assert_eq!(a, b, "width {w}");
            assert_eq!(b.len(), 4 * w as usize);
        }
    }
}
