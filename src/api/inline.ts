/**
 * Small inputs run on the calling thread. Starting the worker pool costs 50–150 ms of thread start
 * and module loading (more on a busy 2-core machine), while a few MB of CSV parse and aggregate on
 * one thread in a few tens of ms; DuckDB and Polars likewise do not start threads for tiny inputs.
 * So when the pool is wanted but not yet running and the graph reads less than `inlineBelow` bytes
 * (input-bytes.ts), the computation runs on the sync scheduler. The results are the same either
 * way (pool ≡ sync is property-tested); only where the work runs changes. A pool whose threads
 * have loaded (it has answered a task) is always used; one still starting (prepareScheduler) is
 * not waited for.
 */
import { checkWorkers } from '../schedule/pool/pool-scheduler.js'
import type { Scheduler } from '../schedule/scheduler.js'
import { TsdaskError } from '../util/errors.js'
import { defaultSchedulerName, hasWarmSharedPool, resolveScheduler, type SchedulerChoice } from './schedulers.js'

/** 4 MiB: ~20–40 ms of single-thread CSV work here, less than a cold pool's start. */
export const DEFAULT_INLINE_BYTES = 4 * 1024 * 1024

export interface InlineOptions {
  readonly scheduler?: SchedulerChoice | undefined
  readonly workers?: number | undefined
  readonly inlineBelow?: number | undefined
}

export function schedulerFor(options: InlineOptions, inputBytes: number): Scheduler {
  const wantsSharedPool =
    options.scheduler === 'pool' || (options.scheduler === undefined && defaultSchedulerName() === 'pool')
  // Checked whatever the scheduler, so a bad value fails the same way under TSDASK_SCHEDULER=sync.
  const threshold = inlineThreshold(options)
  if (wantsSharedPool && inputBytes < threshold && !hasWarmSharedPool(options.workers)) {
    checkWorkers(options.workers)
    return resolveScheduler('sync')
  }
  return resolveScheduler(options.scheduler, options.workers)
}

function inlineThreshold(options: InlineOptions): number {
  if (options.inlineBelow !== undefined) return checked(options.inlineBelow, 'inlineBelow')
  const env = process.env.TSDASK_INLINE_BYTES
  return env === undefined || env === '' ? DEFAULT_INLINE_BYTES : checked(Number(env), 'TSDASK_INLINE_BYTES')
}

function checked(bytes: number, name: string): number {
  if (bytes >= 0) return bytes
  throw new TsdaskError(
    'INVALID_ARGUMENT',
    `${name} must be a number of bytes ≥ 0 (0 always starts the worker pool), got ${String(bytes)}.`,
  )
}

/**
 * Starts the worker pool now if a compute reading `inputBytes` would run on it, so its threads
 * load while the caller does other work. Optional: a compute starts the pool on demand.
 */
export function prepareScheduler(options: InlineOptions & { readonly inputBytes: number }): void {
  schedulerFor(options, options.inputBytes)
}
