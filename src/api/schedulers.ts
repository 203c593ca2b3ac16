/**
 * Which scheduler a computation runs on. The default is a shared worker pool with one thread per
 * core, started on first use and stopped by `shutdown()` (or when the process would otherwise
 * exit). `TSDASK_SCHEDULER=sync|pool` overrides the default for a whole run (the test suite's
 * identity modes); an explicit `scheduler` option wins over both.
 */
import { createPoolScheduler, type PoolScheduler } from '../schedule/pool/pool-scheduler.js'
import type { Scheduler } from '../schedule/scheduler.js'
import { createSyncScheduler } from '../schedule/sync.js'
import { TsdaskError } from '../util/errors.js'

export type SchedulerChoice = 'sync' | 'pool' | Scheduler

let sharedPool: { pool: PoolScheduler; workers: number } | undefined
let sharedSync: Scheduler | undefined

export function resolveScheduler(choice: SchedulerChoice | undefined, workers?: number): Scheduler {
  if (choice && typeof choice === 'object') return choice
  const name = choice ?? defaultSchedulerName()
  if (name === 'sync') {
    sharedSync ??= createSyncScheduler()
    return sharedSync
  }
  if (sharedPool && workers !== undefined && sharedPool.workers !== workers) {
    const old = sharedPool.pool
    sharedPool = undefined
    void old.close()
  }
  if (!sharedPool) {
    const pool = createPoolScheduler(workers === undefined ? {} : { workers })
    sharedPool = { pool, workers: pool.workers }
    process.once('beforeExit', () => void shutdown())
  }
  return sharedPool.pool
}

function defaultSchedulerName(): 'sync' | 'pool' {
  const env = process.env.TSDASK_SCHEDULER
  if (env === undefined || env === '' || env === 'pool') return 'pool'
  if (env === 'sync') return 'sync'
  throw new TsdaskError('INVALID_ARGUMENT', `TSDASK_SCHEDULER is "${env}"; use "sync" or "pool", or unset it.`)
}

/** Stops the shared worker pool (a later computation starts a new one). */
export async function shutdown(): Promise<void> {
  const pool = sharedPool?.pool
  sharedPool = undefined
  await pool?.close()
}
