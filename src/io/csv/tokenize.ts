/**
 * The CSV record scanner: one pass over bytes that finds where each field of one record starts
 * and ends, tracking quotes. It makes no strings and converts nothing; callers read the field
 * bounds and convert only the columns they need.
 *
 * Dialect (RFC 4180 with the usual relaxations):
 * - A record ends at LF. A CR immediately before LF (or before the end of the data) is dropped,
 *   so CRLF files read like LF files. A CR anywhere else is ordinary data: old-Mac CR-only files
 *   are not supported (they would read as one long record and fail the field-count check).
 * - A field that starts with the quote character is quoted: it may hold delimiters, LF, CR, and
 *   doubled quotes (`""` stands for `"`). After its closing quote only a delimiter or the record
 *   end may follow. A quote inside an unquoted field is an error (no lenient guessing).
 * - Blank lines (empty, or a lone CR before the LF) are skipped, except where `skipsBlankLines`
 *   says they are records (a one-column file, as in DuckDB): see there.
 *
 * Invariant: `scan` is a pure function of (bytes, position, limit, atEof, startInQuotes); record
 * alignment (align.ts) relies on that to decide chunk boundaries the same way from both sides.
 */

export const LF = 10
export const CR = 13

/** `flags[f]` bits. */
export const QUOTED = 1
/** The quoted field contains `""` escapes, so its bytes must be unescaped before use. */
export const ESCAPED = 2

/** `scan` outcomes, in `status`. */
export const SCAN_RECORD = 0
/** No record: the data ends here, or only skipped blank lines come before its end. */
export const SCAN_END = 1
/** The data ends inside the record and more bytes exist: read more and scan again. */
export const SCAN_INCOMPLETE = 2
export const SCAN_UNTERMINATED_QUOTE = 3
export const SCAN_QUOTE_IN_UNQUOTED = 4
export const SCAN_TEXT_AFTER_QUOTE = 5

/**
 * Whether a file of `fieldCount` columns skips its blank lines, or reads each as a record (DuckDB's
 * rule, checked against DuckDB 1.5's read_csv):
 * - with several columns a blank line cannot be a record (it has one field, not `fieldCount`):
 *   it is skipped, wherever it is;
 * - with one column an empty line is a record whose one field is empty, so a null where an empty
 *   field is null (the default): `f\n1\n\n2\n` is the rows 1, NULL, 2. Where the empty field is no
 *   null (custom null values without ''), DuckDB skips the line, and so does tsdask.
 * The LF that ends the last line ends a record and starts none: a file that ends with one newline
 * has no extra row, and each further empty line at the end is one more null row (`1\n\n` is 1,
 * NULL). Blank lines before a header are skipped in any case (readers scan the header apart).
 */
export function skipsBlankLines(fieldCount: number, emptyIsNull: boolean): boolean {
  return fieldCount !== 1 || !emptyIsNull
}

export class RecordScanner {
  /** Content bounds of field f of the last record: [starts[f], ends[f]), quotes excluded. */
  readonly starts: Int32Array
  readonly ends: Int32Array
  readonly flags: Uint8Array
  /** 1 for the bytes that end an unquoted field's fast loop: delimiter, LF, quote. */
  private readonly special = new Uint8Array(256)
  /** Fields in the last record; may exceed `capacity` (only the first `capacity` are stored). */
  fieldCount = 0
  status = SCAN_RECORD
  /** Where the last record began (after any skipped blank lines). */
  recordStart = 0
  /** Byte index of the offending character for the error statuses. */
  errorAt = 0

  constructor(
    readonly capacity: number,
    readonly delimiter: number,
    /** -1 disables quoting. */
    readonly quote: number,
    /** false: an empty line is a record of one empty field (see `skipsBlankLines`). */
    readonly skipBlankLines = true,
  ) {
    this.starts = new Int32Array(capacity)
    this.ends = new Int32Array(capacity)
    this.flags = new Uint8Array(capacity)
    this.special[delimiter] = 1
    this.special[LF] = 1
    if (quote >= 0) this.special[quote] = 1
  }

  /**
   * Scans one record from `pos` in `buf[0, limit)`. `atEof` says whether `limit` is the end of
   * the data (else running out is SCAN_INCOMPLETE). With `startInQuotes`, `pos` is taken to be
   * inside a quoted field (used to test the hypothesis "this newline was quoted").
   * Returns the position after the record's terminator; check `status` first.
   */
  scan(buf: Uint8Array, pos: number, limit: number, atEof: boolean, startInQuotes = false): number {
    const d = this.delimiter
    const q = this.quote
    const cap = this.capacity
    const starts = this.starts
    const ends = this.ends
    const flags = this.flags
    const special = this.special
    if (!startInQuotes) {
      while (this.skipBlankLines && pos < limit) {
        const c = buf[pos]!
        if (c === LF) pos++
        else if (c === CR && (pos + 1 < limit ? buf[pos + 1] === LF : atEof)) pos++
        else break
      }
      // Past the last LF there is no record, not even an empty one.
      if (pos >= limit) {
        this.status = atEof ? SCAN_END : SCAN_INCOMPLETE
        return pos
      }
    }
    this.recordStart = pos
    let f = 0
    // When set, a quoted field's content begins at contentStart (after its opening quote).
    let quoted = startInQuotes
    let contentStart = pos
    for (;;) {
      if (!quoted) {
        let p = pos
        // 256 is no byte and no disabled quote (-1), so after the loop c === d, LF or q implies
        // p < limit. One table load per byte instead of three compares: `special` marks d, LF, q.
        let c = 256
        while (p < limit) {
          c = buf[p]!
          if (special[c] !== 0) break
          p++
        }
        if (c === d) {
          if (f < cap) {
            starts[f] = pos
            ends[f] = p
            flags[f] = 0
          }
          f++
          pos = p + 1
          continue
        }
        if (c === q) {
          if (p !== pos) return this.fail(SCAN_QUOTE_IN_UNQUOTED, p)
          quoted = true
          contentStart = pos + 1
          continue
        }
        if (c !== LF && !atEof) return this.fail(SCAN_INCOMPLETE, pos)
        if (f < cap) {
          starts[f] = pos
          ends[f] = p > pos && buf[p - 1] === CR ? p - 1 : p
          flags[f] = 0
        }
        return this.done(f + 1, c === LF ? p + 1 : p)
      }
      let p = contentStart
      let fl = QUOTED
      for (;;) {
        while (p < limit && buf[p] !== q) p++
        if (p >= limit) return this.fail(atEof ? SCAN_UNTERMINATED_QUOTE : SCAN_INCOMPLETE, pos)
        if (p + 1 < limit) {
          if (buf[p + 1] === q) {
            fl |= ESCAPED
            p += 2
            continue
          }
        } else if (!atEof) return this.fail(SCAN_INCOMPLETE, pos)
        break
      }
      if (f < cap) {
        starts[f] = contentStart
        ends[f] = p
        flags[f] = fl
      }
      f++
      p++
      if (p >= limit) return this.done(f, p)
      const c = buf[p]!
      if (c === d) {
        quoted = false
        pos = p + 1
        continue
      }
      if (c === LF) return this.done(f, p + 1)
      if (c === CR) {
        if (p + 1 < limit) {
          if (buf[p + 1] === LF) return this.done(f, p + 2)
        } else return atEof ? this.done(f, p + 1) : this.fail(SCAN_INCOMPLETE, pos)
      }
      return this.fail(SCAN_TEXT_AFTER_QUOTE, p)
    }
  }

  private done(fieldCount: number, next: number): number {
    this.fieldCount = fieldCount
    this.status = SCAN_RECORD
    return next
  }

  private fail(status: number, at: number): number {
    this.status = status
    this.errorAt = at
    return -1
  }
}

/**
 * Copies a quoted field's content with `""` collapsed to `"` into `out` from index `at`; returns
 * the length. `out` may be `buf` itself with `at === s`: the result is never longer than the input,
 * so unescaping in place is safe.
 */
export function unescapeQuotes(buf: Uint8Array, s: number, e: number, quote: number, out: Uint8Array, at = 0): number {
  let n = at
  for (let i = s; i < e; i++) {
    const c = buf[i]!
    out[n++] = c
    if (c === quote) i++
  }
  return n - at
}
