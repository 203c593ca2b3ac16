/**
 * Schema inference from a sample: the first `sampleBytes` (default 256 KiB) of the first file,
 * plus the first 64 KiB of up to 4 later files (cheap, and it catches a header that differs).
 *
 * Each column starts as "anything" and every non-null sampled value rules types out; the column
 * gets the first type still possible in this order: bool (`true`/`false`, any case), int32, int64,
 * float64, date32 (`YYYY-MM-DD`), timestamp[ms] (ISO 8601), utf8. A column with no non-null value
 * in the sample is utf8. Values are trimmed of spaces and tabs for the non-string tests, as the
 * column builders trim them. Nulls (options.ts: by default only empty unquoted fields) rule
 * nothing out; a quoted `""` is a value, the empty string, which only utf8 holds.
 *
 * Sampling can miss a wider value later in the file; reading that value is then a CSV_VALUE error
 * that suggests the schema override, never a silently wrong answer.
 */
import type { DType } from '../../types/dtype.js'
import { isDType } from '../../types/dtype.js'
import type { Field, Schema } from '../../types/schema.js'
import { closestNames, TsdaskError } from '../../util/errors.js'
import { type ByteSource, openFileSource } from './byte-source.js'
import { headerNamesError, lineNumberAt, quoteError, raggedRowError } from './errors.js'
import { isBoolWord, parseDateDays, parseFloat64Into, parseSmallInteger, parseTimestampMs } from './number-parse.js'
import { type CsvOptions, compileDialect, DEFAULT_NULL_VALUES, DEFAULT_SAMPLE_BYTES, NullMatcher } from './options.js'
import {
  ESCAPED,
  QUOTED,
  RecordScanner,
  SCAN_END,
  SCAN_INCOMPLETE,
  SCAN_RECORD,
  skipsBlankLines,
  unescapeQuotes,
} from './tokenize.js'

const LATER_FILES = 4
const LATER_FILE_BYTES = 64 * 1024
/** The sample grows past sampleBytes (up to this) only until it holds one whole record. */
const MAX_SAMPLE_BYTES = 64 * 1024 * 1024

const BOOL = 1
const INT32 = 2
const INT64 = 4
const FLOAT64 = 8
const DATE32 = 16
const TIMESTAMP = 32
const ANY = BOOL | INT32 | INT64 | FLOAT64 | DATE32 | TIMESTAMP
const ORDER: readonly (readonly [number, DType])[] = [
  [BOOL, 'bool'],
  [INT32, 'int32'],
  [INT64, 'int64'],
  [FLOAT64, 'float64'],
  [DATE32, 'date32'],
  [TIMESTAMP, 'timestamp[ms]'],
]

export interface InferredCsvSchema {
  /** Every column of the files, in file order. */
  readonly schema: Schema
  /** The header names as written (before deduplication); positional names when header is false. */
  readonly header: string[]
}

/**
 * @example
 * const { schema } = inferCsvSchema(['trips.csv'], { schema: { fare: 'float64' } })
 */
export function inferCsvSchema(paths: readonly string[], options: CsvOptions = {}): InferredCsvSchema {
  const first = paths[0]
  if (first === undefined) throw new TsdaskError('IO', 'inferCsvSchema: no files to read')
  const dialect = compileDialect(options.delimiter, options.quote)
  const hasHeader = options.header ?? true
  const ctx: SampleContext = {
    scanner: new RecordScanner(0, dialect.delimiter, dialect.quote),
    nulls: new NullMatcher(options.nullValues ?? DEFAULT_NULL_VALUES, dialect.quote, options.allowQuotedNulls ?? false),
    quote: dialect.quote,
    delimiter: dialect.delimiter,
    masks: [],
    given: new Set(Object.keys(options.schema ?? {}).filter((name) => options.schema?.[name] !== undefined)),
    scratch: new Uint8Array(1024),
    floatSlot: new Float64Array(1),
  }
  // The header comes from the first file that has one: empty files (0 bytes) say nothing.
  let header: string[] | null = null
  let sampled = 0
  for (const path of paths) {
    if (sampled > LATER_FILES) break
    const sampleBytes = header === null ? (options.sampleBytes ?? DEFAULT_SAMPLE_BYTES) : LATER_FILE_BYTES
    const source = openFileSource(path)
    try {
      const fileHeader = sampleFile(source, path, sampleBytes, hasHeader, ctx, header)
      if (header === null && fileHeader.length > 0) header = fileHeader
      if (header !== null) sampled++
    } finally {
      source.close()
    }
  }
  header ??= []
  const names = uniqueNames(header)
  const schema: Field[] = names.map((name, i) => ({ name, dtype: dtypeOfMask(ctx.masks[i]) }))
  return { schema: applyOverrides(schema, options.schema ?? {}), header }
}

interface SampleContext {
  scanner: RecordScanner
  readonly nulls: NullMatcher
  readonly quote: number
  readonly delimiter: number
  /** Per column: the types still possible, or undefined when no non-null value was seen. */
  readonly masks: (number | undefined)[]
  /** Columns whose dtype the caller gives: their values need no observing. */
  readonly given: ReadonlySet<string>
  scratch: Uint8Array
  readonly floatSlot: Float64Array
}

/** Samples one file; returns its header names (positional when there is no header). */
function sampleFile(
  source: ByteSource,
  path: string,
  sampleBytes: number,
  hasHeader: boolean,
  ctx: SampleContext,
  expectedHeader: readonly string[] | null,
): string[] {
  let buf = source.read(0, Math.max(sampleBytes, 1024))
  let atEof = buf.length >= source.size
  if (buf.indexOf(10) < 0 && buf.indexOf(13) >= 0) {
    throw new TsdaskError(
      'CSV_PARSE',
      `${path}: lines end with a bare CR (classic Mac OS line endings), which tsdask does not read. ` +
        'Convert the file to LF or CRLF line endings (e.g. `tr "\\r" "\\n" < old.csv > new.csv`).',
      { path },
    )
  }
  let pos = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0
  // The first record decides the field count; read on until it is whole.
  let next = scanWide(ctx, buf, pos, atEof)
  while (ctx.scanner.status === SCAN_INCOMPLETE && !atEof) {
    buf = source.read(0, buf.length * 4)
    atEof = buf.length >= source.size
    next = scanWide(ctx, buf, pos, atEof)
  }
  const scanner = ctx.scanner
  if (scanner.status === SCAN_END) return expectedHeader ? [...expectedHeader] : []
  if (scanner.status !== SCAN_RECORD) {
    throw quoteError(path, lineNumberAt(source, scanner.errorAt), scanner.status, ctx.quote)
  }
  const width = scanner.fieldCount
  const names = hasHeader
    ? Array.from({ length: width }, (_, f) => decodeField(ctx, buf, f))
    : Array.from({ length: width }, (_, f) => `column_${f}`)
  if (expectedHeader && (names.length !== expectedHeader.length || names.some((n, i) => n !== expectedHeader[i]))) {
    throw headerNamesError(path, names, expectedHeader)
  }
  if (hasHeader) pos = next
  const observedColumns = uniqueNames(names).flatMap((name, f) => (ctx.given.has(name) ? [] : [f]))
  let observed = 0
  // Records are read as the reader reads them: a one-column file's empty lines are null rows.
  if (!skipsBlankLines(width, ctx.nulls.emptyIsNull))
    ctx.scanner = new RecordScanner(width, ctx.delimiter, ctx.quote, false)
  const records = ctx.scanner
  for (;;) {
    const after = records.scan(buf, pos, buf.length, atEof)
    const status: number = records.status
    if (status === SCAN_INCOMPLETE && observed === 0 && buf.length < MAX_SAMPLE_BYTES) {
      // Not one whole record in the sample (huge quoted fields): read more rather than infer from nothing.
      buf = source.read(0, buf.length * 4)
      atEof = buf.length >= source.size
      continue
    }
    if (status === SCAN_END || status === SCAN_INCOMPLETE) break
    if (status !== SCAN_RECORD) throw quoteError(path, lineNumberAt(source, records.errorAt), status, ctx.quote)
    if (records.fieldCount !== width) {
      throw raggedRowError(path, lineNumberAt(source, records.recordStart), width, records.fieldCount, ctx.delimiter)
    }
    for (const f of observedColumns) observe(ctx, buf, f)
    observed++
    pos = after
  }
  return names
}

/** Scans the first record with a scanner wide enough to keep every field. */
function scanWide(ctx: SampleContext, buf: Uint8Array, pos: number, atEof: boolean): number {
  // Blank lines before a file's first record are skipped, whatever the last file's records were.
  if (!ctx.scanner.skipBlankLines) ctx.scanner = new RecordScanner(ctx.scanner.capacity, ctx.delimiter, ctx.quote)
  let next = ctx.scanner.scan(buf, pos, buf.length, atEof)
  if (ctx.scanner.status === SCAN_RECORD && ctx.scanner.fieldCount > ctx.scanner.capacity) {
    ctx.scanner = new RecordScanner(ctx.scanner.fieldCount, ctx.delimiter, ctx.quote)
    next = ctx.scanner.scan(buf, pos, buf.length, atEof)
  }
  return next
}

/** Field f's content bytes, unescaped when needed: [bytes, start, end]. */
function fieldBytes(ctx: SampleContext, buf: Uint8Array, f: number): [Uint8Array, number, number] {
  const { starts, ends, flags } = ctx.scanner
  const s = starts[f]!
  const e = ends[f]!
  if (!(flags[f]! & ESCAPED)) return [buf, s, e]
  if (ctx.scratch.length < e - s) ctx.scratch = new Uint8Array(2 * (e - s))
  return [ctx.scratch, 0, unescapeQuotes(buf, s, e, ctx.quote, ctx.scratch)]
}

function decodeField(ctx: SampleContext, buf: Uint8Array, f: number): string {
  const [bytes, s, e] = fieldBytes(ctx, buf, f)
  return new TextDecoder().decode(bytes.subarray(s, e))
}

function observe(ctx: SampleContext, buf: Uint8Array, f: number): void {
  const [bytes, s0, e0] = fieldBytes(ctx, buf, f)
  if (ctx.nulls.matchesField(bytes, s0, e0, (ctx.scanner.flags[f]! & QUOTED) !== 0)) return
  let s = s0
  let e = e0
  while (s < e && (bytes[s] === 32 || bytes[s] === 9)) s++
  while (e > s && (bytes[e - 1] === 32 || bytes[e - 1] === 9)) e--
  let mask = ctx.masks[f] ?? ANY
  if (mask & BOOL && !isBoolWord(bytes, s, e)) mask &= ~BOOL
  if (mask & (INT32 | INT64)) {
    const v = parseSmallInteger(bytes, s, e)
    if (Number.isNaN(v)) mask &= ~(INT32 | INT64)
    else if (!(v >= -2147483648 && v <= 2147483647)) {
      mask &= ~INT32
      if (!Number.isFinite(v)) {
        const big = BigInt(new TextDecoder().decode(bytes.subarray(s, e)))
        if (big < -(2n ** 63n) || big >= 2n ** 63n) mask &= ~INT64
      }
    }
  }
  if (mask & FLOAT64 && !parseFloat64Into(bytes, s, e, ctx.floatSlot, 0)) mask &= ~FLOAT64
  if (mask & DATE32 && Number.isNaN(parseDateDays(bytes, s, e))) mask &= ~DATE32
  if (mask & TIMESTAMP && Number.isNaN(parseTimestampMs(bytes, s, e))) mask &= ~TIMESTAMP
  ctx.masks[f] = mask
}

function dtypeOfMask(mask: number | undefined): DType {
  if (mask === undefined) return 'utf8'
  for (const [bit, dtype] of ORDER) if (mask & bit) return dtype
  return 'utf8'
}

/** Empty names become `column_<i>`; repeats get `_1`, `_2`, … (as DuckDB), never colliding. */
export function uniqueNames(header: readonly string[]): string[] {
  const taken = new Set<string>()
  const out: string[] = []
  header.forEach((raw, i) => {
    let name = raw === '' ? `column_${i}` : raw
    if (taken.has(name)) {
      let k = 1
      while (taken.has(`${name}_${k}`)) k++
      name = `${name}_${k}`
    }
    taken.add(name)
    out.push(name)
  })
  return out
}

function applyOverrides(schema: Field[], overrides: Partial<Record<string, DType>>): Field[] {
  const names = schema.map((f) => f.name)
  const byName = new Map(schema.map((f, i) => [f.name, i]))
  const out = [...schema]
  for (const [name, dtype] of Object.entries(overrides)) {
    if (dtype === undefined) continue
    const index = byName.get(name)
    if (index === undefined) {
      const close = closestNames(name, names)
      throw new TsdaskError(
        'UNKNOWN_COLUMN',
        `readCsv: schema names column "${name}", which the file does not have` +
          (close.length > 0 ? ` (did you mean ${close.map((c) => `"${c}"`).join(' or ')}?)` : '') +
          `. Columns: ${names.join(', ')}.`,
        { column: name },
      )
    }
    if (!isDType(dtype)) {
      throw new TsdaskError(
        'INVALID_ARGUMENT',
        `readCsv: schema gives column "${name}" the dtype ${JSON.stringify(dtype)}, which is not one of ` +
          `bool, int32, int64, float64, utf8, date32, timestamp[ms].`,
        { column: name },
      )
    }
    out[index] = { name, dtype }
  }
  return out
}
