/**
 * The task graph: a plain, inspectable map `key → task` (Dask's graph spec, in JSON-safe form).
 * A task names a registered operation, its JSON-safe arguments and the keys it depends on; the
 * operation receives the dependencies' values in `deps` order. Dependencies are an explicit list
 * of keys, never strings hidden inside arguments, so literals and references cannot be confused.
 * Nothing here is specific to dataframes.
 */
import { TsdaskError } from '../util/errors.js'

export type Key = string

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue }

/** Human-facing facts about a task, used in labels, progress and error messages. */
export interface TaskMeta {
  /** Short readable name, e.g. `read-csv`, `filter`, `fused-read-csv-filter-project`. */
  readonly label?: string
  /** Where the user built the step this task runs: `report.ts:42:7`. */
  readonly origin?: string
  /** Partition index for per-partition tasks. */
  readonly partition?: number
  /** What data it reads, e.g. `trips/2024-01.csv bytes 0..67108864`. */
  readonly source?: string
  /**
   * The lowering's estimate of the output's size in bytes (a CSV chunk's from its byte range), so
   * the scheduler can run several such tasks at once before it has measured one. Not part of the
   * task's key: it changes when the task runs, never what it computes.
   */
  readonly estimatedBytes?: number
}

export interface Task {
  readonly op: string
  readonly args: JsonValue
  readonly deps: readonly Key[]
  readonly meta?: TaskMeta
}

/** A whole graph. Passes take a read-only map and return a new one; insertion order is kept. */
export type TaskGraph = ReadonlyMap<Key, Task>

/**
 * Who reads each key: `key → keys of the tasks that list it in their deps`, each dependent once,
 * in graph order. Every key of the graph has an entry (empty for sinks); deps that are not in the
 * graph (pre-computed inputs) get an entry too.
 */
export function dependents(graph: TaskGraph): Map<Key, Key[]> {
  const result = new Map<Key, Key[]>()
  for (const key of graph.keys()) result.set(key, [])
  for (const [key, task] of graph) {
    for (const dep of new Set(task.deps)) {
      let list = result.get(dep)
      if (!list) {
        list = []
        result.set(dep, list)
      }
      list.push(key)
    }
  }
  return result
}

/**
 * Checks the invariants every pass and scheduler relies on: every dependency is a key of the graph
 * (or of `external`, the keys whose values are supplied from outside), every output exists, and
 * there is no cycle. Violations are bugs in whoever built the graph: TsdaskError('INTERNAL')
 * naming the key (and, for a cycle, the keys on it).
 */
export function validateGraph(
  graph: TaskGraph,
  options: { readonly outputs?: readonly Key[]; readonly external?: ReadonlySet<Key> | ReadonlyMap<Key, unknown> } = {},
): void {
  const external = options.external
  const known = (key: Key): boolean => graph.has(key) || (external?.has(key) ?? false)
  for (const [key, task] of graph) {
    for (const dep of task.deps) {
      if (!known(dep)) {
        throw new TsdaskError(
          'INTERNAL',
          `task graph is broken: task ${key} (${task.meta?.label ?? task.op}) depends on ${dep}, which is not in the graph. ` +
            'The pass that built or rewrote the graph dropped a task; this is a bug in tsdask.',
          { key, dep },
        )
      }
    }
  }
  for (const output of options.outputs ?? []) {
    if (!known(output)) {
      throw new TsdaskError('INTERNAL', `task graph is broken: requested output ${output} is not in the graph`, {
        key: output,
      })
    }
  }
  const cycle = findCycle(graph)
  if (cycle) {
    throw new TsdaskError(
      'INTERNAL',
      `task graph is broken: task ${cycle[0]} depends on itself through ${cycle.join(' → ')}. A task graph must be acyclic.`,
      { key: cycle[0], cycle },
    )
  }
}

/** One cycle as a key path that starts and ends at the same key, or undefined if the graph is a DAG. */
export function findCycle(graph: TaskGraph): Key[] | undefined {
  // Iterative three-colour DFS: graphs have 100k+ tasks and chains deeper than the JS stack.
  const state = new Map<Key, 1 | 2>() // 1 = on the current path, 2 = finished
  for (const root of graph.keys()) {
    if (state.has(root)) continue
    const path: Key[] = [root]
    const next: number[] = [0]
    state.set(root, 1)
    while (path.length > 0) {
      const key = path[path.length - 1]!
      const deps = graph.get(key)?.deps ?? []
      const i = next[next.length - 1]!
      if (i >= deps.length) {
        state.set(key, 2)
        path.pop()
        next.pop()
        continue
      }
      next[next.length - 1] = i + 1
      const dep = deps[i]!
      const s = state.get(dep)
      if (s === 1) return [...path.slice(path.indexOf(dep)), dep]
      if (s === undefined && graph.has(dep)) {
        state.set(dep, 1)
        path.push(dep)
        next.push(0)
      }
    }
  }
  return undefined
}
