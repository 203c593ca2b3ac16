/**
 * Which scheduler a computation runs on. The default is a shared worker pool with one thread per
 * core, started on first use and stopped by `shutdown()` (or when the process would otherwise
 * exit). `TSDASK_SCHEDULER=sync|pool` overrides the default for a whole run (the test suite's
 * identity modes); an explicit `scheduler` option wins over both.
 */
import { availableParallelism } from 'node:os'
import { checkWorkers, createPoolScheduler, type PoolScheduler } from '../schedule/pool/pool-scheduler.js'
import type { Scheduler } from '../schedule/scheduler.js'
import { createSyncScheduler } from '../schedule/sync.js'
import { TsdaskError } from '../util/errors.js'

export type SchedulerChoice = 'sync' | 'pool' | Scheduler

/**
 * Shared pools by worker count, one per count. Only the pool of the count asked for last is kept
 * idle: a pool of another count is closed as soon as no compute runs on it (never under a running
 * compute), so switching `workers` back and forth does not pile up threads. `shutdown()` stops all.
 */
interface SharedPool {
  /** What computes get: the pool, counting the computes running on it. */
  readonly scheduler: PoolScheduler
  readonly pool: PoolScheduler
  running: number
}
const sharedPools = new Map<number, SharedPool>()
/** Pools being closed; shutdown() waits for them too. */
const closing = new Set<Promise<void>>()
let latestWorkers: number | undefined
let sharedSync: Scheduler | undefined
let exitHookInstalled = false

export function resolveScheduler(choice: SchedulerChoice | undefined, workers?: number): Scheduler {
  // Checked whatever the scheduler, so a bad value fails the same way under TSDASK_SCHEDULER=sync.
  checkWorkers(workers)
  if (choice && typeof choice === 'object') return choice
  const name = choice ?? defaultSchedulerName()
  if (name === 'sync') {
    sharedSync ??= createSyncScheduler()
    return sharedSync
  }
  const count = workers ?? availableParallelism()
  latestWorkers = count
  let shared = sharedPools.get(count)
  if (!shared) {
    shared = sharedPool(createPoolScheduler({ workers: count }))
    sharedPools.set(count, shared)
    if (!exitHookInstalled) {
      // One hook for the process, however many pools come and go.
      exitHookInstalled = true
      process.on('beforeExit', () => {
        if (sharedPools.size > 0) void shutdown()
      })
    }
  }
  closeIdlePools()
  return shared.scheduler
}

function sharedPool(pool: PoolScheduler): SharedPool {
  const shared: SharedPool = {
    pool,
    running: 0,
    scheduler: {
      name: 'pool',
      workers: pool.workers,
      get warm() {
        return pool.warm
      },
      compute(graph, outputs, options) {
        shared.running++
        return pool.compute(graph, outputs, options).finally(() => {
          shared.running--
          closeIdlePools()
        })
      },
      close: () => pool.close(),
    },
  }
  return shared
}

function closeIdlePools(): void {
  for (const [count, shared] of sharedPools) {
    if (count === latestWorkers || shared.running > 0) continue
    sharedPools.delete(count)
    const closed = shared.pool.close().finally(() => closing.delete(closed))
    closing.add(closed)
  }
}

/** Worker counts of the shared pools now open (for tests). */
export function sharedPoolSizes(): number[] {
  return [...sharedPools.keys()].sort((a, b) => a - b)
}

/** The scheduler used when a compute names none: `TSDASK_SCHEDULER`, else the pool. */
export function defaultSchedulerName(): 'sync' | 'pool' {
  const env = process.env.TSDASK_SCHEDULER
  if (env === undefined || env === '' || env === 'pool') return 'pool'
  if (env === 'sync') return 'sync'
  throw new TsdaskError('INVALID_ARGUMENT', `TSDASK_SCHEDULER is "${env}"; use "sync" or "pool", or unset it.`)
}

/**
 * Whether the shared pool for this many workers (default: one per core) has answered a task, i.e.
 * its threads are loaded.
 */
export function hasWarmSharedPool(workers?: number): boolean {
  return sharedPools.get(workers ?? availableParallelism())?.pool.warm ?? false
}

/** Stops the shared worker pools (a later computation starts a new one). */
export async function shutdown(): Promise<void> {
  const pools = [...sharedPools.values()]
  sharedPools.clear()
  await Promise.all([...pools.map((p) => p.pool.close()), ...closing])
}
