/**
 * The ten db-benchmark group-by questions (https://github.com/duckdblabs/db-benchmark,
 * `duckdb/groupby-duckdb.R`) and the cold scan, as data every system shares: an id, a title,
 * the SQL over table `x` (DuckDB runs it; tsdask runs it too once `sql()` exists) and the
 * result's column names, which every system must produce so answers can be compared.
 */

export type QuestionId = 'q1' | 'q2' | 'q3' | 'q4' | 'q5' | 'q6' | 'q7' | 'q8' | 'q9' | 'q10'

export interface Question {
  readonly id: QuestionId
  readonly title: string
  /** Over a table named `x`; `ans` is materialized as a table by the systems that can. */
  readonly sql: string
  /** Output columns, keys first; every system names its result's columns exactly so. */
  readonly columns: readonly string[]
}

export const QUESTIONS: readonly Question[] = [
  {
    id: 'q1',
    title: 'sum(v1) by id1',
    sql: 'SELECT id1, sum(v1) AS v1 FROM x GROUP BY id1',
    columns: ['id1', 'v1'],
  },
  {
    id: 'q2',
    title: 'sum(v1) by id1, id2',
    sql: 'SELECT id1, id2, sum(v1) AS v1 FROM x GROUP BY id1, id2',
    columns: ['id1', 'id2', 'v1'],
  },
  {
    id: 'q3',
    title: 'sum(v1), mean(v3) by id3',
    sql: 'SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM x GROUP BY id3',
    columns: ['id3', 'v1', 'v3'],
  },
  {
    id: 'q4',
    title: 'mean(v1), mean(v2), mean(v3) by id4',
    sql: 'SELECT id4, avg(v1) AS v1, avg(v2) AS v2, avg(v3) AS v3 FROM x GROUP BY id4',
    columns: ['id4', 'v1', 'v2', 'v3'],
  },
  {
    id: 'q5',
    title: 'sum(v1), sum(v2), sum(v3) by id6',
    sql: 'SELECT id6, sum(v1) AS v1, sum(v2) AS v2, sum(v3) AS v3 FROM x GROUP BY id6',
    columns: ['id6', 'v1', 'v2', 'v3'],
  },
  {
    id: 'q6',
    title: 'median(v3), std(v3) by id4, id5',
    sql: 'SELECT id4, id5, median(v3) AS median_v3, stddev(v3) AS sd_v3 FROM x GROUP BY id4, id5',
    columns: ['id4', 'id5', 'median_v3', 'sd_v3'],
  },
  {
    id: 'q7',
    title: 'max(v1) - min(v2) by id3',
    sql: 'SELECT id3, max(v1) - min(v2) AS range_v1_v2 FROM x GROUP BY id3',
    columns: ['id3', 'range_v1_v2'],
  },
  {
    id: 'q8',
    title: 'largest two v3 by id6',
    sql: 'SELECT id6, largest2_v3 FROM (SELECT id6, v3 AS largest2_v3, row_number() OVER (PARTITION BY id6 ORDER BY v3 DESC) AS order_v3 FROM x WHERE v3 IS NOT NULL) sub_query WHERE order_v3 <= 2',
    columns: ['id6', 'largest2_v3'],
  },
  {
    id: 'q9',
    title: 'corr(v1, v2)^2 by id2, id4',
    // db-benchmark writes pow(corr(v1, v2), 2); the product is the same and needs no pow().
    sql: 'SELECT id2, id4, corr(v1, v2) * corr(v1, v2) AS r2 FROM x GROUP BY id2, id4',
    columns: ['id2', 'id4', 'r2'],
  },
  {
    id: 'q10',
    title: 'sum(v3), count() by id1..id6',
    sql: 'SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count FROM x GROUP BY id1, id2, id3, id4, id5, id6',
    columns: ['id1', 'id2', 'id3', 'id4', 'id5', 'id6', 'v3', 'count'],
  },
]

/** The cold scan: from the CSV file each time, `v1 > 2`, then `sum(v3) by id1`. */
export const COLD_SCAN = {
  title: 'CSV → v1 > 2 → sum(v3) by id1',
  /** `FROM` is each system's own reader over the file. */
  sqlAfterFrom: 'WHERE v1 > 2 GROUP BY id1',
  columns: ['id1', 'v3'],
} as const

/** The column types of the table (the spec), in the file's order. */
export const COLUMN_TYPES = {
  id1: 'string',
  id2: 'string',
  id3: 'string',
  id4: 'int',
  id5: 'int',
  id6: 'int',
  v1: 'int',
  v2: 'int',
  v3: 'float',
} as const
