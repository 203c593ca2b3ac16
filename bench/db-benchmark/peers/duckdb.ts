/**
 * The DuckDB child (`@duckdb/node-api`, in-memory database, `threads` = 2 by default): load is
 * `CREATE TABLE x AS SELECT * FROM read_csv(...)`; each question materializes its answer as a
 * table (`CREATE OR REPLACE TABLE ans AS …`, as db-benchmark does); the cold scan reads the file
 * each time. Answers are summarized in SQL afterwards, outside the timing.
 */
import { DuckDBInstance } from '@duckdb/node-api'
import { measureSystem, writeReports } from '../child.js'
import { COLD_SCAN, COLUMN_TYPES, QUESTIONS } from '../questions.js'
import { type AnswerSummary, childArgs, toNumber } from '../report.js'

const { csv, repeat, out, threads } = childArgs(process.argv.slice(2))
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) })
const db = await instance.connect()
const sqlType = { string: 'VARCHAR', int: 'INTEGER', float: 'DOUBLE' } as const
const columns = Object.entries(COLUMN_TYPES)
  .map(([name, type]) => `'${name}': '${sqlType[type]}'`)
  .join(', ')
const readCsv = `read_csv('${csv.replaceAll("'", "''")}', header = true, columns = {${columns}})`

/** Sums as DOUBLE, NaN skipped like null (as every system's summary does). */
async function summarize(table: string, only?: readonly string[]): Promise<AnswerSummary> {
  const described = (await db.runAndReadAll(`DESCRIBE ${table}`)).getRowObjectsJS()
  const numeric = described
    .filter((c) => !String(c.column_type).startsWith('VARCHAR'))
    .map((c) => String(c.column_name))
    .filter((c) => !only || only.includes(c))
  const sums = numeric.map((c) => `sum("${c}"::DOUBLE) FILTER (WHERE NOT isnan("${c}"::DOUBLE)) AS "${c}"`)
  const row =
    (
      await db.runAndReadAll(`SELECT ${['count(*) AS "rows"', ...sums].join(', ')} FROM ${table}`)
    ).getRowObjectsJS()[0] ?? {}
  return { rows: toNumber(row.rows), sums: Object.fromEntries(numeric.map((c) => [c, toNumber(row[c])])) }
}

const version = String((await db.runAndReadAll('SELECT version() AS v')).getRowObjectsJS()[0]?.v ?? '?')
const sqlOf = new Map(QUESTIONS.map((q) => [q.id, q.sql]))
const report = await measureSystem({
  system: 'DuckDB',
  version,
  threads,
  repeat,
  out,
  load: () => db.run(`CREATE TABLE x AS SELECT * FROM ${readCsv}`),
  summarizeLoad: () => summarize('x', ['v1', 'v2', 'v3']),
  question: (id) => () => db.run(`CREATE OR REPLACE TABLE ans AS ${sqlOf.get(id)}`),
  cold: () =>
    db.run(`CREATE OR REPLACE TABLE ans AS SELECT id1, sum(v3) AS v3 FROM ${readCsv} ${COLD_SCAN.sqlAfterFrom}`),
  summarize: () => summarize('ans'),
})
writeReports(out, [report])
db.closeSync()
