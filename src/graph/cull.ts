/**
 * `cull`: keep only the tasks the requested outputs need (Dask's `cull`).
 *
 *   before: a → b → out,  c → d        cull(graph, ['out'])  →  a → b → out
 *
 * Keys in `external` count as present and are not followed. A task read through one part of its
 * output is kept whole (a task cannot run half of itself); the readers of the other parts are
 * dropped like any unneeded task, and the scheduler frees parts nobody reads as soon as they exist.
 * Asserts as it walks that every other output and dependency exists, and that part references
 * name parts their tasks produce (a violation is a bug in the graph's builder:
 * TsdaskError('INTERNAL') naming it). Cycles are not searched for here;
 * `validateGraph` does that. Insertion order of the kept tasks follows the input graph, so
 * printing a culled graph is stable.
 */
import { TsdaskError } from '../util/errors.js'
import { depKey, depProblem, multiPartOutputProblem } from './deps.js'
import type { Key, Task, TaskGraph } from './task-graph.js'

export interface CullOptions {
  /** Keys whose values are supplied from outside the graph (in-memory data, persisted partitions). */
  readonly external?: ReadonlySet<Key> | ReadonlyMap<Key, unknown>
}

export function cull(graph: TaskGraph, outputs: readonly Key[], options: CullOptions = {}): Map<Key, Task> {
  const external = options.external
  const needed = new Set<Key>()
  const stack: Key[] = []
  for (const output of outputs) {
    if (external?.has(output)) continue
    if (!graph.has(output)) {
      throw new TsdaskError('INTERNAL', `cull: requested output ${output} is not in the graph`, { key: output })
    }
    const problem = multiPartOutputProblem(graph, output)
    if (problem) throw new TsdaskError('INTERNAL', `cull: ${problem}`, { key: output })
    stack.push(output)
  }
  while (stack.length > 0) {
    const key = stack.pop()!
    if (needed.has(key)) continue
    needed.add(key)
    const task = graph.get(key)!
    for (const dep of task.deps) {
      const depOn = depKey(dep)
      const known = graph.has(depOn) || (external?.has(depOn) ?? false)
      const problem = known ? depProblem(graph, dep, external) : `${depOn}, which is not in the graph`
      if (problem) {
        throw new TsdaskError('INTERNAL', `cull: task ${key} (${task.meta?.label ?? task.op}) depends on ${problem}`, {
          key,
          dep: depOn,
        })
      }
      if (graph.has(depOn) && !external?.has(depOn) && !needed.has(depOn)) stack.push(depOn)
    }
  }
  const result = new Map<Key, Task>()
  for (const [key, task] of graph) if (needed.has(key)) result.set(key, task)
  return result
}
