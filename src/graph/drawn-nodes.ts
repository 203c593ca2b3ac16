/**
 * What a drawing of a task graph shows, shared by `toDot` and `toSvg` so both name boxes the same
 * way: one box per task labelled with its meta.label (or op), partition and number of parts
 * (`filter #17`, `hash-split #3 (4 parts)`), one box per dependency supplied from outside the graph
 * (in-memory partitions), one edge per distinct (dependency, task) pair, and which boxes are the
 * requested outputs. An edge that reads parts of a multi-part task is labelled with them (`[3]`,
 * `[0, 2]`); one that reads whole values has no label. Graph order is kept, so drawings are
 * deterministic.
 */
import { depKey, depKeys, depPart } from './deps.js'
import type { Key, TaskGraph } from './task-graph.js'

export interface DrawnNode {
  readonly key: Key
  readonly label: string
  /** `input`: a value supplied from outside the graph (an in-memory partition), not a task. */
  readonly kind: 'task' | 'input'
  readonly output: boolean
}

export interface DrawnEdge {
  /** The dependency's key (drawn below) and the key of the task that reads it. */
  readonly from: Key
  readonly to: Key
  /** `[3]` when the task reads part 3 of `from` (`[0, 2]`: two parts); undefined for whole values. */
  readonly label?: string
}

export interface DrawnGraph {
  readonly nodes: readonly DrawnNode[]
  readonly edges: readonly DrawnEdge[]
}

export function drawnGraph(graph: TaskGraph, outputs: readonly Key[] = []): DrawnGraph {
  const isOutput = new Set(outputs)
  const nodes: DrawnNode[] = []
  for (const [key, task] of graph) {
    const partition = task.meta?.partition
    const parts = task.parts === undefined ? '' : ` (${task.parts} parts)`
    const label = `${task.meta?.label ?? task.op}${partition === undefined ? '' : ` #${partition}`}${parts}`
    nodes.push({ key, label, kind: 'task', output: isOutput.has(key) })
  }
  const inputs = new Set<Key>()
  for (const task of graph.values()) for (const dep of depKeys(task)) if (!graph.has(dep)) inputs.add(dep)
  for (const key of inputs) {
    const partition = /-(\d+)$/.exec(key)?.[1]
    nodes.push({
      key,
      label: `in memory${partition === undefined ? '' : ` #${partition}`}`,
      kind: 'input',
      output: false,
    })
  }
  const edges: DrawnEdge[] = []
  for (const [key, task] of graph) {
    /** Per dependency key, in first-seen order: the parts read (empty: the whole value). */
    const read = new Map<Key, number[]>()
    for (const dep of task.deps) {
      const parts = read.get(depKey(dep)) ?? []
      const part = depPart(dep)
      if (part !== undefined && !parts.includes(part)) parts.push(part)
      read.set(depKey(dep), parts)
    }
    for (const [from, parts] of read) {
      edges.push(parts.length === 0 ? { from, to: key } : { from, to: key, label: `[${parts.join(', ')}]` })
    }
  }
  return { nodes, edges }
}
