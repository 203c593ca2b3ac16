/**
 * The join's key equality checked against DuckDB itself, the engine whose semantics tsdask follows:
 * float keys with NaN (both signs), -0 and 0, infinities and nulls, for every join type. DuckDB's
 * order is undefined, so pairs are compared sorted.
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readColumn } from '../../../src/kernels/column.js'
import { JOIN_HOWS, type JoinHow, joinIndices } from '../../../src/kernels/join/index.js'
import { type Cell, dataOf } from '../helpers.js'

/** NaN with the sign bit set: a different bit pattern that must still equal NaN. */
const NEGATIVE_NAN = new Float64Array(new Uint32Array([0, 0xfff80000]).buffer)[0]!
const FLOATS: readonly (number | null)[] = [0, -0, Number.NaN, NEGATIVE_NAN, 1.5, Number.NEGATIVE_INFINITY, null]

function signBit(x: number): boolean {
  return new Uint32Array(Float64Array.of(x).buffer)[1]! >>> 31 === 1
}

function literal(x: number | null): string {
  if (x === null) return 'NULL'
  if (Number.isNaN(x)) return signBit(x) ? "'-NaN'" : "'NaN'"
  if (x === Number.NEGATIVE_INFINITY) return "'-Infinity'"
  return Object.is(x, -0) ? "'-0.0'" : `'${x}'`
}

let connection: DuckDBConnection
beforeAll(async () => {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' })
  connection = await instance.connect()
})
afterAll(() => connection?.closeSync())

async function load(name: string, keys: readonly (number | null)[]): Promise<void> {
  await connection.run(`CREATE OR REPLACE TABLE ${name} (i INTEGER, x DOUBLE)`)
  if (keys.length > 0) {
    const rows = keys.map((x, i) => `(${i}, ${literal(x)}::DOUBLE)`).join(', ')
    await connection.run(`INSERT INTO ${name} VALUES ${rows}`)
  }
}

const SQL: Record<JoinHow, string> = {
  inner: 'SELECT a.i, b.i FROM a JOIN b ON a.x = b.x',
  left: 'SELECT a.i, b.i FROM a LEFT JOIN b ON a.x = b.x',
  right: 'SELECT a.i, b.i FROM a RIGHT JOIN b ON a.x = b.x',
  full: 'SELECT a.i, b.i FROM a FULL JOIN b ON a.x = b.x',
  semi: 'SELECT a.i, NULL FROM a WHERE EXISTS (SELECT 1 FROM b WHERE a.x = b.x)',
  anti: 'SELECT a.i, NULL FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE a.x = b.x)',
}

const sorted = (pairs: [number, number][]) => pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1])

describe('float join keys ≡ DuckDB', () => {
  test('the sign-bit NaN reaches the kernels as a distinct bit pattern (else the test below proves less)', () => {
    const col = readColumn(dataOf('float64', [NEGATIVE_NAN, Number.NaN]))
    expect(col.kind === 'float64' && [signBit(col.values[0]!), signBit(col.values[1]!)]).toEqual([true, false])
  })

  test('NaN = NaN whatever its sign bit, -0 = 0, nulls never match, for every join type', async () => {
    const side = fc.array(fc.constantFrom(...FLOATS), { maxLength: 12 })
    await fc.assert(
      fc.asyncProperty(side, side, async (a, b) => {
        await load('a', a)
        await load('b', b)
        const key = (xs: readonly Cell[]) => [readColumn(dataOf('float64', xs))]
        for (const how of JOIN_HOWS) {
          const reader = await connection.runAndReadAll(SQL[how])
          const want = sorted(
            reader.getRowsJS().map((r) => [(r[0] as number | null) ?? -1, (r[1] as number | null) ?? -1]),
          )
          const got = joinIndices(key(a), key(b), how, { build: how === 'left' ? 'left' : 'right' })
          const pairs = Array.from(got.left, (l, o): [number, number] => [l, got.right ? got.right[o]! : -1])
          expect({ how, pairs: sorted(pairs) }).toEqual({ how, pairs: want })
        }
      }),
      { numRuns: 40 },
    )
  })
})
