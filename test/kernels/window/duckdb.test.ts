/**
 * The window kernels against DuckDB: random tables (nulls, ties, every dtype, plain or dictionary
 * strings), a random OVER clause and function, the same question as SQL, the answers compared
 * exactly, row by row in input order.
 *
 * Where SQL leaves the answer open, the question is narrowed for both engines alike: a function
 * that depends on the order among peers (row_number, ntile, lag/lead, first/last/nth_value, an
 * aggregate over a ROWS frame) gets the input row number as a last ORDER BY key, so DuckDB's
 * arbitrary order among ties becomes tsdask's stable one. Ranks and RANGE aggregates keep their
 * ties. DuckDB sums integers into HUGEINT and tsdask into int64; the values are compared.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { SortKey } from '../../../src/kernels/physical-expr.js'
import {
  type FrameBound,
  WINDOW_FUNCTION_FAMILY,
  type WindowClause,
  type WindowFrame,
  type WindowFunctionSpec,
  windowColumns,
  windowResultDType,
} from '../../../src/kernels/window/index.js'
import type { DType } from '../../../src/types/dtype.js'
import { DuckSession } from '../../differential/duckdb.js'
import type { Value } from '../../differential/result.js'
import { batchFromRows, type Cell, cellsOf } from '../helpers.js'
import { clause, DTYPES, functionSpec, kindsOf, NAMES, windowTable } from './arbitraries.js'

const MS_PER_DAY = 86_400_000
const RID = NAMES.length
const COLUMN_NAMES = [...NAMES, 'rid']

let duck: DuckSession
beforeAll(async () => {
  duck = await DuckSession.open()
})
afterAll(() => {
  // The in-memory database goes with the process.
})

function orderSensitive(spec: WindowFunctionSpec): boolean {
  switch (WINDOW_FUNCTION_FAMILY[spec.fn]) {
    case 'ranking':
      return spec.fn === 'rowNumber' || spec.fn === 'ntile'
    case 'aggregate':
      return 'frame' in spec && spec.frame?.unit === 'rows'
    default:
      return true
  }
}

/** 0 PRECEDING / FOLLOWING print as CURRENT ROW: DuckDB's parser refuses `CURRENT ROW AND 0 PRECEDING`. */
function bound(b: FrameBound): string {
  if ('offset' in b && b.offset === 0) return 'CURRENT ROW'
  switch (b.kind) {
    case 'unboundedPreceding':
      return 'UNBOUNDED PRECEDING'
    case 'preceding':
      return `${b.offset} PRECEDING`
    case 'currentRow':
      return 'CURRENT ROW'
    case 'following':
      return `${b.offset} FOLLOWING`
    case 'unboundedFollowing':
      return 'UNBOUNDED FOLLOWING'
  }
}

const frameSql = (f: WindowFrame): string => ` ${f.unit.toUpperCase()} BETWEEN ${bound(f.start)} AND ${bound(f.end)}`

function orderSql(k: SortKey): string {
  return `${COLUMN_NAMES[k.index]} ${k.descending ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`
}

function literalSql(value: unknown, dtype: DType): string {
  switch (dtype) {
    case 'int32':
      return `CAST(${value} AS INTEGER)`
    case 'int64':
      return `CAST('${value}' AS BIGINT)`
    case 'float64':
      return `CAST('${value}' AS DOUBLE)`
    case 'utf8':
      return `'${value}'`
    case 'bool':
      return String(value)
    case 'date32':
      return `DATE '${new Date(Number(value) * MS_PER_DAY).toISOString().slice(0, 10)}'`
    case 'timestamp[ms]':
      return `make_timestamp(${BigInt(value as number) * 1000n})`
  }
}

function callSql(spec: WindowFunctionSpec): string {
  const ignore = 'ignoreNulls' in spec && spec.ignoreNulls ? ' IGNORE NULLS' : ''
  const x = 'input' in spec ? COLUMN_NAMES[spec.input] : ''
  switch (spec.fn) {
    case 'rowNumber':
      return 'row_number()'
    case 'rank':
      return 'rank()'
    case 'denseRank':
      return 'dense_rank()'
    case 'percentRank':
      return 'percent_rank()'
    case 'cumeDist':
      return 'cume_dist()'
    case 'ntile':
      return `ntile(${spec.buckets})`
    case 'lag':
    case 'lead': {
      const d = spec.default
      const dflt =
        d === undefined ? '' : `, ${d.kind === 'column' ? COLUMN_NAMES[d.index] : literalSql(d.value, spec.inputDType)}`
      return `${spec.fn}(${x}, ${spec.offset ?? 1}${dflt}${ignore})`
    }
    case 'firstValue':
      return `first_value(${x}${ignore})`
    case 'lastValue':
      return `last_value(${x}${ignore})`
    case 'nthValue':
      return `nth_value(${x}, ${spec.n}${ignore})`
    case 'mean':
      return `avg(${x})`
    case 'countAll':
      return 'count(*)'
    default:
      return `${spec.fn}(${x})`
  }
}

function windowSql(spec: WindowFunctionSpec, over: WindowClause): string {
  const parts: string[] = []
  if (over.partitionBy.length > 0) parts.push(`PARTITION BY ${over.partitionBy.map((i) => COLUMN_NAMES[i]).join(', ')}`)
  if (over.orderBy.length > 0) parts.push(`ORDER BY ${over.orderBy.map(orderSql).join(', ')}`)
  const frame = 'frame' in spec && spec.frame ? frameSql(spec.frame) : ''
  return `${callSql(spec)} OVER (${parts.join(' ')}${frame})`
}

/**
 * Our cells in the differential normal form (integers as bigint, dates as epoch ms). Signed zero
 * is not specified (README): DuckDB answers min(-0.0) with 0, so -0 compares as 0.
 */
function normal(cells: readonly unknown[], dtype: DType): Value[] {
  return cells.map((c) => {
    if (c === null) return null
    if (dtype === 'int32') return BigInt(c as number)
    if (dtype === 'date32') return (c as number) * MS_PER_DAY
    if (c === 0) return 0
    return c as Value
  })
}

async function load(rows: readonly Cell[][]): Promise<void> {
  const dates = new Set(['date32', 'timestamp[ms]'])
  await duck.load({
    name: 't',
    columns: [...DTYPES, 'int32' as const].map((dtype, i) => ({
      sql: COLUMN_NAMES[i]!,
      name: COLUMN_NAMES[i]!,
      dtype,
    })),
    rows: rows.map((r, rid) => [
      ...r.map((c, i) =>
        c !== null && dates.has(DTYPES[i]!)
          ? new Date(DTYPES[i] === 'date32' ? (c as number) * MS_PER_DAY : (c as number))
          : c,
      ),
      rid,
    ]),
  })
}

async function compare(rows: Cell[][], dict: boolean, over: WindowClause, spec: WindowFunctionSpec): Promise<void> {
  const asked: WindowClause = orderSensitive(spec)
    ? { ...over, orderBy: [...over.orderBy, { index: RID, descending: false, nullsFirst: false }] }
    : over
  const withRid = rows.map((r, rid) => [...r, rid])
  const batch = batchFromRows(COLUMN_NAMES, [...kindsOf({ rows, dict }), 'int32'], withRid)
  const dtype = windowResultDType(spec)
  const ours = normal(cellsOf(windowColumns(batch, asked, [spec])[0]!), dtype)
  await load(rows)
  const sql = `SELECT ${windowSql(spec, asked)} FROM t ORDER BY rid`
  const theirs = await duck.run(sql)
  if (!theirs.ok) throw new Error(`DuckDB refused ${sql}: ${theirs.message}`)
  expect(ours, sql).toEqual(
    normal(
      theirs.result.rows.map((r) => r[0]!),
      'float64',
    ),
  )
}

describe('window kernels answer as DuckDB does', () => {
  test('random tables, clauses and functions', async () => {
    await fc.assert(
      fc.asyncProperty(windowTable, clause, functionSpec, async (table, over, spec) => {
        await compare(table.rows, table.dict, over, spec)
      }),
      { numRuns: 300 },
    )
  })

  test('default frames with and without ORDER BY, on ties', async () => {
    const rows: Cell[][] = [
      [1, 'a', 1, 10, 1n, 0.5, true, 19000, null],
      [1, 'a', 1, 20, 2n, 1.5, false, 19001, null],
      [1, 'b', 2, null, 3n, null, null, 19002, null],
      [2, 'b', null, 5, null, Number.NaN, true, null, null],
      [2, null, null, 7, 4n, 2, true, 19000, null],
      [null, null, 0, 1, 5n, -1, false, 19003, null],
    ]
    const specs: WindowFunctionSpec[] = [
      { fn: 'sum', input: 3, inputDType: 'int32', name: 's' },
      { fn: 'mean', input: 5, inputDType: 'float64', name: 'a' },
      { fn: 'max', input: 1, inputDType: 'utf8', name: 'm' },
      { fn: 'count', input: 3, inputDType: 'int32', name: 'c' },
      { fn: 'rank', name: 'r' },
      { fn: 'cumeDist', name: 'cd' },
    ]
    for (const orderBy of [[], [{ index: 2, descending: false, nullsFirst: false }]]) {
      for (const spec of specs) await compare(rows, true, { partitionBy: [0], orderBy }, spec)
    }
  })
})
