/**
 * The tsdask child: load (`readCsv(...).persist()`), the ten questions on the persisted frame
 * (fluent, and as SQL once tsdask exports `sql()`), the cold scan, peak RSS. Runs on the default
 * scheduler (a pool of one worker per core, `--threads` workers); TSDASK_SCHEDULER still applies.
 * Writes two reports: `tsdask` and `tsdask SQL`.
 */
import { readFileSync } from 'node:fs'
import { type ComputeOptions, count, fromRecords } from 'tsdask'
import { summarizeArrow } from '../arrow-answer.js'
import { logger, measureSystem, writeReports } from '../child.js'
import { COLD_SCAN, QUESTIONS } from '../questions.js'
import { childArgs, describe, type Timing, timedOrError } from '../report.js'
import {
  buildSql,
  type Computable,
  coldScan,
  type GroupbyFrame,
  readGroupby,
  sqlFunction,
  sqlQuery,
  TSDASK_QUESTIONS,
} from '../tsdask-questions.js'

const { csv, repeat, out, threads } = childArgs(process.argv.slice(2))
const options: ComputeOptions = { workers: threads }
const log = logger('tsdask')
const run = (q: Computable) => () => q.compute(options)
const rootPackage = new URL('../../../package.json', import.meta.url)
const version = (JSON.parse(readFileSync(rootPackage, 'utf8')) as { version: string }).version

// Start the worker pool before timing anything (as the peers' engines are created untimed).
const warmStart = performance.now()
await fromRecords([{ k: 1 }])
  .groupBy('k')
  .agg({ n: count() })
  .compute(options)
const warmMs = performance.now() - warmStart
log(`pool started in ${(warmMs / 1000).toFixed(2)} s (not counted)`)

let persisted: GroupbyFrame | undefined
const fluent = await measureSystem({
  system: 'tsdask',
  version,
  threads,
  repeat,
  out,
  load: async () => {
    persisted = await readGroupby(csv).persist(options)
    return persisted
  },
  summarizeLoad: async (x) => summarizeArrow(await x.select('v1', 'v2', 'v3').compute(options)),
  question: (id, x) => {
    const built = TSDASK_QUESTIONS[id](x)
    return 'unsupported' in built ? built : run(built.query)
  },
  cold: () => coldScan(csv).compute(options),
  summarize: summarizeArrow,
  notes: [`worker pool start and a first tiny query: ${(warmMs / 1000).toFixed(2)} s, before and outside the timings`],
})

const sqlRows: Record<string, Timing> = {}
let sqlCold: Timing = { unsupported: 'SQL: not available' }
if (sqlFunction() && persisted) {
  const tables = { x: persisted }
  for (const q of QUESTIONS) {
    const built = await buildSql(q.sql, tables)
    sqlRows[q.id] = 'unsupported' in built ? built : await timedOrError(repeat, run(built.query), summarizeArrow)
    log(`SQL ${q.id} ${describe(sqlRows[q.id])}`)
  }
  const coldSql = `SELECT id1, sum(v3) AS v3 FROM x ${COLD_SCAN.sqlAfterFrom}`
  const built = await buildSql(coldSql, { x: readGroupby(csv) })
  sqlCold =
    'unsupported' in built
      ? built
      : await timedOrError(repeat, () => sqlQuery(coldSql, { x: readGroupby(csv) }).compute(options), summarizeArrow)
  log(`SQL cold ${describe(sqlCold)}`)
} else {
  log('SQL: not available')
  for (const q of QUESTIONS) sqlRows[q.id] = { unsupported: 'SQL: not available' }
}

writeReports(out, [
  fluent,
  {
    system: 'tsdask SQL',
    version,
    threads,
    load: { unsupported: 'same as tsdask' },
    questions: sqlRows,
    cold: sqlCold,
    maxRssMB: fluent.maxRssMB,
    notes: ['same process as tsdask (peak RSS shared)'],
  },
])
// The shared pool would keep the process alive until its exit hook; leave now.
process.exit(0)
