/**
 * Chunked reads ≡ a single-chunk read ≡ the generated table, over random tables with random
 * quoting, quoted newlines, CRLF, and a missing final newline. Replay a failure with
 * FC_SEED=<seed printed by fast-check>; scale runs with FC_RUNS.
 */
import { rmSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { DType } from '../../../src/types/dtype.js'
import type { Schema } from '../../../src/types/schema.js'
import { type Cell, readRows, tempDir, writeFile } from './helpers.js'

const dir = tempDir()
const runs = Number(process.env.FC_RUNS ?? 150)
const seed = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) }

type ColumnSpec = { dtype: DType; values: Cell[] }

const stringChars = ['a', 'b', 'é', ' ', ',', ';', '"', '\n', '\r\n', '\r', '1', '2']
const stringValue = fc.array(fc.constantFrom(...stringChars), { maxLength: 6 }).map((cs) => cs.join(''))

function columnOf(dtype: DType, rows: number): fc.Arbitrary<ColumnSpec> {
  const value: fc.Arbitrary<Cell> =
    dtype === 'int32'
      ? fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
      : dtype === 'float64'
        ? fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x))
        : dtype === 'bool'
          ? fc.boolean()
          : stringValue
  return fc
    .array(fc.option(value, { freq: 6 }), { minLength: rows, maxLength: rows })
    .map((values) => ({ dtype, values }))
}

const table = fc.integer({ min: 0, max: 40 }).chain((rows) =>
  fc.record({
    rows: fc.constant(rows),
    columns: fc.array(
      fc.constantFrom<DType>('int32', 'float64', 'utf8', 'utf8', 'bool').chain((d) => columnOf(d, rows)),
      { maxLength: 4 },
    ),
    delimiter: fc.constantFrom(',', ';', '\t'),
    crlf: fc.boolean(),
    finalNewline: fc.boolean(),
    quoting: fc.constantFrom('minimal', 'all', 'random'),
    quoteSeed: fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
    blocksizes: fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 3 }),
    randomBlock: fc.double({ min: 0.01, max: 1, noNaN: true }),
  }),
)

type Table = typeof table extends fc.Arbitrary<infer T> ? T : never

function render(t: Table): { text: string; schema: Schema; expected: Cell[][] } {
  // Column 0 is the row number: never empty, so no line is blank.
  const schema: Schema = [
    { name: 'row', dtype: 'int32' },
    ...t.columns.map((c, i) => ({ name: `c${i}`, dtype: c.dtype })),
  ]
  const eol = t.crlf ? '\r\n' : '\n'
  let q = 0
  const field = (text: string, isString: boolean): string => {
    const needs = isString && /[",;\t\r\n]/.test(text)
    const quote = needs || t.quoting === 'all' || (t.quoting === 'random' && t.quoteSeed[q++ % 64]!)
    return quote ? `"${text.replaceAll('"', '""')}"` : text
  }
  const lines = [schema.map((f) => field(f.name, true)).join(t.delimiter)]
  const expected: Cell[][] = []
  for (let r = 0; r < t.rows; r++) {
    const cells = [field(String(r), false)]
    const row: Cell[] = [r]
    for (const c of t.columns) {
      const v = c.values[r] ?? null
      row.push(v)
      cells.push(v === null ? 'NA' : field(String(v), c.dtype === 'utf8'))
    }
    lines.push(cells.join(t.delimiter))
    expected.push(row)
  }
  return { text: lines.join(eol) + (t.finalNewline ? eol : ''), schema, expected }
}

let fileCounter = 0

describe('chunked CSV reading', () => {
  test('any blocksize reads the same rows as one chunk, and as written', () => {
    fc.assert(
      fc.property(table, (t) => {
        const { text, schema, expected } = render(t)
        const path = writeFile(dir, `p${fileCounter++}.csv`, text)
        const options = { fileSchema: schema, delimiter: t.delimiter, nullValues: ['NA'] }
        try {
          const whole = readRows(path, options).rows
          expect(whole).toEqual(expected)
          const size = Buffer.byteLength(text)
          for (const blocksize of [...t.blocksizes, Math.max(1, Math.floor(size * t.randomBlock))]) {
            expect(readRows(path, { ...options, blocksize }).rows).toEqual(expected)
          }
          const columns = schema.slice(1).map((f) => f.name)
          expect(readRows(path, { ...options, columns, blocksize: t.blocksizes[0]! }).rows).toEqual(
            expected.map((r) => r.slice(1)),
          )
        } finally {
          rmSync(path)
        }
      }),
      { numRuns: runs, ...seed },
    )
  })

  // DuckDB's rule (tokenize.ts, skipsBlankLines): in a one-column file an empty line is a null
  // row; in a wider file blank lines are skipped. Either way every chunking reads the same rows.
  test('one column: nulls written as empty lines are rows; wider files: blank lines are skipped; any blocksize', () => {
    const blankLines = fc.array(fc.nat({ max: 3 }), { minLength: 41, maxLength: 41 })
    fc.assert(
      fc.property(table, blankLines, (t, blanks) => {
        const eol = t.crlf ? '\r\n' : '\n'
        const one = t.columns[0]
        const blocksizes = (text: string) => [
          ...t.blocksizes,
          Math.max(1, Math.floor(Buffer.byteLength(text) * t.randomBlock)),
        ]
        if (one !== undefined) {
          // One column: null is an empty line, '' a quoted one.
          const cell = (v: Cell) =>
            v === null ? '' : one.dtype === 'utf8' ? `"${String(v).replaceAll('"', '""')}"` : String(v)
          const text = ['c0', ...one.values.map(cell)].join(eol) + (t.finalNewline ? eol : '')
          const path = writeFile(dir, `one${fileCounter++}.csv`, text)
          const schema: Schema = [{ name: 'c0', dtype: one.dtype }]
          // Without a final newline, a last null is an empty last line with nothing after it: no row.
          const written = !t.finalNewline && one.values.at(-1) === null ? one.values.slice(0, -1) : one.values
          const expected = written.map((v) => [v])
          try {
            for (const blocksize of [Number.POSITIVE_INFINITY, ...blocksizes(text)]) {
              expect(readRows(path, { fileSchema: schema, delimiter: t.delimiter, blocksize }).rows).toEqual(expected)
            }
          } finally {
            rmSync(path)
          }
        }
        // The rendered table (a row number first, never empty) with blank lines between its lines.
        const { text, schema, expected } = render(t)
        const lines = text.split(eol)
        const spaced = lines
          .map((line, i) => (i < lines.length - 1 ? eol.repeat(blanks[i % 41]!) : '') + line)
          .join(eol)
        const path = writeFile(dir, `blank${fileCounter++}.csv`, spaced)
        try {
          // Quoted fields may hold eol: blank lines go only where a line of the table starts.
          const options = { fileSchema: schema, delimiter: t.delimiter, nullValues: ['NA'] }
          if (!lines.some((l) => (l.match(/"/g)?.length ?? 0) % 2 === 1)) {
            for (const blocksize of [Number.POSITIVE_INFINITY, ...blocksizes(spaced)]) {
              expect(readRows(path, { ...options, blocksize }).rows).toEqual(expected)
            }
          }
        } finally {
          rmSync(path)
        }
      }),
      { numRuns: runs, ...seed },
    )
  })

  test('inference over rendered tables gives types that read the values back', () => {
    fc.assert(
      fc.property(table, (t) => {
        const { text, expected } = render(t)
        const path = writeFile(dir, `i${fileCounter++}.csv`, text)
        try {
          const { rows } = readRows(path, { delimiter: t.delimiter, nullValues: ['NA'], blocksize: 16 })
          expect(rows.length).toBe(expected.length)
        } finally {
          rmSync(path)
        }
      }),
      { numRuns: Math.ceil(runs / 3), ...seed },
    )
  })
})
