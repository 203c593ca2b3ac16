/**
 * The fast quote-free scanner and the sliding window change nothing a user sees: over random CSV
 * text (quoted fields with delimiters, LFs and `""`, stray quotes, CRLF, lone CRs, blank lines
 * (records of a one-column file whose empty field is null), empty fields, ragged rows, a missing final newline; quoting on or off), reading any subset of
 * columns through any window size gives the full scanner's whole-file read projected onto those
 * columns, or the very same error. Replay a failure with TSDASK_PROPERTY_SEED=<seed printed by fast-check>.
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { bytesSource } from '../../../src/io/csv/byte-source.js'
import { compileDialect } from '../../../src/io/csv/options.js'
import { type ReadCsvChunkArgs, readChunkFrom } from '../../../src/io/csv/read-chunk.js'
import type { Schema } from '../../../src/types/schema.js'
import { type Cell, rowsOf } from './helpers.js'

const runs = Number(process.env.FC_RUNS ?? 300)

const plainChars = ['a', 'b', '1', ' ', '\r', 'é', 'NA']
const quotedChars = [...plainChars, ',', ';', '\t', '\n', '\r\n', '""']
const plain = fc.array(fc.constantFrom(...plainChars), { maxLength: 4 }).map((cs) => cs.join(''))
const quoted = fc.array(fc.constantFrom(...quotedChars), { maxLength: 4 }).map((cs) => `"${cs.join('')}"`)
// Rare: a quote where none may be (an error both scanners must report alike).
const stray = plain.map((text) => `${text}"x`)
const field = fc.oneof(
  { weight: 12, arbitrary: plain },
  { weight: 3, arbitrary: quoted },
  { weight: 1, arbitrary: stray },
)

const csv = fc.integer({ min: 1, max: 6 }).chain((width) =>
  fc.record({
    width: fc.constant(width),
    delimiter: fc.constantFrom(',', ';', '\t'),
    // '' turns quoting off: quote bytes are then plain data to both scanners.
    quote: fc.constantFrom('"', '"', '"', ''),
    header: fc.boolean(),
    // With '' null, a one-column file's blank lines are records (tokenize.ts, skipsBlankLines).
    nullValues: fc.constantFrom(['NA'], ['', 'NA']),
    rows: fc.array(
      fc.record({
        // Mostly `width` fields; sometimes one too few or too many (a ragged row).
        extra: fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 1),
        fields: fc.array(field, { minLength: width + 1, maxLength: width + 1 }),
        eol: fc.constantFrom('\n', '\r\n'),
        blankBefore: fc.constantFrom('', '', '', '', '\n', '\r\n'),
      }),
      { maxLength: 25 },
    ),
    finalNewline: fc.boolean(),
    quoteFree: fc.boolean(),
    columns: fc.shuffledSubarray(
      Array.from({ length: width }, (_, i) => i),
      { minLength: 0, maxLength: width },
    ),
    windowBytes: fc.integer({ min: 1, max: 48 }),
  }),
)

type Csv = typeof csv extends fc.Arbitrary<infer T> ? T : never

function render(t: Csv): { bytes: Uint8Array; schema: Schema } {
  const schema: Schema = Array.from({ length: t.width }, (_, i) => ({ name: `c${i}`, dtype: 'utf8' }))
  let text = t.header ? `${schema.map((f) => f.name).join(t.delimiter)}\n` : ''
  t.rows.forEach((row, r) => {
    const fields = row.fields.slice(0, Math.max(1, t.width + row.extra))
    // quoteFree: a file with no quote at all, so the fast scanner reads it end to end.
    const cells = t.quoteFree ? fields.map((f) => f.replaceAll('"', '').replaceAll(/[,;\t\n]/g, '')) : fields
    const line = cells.join(t.delimiter)
    const last = r === t.rows.length - 1
    text += row.blankBefore + line + (last && !t.finalNewline ? '' : row.eol)
  })
  return { bytes: new TextEncoder().encode(text), schema }
}

type Outcome = { rows: Cell[][] } | { error: string }

function read(
  t: Csv,
  bytes: Uint8Array,
  schema: Schema,
  columns: readonly number[],
  quoteFreeScan: boolean,
  windowBytes: number,
  simdMasks = true,
): Outcome {
  const args: ReadCsvChunkArgs = {
    path: 'random.csv',
    start: 0,
    end: bytes.length,
    fileSchema: schema,
    columns,
    delimiter: t.delimiter,
    quote: t.quote,
    header: t.header,
    nullValues: t.nullValues,
  }
  try {
    return {
      rows: rowsOf(
        readChunkFrom(bytesSource(bytes), args, compileDialect(t.delimiter, t.quote), {
          windowBytes,
          quoteFreeScan,
          simdMasks,
        }),
      ),
    }
  } catch (error) {
    return { error: (error as Error).message }
  }
}

describe('quote-free fast scanning and windowed reading', () => {
  test('any columns through any window read what the full scanner reads, errors included', () => {
    fc.assert(
      fc.property(csv, (t) => {
        const { bytes, schema } = render(t)
        const all = schema.map((_, i) => i)
        const reference = read(t, bytes, schema, all, false, 1 << 20)
        const projected: Outcome =
          'rows' in reference ? { rows: reference.rows.map((row) => t.columns.map((c) => row[c]!)) } : reference
        expect(read(t, bytes, schema, t.columns, true, t.windowBytes)).toEqual(projected)
        expect(read(t, bytes, schema, t.columns, true, 1 << 20)).toEqual(projected)
        // The masks built in plain JavaScript (where WebAssembly SIMD is missing) read the same.
        expect(read(t, bytes, schema, t.columns, true, t.windowBytes, false)).toEqual(projected)
        expect(read(t, bytes, schema, all, true, t.windowBytes)).toEqual(reference)
        expect(read(t, bytes, schema, t.columns, false, t.windowBytes)).toEqual(projected)
      }),
      { numRuns: runs },
    )
  })
})
