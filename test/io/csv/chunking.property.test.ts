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
