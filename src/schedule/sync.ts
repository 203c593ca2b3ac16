/**
 * The sync scheduler: runs every task in this thread, one at a time, with the same dynamic
 * scheduling as the pool (`run-graph.ts`), so a failing compute can be debugged with plain stack
 * traces and breakpoints. Ops come from this thread's registry: the built-ins (imported here) plus
 * whatever modules the caller imported.
 */
import './builtin-ops.js'
import type { Key, Task } from '../graph/task-graph.js'
import { TsdaskError } from '../util/errors.js'
import { getOp, type OpOutput, type Value } from './registry.js'
import { runGraph, type TaskRequest } from './run-graph.js'
import type { ComputeOptions, Scheduler } from './scheduler.js'

const YIELD_EVERY_MS = 4

export function createSyncScheduler(): Scheduler {
  let closed = false
  let yieldedAt = Number.NEGATIVE_INFINITY
  const runner = {
    defaultMaxInFlight: 1,
    async run({ key, task, inputs, signal }: TaskRequest): Promise<OpOutput> {
      // Yield to the event loop every few milliseconds so an abort (a timer, a signal) is seen
      // promptly even when every op is synchronous and the whole graph would otherwise run in one
      // macrotask; yielding before every task would cost more than a tiny task itself.
      if (performance.now() - yieldedAt >= YIELD_EVERY_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve))
        yieldedAt = performance.now()
      }
      if (signal.aborted) throw signal.reason
      return getOp(task.op)(task.args, inputs, { key, signal })
    },
  }
  return {
    name: 'sync',
    compute(graph: ReadonlyMap<Key, Task>, outputs: readonly Key[], options?: ComputeOptions): Promise<Value[]> {
      if (closed) return Promise.reject(new TsdaskError('INTERNAL', 'this sync scheduler was closed; create a new one'))
      return runGraph(graph, outputs, runner, options)
    },
    async close(): Promise<void> {
      closed = true
    },
  }
}
