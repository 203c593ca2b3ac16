/**
 * Per-task scheduler overhead: 100,000 tiny tasks (100 chains of 1,000 `x + 1` tasks; the op itself
 * costs well under a microsecond) on the sync scheduler and on the pool, in µs per task, against
 * piscina alone running 100,000 no-op calls in the same process (with the same bound on calls in
 * flight as the pool scheduler, and with every call submitted at once).
 *
 *   npm run build && node --import tsx bench/scheduler-overhead.bench.ts [--tasks 100000] [--workers 2]
 *
 * Imports the compiled package (dist/) as users do, so pool workers load compiled JS.
 */
import { availableParallelism } from 'node:os'
import { Piscina } from 'piscina'
import { createPoolScheduler, createSyncScheduler, type Scheduler } from 'tsdask'
import './fixtures/tiny-ops.mjs'

interface Task {
  readonly op: string
  readonly args: null
  readonly deps: readonly string[]
}

const argv = process.argv.slice(2)
const arg = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? Number(argv[i + 1]) : fallback
}
const tasks = arg('tasks', 100_000)
const workers = arg('workers', Math.min(2, availableParallelism()))
const CHAIN = 1000
const chains = Math.max(1, Math.round(tasks / CHAIN))

function chainsGraph(): { graph: Map<string, Task>; outputs: string[] } {
  const graph = new Map<string, Task>()
  const outputs: string[] = []
  for (let c = 0; c < chains; c++) {
    for (let i = 0; i < CHAIN; i++)
      graph.set(`c${c}-${i}`, { op: 'bench-tiny', args: null, deps: i ? [`c${c}-${i - 1}`] : [] })
    outputs.push(`c${c}-${CHAIN - 1}`)
  }
  return { graph, outputs }
}

/** Wall µs per task, and CPU µs per task (all threads of the process: steadier on a shared machine). */
async function timeScheduler(scheduler: Scheduler): Promise<string> {
  const { graph, outputs } = chainsGraph()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const values = await scheduler.compute(graph, outputs)
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  if (!values.every((v) => v === CHAIN - 1)) throw new Error(`wrong result: ${JSON.stringify(values.slice(0, 3))}`)
  return `${fmt((ms * 1000) / graph.size)}  (CPU ${((cpu.user + cpu.system) / graph.size).toFixed(1)} µs/task)`
}

async function timePiscina(pool: Piscina, inFlight: number): Promise<number> {
  const t0 = performance.now()
  let next = 0
  const lane = async () => {
    while (next < chains * CHAIN) {
      next++
      await pool.run(next)
    }
  }
  await Promise.all(Array.from({ length: inFlight }, lane))
  return ((performance.now() - t0) * 1000) / (chains * CHAIN)
}

const fmt = (us: number) => `${us.toFixed(1).padStart(7)} µs/task`
console.log(`${chains * CHAIN} tiny tasks, ${workers} workers (figures are per task, lower is better)`)

const sync = createSyncScheduler()
await timeScheduler(sync) // warm-up
console.log(`sync scheduler        ${await timeScheduler(sync)}`)

const pool = createPoolScheduler({ workers, opModules: [new URL('./fixtures/tiny-ops.mjs', import.meta.url).href] })
await timeScheduler(pool)
console.log(`pool scheduler        ${await timeScheduler(pool)}`)
await pool.close()

const piscina = new Piscina({
  filename: new URL('./fixtures/noop-worker.mjs', import.meta.url).href,
  minThreads: workers,
  maxThreads: workers,
  idleTimeout: Number.POSITIVE_INFINITY,
})
await timePiscina(piscina, 2 * workers)
console.log(`piscina alone, ${2 * workers} in flight ${fmt(await timePiscina(piscina, 2 * workers))}`)
console.log(`piscina alone, 256 in flight ${fmt(await timePiscina(piscina, 256))}`)
await piscina.destroy()
