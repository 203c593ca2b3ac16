/**
 * What a drawing of a task graph shows, shared by `toDot` and `toSvg` so both name boxes the same
 * way: one box per task labelled with its meta.label (or op) and partition (`filter #17`), one box
 * per dependency supplied from outside the graph (in-memory partitions), one edge per distinct
 * dependency (dep → task), and which boxes are the requested outputs. Graph order is kept, so
 * drawings are deterministic.
 */
import type { Key, TaskGraph } from './task-graph.js'

export interface DrawnNode {
  readonly key: Key
  readonly label: string
  /** `input`: a value supplied from outside the graph (an in-memory partition), not a task. */
  readonly kind: 'task' | 'input'
  readonly output: boolean
}

export interface DrawnGraph {
  readonly nodes: readonly DrawnNode[]
  /** `[dependency, dependent]` pairs, each once. */
  readonly edges: readonly (readonly [Key, Key])[]
}

export function drawnGraph(graph: TaskGraph, outputs: readonly Key[] = []): DrawnGraph {
  const isOutput = new Set(outputs)
  const nodes: DrawnNode[] = []
  for (const [key, task] of graph) {
    const partition = task.meta?.partition
    const label = `${task.meta?.label ?? task.op}${partition === undefined ? '' : ` #${partition}`}`
    nodes.push({ key, label, kind: 'task', output: isOutput.has(key) })
  }
  const inputs = new Set<Key>()
  for (const task of graph.values()) for (const dep of task.deps) if (!graph.has(dep)) inputs.add(dep)
  for (const key of inputs) {
    const partition = /-(\d+)$/.exec(key)?.[1]
    nodes.push({
      key,
      label: `in memory${partition === undefined ? '' : ` #${partition}`}`,
      kind: 'input',
      output: false,
    })
  }
  const edges: (readonly [Key, Key])[] = []
  for (const [key, task] of graph) for (const dep of new Set(task.deps)) edges.push([dep, key])
  return { nodes, edges }
}
