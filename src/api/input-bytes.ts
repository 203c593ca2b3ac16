/**
 * How many bytes of input a task graph will read: the byte ranges of its CSV reads plus the
 * in-memory partitions it starts from. It decides whether a computation is worth the worker
 * pool's start (inline.ts); it is an estimate, never a limit.
 */
import { depKeys } from '../graph/deps.js'
import { FUSED_OP, fusedSteps } from '../graph/fuse.js'
import type { JsonValue, Key, Task, TaskGraph } from '../graph/task-graph.js'
import { CsvOps } from '../io/csv/ops.js'
import type { Value } from '../schedule/registry.js'
import { valueBytes } from '../schedule/value-bytes.js'

/**
 * A reader with a row limit and no filter stops after `limit` rows; for the estimate a row is
 * taken to be at most this long (db-benchmark's rows are ~50 bytes; few CSVs exceed 1 KiB a row).
 */
const ASSUMED_ROW_BYTES = 1024

/** `outputs` count too: an output may be an in-memory partition itself, read by no task. */
export function estimatedInputBytes(
  graph: TaskGraph,
  inputs: ReadonlyMap<Key, Value>,
  outputs: readonly Key[] = [],
): number {
  let bytes = 0
  const counted = new Set<Key>()
  const countInput = (key: Key): void => {
    const value = inputs.get(key)
    if (value === undefined || counted.has(key)) return
    counted.add(key)
    bytes += valueBytes(value)
  }
  for (const task of graph.values()) {
    bytes += readBytes(firstStep(task))
    for (const dep of depKeys(task)) countInput(dep)
  }
  for (const key of outputs) countInput(key)
  return bytes
}

function firstStep(task: Task): { readonly op: string; readonly args: JsonValue } {
  return task.op === FUSED_OP ? (fusedSteps(task.args)[0] ?? task) : task
}

function readBytes(step: { readonly op: string; readonly args: JsonValue }): number {
  if (step.op !== CsvOps.readCsv) return 0
  const args = step.args as { start?: unknown; end?: unknown; limit?: unknown; predicate?: unknown }
  const range = Number(args.end) - Number(args.start)
  if (!(range > 0)) return 0
  const limit = typeof args.limit === 'number' && !args.predicate ? args.limit * ASSUMED_ROW_BYTES : range
  return Math.min(range, limit)
}
