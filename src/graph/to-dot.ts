/**
 * `toDot`: the graph as Graphviz DOT text, for `explain({ format: 'dot' })`, debugging and docs.
 * Boxes and edges as `drawnGraph` describes them, outputs drawn bold and filled, inputs from
 * memory as cylinders, edges that read parts labelled with the parts (`[3]`). Render with `dot -Tsvg`, or use `toSvg`, which needs no Graphviz. Output is
 * deterministic (graph order), so it can be a golden test.
 */
import { drawnGraph } from './drawn-nodes.js'
import type { Key, TaskGraph } from './task-graph.js'

export interface ToDotOptions {
  readonly outputs?: readonly Key[]
  /** Graph name in `digraph <name> {`. */
  readonly name?: string
}

export function toDot(graph: TaskGraph, options: ToDotOptions = {}): string {
  const drawn = drawnGraph(graph, options.outputs)
  const lines = [
    `digraph ${quote(options.name ?? 'tsdask')} {`,
    '  rankdir=BT;',
    '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=10];',
  ]
  for (const node of drawn.nodes) {
    const attrs = [`label=${quote(node.label)}`, `tooltip=${quote(node.key)}`]
    if (node.kind === 'input') attrs.push('shape=cylinder')
    if (node.output) attrs.push('style="rounded,filled,bold"', 'fillcolor="#ffe8a3"', 'penwidth=2')
    lines.push(`  ${quote(node.key)} [${attrs.join(', ')}];`)
  }
  for (const { from, to, label } of drawn.edges) {
    const attrs = label === undefined ? '' : ` [label=${quote(label)}, fontsize=9]`
    lines.push(`  ${quote(from)} -> ${quote(to)}${attrs};`)
  }
  lines.push('}')
  return `${lines.join('\n')}\n`
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
}
