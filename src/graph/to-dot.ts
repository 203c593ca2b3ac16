/**
 * `toDot`: the graph as Graphviz DOT text, for `explain({ graph: true })`, debugging and docs.
 * One box per task labelled with its meta.label (or op) and partition (`filter #17`), one edge
 * per dependency (dep → task), outputs drawn bold and filled. Render with
 * `dot -Tsvg` or @hpcc-js/wasm-graphviz. Output is deterministic (graph order), so it can be a
 * golden test.
 */
import type { Key, TaskGraph } from './task-graph.js'

export interface ToDotOptions {
  readonly outputs?: readonly Key[]
  /** Graph name in `digraph <name> {`. */
  readonly name?: string
}

export function toDot(graph: TaskGraph, options: ToDotOptions = {}): string {
  const outputs = new Set(options.outputs ?? [])
  const lines = [
    `digraph ${quote(options.name ?? 'tsdask')} {`,
    '  rankdir=BT;',
    '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=10];',
  ]
  for (const [key, task] of graph) {
    const partition = task.meta?.partition
    const label = `${task.meta?.label ?? task.op}${partition === undefined ? '' : ` #${partition}`}`
    const attrs = [`label=${quote(label)}`, `tooltip=${quote(key)}`]
    if (outputs.has(key)) attrs.push('style="rounded,filled,bold"', 'fillcolor="#ffe8a3"', 'penwidth=2')
    lines.push(`  ${quote(key)} [${attrs.join(', ')}];`)
  }
  // Dependencies supplied from outside the graph (in-memory partitions) get a node of their own.
  const external = new Set<string>()
  for (const task of graph.values()) for (const dep of task.deps) if (!graph.has(dep)) external.add(dep)
  for (const dep of external) {
    const partition = /-(\d+)$/.exec(dep)?.[1]
    const label = `in memory${partition === undefined ? '' : ` #${partition}`}`
    lines.push(`  ${quote(dep)} [label=${quote(label)}, tooltip=${quote(dep)}, shape=cylinder];`)
  }
  for (const [key, task] of graph) {
    for (const dep of new Set(task.deps)) lines.push(`  ${quote(dep)} -> ${quote(key)};`)
  }
  lines.push('}')
  return `${lines.join('\n')}\n`
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
}
