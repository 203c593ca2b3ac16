/**
 * The task graph: a plain, inspectable map `key → task` (Dask's graph spec, in JSON-safe form).
 * A task names a registered operation, its JSON-safe arguments and what it depends on; the
 * operation receives the dependencies' values in `deps` order. Dependencies are an explicit list
 * of references, never strings hidden inside arguments, so literals and references cannot be
 * confused. Nothing here is specific to dataframes.
 *
 * Multi-output tasks: a task with `parts: n` produces n values (a shuffle write: one batch per
 * bucket). A reader names one of them with `partRef(key, i)` (`{ key, part }`), never the whole:
 * each part is stored, counted and freed on its own, so a shuffle holds only the parts whose
 * readers have not run yet. A task without `parts` produces one value, named by its key.
 *
 *   split-0 (parts: 2) ──[0]──► concat-b0        deps: [partRef('split-0', 0), partRef('split-1', 0)]
 *   split-1 (parts: 2) ──[1]──► concat-b1        deps: [partRef('split-0', 1), partRef('split-1', 1)]
 *
 * Code that walks deps goes through the helpers of deps.ts (`depKey`, `depKeys`, `depPart`).
 */
import { TsdaskError } from '../util/errors.js'
import { depKey, depKeys, depProblem, multiPartOutputProblem } from './deps.js'

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

/** One value of a multi-part task's output: part `part` (0-based) of task `key`. */
export type PartRef = {
  readonly key: Key
  readonly part: number
}

/** What a task reads: the one value of a key (a task without parts, or a given input), or one part. */
export type Dep = Key | PartRef

export interface Task {
  readonly op: string
  readonly args: JsonValue
  readonly deps: readonly Dep[]
  /**
   * The number of values the op returns (as an array of exactly that many), each read through
   * `partRef(key, i)`. Absent: the op returns one value, read through the key itself.
   */
  readonly parts?: number
  readonly meta?: TaskMeta
}

/** A whole graph. Passes take a read-only map and return a new one; insertion order is kept. */
export type TaskGraph = ReadonlyMap<Key, Task>

/**
 * Who reads each key: `key → keys of the tasks that list it (or a part of it) in their deps`, each
 * dependent once, in graph order. Every key of the graph has an entry (empty for sinks); deps that
 * are not in the graph (pre-computed inputs) get an entry too.
 */
export function dependents(graph: TaskGraph): Map<Key, Key[]> {
  const result = new Map<Key, Key[]>()
  for (const key of graph.keys()) result.set(key, [])
  for (const [key, task] of graph) {
    for (const dep of new Set(depKeys(task))) {
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
 * (or of `external`, the keys whose values are supplied from outside), a part reference names a
 * part that its task produces and a whole-key reference a task that produces one value, every
 * output exists and is one value, and there is no cycle. Violations are bugs in whoever built the
 * graph: TsdaskError('INTERNAL') naming the key (and, for a cycle, the keys on it).
 */
export function validateGraph(
  graph: TaskGraph,
  options: { readonly outputs?: readonly Key[]; readonly external?: ReadonlySet<Key> | ReadonlyMap<Key, unknown> } = {},
): void {
  const external = options.external
  const known = (key: Key): boolean => graph.has(key) || (external?.has(key) ?? false)
  for (const [key, task] of graph) {
    checkParts(key, task)
    for (const dep of task.deps) {
      if (!known(depKey(dep))) {
        throw new TsdaskError(
          'INTERNAL',
          `task graph is broken: task ${key} (${task.meta?.label ?? task.op}) depends on ${depKey(dep)}, which is not in the graph. ` +
            'The pass that built or rewrote the graph dropped a task; this is a bug in tsdask.',
          { key, dep: depKey(dep) },
        )
      }
      const problem = depProblem(graph, dep, external)
      if (problem) {
        throw new TsdaskError(
          'INTERNAL',
          `task graph is broken: task ${key} (${task.meta?.label ?? task.op}) depends on ${problem}`,
          { key, dep: depKey(dep) },
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
    const problem = multiPartOutputProblem(graph, output)
    if (problem) throw new TsdaskError('INTERNAL', `task graph is broken: ${problem}`, { key: output })
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
      const task = graph.get(key)
      const deps = task ? depKeys(task) : []
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

/** A task's `parts`, when present, is a whole number ≥ 1. */
function checkParts(key: Key, task: Task): void {
  const parts = task.parts
  if (parts !== undefined && !(Number.isInteger(parts) && parts >= 1)) {
    throw new TsdaskError(
      'INTERNAL',
      `task graph is broken: task ${key} (${task.meta?.label ?? task.op}) declares ${parts} parts; a multi-part task has a whole number ≥ 1 of them`,
      { key },
    )
  }
}
