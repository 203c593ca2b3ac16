import { formatDep } from '../../src/graph/deps.js'
import type { Key, Task, TaskGraph, TaskMeta } from '../../src/graph/task-graph.js'

/** A graph from `[key, op, deps, meta?]` rows, in order. */
export function graphOf(...rows: [Key, string, Key[], TaskMeta?][]): Map<Key, Task> {
  return new Map(rows.map(([key, op, deps, meta]) => [key, { op, args: null, deps, ...(meta && { meta }) }]))
}

/**
 * The lowering shape the fuse test asks for: per partition read-csv → filter → project → partial,
 * then one combine over all partials.
 */
export function readFilterProjectPartial(partitions: number): { graph: Map<Key, Task>; output: Key } {
  const graph = new Map<Key, Task>()
  const steps = ['read-csv', 'filter', 'project', 'partial'] as const
  for (let i = 0; i < partitions; i++) {
    let prev: Key | undefined
    for (const step of steps) {
      const key = `${step}-${i}`
      graph.set(key, {
        op: step,
        args: step === 'read-csv' ? { path: 'trips.csv', part: i } : null,
        deps: prev === undefined ? [] : [prev],
        meta: { label: step, partition: i, ...(step === 'filter' && { origin: 'report.ts:42:7' }) },
      })
      prev = key
    }
  }
  graph.set('combine', {
    op: 'combine',
    args: null,
    deps: Array.from({ length: partitions }, (_, i) => `partial-${i}`),
    meta: { label: 'combine' },
  })
  return { graph, output: 'combine' }
}

/** One line per task: `key = op(deps) label`, for readable inline snapshots. */
export function dumpGraph(graph: TaskGraph): string {
  return [...graph]
    .map(
      ([key, t]) => `${key} = ${t.op}(${t.deps.map(formatDep).join(', ')})${t.meta?.label ? ` ${t.meta.label}` : ''}`,
    )
    .join('\n')
}
