/** fast-check generators for random tables and random splits of them. */
import fc from 'fast-check'
import type { Cell } from './helpers.js'

export const words = fc.constantFrom('a', 'b', 'B', 'ab', '', 'é', 'zz', 'Ω')
export const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 5, arbitrary: arb })

export interface Table {
  readonly rows: Cell[][]
  readonly dictKey: boolean
}

const row = fc.tuple(
  maybe(words),
  maybe(fc.integer({ min: -3, max: 3 })),
  maybe(fc.integer({ min: -2147483648, max: 2147483647 })),
  maybe(fc.bigInt({ min: -(2n ** 56n), max: 2n ** 56n })),
  maybe(fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.constant(Number.NaN), fc.constant(-0))),
  maybe(fc.boolean()),
  maybe(fc.integer({ min: -1000, max: 30000 })),
)

/** Rows of (s: utf8, k: int32, v: int32, x: int64, f: float64, b: bool, d: date32). */
export const table = fc.record({ dictKey: fc.boolean(), rows: fc.array(row, { maxLength: 60 }) })

/** Tables big enough for the radix sort path (more than 64 rows). */
export const bigTable = fc.record({ dictKey: fc.boolean(), rows: fc.array(row, { minLength: 65, maxLength: 400 }) })

export const DTYPES = ['utf8', 'int32', 'int32', 'int64', 'float64', 'bool', 'date32'] as const
export const NAMES = ['s', 'k', 'v', 'x', 'f', 'b', 'd'] as const

/** The column kinds of a generated table: DTYPES, with column 0 dictionary-encoded when `dictKey`. */
export function kindsOf(t: Pick<Table, 'dictKey'>): ('dict' | (typeof DTYPES)[number])[] {
  return DTYPES.map((d, i) => (i === 0 && t.dictKey ? 'dict' : d))
}

/** Cut points splitting `n` rows into consecutive pieces (some may be empty). */
export const cuts = (n: number): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 0, max: n }), { maxLength: 5 }).map((xs) => [...xs].sort((a, b) => a - b))

export function splitRows<T>(rows: readonly T[], at: readonly number[]): T[][] {
  const out: T[][] = []
  let prev = 0
  for (const c of [...at, rows.length]) {
    out.push(rows.slice(prev, c))
    prev = c
  }
  return out
}
