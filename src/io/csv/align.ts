/**
 * Record alignment: where does the first record at or after a raw byte offset start?
 *
 * A chunk `[start, end)` owns the records that start in it, and both of its edges are found by the
 * same function, `findRecordStart(source, offset)`: the chunk reads from `findRecordStart(start)`
 * to `findRecordStart(end)`. Adjacent chunks share an edge, so no record is lost or read twice.
 *
 * At a raw offset the quote state is unknown. The candidate boundary is the first LF at or after
 * `offset - 1` (so an offset that already begins a line is its own answer). Two hypotheses:
 * - OUT: that LF ends a record. Check: the next `VERIFY_RECORDS` records (or all up to EOF) scan
 *   cleanly with the expected field count. If so, answer the position after the LF.
 * - IN: that LF is inside a quoted field. Check: scanning from it in quoted mode closes the quote,
 *   finishes that record cleanly, and the records after it verify as above. If so, answer the end
 *   of that record.
 * OUT wins ties (quoted newlines are the rarer case); if neither verifies (a malformed file), the
 * answer is OUT, and the chunk that holds the bad row reports it with its line number.
 *
 * The answer depends only on the file bytes, the dialect and the field count, never on how many
 * bytes were read to decide (a verification that runs out of bytes reads more and retries).
 *
 * Residual ambiguity: a quoted field can contain text that itself scans as `VERIFY_RECORDS` valid
 * records (e.g. an embedded CSV snippet with the right field count). Then the guess can be wrong.
 * It never becomes a wrong answer: `readCsvChunk` parses from a true record start (the file start,
 * or an edge the previous chunk's parse ended on exactly) and raises CSV_PARSE if its last record
 * does not end exactly on its end edge. The fix offered is one chunk per file (a huge blocksize).
 */
import type { ByteSource } from './byte-source.js'
import type { Dialect } from './options.js'
import { LF, RecordScanner, SCAN_END, SCAN_INCOMPLETE, SCAN_RECORD } from './tokenize.js'

export const VERIFY_RECORDS = 8
const FIRST_WINDOW = 64 * 1024

const VALID = 0
const INVALID = 1
const NEED_MORE = 2

/** `skipBlankLines`: as the chunk's reader scans (`skipsBlankLines` in tokenize.ts). */
export function findRecordStart(
  source: ByteSource,
  offset: number,
  dialect: Dialect,
  expectedFields: number,
  skipBlankLines = true,
): number {
  if (offset <= 0) return 0
  if (offset >= source.size) return source.size
  const from = offset - 1
  const scanner = new RecordScanner(0, dialect.delimiter, dialect.quote, skipBlankLines)
  for (let window = FIRST_WINDOW; ; window *= 4) {
    const buf = source.read(from, window)
    const atEof = from + buf.length >= source.size
    const answer = decide(buf, atEof, scanner, expectedFields)
    if (answer >= 0) return from + answer
  }
}

/** The boundary relative to `buf`, or -1 when more bytes are needed. */
function decide(buf: Uint8Array, atEof: boolean, scanner: RecordScanner, expected: number): number {
  const newline = buf.indexOf(LF)
  if (newline < 0) return atEof ? buf.length : -1
  const candidate = newline + 1
  const out = verify(buf, candidate, atEof, scanner, expected)
  if (out === VALID) return candidate
  if (out === NEED_MORE) return -1
  if (scanner.quote < 0) return candidate
  const recordEnd = scanner.scan(buf, newline, buf.length, atEof, true)
  if (scanner.status === SCAN_INCOMPLETE) return -1
  if (scanner.status !== SCAN_RECORD) return candidate
  const inQuotes = verify(buf, recordEnd, atEof, scanner, expected)
  if (inQuotes === VALID) return recordEnd
  if (inQuotes === NEED_MORE) return -1
  return candidate
}

function verify(buf: Uint8Array, pos: number, atEof: boolean, scanner: RecordScanner, expected: number): number {
  for (let k = 0; k < VERIFY_RECORDS; k++) {
    pos = scanner.scan(buf, pos, buf.length, atEof)
    if (scanner.status === SCAN_END) return VALID
    if (scanner.status === SCAN_INCOMPLETE) return NEED_MORE
    if (scanner.status !== SCAN_RECORD || scanner.fieldCount !== expected) return INVALID
  }
  return VALID
}
