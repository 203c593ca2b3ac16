/**
 * Reads one chunk of one CSV file into a RecordBatch. Synchronous: it runs inside worker threads,
 * one task per chunk, and its arguments are JSON-safe so tasks can carry them.
 *
 * The chunk owns the records that start in its byte range `[start, end)`; both edges are aligned
 * by `findRecordStart` (see align.ts), and the bytes between the aligned edges are read through a
 * small sliding window (chunk-window.ts), each byte once. Only the requested columns are converted: other fields are scanned (to find where
 * the record ends) but never parsed, so they may hold anything without causing an error.
 *
 * Invariants:
 * - parsing starts at a true record start (the file start, or the edge where the previous chunk's
 *   parse ended); a record that runs past the end edge means the edge was misjudged, which is
 *   raised as CSV_PARSE, never returned as data;
 * - line numbers in errors are absolute lines of the file, computed only on the error path.
 */
import type { RecordBatch } from 'apache-arrow'
import type { PhysicalExpr } from '../../kernels/physical-expr.js'
import { makeBatch } from '../../types/arrow-types.js'
import type { DType } from '../../types/dtype.js'
import type { Field } from '../../types/schema.js'
import { TsdaskError } from '../../util/errors.js'
import { findRecordStart } from './align.js'
import { type ByteSource, openFileSource } from './byte-source.js'
import { ChunkWindow, WINDOW_BYTES } from './chunk-window.js'
import { type ColumnBuilder, makeColumnBuilder } from './columns.js'
import {
  ambiguousBoundaryError,
  headerMismatchError,
  headerNamesError,
  lineNumberAt,
  quoteError,
  raggedRowError,
  shownText,
  valueError,
} from './errors.js'
import { RowFilter } from './filter-while-parsing.js'
import { uniqueNames } from './infer.js'
import { parseFloat64Into, parseInt64Into, parseTimestampMs } from './number-parse.js'
import { compileDialect, type Dialect, NullMatcher } from './options.js'
import { QF_END, QF_FULL, QF_INCOMPLETE, QF_RAGGED, QuoteFreeScanner } from './quote-free-scan.js'
import {
  ESCAPED,
  LF,
  RecordScanner,
  SCAN_END,
  SCAN_INCOMPLETE,
  SCAN_RECORD,
  SCAN_UNTERMINATED_QUOTE,
  skipsBlankLines,
  unescapeQuotes,
} from './tokenize.js'

/** Records tokenized per conversion pass. */
const BATCH = 1024

export interface ReadCsvChunkArgs {
  readonly path: string
  /** Raw byte range; the chunk owns the records that start in [start, end). */
  readonly start: number
  readonly end: number
  /** Every column of the file, in file order. */
  readonly fileSchema: readonly Field[]
  /** Indexes into fileSchema to materialise, in output order. */
  readonly columns: readonly number[]
  readonly delimiter: string
  readonly quote: string
  readonly header: boolean
  readonly nullValues: readonly string[]
  /** Whether quoted fields matching `nullValues` are null too (default false; options.ts). */
  readonly allowQuotedNulls?: boolean
  /** Stop after this many rows (counted after `predicate`). */
  readonly limit?: number | null
  /**
   * Keep only rows where this is true. Its column indexes refer to `predicateColumns` (file column
   * indexes, in that order); see filter-while-parsing.ts.
   */
  readonly predicate?: PhysicalExpr | null
  readonly predicateColumns?: readonly number[]
}

export function readCsvChunk(args: ReadCsvChunkArgs): RecordBatch {
  for (const c of [...args.columns, ...(args.predicateColumns ?? [])]) {
    if (!Number.isInteger(c) || c < 0 || c >= args.fileSchema.length) {
      throw new TsdaskError(
        'INTERNAL',
        `readCsvChunk: column index ${c} is outside the file's ${args.fileSchema.length} columns`,
      )
    }
  }
  const dialect = compileDialect(args.delimiter, args.quote)
  const source = openFileSource(args.path)
  try {
    return readChunkFrom(source, args, dialect)
  } finally {
    source.close()
  }
}

/**
 * readCsvChunk over any byte source. Tests use in-memory bytes, tiny windows, `quoteFreeScan:
 * false` to check the fast scanner against the full one, and `simdMasks: false` for the fast
 * scanner's plain-JavaScript masks.
 */
export function readChunkFrom(
  source: ByteSource,
  args: ReadCsvChunkArgs,
  dialect: Dialect,
  { windowBytes = WINDOW_BYTES, quoteFreeScan = true, simdMasks = true } = {},
): RecordBatch {
  const { path, fileSchema, columns } = args
  const expected = fileSchema.length
  const size = source.size
  const nulls = new NullMatcher(args.nullValues, dialect.quote, args.allowQuotedNulls ?? false)
  const skipBlankLines = skipsBlankLines(expected, nulls.emptyIsNull)
  // Records begin after the BOM and the header. An edge that alignment puts before that (a small
  // blocksize over blank lines or a multi-line header) moves there, so no chunk reads the header
  // as data; both sides of an edge move it alike.
  const dataStart = firstRecordAt(source, args, dialect)
  const from = Math.max(dataStart, findRecordStart(source, args.start, dialect, expected, skipBlankLines))
  const to =
    args.end >= size ? size : Math.max(dataStart, findRecordStart(source, args.end, dialect, expected, skipBlankLines))
  if (to < from) throw ambiguousBoundaryError(path, args.end)
  const window = new ChunkWindow(source, from, to, windowBytes)
  let buf = window.bytes
  const scanner = new RecordScanner(expected, dialect.delimiter, dialect.quote, skipBlankLines)
  const failure = () => scanFailure(source, path, from, window.base, scanner, dialect, to === size)
  let pos = 0

  const names = columns.map((c) => fileSchema[c]!.name)
  const filter = args.predicate ? new RowFilter(fileSchema, columns, args.predicateColumns ?? [], args.predicate) : null
  // Builders start at the chunk's estimated row count, or at the row limit when that is smaller (head()).
  // Under a filter the count is unknown: start small and let builders double, so a selective
  // filter never allocates for the whole chunk.
  const estimate = Math.max(
    1,
    Math.min(
      estimateRecords(buf.subarray(pos, window.length), to - window.base - pos),
      args.limit ?? Number.POSITIVE_INFINITY,
      filter ? BATCH : Number.POSITIVE_INFINITY,
    ),
  )
  const builders: ColumnBuilder[] = columns.map((c) => makeColumnBuilder(fileSchema[c]!.dtype, estimate))
  // Tokenized fields: the output columns, then the columns only the filter reads.
  const fieldIndexes = Int32Array.from(filter ? filter.fields : columns)
  const numFields = fieldIndexes.length
  const numColumns = columns.length
  // Quote-free stretches of the window go through the fast scanner; see quote-free-scan.ts.
  const fast =
    quoteFreeScan && QuoteFreeScanner.fits(fieldIndexes, dialect.delimiter, dialect.quote)
      ? new QuoteFreeScanner(expected, dialect.delimiter, dialect.quote, fieldIndexes, simdMasks, skipBlankLines)
      : null
  const ragged = (recordStart: number, found: number) =>
    raggedRowError(path, lineNumberAt(source, window.base + recordStart), expected, found, dialect.delimiter)
  const { starts, ends, flags } = scanner
  const quote = dialect.quote
  const limit = args.limit ?? Number.POSITIVE_INFINITY
  // Records are tokenized BATCH at a time into column-major bounds, then each builder converts its
  // column in one loop: a builder's loop sees one class (monomorphic, inlined), where converting
  // row by row would call a different builder class for every cell.
  const batchStarts = new Int32Array(BATCH * numFields)
  const batchEnds = new Int32Array(BATCH * numFields)
  let rows = 0
  let pending: TsdaskError | null = null
  let done = false
  while (!done && rows < limit) {
    let count = 0
    const want = Math.min(BATCH, limit - rows)
    // Set when the window ends inside a record: convert this batch, then slide the window on.
    let slide = false
    while (count < want) {
      if (fast !== null) {
        fast.count = count
        pos = fast.scan(buf, window.base, pos, window.length, window.atEnd, batchStarts, batchEnds, BATCH, want)
        count = fast.count
        if (fast.status === QF_FULL) break
        if (fast.status === QF_END) {
          done = true
          break
        }
        if (fast.status === QF_RAGGED) {
          pending = ragged(fast.recordStart, fast.fieldCount)
          done = true
          break
        }
        if (fast.status === QF_INCOMPLETE) {
          slide = true
          break
        }
        // QF_QUOTE: the record at pos holds a quote, which the full scanner reads.
      }
      const next = scanner.scan(buf, pos, window.length, window.atEnd)
      if (scanner.status !== SCAN_RECORD) {
        if (scanner.status === SCAN_INCOMPLETE) {
          slide = true
          break
        }
        if (scanner.status !== SCAN_END) pending = failure()
        done = true
        break
      }
      if (scanner.fieldCount !== expected) {
        pending = ragged(scanner.recordStart, scanner.fieldCount)
        done = true
        break
      }
      for (let j = 0, slot = count; j < numFields; j++, slot += BATCH) {
        const f = fieldIndexes[j]!
        const s = starts[f]!
        batchStarts[slot] = s
        // Unescape in place: buf is this chunk's private copy and `""` → `"` only shrinks.
        batchEnds[slot] = flags[f]! & ESCAPED ? s + unescapeQuotes(buf, s, ends[f]!, quote, buf, s) : ends[f]!
      }
      count++
      pos = next
    }
    // Convert before raising a scan error, so an earlier bad value is reported first; among bad
    // values, report the one earliest in the file.
    let badSlot = -1
    if (filter) {
      const r = filter.select(buf, batchStarts, batchEnds, BATCH, count, nulls)
      if (r.badSlot >= 0) badSlot = r.badSlot
      else count = r.kept
    }
    const filterFailed = badSlot >= 0
    for (let j = 0; j < numColumns && !filterFailed; j++) {
      const bad = builders[j]!.appendBatch(buf, batchStarts, batchEnds, j * BATCH, count, nulls)
      if (bad >= 0 && (badSlot < 0 || batchStarts[bad]! < batchStarts[badSlot]!)) badSlot = bad
    }
    if (badSlot >= 0) {
      const f = fieldIndexes[Math.floor(badSlot / BATCH)]!
      const s = batchStarts[badSlot]!
      const cell = buf.slice(s, batchEnds[badSlot]!)
      const field = fileSchema[f]!
      const line = lineNumberAt(source, window.base + s)
      // A quoted null spelling (`""`) is a value unless asked: say so rather than suggest nullValues.
      const quotedNull = s > 0 && buf[s - 1] === quote && nulls.matchesContent(buf, s, batchEnds[badSlot]!)
      const suggested = suggestDtype(field.dtype, cell)
      throw valueError(path, line, field.name, f, shownText(cell), field.dtype, suggested, quotedNull)
    }
    if (pending) throw pending
    rows += count
    if (slide) {
      pos -= window.slide(pos)
      buf = window.bytes
    }
  }
  return makeBatch(
    names,
    builders.map((b) => b.finish()),
    rows,
  )
}

/**
 * Where the file's first data record may begin: after a UTF-8 BOM, and with a header after it
 * (blank lines before it skipped whatever the columns, as inference skips them); the file's size
 * when there is no header record. The chunk at the file's start checks the header against the
 * schema: inference samples only the first few files of a glob, so every file's header is checked
 * here, and a file with its columns in another order is an error, never a silent swap.
 */
function firstRecordAt(source: ByteSource, args: ReadCsvChunkArgs, dialect: Dialect): number {
  const head = source.read(0, 3)
  const bom = head.length === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0
  if (!args.header) return bom
  const { path, fileSchema } = args
  const scanner = new RecordScanner(fileSchema.length, dialect.delimiter, dialect.quote)
  for (let window = 1 << 12; ; window *= 4) {
    const buf = source.read(0, window)
    const next = scanner.scan(buf, bom, buf.length, buf.length >= source.size)
    if (scanner.status === SCAN_INCOMPLETE) continue
    if (scanner.status === SCAN_END) return source.size
    if (scanner.status !== SCAN_RECORD) throw scanFailure(source, path, 0, 0, scanner, dialect, true)
    if (args.start <= 0) {
      if (scanner.fieldCount !== fileSchema.length)
        throw headerMismatchError(path, fileSchema.length, scanner.fieldCount)
      const names = uniqueNames(headerNames(buf, scanner, dialect.quote))
      if (names.some((n, i) => n !== fileSchema[i]!.name)) {
        throw headerNamesError(
          path,
          names,
          fileSchema.map((f) => f.name),
        )
      }
    }
    return next
  }
}

/**
 * Rows to allocate for: LFs per byte in the first 64 KiB of `head` (the data's first bytes),
 * extrapolated to `total` bytes, plus 10%. Builders still grow if the estimate is short; this only
 * avoids repeated doubling and copying on big chunks.
 */
function estimateRecords(head: Uint8Array, total: number): number {
  const sample = head.subarray(0, 1 << 16)
  let lines = 1
  for (let i = sample.indexOf(LF); i >= 0; i = sample.indexOf(LF, i + 1)) lines++
  return Math.ceil(((lines * total) / Math.max(1, sample.length)) * 1.1) + 16
}

/**
 * A quoting error, or — when the chunk's last record runs past its end edge although the file
 * goes on — a misjudged edge. Tell them apart by finishing that record against the whole file.
 */
function scanFailure(
  source: ByteSource,
  path: string,
  from: number,
  /** File offset of the window the scanner's positions refer to. */
  base: number,
  scanner: RecordScanner,
  dialect: Dialect,
  atFileEnd: boolean,
): TsdaskError {
  const status = scanner.status
  const errorAt = base + scanner.errorAt
  // A chunk that starts at a guessed record boundary (from > 0) and runs into an unclosed quote
  // may have started inside a quoted field. Quote parity from the file start
  // tells (errors are rare, so reading the prefix here costs parsing nothing): then the boundary
  // is at fault, and blaming the file would give advice (quote: '') that reads wrong data.
  if (status === SCAN_UNTERMINATED_QUOTE && from > 0 && insideQuotes(source, from, dialect.quote)) {
    return ambiguousBoundaryError(path, from)
  }
  if (status === SCAN_UNTERMINATED_QUOTE && !atFileEnd) {
    const recordStart = base + scanner.recordStart
    const probe = new RecordScanner(0, dialect.delimiter, dialect.quote)
    for (let window = 1 << 16; ; window *= 4) {
      const bytes = source.read(recordStart, window)
      probe.scan(bytes, 0, bytes.length, recordStart + bytes.length >= source.size)
      if (probe.status === SCAN_INCOMPLETE) continue
      if (probe.status === SCAN_RECORD) return ambiguousBoundaryError(path, recordStart)
      break
    }
  }
  return quoteError(path, lineNumberAt(source, errorAt), status, dialect.quote)
}

/** The narrowest dtype that could hold a value the column's dtype rejected, for the error's advice. */
function suggestDtype(dtype: DType, cell: Uint8Array): DType {
  const text = new TextDecoder().decode(cell).trim()
  const bytes = new TextEncoder().encode(text)
  const n = bytes.length
  if (dtype === 'int32' && parseInt64Into(bytes, 0, n, new BigInt64Array(1), new Int32Array(2), 0)) return 'int64'
  if ((dtype === 'int32' || dtype === 'int64') && parseFloat64Into(bytes, 0, n, new Float64Array(1), 0)) {
    return 'float64'
  }
  if (dtype === 'date32' && !Number.isNaN(parseTimestampMs(bytes, 0, n))) return 'timestamp[ms]'
  return 'utf8'
}

/** The header record's field names, unquoted and unescaped. */
function headerNames(buf: Uint8Array, scanner: RecordScanner, quote: number): string[] {
  const decoder = new TextDecoder()
  return Array.from({ length: scanner.fieldCount }, (_, f) => {
    const s = scanner.starts[f]!
    const e = scanner.ends[f]!
    if ((scanner.flags[f]! & ESCAPED) === 0) return decoder.decode(buf.subarray(s, e))
    const out = new Uint8Array(e - s)
    return decoder.decode(out.subarray(0, unescapeQuotes(buf, s, e, quote, out)))
  })
}

/** Whether byte `offset` lies inside a quoted field: an odd number of quote bytes before it ("" escapes count twice). */
function insideQuotes(source: ByteSource, offset: number, quote: number): boolean {
  const WINDOW = 16 * 1024 * 1024
  let odd = false
  for (let at = 0; at < offset; at += WINDOW) {
    const bytes = source.read(at, Math.min(WINDOW, offset - at))
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === quote) odd = !odd
  }
  return odd
}
