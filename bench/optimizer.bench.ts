/**
 * The optimizer's acceptance figures, on the seeded 9-column db-benchmark table
 * (`id1,id2,id3,id4,id5,id6,v1,v2,v3`, see groupby-data.ts), each next to its own baseline:
 *
 * 1. Column pruning: `sum(v1) by id1` touches 2 of 9 columns; its time with the optimizer on, as a
 *    share of the same query with `prune-columns` switched off (every column parsed). Bar: ≤ 35 %.
 *    The two queries run interleaved (A B A B …) so both see the same machine state; reported are
 *    the best wall time of each (the bar's figure), the median of the per-pair wall ratios, and the
 *    best CPU time of each (process.cpuUsage, user + system: one thread's work plus GC helpers), so
 *    a ratio that comes from noise on either side shows.
 * 2. Predicate pushdown: `v3 < 1` keeps about 1 % of rows before a group-by; the Arrow bytes the
 *    scan produces with the filter pushed into the CSV reader, as a share of the same scan
 *    unfiltered. Bar: ≤ 10 %.
 * 3. Fusion: tasks started per partition for read → filter → project → partial aggregate. Bar: 1.
 * 4. Culling: tasks started by `head(5)` on the file split into 64 chunks. Bar: 1.
 *
 * Run: `npm run build && node --import tsx bench/optimizer.bench.ts [--rows N] [--repeat N]`
 * (default 1e6 rows, best of 3 (pairs for figure 1), sync scheduler so one thread's work is measured).
 * Figures are reported, never asserted.
 */
import type { RecordBatch } from 'apache-arrow'
import { col, readCsv, type SchedulerEvent } from 'tsdask'
import { ensureGroupbyCsv, GROUPBY_SCHEMA } from './groupby-data.js'

const args = process.argv.slice(2)
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : fallback
}
const rows = option('rows', 1e6)
const repeat = option('repeat', 3)
const sync = { scheduler: 'sync' } as const

const { path, bytes } = ensureGroupbyCsv(rows)
const frame = (blocksize?: number) =>
  readCsv(path, { schema: GROUPBY_SCHEMA, ...(blocksize === undefined ? {} : { blocksize }) })

interface Timing {
  /** Wall milliseconds. */
  readonly wall: number
  /** User + system CPU milliseconds of the process. */
  readonly cpu: number
}

async function timed(run: () => Promise<unknown>): Promise<Timing> {
  const cpu = process.cpuUsage()
  const t = performance.now()
  await run()
  const wall = performance.now() - t
  const used = process.cpuUsage(cpu)
  return { wall, cpu: (used.user + used.system) / 1000 }
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Runs `a` and `b` alternately, `repeat` pairs (a warm-up pair first, not counted). */
async function interleaved(a: () => Promise<unknown>, b: () => Promise<unknown>) {
  await a()
  await b()
  const pairs: { a: Timing; b: Timing }[] = []
  for (let i = 0; i < repeat; i++) pairs.push({ a: await timed(a), b: await timed(b) })
  const best = (pick: (p: { a: Timing; b: Timing }) => number) => Math.min(...pairs.map(pick))
  return {
    a: { wall: best((p) => p.a.wall), cpu: best((p) => p.a.cpu) },
    b: { wall: best((p) => p.b.wall), cpu: best((p) => p.b.cpu) },
    medianRatio: median(pairs.map((p) => p.a.wall / p.b.wall)),
  }
}

/** Bytes of every Arrow buffer of the batches (values, offsets, validity, dictionaries). */
function arrowBytes(batches: readonly RecordBatch[]): number {
  type DataLike = {
    values?: ArrayBufferView
    valueOffsets?: ArrayBufferView
    nullBitmap?: ArrayBufferView
    children: DataLike[]
    dictionary?: { data: DataLike[] }
  }
  const size = (d: DataLike): number =>
    (d.values?.byteLength ?? 0) +
    (d.valueOffsets?.byteLength ?? 0) +
    (d.nullBitmap?.byteLength ?? 0) +
    d.children.reduce((s, c) => s + size(c), 0) +
    (d.dictionary?.data.reduce((s, c) => s + size(c), 0) ?? 0)
  return batches.reduce((s, b) => s + size(b.data as unknown as DataLike), 0)
}

async function tasksStarted(run: (onEvent: (e: SchedulerEvent) => void) => Promise<unknown>) {
  const started: SchedulerEvent[] = []
  await run((e) => {
    if (e.type === 'task-start') started.push(e)
  })
  return started
}

console.log(`optimizer figures: ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB, best of ${repeat}, sync scheduler`)

// 1. Column pruning ---------------------------------------------------------------------------------
const twoColumns = () =>
  frame()
    .groupBy('id1')
    .agg({ s: col('v1').sum() })
const pruning = await interleaved(
  () => twoColumns().compute(sync),
  () => twoColumns().compute({ ...sync, disableRules: ['prune-columns'] }),
)
const pruned = pruning.a
const allColumns = pruning.b

// 2. Predicate pushdown: Arrow bytes the scan produces ------------------------------------------------
const scanned = frame().select('id1', 'v1')
const filtered = frame().filter(col('v3').lt(1)).select('id1', 'v1')
const unfilteredBatches = (await scanned.compute(sync)).batches
const filteredBatches = (await filtered.compute(sync)).batches
const unfilteredBytes = arrowBytes(unfilteredBatches)
const filteredBytes = arrowBytes(filteredBatches)
const keptRows = filteredBatches.reduce((s, b) => s + b.numRows, 0)

// 3. Fusion: tasks per partition ------------------------------------------------------------------------
const chain = frame(Math.ceil(bytes / 16))
  .filter(col('v1').gt(2))
  .withColumns({ w: col('v3').mul(2) })
  .groupBy('id1')
  .agg({ s: col('w').sum() })
const fusedStarts = await tasksStarted((onEvent) => chain.compute({ ...sync, onEvent }))
// The aggregation's tail (combine trees, the final step, the merge of split_out buckets) also carries
// partition numbers (its buckets'); the figure counts the chain's tasks per input partition.
const isTail = (label: string) => /combine|agg-final|merge/.test(label)
const perPartition = new Map<number, number>()
for (const e of fusedStarts) {
  if (e.type === 'task-start' && e.partition !== undefined && !isTail(e.label))
    perPartition.set(e.partition, (perPartition.get(e.partition) ?? 0) + 1)
}
const unfusedStarts = await tasksStarted((onEvent) => chain.compute({ ...sync, fuse: false, onEvent }))

// 4. Culling: head(5) on 64 chunks ------------------------------------------------------------------------
const sixtyFour = frame(Math.ceil(bytes / 64))
const headStarts = await tasksStarted((onEvent) => sixtyFour.head(5).compute({ ...sync, onEvent }))
const allStarts = await tasksStarted((onEvent) => sixtyFour.compute({ ...sync, onEvent }))

const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`
console.table([
  {
    figure: '2 of 9 columns: time vs all columns parsed',
    tsdask: `${pruned.wall.toFixed(0)} ms`,
    baseline: `${allColumns.wall.toFixed(0)} ms`,
    ratio: pct(pruned.wall, allColumns.wall),
    bar: '≤ 35 %',
  },
  {
    figure: '  same, median of per-pair wall ratios',
    tsdask: '',
    baseline: '',
    ratio: pct(pruning.medianRatio, 1),
    bar: '(evidence)',
  },
  {
    figure: '  same, CPU time (user + system, best)',
    tsdask: `${pruned.cpu.toFixed(0)} ms`,
    baseline: `${allColumns.cpu.toFixed(0)} ms`,
    ratio: pct(pruned.cpu, allColumns.cpu),
    bar: '(evidence)',
  },
  {
    figure: `1 % filter in the reader: Arrow bytes (${keptRows} rows kept)`,
    tsdask: `${(filteredBytes / 1e6).toFixed(2)} MB`,
    baseline: `${(unfilteredBytes / 1e6).toFixed(2)} MB`,
    ratio: pct(filteredBytes, unfilteredBytes),
    bar: '≤ 10 %',
  },
  {
    figure: `fused tasks per partition (${perPartition.size} partitions)`,
    tsdask: `${Math.max(...perPartition.values())} (${fusedStarts.length} in all)`,
    baseline: `${unfusedStarts.length} unfused in all`,
    ratio: '',
    bar: '1',
  },
  {
    figure: 'head(5) on a 64-chunk CSV: tasks run',
    tsdask: `${headStarts.length}`,
    baseline: `${allStarts.length} for the whole file`,
    ratio: '',
    bar: '1',
  },
])
