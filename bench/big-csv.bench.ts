/**
 * The spine's acceptance run on a CSV of at least 1 GB: `filter → groupBy → agg` on the pool over
 * ≥ 16 byte-range partitions, checked against an independent streaming computation, and `head(5)`
 * shown to read a single partition (counted from the scheduler's task events).
 *
 * Run: node --import tsx bench/big-csv.bench.ts [--rows 2e7] [--blocksize 64MB]
 * (`npm run build` first: it imports the package as users do.)
 */
import { col, count, readCsv, shutdown } from 'tsdask'
import { ensureGroupbyCsv, GROUPBY_SCHEMA, referenceFilterSum } from './groupby-data.js'

const args = process.argv.slice(2)
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback
}
const rows = Number(arg('rows', '2e7'))
const blocksize = arg('blocksize', '64MB')

let t0 = performance.now()
const { path, bytes } = ensureGroupbyCsv(rows)
console.log(
  `data: ${path}: ${(bytes / 1e9).toFixed(2)} GB, ${rows.toLocaleString()} rows (ready in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
)

const trips = readCsv(path, { blocksize, schema: GROUPBY_SCHEMA })
console.log(`partitions: ${trips.npartitions} (blocksize ${blocksize})`)

const readTasks = (events: { type: string; label?: string }[]) =>
  events.filter((e) => e.type === 'task-start' && (e.label ?? '').includes('read-csv')).length

// head(5): how many read tasks run.
const headEvents: { type: string; label?: string }[] = []
t0 = performance.now()
const head = await trips.head(5).toRecords({ onEvent: (e) => headEvents.push(e) })
console.log(
  `head(5): ${head.length} rows in ${(performance.now() - t0).toFixed(0)} ms, read tasks run: ${readTasks(headEvents)} of ${trips.npartitions}`,
)

// filter → groupBy → agg on the pool.
const events: { type: string; label?: string }[] = []
const query = trips
  .filter(col('v1').gt(2))
  .groupBy('id1')
  .agg({ v3: col('v3').sum(), n: count() })
t0 = performance.now()
const result = await query.toRecords({ onEvent: (e) => events.push(e) })
const ms = performance.now() - t0
console.log(
  `filter → groupBy → agg on the pool: ${result.length} groups in ${(ms / 1000).toFixed(2)} s (${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s, ${(rows / 1e6 / (ms / 1000)).toFixed(2)} Mrows/s), read tasks: ${readTasks(events)}`,
)

t0 = performance.now()
const reference = referenceFilterSum(path)
console.log(`independent streaming computation: ${((performance.now() - t0) / 1000).toFixed(1)} s`)
let mismatches = 0
for (const r of result) {
  const want = reference.get(r.id1 ?? '')
  if (want === undefined || Math.abs((r.v3 ?? Number.NaN) - want) > 1e-9 * Math.abs(want)) mismatches++
}
if (result.length !== reference.size) mismatches++
console.log(mismatches === 0 ? `answers agree: ${reference.size} groups` : `MISMATCH in ${mismatches} groups`)
await shutdown()
if (mismatches > 0) process.exit(1)
