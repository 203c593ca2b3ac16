/**
 * Speed-up of the pool over sync on a CPU-bound group-by over in-memory data (no CSV parsing: the
 * rows are built here, seeded, and handed over with fromArrow in 16 partitions):
 *
 *   filter(v1 > 1) → groupBy(id6) → agg(sum v3, mean v2, min v3, count)   over 1e7 rows, 1e5 groups
 *
 * Each scheduler runs the query --repeat times (default 5, after a warm-up, which also moves the partitions into
 * shared memory once), in turns with the other; the best time counts, and the medians and the ratio
 * of each sync run to the pool run after it are printed beside it. Answers are checked equal.
 *
 * Beside each best time the bench prints, for that run, the process's CPU time (every thread: the
 * workers, the main thread, V8's GC and compiler helpers) and the main thread's busy time (event
 * loop utilization). pool CPU / sync CPU above 1 is work the pool adds or slows down (contention,
 * GC that sync got for free from the idle core); the main thread's busy share is serial work
 * (Amdahl). Both stay meaningful on a busy machine, where wall times do not.
 *
 *   npm run build && node --import tsx bench/scheduler-speedup.bench.ts [--rows 1e7] [--workers 2] [--partitions 16] [--groups N]
 *
 * It also measures the machine: two threads against one on a plain CPU loop, before and after the
 * query runs. On a VM this moves (1.1–2.4× measured on the same 2-vCPU machine within minutes), and
 * caps what any scheduler can show.
 *
 * Run it under `node --import tsx` as written: the pool's workers still load the compiled dist/
 * (schedule/pool/worker-flags.ts); before that fix they inherited tsx and ran the same kernels
 * 1.5–1.7× slower than the main thread, which alone kept this ratio near 1.4.
 *
 * V8's background GC threads: sync borrows the idle core for them, the pool's workers share their
 * two cores with them. `node --single-threaded-gc --import tsx …` shows the effect (2.18× instead of
 * 1.42–1.76× when the query allocated 468 MB); the flag cannot be set from a running process, so
 * what closes the gap is allocating less (159 MB now: outputs in shared memory, scratch row ids, no
 * broadcast literals, gathered copies or concatenated states) and a full collection before every
 * run (see timed()).
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Worker } from 'node:worker_threads'
import { tableFromArrays } from 'apache-arrow'
import { col, count, createPoolScheduler, createSyncScheduler, fromArrow, type Scheduler } from 'tsdask'
import { seededRandom } from './groupby-data.js'

const argv = process.argv.slice(2)
const arg = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? Number(argv[i + 1]) : fallback
}
const rows = arg('rows', 1e7)
const workers = arg('workers', 2)
const partitions = arg('partitions', 16)
// Default 1e5 groups at 1e7 rows (db-benchmark's id6 shape); --groups 100 is id1's.
const groups = arg('groups', Math.max(1, Math.round(rows / 100)))
const repeat = arg('repeat', 5)

const random = seededRandom(7)
const id6 = new Int32Array(rows)
const v1 = new Int32Array(rows)
const v2 = new Int32Array(rows)
const v3 = new Float64Array(rows)
for (let i = 0; i < rows; i++) {
  id6[i] = 1 + Math.floor(random() * groups)
  v1[i] = 1 + Math.floor(random() * 5)
  v2[i] = 1 + Math.floor(random() * 15)
  v3[i] = Math.round(random() * 100e6) / 1e6
}
const table = tableFromArrays({ id6, v1, v2, v3 })
const frame = fromArrow<{ id6: 'int32'; v1: 'int32'; v2: 'int32'; v3: 'float64' }>(table, { npartitions: partitions })
const query = frame
  .filter(col('v1').gt(1))
  .groupBy('id6')
  .agg({ s: col('v3').sum(), m: col('v2').mean(), lo: col('v3').min(), n: count() })
  .sort('id6')

interface Run {
  readonly ms: number
  /** Process CPU time (all threads) and main-thread busy time during the run. */
  readonly cpuMs: number
  readonly mainMs: number
  readonly checksum: string
}

// A full collection of the main thread's heap before every run, so neither scheduler's run pays for
// the garbage of the run before it (sync leaves ~270 MB of ArrayBuffers that V8 would otherwise
// sweep, on the second core, while the pool's workers need it). `--expose-gc` is safe to set late.
setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

async function timed(scheduler: Scheduler): Promise<Run> {
  collectGarbage()
  const cpu0 = process.cpuUsage()
  const elu0 = performance.eventLoopUtilization()
  const t0 = performance.now()
  const result = await query.compute({ scheduler })
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const s = result.getChild('s')!.toArray() as Float64Array
  const n = result.getChild('n')!.toArray() as BigInt64Array
  return {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    mainMs: performance.eventLoopUtilization(elu0).active,
    checksum: `${result.numRows} groups, Σs=${s.reduce((a, b) => a + b, 0).toFixed(3)}, Σn=${n.reduce((a, b) => a + b, 0n)}`,
  }
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const fastest = (runs: readonly Run[]): Run => runs.reduce((a, b) => (b.ms < a.ms ? b : a))

const describe = (runs: readonly Run[]): string => {
  const b = fastest(runs)
  return `${b.ms.toFixed(0)} ms best, ${median(runs.map((r) => r.ms)).toFixed(0)} ms median  (best run: cpu ${b.cpuMs.toFixed(0)} ms, main thread busy ${b.mainMs.toFixed(0)} ms; ${b.checksum})`
}

console.log(
  `${rows.toLocaleString()} rows in ${partitions} partitions, ${groups.toLocaleString()} groups, ${workers} workers, best of ${repeat}`,
)
/**
 * What this machine gives two threads right now: a fixed, cache-resident integer loop run twice on
 * one thread, then once on each of two started, waiting worker threads (start-up not timed). A VM's
 * two vCPUs can share a physical core at times, and then no scheduler reaches 1.7×; printing this
 * beside the speed-up tells a slow machine from a slow pool.
 */
async function twoThreadCeiling(): Promise<number> {
  const loop = `function work() {
    const t = new Int32Array(1 << 20); let h = 1
    for (let i = 0; i < 100000000; i++) { h = Math.imul(h ^ i, 0x9e3779b1); t[h & 0xfffff] += 1 }
    return t[7]
  }`
  const work = new Function(`${loop}; return work()`) as () => number
  work()
  let t0 = performance.now()
  work()
  work()
  const one = performance.now() - t0
  const source = `const { parentPort } = require('node:worker_threads'); ${loop}; work()
    parentPort.on('message', () => parentPort.postMessage(work())); parentPort.postMessage('ready')`
  const threads = [0, 1].map(() => new Worker(source, { eval: true }))
  await Promise.all(threads.map((w) => new Promise((ready) => w.once('message', ready))))
  t0 = performance.now()
  await Promise.all(
    threads.map((w) => {
      const done = new Promise((finished) => w.once('message', finished))
      w.postMessage('go')
      return done
    }),
  )
  const two = performance.now() - t0
  await Promise.all(threads.map((w) => w.terminate()))
  return one / two
}

const ceilingBefore = await twoThreadCeiling()
// The two schedulers run in turns (sync, pool, sync, pool, …) after one warm-up each, so a slow
// spell of this VM (they come and go within seconds) lands on both rather than on one.
const sync = createSyncScheduler()
const pool = createPoolScheduler({ workers })
await timed(sync)
await timed(pool)
const onSync: Run[] = []
const onPool: Run[] = []
for (let run = 0; run < repeat; run++) {
  onSync.push(await timed(sync))
  onPool.push(await timed(pool))
}
await pool.close()
console.log(`sync: ${describe(onSync)}`)
console.log(`pool: ${describe(onPool)}`)
if (onPool.some((r) => r.checksum !== onSync[0]!.checksum) || onSync.some((r) => r.checksum !== onSync[0]!.checksum))
  throw new Error('pool and sync disagree')
const bestSync = fastest(onSync)
const bestPool = fastest(onPool)
const pairRatios = onSync.map((r, i) => r.ms / onPool[i]!.ms)
console.log(
  `speed-up pool / sync: ${(bestSync.ms / bestPool.ms).toFixed(2)}× (best against best; medians: ` +
    `${(median(onSync.map((r) => r.ms)) / median(onPool.map((r) => r.ms))).toFixed(2)}×; ` +
    `run pairs: ${pairRatios.map((x) => x.toFixed(2)).join(' ')})   cpu pool / sync: ${(bestPool.cpuMs / bestSync.cpuMs).toFixed(2)}`,
)
const ceiling = (ceilingBefore + (await twoThreadCeiling())) / 2
console.log(
  `two threads on this machine now (a plain CPU loop, before and after): ${ceiling.toFixed(2)}×; ` +
    `pool speed-up as a share of it: ${((100 * bestSync.ms) / bestPool.ms / ceiling).toFixed(0)} %`,
)
