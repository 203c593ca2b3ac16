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
