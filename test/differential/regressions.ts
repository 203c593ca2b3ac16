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
  // Run-time errors that DuckDB's optimizer removes (folding a CASE or `x <> NULL`, then dropping
  // the aggregate or the filtered input no longer used; testing a pushed-down conjunct first) and
  // DuckDB with its optimizer off raises: accepted by sql-case.ts (raisedWithoutOptimizers), as
  // tsdask's unoptimized plan raises them too. Each was a failure of the fuzzer before.
  {
    name: "an aggregate under a CASE branch DuckDB's optimizer folds away: its cast error is the query's (DuckDB unoptimized raises it too)",
    found: { seed: 4000, path: '23' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [
            { sql: 'c3', name: 'c3', dtype: 'timestamp[ms]' },
            { sql: '"group"', name: 'group', dtype: 'utf8' },
          ],
          rows: [[null, '']],
        },
      ],
      tsdask:
        "SELECT CASE WHEN TRUE THEN c3 WHEN TRUE THEN min(CAST(\"group\" AS TIMESTAMP)) WHEN TRUE THEN TIMESTAMP '2024-01-28 21:00:00' ELSE TIMESTAMP '2024-01-30 09:00:00' END AS o0 FROM t AS x GROUP BY c3",
      duckdb:
        "SELECT CASE WHEN TRUE THEN c3 WHEN TRUE THEN min(CAST(\"group\" AS TIMESTAMP)) WHEN TRUE THEN TIMESTAMP '2024-01-28 21:00:00' ELSE TIMESTAMP '2024-01-30 09:00:00' END AS o0 FROM t AS x GROUP BY c3",
      runs: [{ source: 'records', npartitions: 1, scheduler: 'sync', optimize: true, blocksize: 48 }],
    },
  },
  {
    name: "CAST('inf' AS DATE) is DuckDB's infinite date; tsdask has none and refuses it",
    found: { seed: 4000, path: '493' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [
            { sql: 'c1', name: 'c1', dtype: 'float64' },
            { sql: 'c5', name: 'c5', dtype: 'utf8' },
            { sql: '"group"', name: 'group', dtype: 'date32' },
          ],
          rows: [[null, 'inf', null]],
        },
      ],
      tsdask:
        "SELECT count(o0) AS o3 FROM (SELECT c5 AS o0, c1, CAST(NULL AS BIGINT) AS o1, CASE CAST(c5 AS DATE) WHEN DATE '2024-02-11' THEN DATE '2023-12-31' ELSE \"group\" END AS o2 FROM t ORDER BY 4 DESC NULLS LAST, c1, o1 DESC, 1 NULLS FIRST LIMIT 2 OFFSET 3) AS s1",
      duckdb:
        "SELECT count(o0) AS o3 FROM (SELECT c5 AS o0, c1, CAST(NULL AS BIGINT) AS o1, CASE CAST(c5 AS DATE) WHEN DATE '2024-02-11' THEN DATE '2023-12-31' ELSE \"group\" END AS o2 FROM t ORDER BY 4 DESC NULLS LAST, c1, o1 DESC, 1 NULLS FIRST LIMIT 2 OFFSET 3) AS s1",
      runs: [{ source: 'records', npartitions: 1, scheduler: 'sync', optimize: true }],
    },
  },
  {
    name: "min(CAST(text AS TIMESTAMP)) after WHEN TRUE: DuckDB's optimizer drops the aggregate and its error, tsdask keeps both",
    found: { seed: 4002, path: '168' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [
            { sql: 'c4', name: 'c4', dtype: 'timestamp[ms]' },
            { sql: 'c7', name: 'c7', dtype: 'utf8' },
          ],
          rows: [[null, 'B']],
        },
      ],
      tsdask:
        "SELECT CASE WHEN TRUE THEN TIMESTAMP '2024-01-30 02:00:00.667' WHEN TRUE THEN TIMESTAMP '2024-01-30 17:00:00' WHEN TRUE THEN min(CAST(c7 AS datetime)) ELSE c4 END AS o2 FROM t GROUP BY c4",
      duckdb:
        "SELECT CASE WHEN TRUE THEN TIMESTAMP '2024-01-30 02:00:00.667' WHEN TRUE THEN TIMESTAMP '2024-01-30 17:00:00' WHEN TRUE THEN min(CAST(c7 AS TIMESTAMP)) ELSE c4 END AS o2 FROM t GROUP BY c4",
      runs: [{ source: 'records', npartitions: 1, scheduler: 'sync', optimize: true, blocksize: 250 }],
    },
  },
  {
    name: "max(CAST(text AS DOUBLE)) in an ELSE after WHEN TRUE: an error only DuckDB's optimizer removes",
    found: { seed: 4002, path: '430' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [
            { sql: 'c5', name: 'c5', dtype: 'bool' },
            { sql: 'c6', name: 'c6', dtype: 'utf8' },
            { sql: 'c7', name: 'c7', dtype: 'float64' },
          ],
          rows: [[null, 'b', null]],
        },
      ],
      tsdask:
        'SELECT CASE WHEN c5 THEN max(c7) WHEN FALSE THEN -5.25 WHEN TRUE THEN -0.25 ELSE max(CAST(c6 AS DOUBLE)) END AS o1 FROM t GROUP BY c5',
      duckdb:
        "SELECT CASE WHEN c5 THEN max(c7) WHEN FALSE THEN CAST('-5.25' AS DOUBLE) WHEN TRUE THEN CAST('-0.25' AS DOUBLE) ELSE max(CAST(c6 AS DOUBLE)) END AS o1 FROM t GROUP BY c5",
      runs: [{ source: 'records', npartitions: 1, scheduler: 'sync', optimize: true }],
    },
  },
  {
    name: 'DuckDB pushes HAVING into a union input and tests the cheap conjunct first; tsdask casts first (both raise unoptimized)',
    found: { seed: 4005, path: '32' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [
            { sql: 'c4', name: 'c4', dtype: 'float64' },
            { sql: 'c5', name: 'c5', dtype: 'utf8' },
            { sql: '"Mixed Case"', name: 'Mixed Case', dtype: 'int32' },
          ],
          rows: [[null, 'b', null]],
        },
      ],
      tsdask:
        'SELECT 9 AS o1 FROM (SELECT c4 <= t."Mixed Case" AS o0 FROM t WHERE CAST(c5 AS bool) UNION ALL SELECT TRUE FROM t WHERE TRUE) AS s1 GROUP BY o0 HAVING o0',
      duckdb:
        'SELECT 9 AS o1 FROM (SELECT c4 <= t."Mixed Case" AS o0 FROM t WHERE CAST(c5 AS BOOLEAN) UNION ALL SELECT TRUE FROM t WHERE TRUE) AS s1 GROUP BY o0 HAVING o0',
      runs: [{ source: 'records', npartitions: 1, scheduler: 'sync', optimize: true, blocksize: 48 }],
    },
  },
  {
    name: 'x * x > NULL: DuckDB folds the filter to NULL and skips the overflow; tsdask evaluates it',
    found: { seed: 4006, path: '384' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [
            { sql: 'c0', name: 'c0', dtype: 'int64' },
            { sql: 'c1', name: 'c1', dtype: 'int32' },
            { sql: 'c2', name: 'c2', dtype: 'timestamp[ms]' },
            { sql: 'c3', name: 'c3', dtype: 'int64' },
            { sql: 'c4', name: 'c4', dtype: 'utf8' },
            { sql: 'c5', name: 'c5', dtype: 'date32' },
            { sql: 'c6', name: 'c6', dtype: 'bool' },
            { sql: 'c7', name: 'c7', dtype: 'float64' },
            { sql: 'c8', name: 'c8', dtype: 'date32' },
            { sql: '"Mixed Case"', name: 'Mixed Case', dtype: 'float64' },
          ],
          rows: [[1099511627776n, null, null, null, null, null, null, null, null, null]],
        },
      ],
      tsdask:
        "SELECT 3000000000 AS o0, CAST(NULL AS BIGINT) AS o1, c8, -2 AS o2 FROM t GROUP BY c8 UNION SELECT DISTINCT CAST(NULL AS BIGINT) AS o6, o5, o3, o4 FROM (SELECT DATE '2024-01-30' AS o3, 6 AS o4, count(*) AS o5 FROM t UNION SELECT c8, c1, c0 FROM t WHERE TRUE ORDER BY 3 DESC NULLS FIRST, o4 NULLS LAST, o3 DESC LIMIT 5) AS s2 WHERE s2.o5 * o5 > CASE WHEN FALSE THEN o4 WHEN FALSE THEN o4 END",
      duckdb:
        "SELECT 3000000000 AS o0, CAST(NULL AS BIGINT) AS o1, c8, -2 AS o2 FROM t GROUP BY c8 UNION SELECT DISTINCT CAST(NULL AS BIGINT) AS o6, o5, o3, o4 FROM (SELECT DATE '2024-01-30' AS o3, 6 AS o4, count(*) AS o5 FROM t UNION SELECT c8, c1, c0 FROM t WHERE TRUE ORDER BY 3 DESC NULLS FIRST, o4 NULLS LAST, o3 DESC LIMIT 5) AS s2 WHERE s2.o5 * o5 > CASE WHEN FALSE THEN o4 WHEN FALSE THEN o4 END",
      runs: [{ source: 'records', npartitions: 1, scheduler: 'sync', optimize: true }],
    },
  },
  {
    name: 'CAST(text AS BIGINT) <> NULL: DuckDB folds it to NULL and never casts; tsdask casts',
    found: { seed: 4007, path: '241' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [
            { sql: 'c1', name: 'c1', dtype: 'int32' },
            { sql: 'c2', name: 'c2', dtype: 'utf8' },
            { sql: 'c4', name: 'c4', dtype: 'float64' },
          ],
          rows: [[null, 'Ａ', null]],
        },
      ],
      tsdask:
        "SELECT TRUE, 6 AS o0, TIMESTAMP '2024-01-31 02:00:00' AS o1, c1 FROM t WHERE CAST(CASE WHEN TRUE THEN c2 WHEN TRUE THEN t.c2 WHEN TRUE THEN c2 ELSE c2 END AS long) <> NULL UNION SELECT TRUE AS o2, 9 AS o3, TIMESTAMP '2024-01-29 09:00:00' AS o4, -100 AS o5 FROM t GROUP BY t.c4",
      duckdb:
        "SELECT TRUE, 6 AS o0, TIMESTAMP '2024-01-31 02:00:00' AS o1, c1 FROM t WHERE CAST(CASE WHEN TRUE THEN c2 WHEN TRUE THEN t.c2 WHEN TRUE THEN c2 ELSE c2 END AS BIGINT) <> NULL UNION SELECT TRUE AS o2, 9 AS o3, TIMESTAMP '2024-01-29 09:00:00' AS o4, -100 AS o5 FROM t GROUP BY t.c4",
      runs: [{ source: 'records', npartitions: 1, scheduler: 'sync', optimize: true, blocksize: 250 }],
    },
  },
  {
    name: 'CASE max(i * i) WHEN NULL ...: DuckDB folds the CASE to NULL, drops the overflowing aggregate; tsdask computes it',
    found: { seed: 4007, path: '288' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [
            { sql: 'c0', name: 'c0', dtype: 'int64' },
            { sql: 'c1', name: 'c1', dtype: 'int64' },
            { sql: 'c2', name: 'c2', dtype: 'bool' },
            { sql: 'c3', name: 'c3', dtype: 'date32' },
            { sql: 'c4', name: 'c4', dtype: 'int32' },
            { sql: 'c5', name: 'c5', dtype: 'timestamp[ms]' },
            { sql: 'c6', name: 'c6', dtype: 'utf8' },
          ],
          rows: [[null, null, null, null, 65536, null, null]],
        },
      ],
      tsdask:
        "SELECT CASE max(c4 * t.c4) WHEN CAST(NULL AS INTEGER) THEN DATE '2024-02-13' END AS o0, c5 FROM t GROUP BY 2",
      duckdb:
        "SELECT CASE max(c4 * t.c4) WHEN CAST(NULL AS INTEGER) THEN DATE '2024-02-13' END AS o0, c5 FROM t GROUP BY 2",
      runs: [{ source: 'records', npartitions: 1, scheduler: 'sync', optimize: true, blocksize: 250 }],
    },
  },
  {
    name: "the CLI's cast error in a HAVING that DuckDB's optimizer drops with its union input: both unoptimized plans raise it",
    found: { seed: 5001, path: '72' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [
            { sql: 'c0', name: 'c0', dtype: 'float64' },
            { sql: 'c1', name: 'c1', dtype: 'timestamp[ms]' },
            { sql: 'c2', name: 'c2', dtype: 'float64' },
            { sql: 'c3', name: 'c3', dtype: 'utf8' },
            { sql: 'c4', name: 'c4', dtype: 'bool' },
            { sql: 'c5', name: 'c5', dtype: 'int32' },
            { sql: '"Mixed Case"', name: 'Mixed Case', dtype: 'int32' },
          ],
          rows: [
            [5.25, new Date('2024-01-31T23:00:00.000Z'), 0, 'z', true, 8, -29],
            [9.25, new Date('2024-01-29T16:21:02.691Z'), Infinity, '_x', false, -1, null],
            [-5.75, null, -0.75, null, false, -2, -10],
          ],
        },
      ],
      tsdask:
        'SELECT TRUE AS o4 FROM (SELECT min(c0) AS o0, min(c4) AS o1 FROM t AS x WHERE coalesce(-2, "Mixed Case", x."Mixed Case") IS NOT NULL UNION SELECT ceil(coalesce(max(c2), stddev(x."Mixed Case"), max(x.c0))) AS o2, TRUE IN (NULL, FALSE, TRUE) AS o3 FROM t AS x GROUP BY c3 HAVING CAST(c3 AS datetime) <= TIMESTAMP \'2024-01-31 11:00:00\') AS s1 WHERE NOT o1',
      duckdb:
        'SELECT TRUE AS o4 FROM (SELECT min(c0) AS o0, min(c4) AS o1 FROM t AS x WHERE coalesce(-2, "Mixed Case", x."Mixed Case") IS NOT NULL UNION SELECT ceil(coalesce(max(c2), stddev(x."Mixed Case"), max(x.c0))) AS o2, TRUE IN (NULL, FALSE, TRUE) AS o3 FROM t AS x GROUP BY c3 HAVING CAST(c3 AS TIMESTAMP) <= TIMESTAMP \'2024-01-31 11:00:00\') AS s1 WHERE NOT o1',
      runs: [],
      cli: { scheduler: 'pool' },
    },
  },
  {
    name: 'x * x % (CASE WHEN FALSE THEN 1 END): a constant null operand makes the result null without evaluating x * x, as in DuckDB (was: an int64 overflow)',
    found: { seed: 5001, path: '92' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [
            { sql: 'c0', name: 'c0', dtype: 'int64' },
            { sql: 'c1', name: 'c1', dtype: 'utf8' },
            { sql: 'c2', name: 'c2', dtype: 'int32' },
            { sql: '"group"', name: 'group', dtype: 'bool' },
          ],
          rows: [[-5000000000n, null, null, null]],
        },
      ],
      tsdask: 'SELECT mean(t.c0 * t.c0 % CASE WHEN FALSE THEN CAST(1 AS BIGINT) END) AS o1 FROM t GROUP BY t.c1',
      duckdb:
        'SELECT mean(t.c0 * t.c0 % NULLIF(CASE WHEN FALSE THEN CAST(1 AS BIGINT) END, 0)) AS o1 FROM t GROUP BY t.c1',
      runs: [
        { source: 'records', npartitions: 1, scheduler: 'sync', optimize: true, blocksize: 250 },
        { source: 'records', npartitions: 2, scheduler: 'pool', optimize: false },
      ],
    },
  },
  {
    name: "CAST('inf' AS BOOLEAN) in a CASE over no rows: DuckDB's optimizer raises it while folding, the query as written does not",
    found: { seed: 5003, path: '292' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [{ sql: '"Mixed Case"', name: 'Mixed Case', dtype: 'date32' }],
          rows: [],
        },
        {
          name: 'u',
          columns: [
            { sql: 'd1', name: 'd1', dtype: 'utf8' },
            { sql: '"group"', name: 'group', dtype: 'utf8' },
          ],
          rows: [],
        },
      ],
      tsdask:
        'SELECT CASE WHEN CAST(\'inf\' AS BOOLEAN) THEN u.d1 WHEN FALSE THEN "group" ELSE "group" END AS o0 FROM u',
      duckdb:
        'SELECT CASE WHEN CAST(\'inf\' AS BOOLEAN) THEN u.d1 WHEN FALSE THEN "group" ELSE "group" END AS o0 FROM u',
      runs: [{ source: 'records', npartitions: 1, scheduler: 'sync', optimize: true }],
    },
  },
  {
    name: "NOT (c5 = c4) in HAVING with GROUP BY c5 = c4: valid (DuckDB's parser makes it c5 <> c4 and refuses it; it gets (c5 = c4) = FALSE)",
    found: { seed: 5009, path: '157' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [
            { sql: 'c1', name: 'c1', dtype: 'utf8' },
            { sql: 'c4', name: 'c4', dtype: 'int32' },
            { sql: 'c5', name: 'c5', dtype: 'int32' },
          ],
          rows: [
            ['a', 1, 2],
            ['b', 3, 3],
            [null, null, 1],
          ],
        },
      ],
      tsdask: 'SELECT c1 FROM t AS x GROUP BY c5 = c4, c1 HAVING NOT c5 = c4',
      duckdb: 'SELECT c1 FROM t AS x GROUP BY c5 = c4, c1 HAVING (c5 = c4) = FALSE',
      runs: [{ source: 'records', npartitions: 1, scheduler: 'sync', optimize: true }],
    },
  },
  {
    name: 'a division by a constant NULL is null without evaluating the dividend\'s cast, as in DuckDB (was: cannot cast "inf")',
    found: { seed: 5009, path: '160' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [
            { sql: 'c1', name: 'c1', dtype: 'timestamp[ms]' },
            { sql: 'c4', name: 'c4', dtype: 'float64' },
            { sql: 'c5', name: 'c5', dtype: 'int32' },
            { sql: '"group"', name: 'group', dtype: 'utf8' },
          ],
          rows: [[null, null, null, 'inf']],
        },
      ],
      tsdask:
        'SELECT c1, t.c4 AS o0 FROM t WHERE coalesce(-9.25, 8.5) IS NULL UNION SELECT TIMESTAMP \'2024-01-30 02:00:00\' AS o1, c5 / CAST("group" AS int32) / CAST(CAST(NULL AS DOUBLE) AS int8) AS o2 FROM t AS x',
      duckdb:
        "SELECT c1, t.c4 AS o0 FROM t WHERE coalesce(CAST('-9.25' AS DOUBLE), CAST('8.5' AS DOUBLE)) IS NULL UNION SELECT TIMESTAMP '2024-01-30 02:00:00' AS o1, c5 / NULLIF(CAST(\"group\" AS INTEGER), 0) / NULLIF(CAST(CAST(NULL AS DOUBLE) AS BIGINT), 0) AS o2 FROM t AS x",
      runs: [
        { source: 'records', npartitions: 1, scheduler: 'sync', optimize: true, blocksize: Infinity },
        { source: 'records', npartitions: 2, scheduler: 'pool', optimize: false },
      ],
    },
  },
  {
    name: 'CAST(x AS INTEGER) + c * NULL: the call a constant NULL decides is a constant NULL itself, so the cast is never evaluated, as in DuckDB (was: cannot cast Infinity)',
    found: { seed: 6006, path: '290' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [
            { sql: 'c2', name: 'c2', dtype: 'timestamp[ms]' },
            { sql: 'c3', name: 'c3', dtype: 'int32' },
            { sql: 'c4', name: 'c4', dtype: 'float64' },
            { sql: 'c6', name: 'c6', dtype: 'utf8' },
            { sql: '"group"', name: 'group', dtype: 'utf8' },
          ],
          rows: [[null, null, Infinity, null, null]],
        },
      ],
      tsdask:
        'SELECT CASE WHEN TRUE THEN min(c3) WHEN TRUE THEN NULL ELSE min(c3) END AS o0, min(c2) AS o1, "group" FROM t AS x GROUP BY "group" UNION SELECT CAST(t.c4 AS int32) + c3 * NULL AS o2, t.c2, c6 FROM t WHERE TRUE',
      duckdb:
        'SELECT CASE WHEN TRUE THEN min(c3) WHEN TRUE THEN NULL ELSE min(c3) END AS o0, min(c2) AS o1, "group" FROM t AS x GROUP BY "group" UNION SELECT CAST(t.c4 AS INTEGER) + c3 * NULL AS o2, t.c2, c6 FROM t WHERE TRUE',
      runs: [
        { source: 'records', npartitions: 1, scheduler: 'sync', optimize: false, blocksize: 250 },
        { source: 'records', npartitions: 1, scheduler: 'sync', optimize: true },
      ],
    },
  },
  {
    name: 'round of a negative value that rounds to zero is -0.0, as in DuckDB (was: 0.0)',
    found: { seed: 6008, path: '300' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [
            { sql: 'c1', name: 'c1', dtype: 'float64' },
            { sql: '"Mixed Case"', name: 'Mixed Case', dtype: 'utf8' },
          ],
          rows: [
            [null, ''],
            [-1.0332702247825035e-194, null],
          ],
        },
      ],
      tsdask: 'SELECT CAST(round(c1) AS TEXT) AS o0 FROM t',
      duckdb: 'SELECT CAST(round(c1) AS VARCHAR) AS o0 FROM t',
      runs: [
        { source: 'csv', npartitions: 1, scheduler: 'sync', optimize: true, blocksize: 100 },
        { source: 'records', npartitions: 2, scheduler: 'pool', optimize: false },
      ],
    },
  },
  {
    name: "length(CAST(round(x, 2) AS VARCHAR)) of a tiny negative x: '-0.0', as in DuckDB (same cause as 6008/300)",
    found: { seed: 6009, path: '169' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [
            { sql: 'c3', name: 'c3', dtype: 'float64' },
            { sql: 'c4', name: 'c4', dtype: 'date32' },
          ],
          rows: [[-2.4434570209733454e-248, null]],
        },
      ],
      tsdask: 'SELECT c4, length(CAST(round(c3, 2) AS VARCHAR)) AS o0 FROM t ORDER BY 1 NULLS LAST',
      duckdb: 'SELECT c4, CAST(length(CAST(round(c3, 2) AS VARCHAR)) AS INTEGER) AS o0 FROM t ORDER BY 1 NULLS LAST',
      orderKeys: [0],
      runs: [{ source: 'records', npartitions: 1, scheduler: 'sync', optimize: true, blocksize: 100 }],
    },
  },
  {
    name: "CAST(-x AS VARCHAR) of a NaN x is '-nan', as in DuckDB (was: 'nan')",
    found: { seed: 8000, path: '274' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [{ sql: 'c0', name: 'c0', dtype: 'float64' }],
          rows: [[NaN]],
        },
      ],
      tsdask: 'SELECT CAST(-c0 AS TEXT) AS o1 FROM t',
      duckdb: 'SELECT CAST(-c0 AS VARCHAR) AS o1 FROM t',
      runs: [
        { source: 'arrow-null-dictionary-entries', npartitions: 1, scheduler: 'sync', optimize: true },
        { source: 'csv', npartitions: 2, scheduler: 'pool', optimize: false, blocksize: 20 },
      ],
    },
  },
  {
    name: 'CAST(CAST(ts AS VARCHAR) AS DATE): text with a time of day casts to its date, as in DuckDB (was: cannot cast)',
    found: { seed: 8003, path: '177' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [{ sql: 'c1', name: 'c1', dtype: 'timestamp[ms]' }],
          rows: [[new Date('2024-01-28T20:18:34.220Z')]],
        },
      ],
      tsdask: 'SELECT coalesce(CAST(CAST(c1 AS string) AS DATE), CAST(NULL AS DATE)) AS o1 FROM t AS x',
      duckdb: 'SELECT coalesce(CAST(CAST(c1 AS VARCHAR) AS DATE), CAST(NULL AS DATE)) AS o1 FROM t AS x',
      runs: [
        { source: 'records', npartitions: 1, scheduler: 'sync', optimize: true },
        { source: 'csv', npartitions: 2, scheduler: 'pool', optimize: false, blocksize: 20 },
      ],
    },
  },
  {
    name: "stddev of integers far from their mean: tsdask's exact 7.5055534995, checked against DuckDB's exact HUGEINT formula (DuckDB's stddev says 7.5055535339)",
    found: { seed: 9000, path: '20' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [{ sql: '"group"', name: 'group', dtype: 'int64' }],
          rows: [[11n], [-2n], [-2n]],
        },
        {
          name: 'u',
          columns: [
            { sql: 'd2', name: 'd2', dtype: 'utf8' },
            { sql: '"group"', name: 'group', dtype: 'int32' },
          ],
          rows: [['NULL', null]],
        },
      ],
      tsdask: 'SELECT TRUE, stddev("group" + 3000000000) AS o0 FROM t AS x GROUP BY TRUE ORDER BY 1 DESC',
      duckdb:
        'SELECT TRUE, sqrt(CASE WHEN count(CAST("group" + 3000000000 AS HUGEINT)) > 1 THEN CAST(count(CAST("group" + 3000000000 AS HUGEINT)) * sum(CAST("group" + 3000000000 AS HUGEINT) * CAST("group" + 3000000000 AS HUGEINT)) - sum(CAST("group" + 3000000000 AS HUGEINT)) * sum(CAST("group" + 3000000000 AS HUGEINT)) AS DOUBLE) / CAST(count(CAST("group" + 3000000000 AS HUGEINT)) * (count(CAST("group" + 3000000000 AS HUGEINT)) - 1) AS DOUBLE) END) AS o0 FROM t AS x GROUP BY TRUE ORDER BY 1 DESC',
      orderKeys: [0],
      runs: [{ source: 'csv', npartitions: 1, scheduler: 'sync', optimize: true, blocksize: Infinity }],
    },
  },
  {
    name: "rows equal within the tolerance do not steal each other's identical partners (3e9 + small fractions)",
    found: { seed: 9001, path: '410' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [{ sql: 'c0', name: 'c0', dtype: 'float64' }],
          rows: [[-0.75], [1.25], [-2.75]],
        },
      ],
      tsdask:
        "SELECT c0 + 3000000000 AS o1, o0 FROM (SELECT '2.5' AS o0, c0 FROM t WHERE TRUE GROUP BY 2) AS s1 ORDER BY o0 ASC",
      duckdb:
        "SELECT c0 + 3000000000 AS o1, o0 FROM (SELECT '2.5' AS o0, c0 FROM t WHERE TRUE GROUP BY 2) AS s1 ORDER BY o0 ASC",
      orderKeys: [1],
      runs: [{ source: 'records', npartitions: 1, scheduler: 'sync', optimize: true }],
    },
  },
  {
    name: 'UNION ALL of a group-by and an empty input, sorted: an empty string column as Arrow JS makes it concatenates (was: an internal error)',
    found: { seed: 10005, path: '371' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [
            { sql: 'c4', name: 'c4', dtype: 'timestamp[ms]' },
            { sql: 'c6', name: 'c6', dtype: 'utf8' },
          ],
          rows: [[null, '_x']],
        },
      ],
      tsdask:
        'SELECT c4 AS o0, t.c6 FROM t GROUP BY t.c6, o0 UNION ALL SELECT c4, c6 FROM t AS x WHERE CAST(NULL AS BOOLEAN) ORDER BY c6 DESC',
      duckdb:
        'SELECT c4 AS o0, t.c6 FROM t GROUP BY t.c6, o0 UNION ALL SELECT c4, c6 FROM t AS x WHERE CAST(NULL AS BOOLEAN) ORDER BY c6 DESC',
      orderKeys: [1],
      runs: [
        { source: 'records', npartitions: 1, scheduler: 'sync', optimize: true },
        { source: 'csv', npartitions: 3, scheduler: 'pool', optimize: true, blocksize: 10 },
      ],
    },
  },
  {
    name: "CAST(var_samp(int) AS VARCHAR): tsdask's variance prints as DuckDB's own (972.3333333333333), not as the exact value rounded once",
    found: { seed: 11008, path: '451' },
    sqlCase: {
      tables: [
        {
          name: 't',
          columns: [
            { sql: 'c0', name: 'c0', dtype: 'int32' },
            { sql: 'c1', name: 'c1', dtype: 'int64' },
            { sql: 'c4', name: 'c4', dtype: 'utf8' },
            { sql: 'c5', name: 'c5', dtype: 'date32' },
          ],
          rows: [
            [4, -29n, null, null],
            [4, -17n, null, null],
            [4, 30n, null, null],
          ],
        },
      ],
      tsdask:
        'SELECT o2 AS o8, CAST(NULL AS TIMESTAMP) AS o9 FROM (SELECT c4 AS o2 FROM (SELECT c4, c4 AS o0, TRUE AS o1 FROM t) AS s2 WHERE TRUE UNION ALL SELECT CAST(o4 AS VARCHAR) AS o7 FROM (SELECT c1 AS o3, var_samp(c0) AS o4 FROM t GROUP BY c1 UNION SELECT count(DISTINCT c5) AS o5, variance(c1) AS o6 FROM t GROUP BY c0) AS s2) AS s1 ORDER BY o9 ASC',
      duckdb:
        'SELECT o2 AS o8, CAST(NULL AS TIMESTAMP) AS o9 FROM (SELECT c4 AS o2 FROM (SELECT c4, c4 AS o0, TRUE AS o1 FROM t) AS s2 WHERE TRUE UNION ALL SELECT CAST(o4 AS VARCHAR) AS o7 FROM (SELECT c1 AS o3, var_samp(c0) AS o4 FROM t GROUP BY c1 UNION SELECT count(DISTINCT c5) AS o5, variance(c1) AS o6 FROM t GROUP BY c0) AS s2) AS s1 ORDER BY o9 ASC',
      orderKeys: [1],
      runs: [{ source: 'records', npartitions: 1, scheduler: 'sync', optimize: true }],
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
