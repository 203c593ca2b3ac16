/**
 * `toSvg`: the task graph drawn as a standalone SVG document, with no Graphviz and no browser
 * needed (`explain({ format: 'svg' })`, `DataFrame.toSvg()`). Boxes and edges are the ones
 * `drawnGraph` describes (the same as `toDot`), placed by `layeredLayout`: inputs at the bottom,
 * each task above what it reads, outputs highlighted, edges that read parts of a multi-part task
 * labelled with the parts (`[3]`). Hovering a box shows its task key (`<title>`).
 * Output is deterministic, so it can be a golden test.
 */
import { drawnGraph } from './drawn-nodes.js'
import { layeredLayout } from './layered-layout.js'
import type { Key, TaskGraph } from './task-graph.js'

export interface ToSvgOptions {
  readonly outputs?: readonly Key[]
}

const FONT_SIZE = 11
/** Average advance of a Helvetica / Arial glyph at FONT_SIZE: boxes are sized without measuring text. */
const CHAR_WIDTH = 6.4
const BOX_HEIGHT = 26
const PADDING_X = 10

export function toSvg(graph: TaskGraph, options: ToSvgOptions = {}): string {
  const drawn = drawnGraph(graph, options.outputs)
  const index = new Map(drawn.nodes.map((node, i) => [node.key, i]))
  const boxes = drawn.nodes.map((node) => ({
    width: Math.ceil(node.label.length * CHAR_WIDTH + 2 * PADDING_X),
    height: BOX_HEIGHT,
  }))
  const layout = layeredLayout(
    boxes,
    drawn.edges.map(({ from, to }) => [index.get(from)!, index.get(to)!] as const),
  )
  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" ` +
      `viewBox="0 0 ${layout.width} ${layout.height}" font-family="Helvetica, Arial, sans-serif" font-size="${FONT_SIZE}">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">' +
      '<path d="M0,0 L10,5 L0,10 z" fill="#666"/></marker></defs>',
    '<g class="edges" fill="none" stroke="#666" stroke-width="1">',
  ]
  const edgeLabels: string[] = []
  for (const edge of drawn.edges) {
    const from = layout.nodes[index.get(edge.from)!]!
    const to = layout.nodes[index.get(edge.to)!]!
    // From the top of the dependency up to the bottom of the task that reads it.
    const x1 = tidy(from.x + from.width / 2)
    const y1 = from.y
    const x2 = tidy(to.x + to.width / 2)
    const y2 = tidy(to.y + to.height)
    const mid = tidy((y1 + y2) / 2)
    lines.push(`<path d="M${x1},${y1} C${x1},${mid} ${x2},${mid} ${x2},${y2}" marker-end="url(#arrow)"/>`)
    // The parts an edge reads, at the curve's midpoint (its two controls share that height).
    if (edge.label !== undefined) {
      edgeLabels.push(`<text x="${tidy((x1 + x2) / 2)}" y="${mid}">${escapeXml(edge.label)}</text>`)
    }
  }
  lines.push('</g>')
  if (edgeLabels.length > 0) {
    lines.push(
      `<g class="edge-labels" text-anchor="middle" dominant-baseline="central" font-size="${FONT_SIZE - 2}" fill="#555">`,
      ...edgeLabels,
      '</g>',
    )
  }
  lines.push('<g class="nodes" text-anchor="middle" dominant-baseline="central">')
  drawn.nodes.forEach((node, i) => {
    const box = layout.nodes[i]!
    const style =
      node.kind === 'input'
        ? 'fill="#eef3fb" stroke="#5b7db1" stroke-dasharray="4 2"'
        : node.output
          ? 'fill="#ffe8a3" stroke="#333" stroke-width="2"'
          : 'fill="#ffffff" stroke="#333"'
    lines.push(
      `<g class="${node.kind}${node.output ? ' output' : ''}"><title>${escapeXml(node.key)}</title>` +
        `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" rx="6" ${style}/>` +
        `<text x="${tidy(box.x + box.width / 2)}" y="${tidy(box.y + box.height / 2)}">${escapeXml(node.label)}</text></g>`,
    )
  })
  lines.push('</g>', '</svg>')
  return `${lines.join('\n')}\n`
}

/** One decimal at most, so sums of rounded coordinates print without float noise. */
function tidy(value: number): number {
  return Math.round(value * 10) / 10
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
