/**
 * Random input tables for the differential test: every tsdask dtype, nulls, duplicate values and
 * duplicate rows, values picked from small domains so groups, ties and equal sort keys are common.
 *
 * Value domains stay where tsdask documents DuckDB's behaviour and both engines can hold the value:
 * dates and timestamps in years 1969–2030 (no BC dates, no 5-digit years), timestamps whole
 * milliseconds (tsdask keeps ms, DuckDB µs), no -0 (see README: signed zero is not specified), and
 * floats mostly exact quarters (sums exact in any order) with a few arbitrary doubles, NaN and ±∞.
 * Strings include the CSV-hostile ones (comma, quote, line break), text that casts to numbers,
 * bools, dates, and code points whose UTF-8 order differs from their UTF-16 order.
 */
import fc from 'fast-check'
import type { DType } from '../../src/index.js'

export type Cell = null | boolean | number | bigint | string | Date

export interface Column {
  /** As written in SQL (already quoted when it needs quotes). */
  readonly sql: string
  /** The name as the engines report it. */
  readonly name: string
  readonly dtype: DType
}

export interface Table {
  readonly name: string
  readonly columns: readonly Column[]
  /** Rows as arrays, in column order. */
  readonly rows: readonly (readonly Cell[])[]
}

export const ALL_DTYPES: readonly DType[] = ['int32', 'int64', 'float64', 'utf8', 'bool', 'date32', 'timestamp[ms]']

const MS_PER_DAY = 86_400_000

/** Strings that only the API path may see (see `tableFeatures`). */
export const NULL_LIKE_STRINGS = ['NA', 'null', 'N/A', 'NULL'] as const
export const BASE_STRINGS = [
  'a',
  'A',
  'ab',
  'b',
  'B',
  'ba',
  'a b',
  'é',
  'É',
  'z',
  'Ab',
  '\uFF21',
  '😀',
  'a,b',
  'say "hi"',
  'two\nlines',
  '%',
  '_x',
  // Text that casts: to numbers, bools, dates.
  '1',
  '-3',
  '2.5',
  '1e2',
  'nan',
  'inf',
  't',
  'false',
  '2024-02-29',
  '2024-01-01 12:30:00',
] as const

export interface TableFeatures {
  /** The empty string as a value (bug (b): CSV reads a quoted "" as null today). */
  readonly emptyString: boolean
  /** 'NA', 'null', … as values (bug (b): CSV default null strings). */
  readonly nullLikeStrings: boolean
  /** Integers whose products overflow (65536 in int32, 2^40 in int64). */
  readonly overflowingInts: boolean
}

const quarter = fc.integer({ min: -40, max: 40 }).map((n) => n / 4 || 0)
const wildDouble = fc
  .double({ min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true })
  .map((x) => (Object.is(x, -0) ? 0 : x))

function cellOf(dtype: DType, features: TableFeatures): fc.Arbitrary<Cell> {
  switch (dtype) {
    case 'int32':
      return fc.oneof(
        { weight: 10, arbitrary: fc.integer({ min: -12, max: 12 }) },
        { weight: 1, arbitrary: fc.constantFrom(-1000, 1000, features.overflowingInts ? 65_536 : 999) },
      )
    case 'int64':
      return fc.oneof(
        { weight: 10, arbitrary: fc.bigInt({ min: -30n, max: 30n }) },
        {
          weight: 1,
          arbitrary: features.overflowingInts
            ? fc.constantFrom(3_000_000_000n, -5_000_000_000n, 2n ** 40n)
            : fc.constantFrom(3_000_000_000n, -3_000_000_000n),
        },
      )
    case 'float64':
      return fc.oneof(
        { weight: 12, arbitrary: quarter },
        { weight: 3, arbitrary: wildDouble },
        { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
      )
    case 'utf8': {
      const pool: string[] = [...BASE_STRINGS]
      if (features.emptyString) pool.push('')
      if (features.nullLikeStrings) pool.push(...NULL_LIKE_STRINGS)
      return fc.constantFrom(...pool)
    }
    case 'bool':
      return fc.boolean()
    case 'date32':
      return fc
        .oneof(
          { weight: 8, arbitrary: fc.integer({ min: 19_720, max: 19_790 }) },
          { weight: 1, arbitrary: fc.constantFrom(-1, 0, 11_016, 21_915) },
        )
        .map((days) => new Date(days * MS_PER_DAY))
    case 'timestamp[ms]':
      return fc
        .oneof(
          { weight: 6, arbitrary: fc.integer({ min: 0, max: 4 * 24 }).map((h) => h * 3_600_000) },
          { weight: 2, arbitrary: fc.integer({ min: 0, max: 4 * MS_PER_DAY }) },
          { weight: 1, arbitrary: fc.integer({ min: -30 * MS_PER_DAY, max: -1 }) },
        )
        .map((ms) => new Date(19_750 * MS_PER_DAY + ms))
  }
}

/** Column names the generator may use; "group" and "Mixed Case" need quotes in SQL. */
const SPECIAL_NAMES = [
  { sql: '"group"', name: 'group' },
  { sql: '"Mixed Case"', name: 'Mixed Case' },
]

function columnsArb(prefix: string): fc.Arbitrary<Column[]> {
  // Now and then one column alone: its CSV writes a null as an empty line, a row of its own.
  const single = fc
    .constantFrom(...ALL_DTYPES)
    .map((dtype): Column[] => [{ sql: `${prefix}0`, name: `${prefix}0`, dtype }])
  return fc.oneof({ weight: 1, arbitrary: single }, { weight: 15, arbitrary: wideColumnsArb(prefix) })
}

function wideColumnsArb(prefix: string): fc.Arbitrary<Column[]> {
  return fc
    .tuple(
      fc.constantFrom<DType>('int32', 'int64', 'float64'),
      fc.shuffledSubarray([...ALL_DTYPES], { minLength: 2, maxLength: 7 }),
      fc.array(fc.constantFrom(...ALL_DTYPES), { maxLength: 2 }),
      fc.option(fc.constantFrom(...SPECIAL_NAMES), { freq: 6, nil: undefined }),
    )
    .map(([first, some, extra, special]) => {
      const dtypes = [first, ...some, ...extra]
      const columns = dtypes.map((dtype, i): Column => ({ sql: `${prefix}${i}`, name: `${prefix}${i}`, dtype }))
      if (special !== undefined) columns[columns.length - 1] = { ...special, dtype: columns.at(-1)!.dtype }
      return columns
    })
}

/** A table of 0–30 rows; about one cell in six is null, and some rows repeat earlier ones. */
export function tableArb(name: string, prefix: string, features: TableFeatures): fc.Arbitrary<Table> {
  return columnsArb(prefix).chain((columns) => {
    const cell = (c: Column) =>
      fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 5, arbitrary: cellOf(c.dtype, features) })
    const row = fc.tuple(...columns.map(cell))
    return fc
      .tuple(fc.array(row, { maxLength: 30, size: 'max' }), fc.array(fc.nat(), { maxLength: 4 }))
      .map(([rows, repeats]): Table => {
        const all: Cell[][] = rows.map((r) => [...r])
        for (const r of repeats) if (all.length > 0) all.push([...all[r % all.length]!])
        return { name, columns, rows: all }
      })
  })
}

/** Prints a cell as a JS literal, for case descriptions. */
export function showCell(v: Cell): string {
  if (v instanceof Date) return `new Date('${v.toISOString()}')`
  if (typeof v === 'bigint') return `${v}n`
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v)
  return JSON.stringify(v)
}
