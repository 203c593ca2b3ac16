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
 * Shared pools by worker count. A compute asking for another `workers` gets a pool of its own
 * rather than closing one that other computes may still be running on; `shutdown()` stops all.
 */
const sharedPools = new Map<number, PoolScheduler>()
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
  let pool = sharedPools.get(count)
  if (!pool) {
    pool = createPoolScheduler({ workers: count })
    sharedPools.set(count, pool)
    if (!exitHookInstalled) {
      // One hook for the process, however many pools come and go.
      exitHookInstalled = true
      process.on('beforeExit', () => {
        if (sharedPools.size > 0) void shutdown()
      })
    }
  }
  return pool
}

/** The scheduler used when a compute names none: `TSDASK_SCHEDULER`, else the pool. */
export function defaultSchedulerName(): 'sync' | 'pool' {
  const env = process.env.TSDASK_SCHEDULER
  if (env === undefined || env === '' || env === 'pool') return 'pool'
  if (env === 'sync') return 'sync'
  throw new TsdaskError('INVALID_ARGUMENT', `TSDASK_SCHEDULER is "${env}"; use "sync" or "pool", or unset it.`)
}

/** Whether the shared pool for this many workers (default: one per core) is running. */
export function hasSharedPool(workers?: number): boolean {
  return sharedPools.has(workers ?? availableParallelism())
}

/** Whether that pool has answered a task already (its threads are loaded). */
export function hasWarmSharedPool(workers?: number): boolean {
  return sharedPools.get(workers ?? availableParallelism())?.warm ?? false
}

/** Stops the shared worker pools (a later computation starts a new one). */
export async function shutdown(): Promise<void> {
  const pools = [...sharedPools.values()]
  sharedPools.clear()
  await Promise.all(pools.map((p) => p.close()))
}
