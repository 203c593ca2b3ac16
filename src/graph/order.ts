/**
 * `order`: a priority per task (lower runs first) that the schedulers' ready queues follow, chosen
 * so branches are finished depth-first and intermediate values are released early: a simple
 * version of `dask.order`.
 *
 * The heuristic: a post-order depth-first walk from the sinks (tasks nobody reads), in graph
 * order. Before a task is numbered, all of its dependencies are; among a task's dependencies the
 * walk first descends into the one with the smallest subtree (the fewest transitive tasks, counted
 * with repeats), i.e. the branch that completes this dependent soonest, so few finished values sit
 * waiting for a slow sibling. Ties keep the dependency order.
 *
 *   read-0 → partial-0 ─┐                          priorities: read-0 0, partial-0 1,
 *   read-1 → partial-1 ─┴→ combine-01 ─┐                       read-1 2, partial-1 3, combine-01 4,
 *   read-2 → partial-2 ─┐              ├→ final               read-2 5, …, combine-23 9, final 10
 *   read-3 → partial-3 ─┴→ combine-23 ─┘
 *
 * With W workers the scheduler runs the W lowest-numbered ready tasks, so partitions 0 and 1 run
 * side by side and their combine runs before partition 4 starts: memory holds O(W × depth) values,
 * not every partial at once (which a breadth-first order would).
 *
 * Guarantees: every task gets a distinct number in 0..n-1, and a task's number is greater than
 * each of its dependencies' numbers (a topological order). Dependencies that are not in the graph
 * (pre-computed inputs) are ignored; a part reference orders like a reference to its whole task.
 * Assumes an acyclic graph (`validateGraph`).
 */
import { depKeys } from './deps.js'
import type { Key, TaskGraph } from './task-graph.js'
import { dependents } from './task-graph.js'

/** Subtree sizes saturate here; only their ranking matters, and dense DAGs grow exponentially. */
const COST_CAP = 1e15

export function order(graph: TaskGraph): Map<Key, number> {
  const readers = dependents(graph)
  const cost = subtreeCosts(graph)
  const priority = new Map<Key, number>()
  const onPath = new Set<Key>()
  const depsInVisitOrder = (key: Key): readonly Key[] => {
    const all = depKeys(graph.get(key)!)
    // Chains (one dependency) are the common case in big graphs: nothing to sort.
    if (all.length <= 1) return all.length === 1 && graph.has(all[0]!) ? all : []
    const deps = [...new Set(all)].filter((d) => graph.has(d))
    return deps
      .map((d, i) => ({ d, i, c: cost.get(d)! }))
      .sort((a, b) => a.c - b.c || a.i - b.i)
      .map((x) => x.d)
  }
  /** In-graph dependencies of each task not numbered yet. */
  const pending = new Map<Key, number>()
  for (const [key, task] of graph) {
    const deps = depKeys(task)
    // Most tasks have one dependency or none: no Set for them.
    const count =
      deps.length === 0
        ? 0
        : deps.length === 1
          ? Number(graph.has(deps[0]!))
          : new Set(deps.filter((d) => graph.has(d))).size
    pending.set(key, count)
  }
  /**
   * Numbers `key`, then, right after it, each of its readers that this makes runnable, unless the
   * walk is already on its way to it: tasks that share inputs with the walk's current branch (the
   * per-bucket combines of a split group-by all read the same partials) run together with it, so
   * the shared inputs are released at once instead of waiting for the last reader's branch to come
   * up in the walk. Counting pending dependencies keeps this linear in the number of edges.
   */
  const todo: Key[] = []
  const number = (first: Key): void => {
    todo.push(first)
    while (todo.length > 0) {
      const key = todo.pop()!
      if (priority.has(key)) continue
      priority.set(key, priority.size)
      const keyReaders = readers.get(key) ?? []
      // Pushed last to first, so the first reader is numbered first.
      for (let i = keyReaders.length - 1; i >= 0; i--) {
        const reader = keyReaders[i]!
        const left = pending.get(reader)! - 1
        pending.set(reader, left)
        if (left === 0 && !onPath.has(reader)) todo.push(reader)
      }
    }
  }
  for (const root of graph.keys()) {
    if (readers.get(root)!.length > 0 || priority.has(root)) continue
    // Explicit stack: chains are deeper than the JS call stack.
    const stack: { key: Key; deps: readonly Key[]; next: number }[] = [
      { key: root, deps: depsInVisitOrder(root), next: 0 },
    ]
    onPath.add(root)
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!
      if (frame.next < frame.deps.length) {
        const dep = frame.deps[frame.next++]!
        if (!priority.has(dep) && !onPath.has(dep)) {
          onPath.add(dep)
          stack.push({ key: dep, deps: depsInVisitOrder(dep), next: 0 })
        }
        continue
      }
      stack.pop()
      onPath.delete(frame.key)
      number(frame.key)
    }
  }
  // A cycle leaves tasks with no sink; number them anyway so callers never see a missing key.
  for (const key of graph.keys()) if (!priority.has(key)) priority.set(key, priority.size)
  return priority
}

/** 1 + the dependencies' costs, computed bottom-up without recursion. */
function subtreeCosts(graph: TaskGraph): Map<Key, number> {
  const cost = new Map<Key, number>()
  for (const start of graph.keys()) {
    if (cost.has(start)) continue
    const stack: Key[] = [start]
    const expanded = new Set<Key>()
    while (stack.length > 0) {
      const key = stack[stack.length - 1]!
      if (cost.has(key)) {
        stack.pop()
        continue
      }
      const deps = depKeys(graph.get(key)!).filter((d) => graph.has(d))
      if (!expanded.has(key)) {
        expanded.add(key)
        for (const dep of deps) if (!cost.has(dep) && !expanded.has(dep)) stack.push(dep)
        continue
      }
      stack.pop()
      let total = 1
      for (const dep of deps) total += cost.get(dep) ?? 0
      cost.set(key, Math.min(total, COST_CAP))
    }
  }
  return cost
}
