/**
 * The nodejs-polars child (native Rust threads; POLARS_MAX_THREADS is set by the runner): load
 * is `readCSV` with the schema given; each question is an eager group-by that returns a
 * DataFrame (the answer, materialized); the cold scan is `scanCSV → filter → groupBy → collect`,
 * which lets Polars push the projection and the predicate into the reader.
 */
import pl from 'nodejs-polars'
import { measureSystem, writeReports } from '../child.js'
import { COLUMN_TYPES, type QuestionId } from '../questions.js'
import { type AnswerSummary, childArgs, toNumber } from '../report.js'

type Frame = pl.DataFrame
const { csv, repeat, out, threads } = childArgs(process.argv.slice(2))

const dtype = { string: pl.Utf8, int: pl.Int32, float: pl.Float64 } as const
const schema = Object.fromEntries(Object.entries(COLUMN_TYPES).map(([name, type]) => [name, dtype[type]]))

const c = pl.col

function summarize(df: Frame): AnswerSummary {
  const sums: Record<string, number> = {}
  const numeric = df.columns.filter((name) => df.getColumn(name).isNumeric())
  // Summed as float64 (Polars sums an int32 column in int32: a key column's checksum would wrap),
  // NaN skipped like null, as every summary does.
  const totals = df.select(...numeric.map((name) => c(name).cast(pl.Float64).dropNans().sum()))
  for (const name of numeric) sums[name] = toNumber(totals.getColumn(name).get(0))
  return { rows: df.height, sums }
}

const QUERIES: Readonly<Record<QuestionId, (x: Frame) => Frame>> = {
  q1: (x) => x.groupBy('id1').agg(c('v1').sum()),
  q2: (x) => x.groupBy(['id1', 'id2']).agg(c('v1').sum()),
  q3: (x) => x.groupBy('id3').agg(c('v1').sum(), c('v3').mean()),
  q4: (x) => x.groupBy('id4').agg(c('v1').mean(), c('v2').mean(), c('v3').mean()),
  q5: (x) => x.groupBy('id6').agg(c('v1').sum(), c('v2').sum(), c('v3').sum()),
  q6: (x) => x.groupBy(['id4', 'id5']).agg(c('v3').median().alias('median_v3'), c('v3').std().alias('sd_v3')),
  q7: (x) => x.groupBy('id3').agg(c('v1').max().minus(c('v2').min()).alias('range_v1_v2')),
  q8: (x) =>
    x
      .groupBy('id6')
      .agg(c('v3').sort({ descending: true }).head(2).alias('largest2_v3'))
      .explode('largest2_v3'),
  q9: (x) => x.groupBy(['id2', 'id4']).agg(pl.pearsonCorr(c('v1'), c('v2')).pow(2).alias('r2')),
  q10: (x) => x.groupBy(['id1', 'id2', 'id3', 'id4', 'id5', 'id6']).agg(c('v3').sum(), pl.len().alias('count')),
}

const report = await measureSystem({
  system: 'Polars',
  version: String(pl.version),
  threads,
  repeat,
  out,
  load: () => pl.readCSV(csv, { schema, hasHeader: true }),
  summarizeLoad: (x) => summarize(x.select('v1', 'v2', 'v3')),
  question: (id, x) => () => QUERIES[id](x),
  cold: () =>
    pl.scanCSV(csv, { schema, hasHeader: true }).filter(c('v1').gt(2)).groupBy('id1').agg(c('v3').sum()).collectSync(),
  summarize,
})
writeReports(out, [report])
