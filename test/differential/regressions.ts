/**
 * Cases the differential fuzzer found, kept as fixed tests (sql-differential.test.ts runs them).
 * Each was minimized by `npm run fuzz` and pasted from its report; `seed`/`path` replay the
 * original random case with the generator as it was when found (`npm run fuzz -- --seed S --path P`).
 *
 * `knownBug` marks a bug of issue 13 that another branch fixes: the case is expected to fail until
 * that fix is merged, then its test turns red as a reminder to drop the mark (and to switch the
 * matching SUITE_OPTIONS flag in property.ts on).
 */
import type { SqlCase } from './sql-case.js'
import type { Column, Table } from './tables.js'

export interface Regression {
  readonly name: string
  /** Where it was found: `npm run fuzz -- --seed <seed> --path <path>`. */
  readonly found?: { readonly seed: number; readonly path: string }
  readonly knownBug?: string
  /** The bug shows only when the optimizer runs: CI's identity mode (TSDASK_OPTIMIZER=off) skips it. */
  readonly needsOptimizer?: boolean
  readonly sqlCase: SqlCase
}

const d = (iso: string) => new Date(`${iso}T00:00:00.000Z`)
const ts = (iso: string) => new Date(`${iso}Z`)
const column = (name: string, dtype: Column['dtype']): Column => ({ sql: name, name, dtype })
const table = (name: string, columns: Column[], rows: Table['rows']): Table => ({ name, columns, rows })
const sameSql = (query: string) => ({ tsdask: query, duckdb: query })
const sync = { source: 'records', npartitions: 1, scheduler: 'sync', optimize: true } as const

export const REGRESSIONS: readonly Regression[] = [
  {
    name: 'a CASE conjunct next to a pushable one: the optimizer converges (was: merge-filters and push-down-predicates cycled)',
    found: { seed: 1, path: '28' },
    sqlCase: {
      tables: [
        table(
          't',
          [column('c0', 'float64'), column('c4', 'utf8')],
          [
            [1.5, 'Ab'],
            [null, 'b'],
          ],
        ),
      ],
      ...sameSql("SELECT * FROM t WHERE c4 LIKE 'A%' AND CASE WHEN TRUE THEN FALSE WHEN TRUE THEN FALSE END"),
      runs: [sync],
    },
  },
  {
    name: 'GROUP BY a position and an alias of the same column (was: "output column appears twice")',
    found: { seed: 1, path: '84' },
    sqlCase: {
      tables: [table('t', [column('c3', 'date32')], [[d('2024-01-10')], [d('2024-01-10')], [null]])],
      ...sameSql('SELECT c3, c3 AS o0 FROM t GROUP BY 1, o0'),
      runs: [sync],
    },
  },
  {
    name: 'corr of a constant, or of one pair, is NaN as in DuckDB (was: null)',
    found: { seed: 3, path: '329' },
    sqlCase: {
      tables: [
        table(
          't',
          [column('c0', 'float64'), column('c2', 'int64')],
          [
            [null, 22n],
            [1.5, 3n],
            [1.5, 4n],
            [2, null],
          ],
        ),
      ],
      tsdask: 'SELECT c0, corr(t.c2, 10.0) AS o2, corr(c2, c2) AS o3 FROM t GROUP BY c0',
      duckdb: "SELECT c0, corr(t.c2, CAST('10.0' AS DOUBLE)) AS o2, corr(c2, c2) AS o3 FROM t GROUP BY c0",
      runs: [sync, { ...sync, scheduler: 'pool', npartitions: 3 }],
    },
  },
  {
    name: 'CAST of a float to an integer rounds half to even, as DuckDB (was: half away from zero)',
    found: { seed: 402416249, path: '190' },
    sqlCase: {
      tables: [
        table(
          't',
          [column('f', 'float64'), column('k', 'int32')],
          [
            [-4.5, 1],
            [2.5, 2],
            [3.5, 3],
            [0.5, 4],
            [-0.5, 5],
            [2.75, 6],
            [null, 7],
          ],
        ),
      ],
      ...sameSql(
        'SELECT f, CAST(f AS BIGINT) AS l, CAST(f AS INTEGER) AS i, CAST(CAST(f AS VARCHAR) AS INTEGER) AS s FROM t',
      ),
      runs: [sync, { ...sync, source: 'csv', scheduler: 'pool', npartitions: 2, blocksize: 20 }],
    },
  },
  {
    name: 'substr with positions outside the string: the range is cut after the length applies (was: before)',
    found: { seed: 5, path: '945' },
    sqlCase: {
      tables: [
        table(
          't',
          [column('c1', 'utf8'), column('n', 'int32')],
          [
            ['É', 1],
            ['hello', 2],
            ['😀é', 3],
            [null, 4],
          ],
        ),
      ],
      ...sameSql(
        "SELECT c1, substr(c1, -3, 2) AS a, substr(c1, -9, 3) AS b, substr(c1, 9, -6) AS c, substr('z', -3, 2) AS d FROM t",
      ),
      runs: [sync, { ...sync, source: 'arrow-dictionary', scheduler: 'pool', npartitions: 2 }],
    },
  },
  {
    name: 'CAST of a timestamp to text drops the trailing zeros of its fraction, as DuckDB (was: .320)',
    found: { seed: 19, path: '118' },
    sqlCase: {
      tables: [
        table(
          't',
          [column('ts', 'timestamp[ms]'), column('k', 'int32')],
          [
            [ts('2024-01-28T15:25:37.320'), 1],
            [ts('2024-01-28T15:25:37.300'), 2],
            [ts('2024-01-28T15:25:37.001'), 3],
            [ts('2024-01-28T15:25:37.000'), 4],
          ],
        ),
      ],
      ...sameSql('SELECT k, CAST(ts AS VARCHAR) AS s FROM t'),
      runs: [sync, { ...sync, source: 'csv', scheduler: 'pool', npartitions: 2, blocksize: 40 }],
    },
  },
  {
    name: 'CAST of a float to text uses DuckDB notation: 1e-05, 1e+16 (was: 0.00001, 10000000000000000)',
    found: { seed: 3009, path: '198' },
    sqlCase: {
      tables: [
        table(
          't',
          [column('c0', 'float64'), column('k', 'int32')],
          [
            [-2.881737326501317e-7, 1],
            [0.00001, 2],
            [1e16, 3],
            [1e15, 4],
            [123.25, 5],
            [Number.NaN, 6],
          ],
        ),
      ],
      ...sameSql('SELECT k, CAST(c0 AS VARCHAR) AS s FROM t'),
      runs: [sync, { ...sync, source: 'arrow-dictionary', scheduler: 'pool', npartitions: 2 }],
    },
  },
  {
    name: 'CSV: a null in a one-column file (an empty line) is a row, as in DuckDB (was: skipped as a blank line)',
    sqlCase: {
      tables: [table('t', [column('f', 'float64')], [[-4.5], [null], [2.5], [null]])],
      ...sameSql('SELECT f FROM t'),
      runs: [
        { ...sync, source: 'csv', blocksize: Number.POSITIVE_INFINITY },
        { ...sync, source: 'csv', scheduler: 'pool', npartitions: 2, blocksize: 3 },
      ],
    },
  },
  {
    name: "CSV: a one-column text file keeps its nulls (empty lines) apart from '' (a quoted empty field)",
    sqlCase: {
      tables: [table('t', [column('s', 'utf8')], [[null], [''], ['a'], [null], [null], ['']])],
      ...sameSql('SELECT s, count(*) AS n FROM t GROUP BY s'),
      runs: [
        { ...sync, source: 'csv', blocksize: Number.POSITIVE_INFINITY },
        { ...sync, source: 'csv', scheduler: 'pool', npartitions: 2, blocksize: 2 },
      ],
    },
  },
  {
    name: 'stddev_samp of a constant is exactly 0, so x % stddev_samp(..) is NULL as in DuckDB (was: 1e-17 and a number)',
    found: { seed: 4002, path: '327' },
    sqlCase: {
      tables: [
        table(
          't',
          [column('c0', 'int64'), column('c1', 'date32'), column('c2', 'int32'), column('c6', 'float64')],
          [
            [null, null, null, 5.25],
            [null, d('2024-01-28'), 0, null],
          ],
        ),
      ],
      tsdask:
        'SELECT -6.5 % stddev_samp(0.1) AS o14 FROM (SELECT 10.0 AS o3, count(DISTINCT t.c6) AS o4 FROM t GROUP BY c2 UNION SELECT median(c2) AS o6, count(*) AS o7 FROM t GROUP BY c1 UNION ALL SELECT c6 AS o9, c0 AS o10 FROM t) AS s1 GROUP BY o4',
      duckdb:
        "SELECT CAST('-6.5' AS DOUBLE) % NULLIF(stddev_samp(CAST('0.1' AS DOUBLE)), 0) AS o14 FROM (SELECT CAST('10.0' AS DOUBLE) AS o3, count(DISTINCT t.c6) AS o4 FROM t GROUP BY c2 UNION SELECT median(c2) AS o6, count(*) AS o7 FROM t GROUP BY c1 UNION ALL SELECT c6 AS o9, c0 AS o10 FROM t) AS s1 GROUP BY o4",
      runs: [sync, { ...sync, scheduler: 'pool', npartitions: 2 }],
    },
  },
  {
    name: 'stddev_samp / var_samp / corr of constant columns, over partitions: 0, 0 and NaN as in DuckDB',
    sqlCase: {
      tables: [
        table(
          't',
          [column('f', 'float64'), column('k', 'int32'), column('x', 'int64')],
          Array.from({ length: 24 }, (_, i) => [0.1, i % 3, 9007199254740991n]),
        ),
      ],
      // tsdask's x % 0 is NULL, DuckDB's NaN: DuckDB gets NULLIF (as print-sql.ts does).
      tsdask:
        'SELECT k, stddev_samp(f) AS s, var_samp(f) AS v, var_samp(x) AS vx, corr(f, k) AS r, 1 % stddev_samp(f) AS m FROM t GROUP BY k',
      duckdb:
        'SELECT k, stddev_samp(f) AS s, var_samp(f) AS v, var_samp(x) AS vx, corr(f, k) AS r, 1 % NULLIF(stddev_samp(f), 0) AS m FROM t GROUP BY k',
      runs: [
        sync,
        { ...sync, scheduler: 'pool', npartitions: 5 },
        { ...sync, source: 'csv', npartitions: 3, blocksize: 40 },
      ],
    },
  },
  {
    name: 'sorting a computed column whose values are all null: the next key decides',
    sqlCase: {
      tables: [
        table(
          't',
          [column('a', 'int32'), column('b', 'int32'), column('k', 'int32')],
          Array.from({ length: 70 }, (_, i) => [null, i, 69 - i]),
        ),
      ],
      tsdask: 'SELECT a + b AS c, k FROM t ORDER BY c, k',
      duckdb: 'SELECT a + b AS c, k FROM t ORDER BY c, k',
      orderKeys: [0, 1],
      runs: [sync],
    },
  },
  {
    name: 'two LIMITs over one sort in a UNION ALL: each keeps its own rows',
    sqlCase: {
      tables: [
        table(
          't',
          [column('a', 'int32'), column('b', 'utf8')],
          Array.from({ length: 20 }, (_, i) => [i, 'x']),
        ),
      ],
      ...sameSql(
        'SELECT * FROM (SELECT a FROM t ORDER BY a LIMIT 10) AS s1 UNION ALL SELECT * FROM (SELECT a FROM t ORDER BY a LIMIT 3) AS s2',
      ),
      runs: [{ ...sync, npartitions: 2 }],
    },
  },
  {
    name: 'a filter then a cast the filter protects: the optimizer must not make it fail',
    needsOptimizer: true,
    sqlCase: {
      tables: [
        table(
          't',
          [column('s', 'utf8'), column('n', 'int32')],
          [
            ['N/A', 1],
            ['7', 2],
            ['3', 3],
          ],
        ),
      ],
      ...sameSql("SELECT * FROM (SELECT * FROM t WHERE s <> 'N/A') AS q WHERE CAST(s AS INTEGER) > 5"),
      runs: [sync],
    },
  },
  {
    name: 'a OR b: no cast error in b for rows a already decides',
    found: { seed: 5, path: '9' },
    sqlCase: {
      tables: [
        table(
          't',
          [column('s', 'utf8'), column('n', 'int32')],
          [
            ['NA', 1],
            ['true', 2],
          ],
        ),
      ],
      ...sameSql('SELECT n FROM t WHERE n < 2 OR CAST(s AS BOOLEAN)'),
      runs: [sync],
    },
  },
  {
    name: 'count(x) of a dictionary column whose rows point at a null dictionary entry',
    needsOptimizer: true,
    sqlCase: {
      tables: [
        table(
          't',
          [column('s', 'utf8'), column('n', 'int32')],
          [
            ['a', 1],
            [null, 2],
            [null, 3],
            ['b', 4],
          ],
        ),
      ],
      ...sameSql('SELECT count(s) AS c, count(*) AS n, count(DISTINCT s) AS d FROM t'),
      runs: [{ ...sync, source: 'arrow-null-dictionary-entries' }],
    },
  },
  {
    name: "CSV: the strings 'NA' and 'null' and a quoted empty field are values, not nulls",
    found: { seed: 1, path: '86' },
    sqlCase: {
      tables: [
        table(
          't',
          [column('c2', 'utf8'), column('c3', 'timestamp[ms]')],
          [
            ['NA', ts('2024-01-28T11:00:00.000')],
            ['null', null],
            ['', null],
          ],
        ),
      ],
      ...sameSql('SELECT c2, c3 FROM t'),
      runs: [{ source: 'csv', npartitions: 1, scheduler: 'sync', optimize: true, blocksize: Number.POSITIVE_INFINITY }],
    },
  },
]
