/**
 * The Arquero child (one thread, eager verbs): load is `loadCSV` with the numeric columns parsed
 * by `Number` (as the other systems are given the schema); each question is `groupby → rollup`
 * returning a new table (materialized); the cold scan loads the file each time, then filters
 * and aggregates. q8 uses a window filter (`row_number() <= 2` per group ordered by v3).
 */
import { createRequire } from 'node:module'
import { type ColumnTable, desc, loadCSV, op } from 'arquero'
import { measureSystem, writeReports } from '../child.js'
import { COLUMN_TYPES, type QuestionId } from '../questions.js'
import { type AnswerSummary, childArgs, summarizeColumns } from '../report.js'

const { csv, repeat, out } = childArgs(process.argv.slice(2))

const parse = Object.fromEntries(
  Object.entries(COLUMN_TYPES)
    .filter(([, type]) => type !== 'string')
    .map(([name]) => [name, Number]),
)
const load = () => loadCSV(csv, { autoType: false, parse })

function summarize(table: ColumnTable): AnswerSummary {
  const columns = Object.fromEntries(table.columnNames().map((name) => [name, table.array(name) as ArrayLike<unknown>]))
  return summarizeColumns(columns, table.numRows())
}

const QUERIES: Readonly<Record<QuestionId, (x: ColumnTable) => ColumnTable>> = {
  q1: (x) => x.groupby('id1').rollup({ v1: op.sum('v1') }),
  q2: (x) => x.groupby('id1', 'id2').rollup({ v1: op.sum('v1') }),
  q3: (x) => x.groupby('id3').rollup({ v1: op.sum('v1'), v3: op.mean('v3') }),
  q4: (x) => x.groupby('id4').rollup({ v1: op.mean('v1'), v2: op.mean('v2'), v3: op.mean('v3') }),
  q5: (x) => x.groupby('id6').rollup({ v1: op.sum('v1'), v2: op.sum('v2'), v3: op.sum('v3') }),
  q6: (x) => x.groupby('id4', 'id5').rollup({ median_v3: op.median('v3'), sd_v3: op.stdev('v3') }),
  q7: (x) => x.groupby('id3').rollup({ range_v1_v2: 'd => op.max(d.v1) - op.min(d.v2)' }),
  q8: (x) =>
    x
      .select('id6', 'v3')
      .groupby('id6')
      .orderby(desc('v3'))
      .filter('() => op.row_number() <= 2')
      .ungroup()
      .unorder()
      .rename({ v3: 'largest2_v3' }),
  q9: (x) => x.groupby('id2', 'id4').rollup({ r2: 'd => op.corr(d.v1, d.v2) * op.corr(d.v1, d.v2)' }),
  q10: (x) => x.groupby('id1', 'id2', 'id3', 'id4', 'id5', 'id6').rollup({ v3: op.sum('v3'), count: op.count() }),
}

const report = await measureSystem({
  system: 'Arquero',
  version: (createRequire(import.meta.url)('arquero/package.json') as { version: string }).version,
  threads: 1,
  repeat,
  out,
  load,
  summarizeLoad: (x) => summarize(x.select('v1', 'v2', 'v3')),
  question: (id, x) => () => QUERIES[id](x),
  cold: async () =>
    (await load())
      .filter('d => d.v1 > 2')
      .groupby('id1')
      .rollup({ v3: op.sum('v3') }),
  summarize,
})
writeReports(out, [report])
