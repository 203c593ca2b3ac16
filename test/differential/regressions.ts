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
    name: "CSV: the strings 'NA' and 'null' and a quoted empty field are values, not nulls",
    found: { seed: 1, path: '86' },
    knownBug: 'bug (b) of issue 13 (CSV default null strings)',
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
