/**
 * The fast record scanner for bytes that hold no quote character: it reads the data four bytes at
 * a time (SWAR: one 32-bit word compared against the delimiter and LF in a few integer operations)
 * and stops only where a wanted field begins or ends, or a record ends. A word holding only
 * delimiters between unwanted fields costs a popcount, so unwanted columns are skipped at a
 * fraction of the byte-by-byte scanner's cost (tokenize.ts), while every delimiter is still counted:
 * a record with the wrong number of fields is reported exactly as the full scanner reports it.
 *
 * It implements the same dialect as RecordScanner for quote-free data (LF ends a record, a CR
 * right before the LF or the data end is dropped, blank and lone-CR lines are skipped). It looks
 * for the quote byte in the same word operations and stops at the record holding one, which the
 * caller hands to RecordScanner; quoted files thus cost one failed fast attempt per quoted record.
 *
 * Field bounds go straight into the caller's column-major batch arrays: wanted field j of the
 * batch's record r is at slot `j * stride + r`.
 */
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

/** Bit 7 of each byte of the result is clear exactly where the byte of `x` is zero (no false positives). */
function nonZeroBytes(x: number): number {
  return ((x & LOW7) + LOW7) | 0 | x
}

export class QuoteFreeScanner {
  /** Records in the batch; the caller sets it before `scan` and reads it after. */
  count = 0
  status = QF_FULL
  recordStart = 0
  fieldCount = 0
  /** Per file field: its slot among the wanted fields, or -1. */
  private readonly slotOf: Int32Array
  /** Per delimiter index k (field k's end): the first k' >= k that begins or ends a wanted field, or NONE. */
  private readonly nextBoundary: Int32Array
  private readonly delimiters: number
  private readonly quotes: number
  /** HIGH when quoting is off, so no byte counts as a quote. */
  private readonly noQuotes: number
  private words: Int32Array<ArrayBufferLike> = new Int32Array(0)
  private wordsOf: ArrayBufferLike | null = null

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
  ) {
    this.slotOf = new Int32Array(expected).fill(-1)
    fields.forEach((f, slot) => {
      this.slotOf[f] = slot
    })
    this.nextBoundary = new Int32Array(expected + 1).fill(NONE)
    for (let k = expected - 1; k >= 0; k--) {
      const wanted = this.slotOf[k]! >= 0 || (k + 1 < expected && this.slotOf[k + 1]! >= 0)
      this.nextBoundary[k] = wanted ? k : this.nextBoundary[k + 1]!
    }
    this.delimiters = Math.imul(delimiter, 0x01010101)
    this.quotes = quote < 0 ? 0 : Math.imul(quote, 0x01010101)
    this.noQuotes = quote < 0 ? HIGH : 0
  }

  /**
   * Scans records from `pos` (a record start) in `buf[0, limit)`, appending wanted field bounds to
   * the batch until it holds `want` records, or a record holds a quote. `atEnd` says that `limit`
   * is the end of the data. `buf.byteOffset` must be a multiple of 4. Returns the position after
   * the last record taken (QF_INCOMPLETE, QF_RAGGED, QF_QUOTE: the start of the record not taken).
   */
  scan(
    buf: Uint8Array,
    pos: number,
    limit: number,
    atEnd: boolean,
    starts: Int32Array,
    ends: Int32Array,
    stride: number,
    want: number,
  ): number {
    if (buf.buffer !== this.wordsOf) {
      this.words = new Int32Array(buf.buffer, buf.byteOffset, buf.byteLength >> 2)
      this.wordsOf = buf.buffer
    }
    const words = this.words
    const slotOf = this.slotOf
    const nextBoundary = this.nextBoundary
    const delimiters = this.delimiters
    const quotes = this.quotes
    const noQuotes = this.noQuotes
    const expected = this.expected
    let count = this.count
    let recordStart = pos
    let fieldStart = pos
    let f = 0
    // With atEnd, a virtual LF at `limit` ends a last record that has none.
    const last = atEnd ? limit : limit - 1
    let skipBelow = -1 << ((pos & 3) << 3)
    for (let at0 = pos & ~3; at0 <= last; at0 += 4) {
      let w: number
      if (at0 + 4 <= limit) w = words[at0 >> 2]!
      else {
        w = 0
        for (let k = at0; k < limit; k++) w |= buf[k]! << ((k - at0) << 3)
        if (atEnd) w |= LF << ((limit - at0) << 3)
      }
      const sd = nonZeroBytes(w ^ delimiters)
      const sl = nonZeroBytes(w ^ LFS)
      const sq = nonZeroBytes(w ^ quotes) | noQuotes
      // Bit 7 of each byte that is a delimiter, LF or quote (at or after pos).
      const special = ~(sd & sl & sq) & HIGH & skipBelow
      skipBelow = -1
      if (special === 0) continue
      const qm = ~sq & special
      // Only the events before the first quote count; the quote's record goes to RecordScanner.
      let m = qm === 0 ? special : special & ((qm & -qm) - 1)
      const lm = ~sl & m
      if ((lm | qm) === 0) {
        const n = Math.imul(m >>> 7, 0x01010101) >>> 24
        if (nextBoundary[Math.min(f, expected)]! >= f + n) {
          f += n
          continue
        }
      }
      while (m !== 0) {
        const bit = m & -m
        m ^= bit
        const at = at0 + ((31 - Math.clz32(bit)) >> 3)
        if ((lm & bit) === 0) {
          // Delimiter number f: field f ends here.
          if (f < expected) {
            const slot = slotOf[f]!
            if (slot >= 0) {
              starts[slot * stride + count] = fieldStart
              ends[slot * stride + count] = at
            }
          }
          f++
          fieldStart = at + 1
          continue
        }
        // LF (or the data end): the record ends.
        const crBefore = at > recordStart && buf[at - 1] === CR
        if (f === 0 && (at === recordStart || (crBefore && at === recordStart + 1))) {
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
      if (qm !== 0) {
        this.count = count
        this.status = QF_QUOTE
        return recordStart
      }
    }
    this.count = count
    this.status = atEnd ? QF_END : QF_INCOMPLETE
    return atEnd ? limit : recordStart
  }
}
