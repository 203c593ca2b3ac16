/**
 * What every scheduler offers: run a task graph and return the values of the requested keys.
 * `sync` runs tasks one at a time in this thread (debugging, plain stack traces); `pool` runs them
 * on piscina worker threads (the default). Both share the dynamic scheduling of `run-graph.ts`, so
 * they differ only in where a task's op executes, and must give equal results.
 */
import type { Key, Task } from '../graph/task-graph.js'
import type { Value } from './registry.js'

export interface Scheduler {
  readonly name: 'sync' | 'pool'
  /**
   * Runs what `outputs` need and resolves with their values, in `outputs` order. Rejects with a
   * TsdaskError: the failing task's code (or 'TASK_FAILED') with the task's context appended to
   * the message, 'ABORTED' when `signal` fires, 'WORKER_DIED' when a task keeps killing its worker,
   * 'INTERNAL' when the graph is broken (missing dependency, cycle).
   */
  compute(graph: ReadonlyMap<Key, Task>, outputs: readonly Key[], options?: ComputeOptions): Promise<Value[]>
  /** Stops the scheduler's threads; later computes reject. Idempotent. */
  close(): Promise<void>
}

export interface ComputeOptions {
  readonly signal?: AbortSignal
  /**
   * Pre-computed values (in-memory sources, persisted partitions): tasks for these keys are not
   * run, their own dependencies are not needed, and the values are never released by the scheduler.
   */
  readonly inputs?: ReadonlyMap<Key, Value>
  readonly onEvent?: (event: SchedulerEvent) => void
  /**
   * Bound on submissions not finished; default 2 × the scheduler's workers (1 for sync). The pool
   * may pack several sub-millisecond tasks into one submission.
   */
  readonly maxInFlight?: number
  /**
   * Budget in bytes for the values the scheduler holds plus the expected outputs of the tasks in
   * flight; no new task starts while it would be exceeded (one task always may). Default: a
   * quarter of physical memory.
   */
  readonly maxMemory?: number
}

export type SchedulerEvent =
  | {
      readonly type: 'task-start'
      readonly key: Key
      readonly label: string
      readonly partition?: number
    }
  | {
      readonly type: 'task-done'
      readonly key: Key
      readonly label: string
      readonly partition?: number
      readonly ms: number
      /** Row count when the value is a RecordBatch (summed over the parts of a multi-part task). */
      readonly rows?: number
      /** Measured size of the task's value, or of all its parts together (`valuesBytes`). */
      readonly bytes: number
      /**
       * Values held in the scheduler's store after this task finished and its inputs were
       * released; each part of a multi-part task counts as one.
       */
      readonly held: number
      /** Their bytes, and the most the store has held so far in this compute. */
      readonly heldBytes: number
      readonly peakBytes: number
      readonly done: number
      readonly total: number
    }
  | {
      /** A value left the store: its last dependent has run (or it has none). */
      readonly type: 'release'
      readonly key: Key
      /** Which part of a multi-part task's output left; absent for a task without parts. */
      readonly part?: number
    }
  | {
      /** The task's worker died; the task runs again on a fresh worker. */
      readonly type: 'task-retry'
      readonly key: Key
      readonly label: string
      readonly attempt: number
      readonly reason: string
    }
