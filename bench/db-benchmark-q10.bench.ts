/**
 * db-benchmark q10 alone (`sum(v3), count()` by id1..id6, nearly every row its own group), for
 * profiling the hash aggregation without the full runner: load and persist the table once, then
 * time q10 three times (RUNS=n for another count), printing wall and process CPU seconds (CPU
 * counts every worker thread, and is steadier than wall time on a shared machine). TSDASK_SCHEDULER=sync runs it on one thread;
 * add --cpu-prof to profile.
 * Run: npm run build && node --import tsx bench/db-benchmark-q10.bench.ts [csv] (WORKERS=2 by default)
 */
import { col, count } from 'tsdask'
import { readGroupby } from './db-benchmark/tsdask-questions.js'

const csv = process.argv[2] ?? 'bench/data/groupby-1000000.csv'
const workers = Number(process.env.WORKERS ?? 2)
const x = await readGroupby(csv).persist({ workers })
for (let run = 0; run < Number(process.env.RUNS ?? 3); run++) {
  const start = performance.now()
  const cpu = process.cpuUsage()
  const out = await x
    .groupBy('id1', 'id2', 'id3', 'id4', 'id5', 'id6')
    .agg({ v3: col('v3').sum(), count: count() })
    .compute({ workers })
  const used = process.cpuUsage(cpu)
  const wall = (performance.now() - start) / 1000
  console.log(
    `q10 ${wall.toFixed(3)} s wall, ${((used.user + used.system) / 1e6).toFixed(3)} s cpu, ${out.numRows} rows`,
  )
}
process.exit(0)
