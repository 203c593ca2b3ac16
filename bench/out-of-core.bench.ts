/**
 * Out-of-core: filter → groupBy → agg over a CSV many times larger than the memory budget, with a
 * 512 MB budget, reporting peak RSS (process.resourceUsage().maxRSS: the whole process, pool worker
 * threads included), wall time and MB/s, and checking the answer against an independent streaming
 * pass (bench/groupby-data.ts; its result is cached next to the data, as it takes minutes).
 *
 *   npm run build && node --import tsx bench/out-of-core.bench.ts [--rows 8e7] [--budget-mb 512]
 *
 * The data (8e7 rows ≈ 4.2 GB) is generated on first use under bench/data/ (gitignored); that
 * alone takes 10–40 minutes on a busy machine, so run it in the background:
 *   nohup node --import tsx bench/out-of-core.bench.ts > bench/data/out-of-core.log 2>&1 &
 *
 * What holds memory, and what bounds it: the scheduler's store (partial aggregates; `maxMemory`
 * bounds it and the partitions in flight) and each running task's own working set (a CSV block
 * being parsed: the text and its columns). The latter is bounded by the block size, which the
 * bench derives from the budget: budget / (8 × workers), so the blocks being parsed, their columns
 * and the worker heaps' slack fit in it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { col, count, readCsv, shutdown } from 'tsdask'
import { ensureGroupbyCsv, GROUPBY_SCHEMA, referenceFilterSum } from './groupby-data.js'

const argv = process.argv.slice(2)
const arg = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? Number(argv[i + 1]) : fallback
}
const rows = arg('rows', 8e7)
const budget = arg('budget-mb', 512) * 1024 * 1024
const workers = availableParallelism()
const blocksize = Math.floor(budget / (8 * workers))
const rssMb = () => process.resourceUsage().maxRSS / 1024

let t0 = performance.now()
const { path, bytes } = ensureGroupbyCsv(rows)
console.log(
  `data: ${path}: ${(bytes / 1e9).toFixed(2)} GB, ${rows.toLocaleString()} rows (ready in ${((performance.now() - t0) / 1000).toFixed(0)} s)`,
)
if (bytes < 4e9) console.log('note: under 4 GB; pass --rows 8e7 or more for the acceptance run')
const startRss = rssMb()

const trips = readCsv(path, { blocksize, schema: GROUPBY_SCHEMA })
const query = trips
  .filter(col('v1').gt(2))
  .groupBy('id1')
  .agg({ v3: col('v3').sum(), n: count() })
let peakHeld = 0
t0 = performance.now()
const result = await query.toRecords({
  maxMemory: budget,
  progress: true,
  onEvent: (e) => {
    if (e.type === 'task-done') peakHeld = Math.max(peakHeld, e.peakBytes)
  },
})
const seconds = (performance.now() - t0) / 1000
const peakRss = rssMb()
console.log(
  `filter → groupBy → agg: ${result.length} groups, ${trips.npartitions} partitions of ${(blocksize / 2 ** 20).toFixed(0)} MB, ` +
    `${workers} workers, budget ${(budget / 2 ** 20).toFixed(0)} MB`,
)
console.log(
  `wall ${seconds.toFixed(1)} s, ${(bytes / 1e6 / seconds).toFixed(0)} MB/s, peak RSS ${peakRss.toFixed(0)} MB ` +
    `(before the query: ${startRss.toFixed(0)} MB), store peak ${(peakHeld / 1e6).toFixed(1)} MB` +
    (peakRss < 1024 ? ' — under 1 GB' : ' — OVER 1 GB'),
)
await shutdown()

// The independent answer (after the peak RSS was read: its own buffers must not count).
const cache = `${path}.reference.json`
t0 = performance.now()
const reference = existsSync(cache)
  ? new Map<string, number>(JSON.parse(readFileSync(cache, 'utf8')) as [string, number][])
  : referenceFilterSum(path)
if (!existsSync(cache)) writeFileSync(cache, JSON.stringify([...reference]))
console.log(`reference: ${reference.size} groups in ${((performance.now() - t0) / 1000).toFixed(0)} s`)
let mismatches = result.length === reference.size ? 0 : 1
for (const r of result) {
  const want = reference.get(r.id1 ?? '')
  if (want === undefined || Math.abs((r.v3 ?? Number.NaN) - want) > 1e-9 * Math.abs(want)) mismatches++
}
console.log(mismatches === 0 ? `answers agree: ${reference.size} groups` : `MISMATCH in ${mismatches} groups`)
if (mismatches > 0 || peakRss >= 1024) process.exitCode = 1
