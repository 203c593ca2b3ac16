/**
 * The judge of runCase must be able to fail: a run-time error that tsdask raises where DuckDB
 * answers is accepted only when DuckDB with its optimizer off raises one of the same kind and
 * tsdask's unoptimized plan does too (sql-case.ts, raisedWithoutOptimizers).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { DuckSession } from './duckdb.js'
import { shutdown } from './engine.js'
import { runCase, type SqlCase } from './sql-case.js'
import type { Table } from './tables.js'

let duck: DuckSession
beforeAll(async () => {
  duck = await DuckSession.open()
})
afterAll(() => shutdown())

const t: Table = {
  name: 't',
  columns: [
    { sql: 's', name: 's', dtype: 'utf8' },
    { sql: 'i', name: 'i', dtype: 'int32' },
  ],
  rows: [['x', 65536]],
}
const optimized = { source: 'records', npartitions: 1, scheduler: 'sync', optimize: true } as const
const caseOf = (tsdask: string, duckdb: string): SqlCase => ({ tables: [t], tsdask, duckdb, runs: [optimized] })

describe('errors only one engine raises', () => {
  test("accepted: an error DuckDB's optimizer folds away, which both unoptimized plans raise", async () => {
    const q = 'SELECT CASE WHEN TRUE THEN 1.5 ELSE max(CAST(s AS DOUBLE)) END AS a FROM t'
    expect(await runCase(caseOf(q, q), duck)).toBeUndefined()
    const overflow = 'SELECT CASE max(i * i) WHEN CAST(NULL AS INTEGER) THEN 1 END AS a FROM t'
    expect(await runCase(caseOf(overflow, overflow), duck)).toBeUndefined()
  })

  test('reported: DuckDB answers even with its optimizer off', async () => {
    const failure = await runCase(
      caseOf('SELECT CAST(s AS INTEGER) AS a FROM t', 'SELECT TRY_CAST(s AS INTEGER) AS a FROM t'),
      duck,
    )
    expect(failure?.message).toMatch(/^tsdask fails where DuckDB answers/)
  })

  test('reported: DuckDB unoptimized raises an error of another kind', async () => {
    const failure = await runCase(
      caseOf(
        'SELECT CASE WHEN TRUE THEN 1 ELSE max(CAST(s AS INTEGER)) END AS a FROM t',
        'SELECT CASE WHEN TRUE THEN 1 ELSE max(i * i) END AS a FROM t',
      ),
      duck,
    )
    expect(failure?.message).toMatch(/^tsdask fails where DuckDB answers:\ntsdask: cannot cast "x"/)
  })

  test("reported: a value error where DuckDB's answer does not come from its optimizer, unoptimized runs included", async () => {
    const c = caseOf('SELECT CAST(s AS DATE) AS d FROM t', "SELECT DATE '2024-01-01' AS d FROM t")
    expect((await runCase({ ...c, runs: [{ ...optimized, optimize: false }] }, duck))?.message).toMatch(
      /^tsdask fails where DuckDB answers/,
    )
  })
})

describe("DuckDB's imprecise moments", () => {
  // stddev of 3000000011, 2999999998, 2999999998: exactly 7.5055534995; DuckDB's says 7.5055535339.
  const far: Table = { name: 't', columns: [{ sql: 'g', name: 'g', dtype: 'int64' }], rows: [[11n], [-2n], [-2n]] }
  const q = 'SELECT stddev_samp(g + 3000000000) AS s FROM t'
  const base: SqlCase = { tables: [far], tsdask: q, duckdb: q, runs: [optimized] }
  test('reported against DuckDB alone; accepted against its exact formula (print-sql.ts, exactMoments)', async () => {
    expect((await runCase(base, duck))?.message).toMatch(/rows differ/)
    const x = 'CAST(g + 3000000000 AS HUGEINT)'
    const n = `count(${x})`
    const exact = `SELECT sqrt(CAST(${n} * sum(${x} * ${x}) - sum(${x}) * sum(${x}) AS DOUBLE) / CAST(${n} * (${n} - 1) AS DOUBLE)) AS s FROM t`
    expect(await runCase({ ...base, duckdbExact: exact }, duck)).toBeUndefined()
  })
})
