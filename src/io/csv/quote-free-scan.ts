/**
 * The fast record scanner for bytes that hold no quote character. It takes the data 32 bytes at
 * a time as one bit mask of delimiters and one of LFs (built for the whole window by WebAssembly
 * SIMD, simd-masks.ts; where that is missing, per block from eight 32-bit words: SWAR, each word
 * compared against the delimiter and LF in a few integer operations, with no branches), then walks
 * the masks field by field: the branches left follow the record's fields, so they predict well
 * where per-word branches on variable-width fields did not. It stops only where a wanted field
 * begins or ends, or a record ends; delimiters between unwanted fields are only counted, a run at a
 * time, so unwanted columns cost a fraction of the byte-by-byte scanner (tokenize.ts), while every
 * delimiter is still counted: a record with the wrong number of fields is reported exactly as the
 * full scanner reports it.
 *
 * It implements the same dialect as RecordScanner for quote-free data (LF ends a record, a CR
 * right before the LF or the data end is dropped, blank and lone-CR lines are skipped unless
 * they are records: `skipsBlankLines` in tokenize.ts). It finds
 * the next quote byte with one native search (Buffer#indexOf, memchr speed) per window stretch,
 * scans only up to it, and stops at the record holding it, which the caller hands to
 * RecordScanner; quoted files thus cost one failed fast attempt per quoted record, and the word
 * loop never tests for quotes.
 *
 * Field bounds go straight into the caller's column-major batch arrays: wanted field j of the
 * batch's record r is at slot `j * stride + r`.
 */
import { simdMasks, type WindowMasks } from './simd-masks.js'
import { CR, LF } from './tokenize.js'

/** `status` after `scan`: stopped because `want` records are in the batch. */
export const QF_FULL = 0
/** The region ended inside a record (returned position = that record's start): more data is needed. */
export const QF_INCOMPLETE = 1
/** The data ended (only with `atEnd`). */
export const QF_END = 2
/** The record at `recordStart` has `fieldCount` fields, not the expected number. */
export const QF_RAGGED = 3
/** The record at the returned position holds a quote byte: RecordScanner must read it. */
export const QF_QUOTE = 4

const NONE = 0x7fffffff
const LOW7 = 0x7f7f7f7f
const HIGH = 0x80808080 | 0
const LFS = 0x0a0a0a0a

/** Bytes scanned per step: 8 words, whose events fill one 32-bit mask per kind. */
const BLOCK = 32

/** Bit 7 of each byte of the result is clear exactly where the byte of `x` is zero (no false positives). */
function nonZeroBytes(x: number): number {
  return ((x & LOW7) + LOW7) | 0 | x
}

/**
 * The bytes of two words (8 bytes, in order) whose bit 7 is CLEAR in `a` (first word) or `b`, as
 * bits 0-7. The multiply moves bits 0, 8, 16, 24 and 4, 12, 20, 28 to bits 24-31 with no carries.
 */
function gatherEvents(a: number, b: number): number {
  return Math.imul(((~a & HIGH) >>> 7) | ((~b & HIGH) >>> 3), 0x01020408) >>> 24
}

/** Bit i (0-7) set where byte i of the 8 bytes `a`, `b` (two little-endian words) is zero. */
function gatherZeroBytes(a: number, b: number): number {
  return gatherEvents(nonZeroBytes(a), nonZeroBytes(b))
}

function bitCount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555)
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24
}

/** This thread's WebAssembly mask builder (null without SIMD), shared by its scanners. */
let sharedMasks: WindowMasks | null | undefined
/** What the shared masks were last built for: the scanner, and the window's bytes, base and limit. */
let builtFor: { owner: unknown; buf: Uint8Array; base: number; limit: number } | null = null

export class QuoteFreeScanner {
  /** Records in the batch; the caller sets it before `scan` and reads it after. */
  count = 0
  status = QF_FULL
  recordStart = 0
  fieldCount = 0
  /** Per file field: its slot among the wanted fields, or -1. */
  private readonly slotOf: Int32Array
  /**
   * Per delimiter index k < expected (field k's end): how many delimiters from k on neither end
   * nor begin a wanted field (0: delimiter k does; NONE: none from k on does); [expected]: NONE.
   */
  private readonly unwantedRun: Int32Array
  private readonly delimiter: number
  private readonly delimiters: number
  /** -1 when quoting is off. */
  private readonly quote: number
  private words: Int32Array<ArrayBufferLike> = new Int32Array(0)
  private wordsOf: ArrayBufferLike | null = null
  // The last quote search: in `quoteBuf[quoteFrom, quoteLimit)` of the window at file offset
  // `quoteBase`, the first quote byte is at `quoteAt` (-1: none). Valid for a later scan of the same
  // window contents from a position in [quoteFrom, quoteAt].
  private quoteBuf: Uint8Array | null = null
  private quoteBase = -1
  private quoteFrom = 0
  private quoteLimit = 0
  private quoteAt = -1

  /** Whether the fast scanner can serve these wanted fields (distinct) and this dialect (no NUL byte in it). */
  static fits(fields: Int32Array, delimiter: number, quote: number): boolean {
    return delimiter !== 0 && quote !== 0 && new Set(fields).size === fields.length
  }

  constructor(
    readonly expected: number,
    delimiter: number,
    /** -1 when quoting is off. */
    quote: number,
    /** Wanted file fields, in slot order; distinct. */
    fields: Int32Array,
    /** false: build the masks with the SWAR loop even where WebAssembly SIMD is there (tests). */
    private readonly useSimd = true,
    /** false: an empty line is a record of one empty field (`skipsBlankLines` in tokenize.ts). */
    private readonly skipBlankLines = true,
  ) {
    this.slotOf = new Int32Array(expected).fill(-1)
    fields.forEach((f, slot) => {
      this.slotOf[f] = slot
    })
    this.unwantedRun = new Int32Array(expected + 1).fill(NONE)
    for (let k = expected - 1; k >= 0; k--) {
      const wanted = this.slotOf[k]! >= 0 || (k + 1 < expected && this.slotOf[k + 1]! >= 0)
      const after = this.unwantedRun[k + 1]!
      this.unwantedRun[k] = wanted ? 0 : after === NONE ? NONE : after + 1
    }
    this.delimiter = delimiter
    this.delimiters = Math.imul(delimiter, 0x01010101)
    this.quote = quote
  }

  /**
   * Scans records from `pos` (a record start) in `buf[0, windowLimit)`, appending wanted field bounds
   * to the batch until it holds `want` records, or a record holds a quote. `windowAtEnd` says that
   * `windowLimit` is the end of the data; `base` is the file offset of `buf[0]` (two calls with the same `buf`,
   * `base` and `limit` see the same bytes). `buf.byteOffset` must be a multiple of 4. Returns the
   * position after the last record taken (QF_INCOMPLETE, QF_RAGGED, QF_QUOTE: the start of the
   * record not taken).
   */
  scan(
    buf: Uint8Array,
    base: number,
    pos: number,
    windowLimit: number,
    windowAtEnd: boolean,
    starts: Int32Array,
    ends: Int32Array,
    stride: number,
    want: number,
  ): number {
    // Scan only up to the next quote: the record holding it is the one left incomplete there.
    const quoteAt = this.quote < 0 ? -1 : this.nextQuote(buf, base, pos, windowLimit)
    const limit = quoteAt >= 0 ? quoteAt : windowLimit
    const atEnd = windowAtEnd && quoteAt < 0
    if (buf.buffer !== this.wordsOf) {
      this.words = new Int32Array(buf.buffer, buf.byteOffset, buf.byteLength >> 2)
      this.wordsOf = buf.buffer
    }
    const words = this.words
    const masks = this.windowMasks(buf, base, windowLimit)
    const maskDelims = masks?.delims
    const maskLfs = masks?.lfs
    const slotOf = this.slotOf
    const unwantedRun = this.unwantedRun
    const delimiter = this.delimiter
    const delimiters = this.delimiters
    const expected = this.expected
    let count = this.count
    let recordStart = pos
    let fieldStart = pos
    let f = 0
    // With atEnd, a virtual LF at `limit` ends a last record that has none.
    const dataEnd = atEnd ? limit + 1 : limit
    // Blocks start at multiples of BLOCK, where the WebAssembly masks have one word per block.
    for (let at0 = pos & ~(BLOCK - 1); at0 < dataEnd; at0 += BLOCK) {
      // Bit i of `delims` / `lfs`: byte at0 + i is a delimiter / LF (the data end with atEnd).
      // Built without branches; the branches left follow the record's fields (predictable).
      let delims = 0
      let lfs = 0
      if (at0 + BLOCK <= limit && maskDelims !== undefined) {
        delims = maskDelims[at0 >> 5]!
        lfs = maskLfs![at0 >> 5]!
      } else if (at0 + BLOCK <= limit) {
        for (let i = 0, wi = at0 >> 2; i < BLOCK; i += 8, wi += 2) {
          const w0 = words[wi]!
          const w1 = words[wi + 1]!
          delims |= gatherZeroBytes(w0 ^ delimiters, w1 ^ delimiters) << i
          lfs |= gatherZeroBytes(w0 ^ LFS, w1 ^ LFS) << i
        }
      } else {
        for (let k = at0; k < limit; k++) {
          const c = buf[k]!
          if (c === delimiter) delims |= 1 << (k - at0)
          else if (c === LF) lfs |= 1 << (k - at0)
        }
        if (atEnd && limit - at0 < BLOCK) lfs |= 1 << (limit - at0)
      }
      if (at0 < pos) {
        delims &= -1 << (pos - at0)
        lfs &= -1 << (pos - at0)
      }
      for (;;) {
        // The delimiters before the block's next LF (all of them when it has none).
        const lf = lfs & ((~lfs + 1) | 0)
        const beforeLf = lf === 0 ? -1 : (lf - 1) | 0
        let d = delims & beforeLf
        delims &= ~beforeLf
        while (d !== 0) {
          const skip = unwantedRun[Math.min(f, expected)]!
          if (skip === 0) {
            // Delimiter number f: it ends field f or begins field f + 1, a wanted one.
            const bit = d & ((~d + 1) | 0)
            d ^= bit
            const at = at0 + 31 - Math.clz32(bit)
            const slot = slotOf[f]!
            if (slot >= 0) {
              starts[slot * stride + count] = fieldStart
              ends[slot * stride + count] = at
            }
            f++
            fieldStart = at + 1
          } else if (skip >= BLOCK) {
            f += bitCount(d)
            d = 0
          } else {
            // Delimiters that neither end nor begin a wanted field: only counted.
            for (let n = skip; n > 0 && d !== 0; n--) {
              d &= (d - 1) | 0
              f++
            }
          }
        }
        if (lf === 0) break
        lfs ^= lf
        // LF (or the data end): the record ends.
        const at = at0 + 31 - Math.clz32(lf)
        const crBefore = at > recordStart && buf[at - 1] === CR
        // A blank line is skipped, or a record; the virtual LF right after the last LF is neither.
        const blank = f === 0 && (at === recordStart || (crBefore && at === recordStart + 1))
        if (blank && (this.skipBlankLines || (at === recordStart && at === limit && atEnd))) {
          recordStart = fieldStart = at + 1
          continue
        }
        if (f + 1 !== expected) {
          this.fieldCount = f + 1
          this.recordStart = recordStart
          this.count = count
          this.status = QF_RAGGED
          return recordStart
        }
        const slot = slotOf[f]!
        if (slot >= 0) {
          starts[slot * stride + count] = fieldStart
          ends[slot * stride + count] = crBefore && at > fieldStart ? at - 1 : at
        }
        count++
        recordStart = fieldStart = at + 1
        f = 0
        if (count === want) {
          this.count = count
          this.status = QF_FULL
          return Math.min(recordStart, limit)
        }
      }
    }
    this.count = count
    this.status = atEnd ? QF_END : quoteAt >= 0 ? QF_QUOTE : QF_INCOMPLETE
    return atEnd ? limit : recordStart
  }

  /**
   * The delimiter and LF masks of `buf[0, limit)` (the window at file offset `base`), built once per
   * window contents; null where WebAssembly SIMD is missing (the SWAR loop builds them per block).
   */
  private windowMasks(buf: Uint8Array, base: number, limit: number): WindowMasks | null {
    if (!this.useSimd) return null
    if (sharedMasks === undefined) sharedMasks = simdMasks()
    if (sharedMasks === null) return null
    const built = builtFor
    if (built === null || built.owner !== this || built.buf !== buf || built.base !== base || built.limit !== limit) {
      sharedMasks.build(buf, limit, this.delimiter)
      builtFor = { owner: this, buf, base, limit }
    }
    return sharedMasks
  }

  /** The position of the first quote byte in `buf[pos, limit)`, or -1. */
  private nextQuote(buf: Uint8Array, base: number, pos: number, limit: number): number {
    if (
      buf !== this.quoteBuf ||
      base !== this.quoteBase ||
      limit !== this.quoteLimit ||
      pos < this.quoteFrom ||
      (this.quoteAt >= 0 && pos > this.quoteAt)
    ) {
      const at = Buffer.from(buf.buffer, buf.byteOffset + pos, limit - pos).indexOf(this.quote)
      this.quoteBuf = buf
      this.quoteBase = base
      this.quoteFrom = pos
      this.quoteLimit = limit
      this.quoteAt = at < 0 ? -1 : pos + at
    }
    return this.quoteAt
  }
}
