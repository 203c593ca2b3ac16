import fc from 'fast-check'
import { expect, test } from 'vitest'
import { depKeys } from '../../src/graph/deps.js'
import type { Key, Task } from '../../src/graph/task-graph.js'
import { toSvg } from '../../src/graph/to-svg.js'
import { graphOf, readFilterProjectPartial } from './support.js'

interface Box {
  readonly key: string
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
  readonly label: string
}

const unescapeXml = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')

/** Every box of the drawing, read back from its `<g><title/><rect/><text/></g>`. */
function boxesOf(svg: string): Box[] {
  const pattern =
    /<g class="[^"]*"><title>([^<]*)<\/title><rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"[^>]*\/><text [^>]*>([^<]*)<\/text><\/g>/g
  return [...svg.matchAll(pattern)].map((m) => ({
    key: unescapeXml(m[1]!),
    x: Number(m[2]),
    y: Number(m[3]),
    width: Number(m[4]),
    height: Number(m[5]),
    label: unescapeXml(m[6]!),
  }))
}

/** Start and end point of every edge. */
function edgesOf(svg: string): { x1: number; y1: number; x2: number; y2: number }[] {
  return [...svg.matchAll(/<path d="M([\d.-]+),([\d.-]+) C[^"]* ([\d.-]+),([\d.-]+)" marker-end/g)].map((m) => ({
    x1: Number(m[1]),
    y1: Number(m[2]),
    x2: Number(m[3]),
    y2: Number(m[4]),
  }))
}

test('a small graph draws as a golden SVG: inputs at the bottom, output highlighted, keys as tooltips', () => {
  const graph = graphOf(
    ['read-csv-ab12-0', 'read-csv', [], { label: 'read-csv', partition: 0 }],
    ['filter-cd34-0', 'filter', ['read-csv-ab12-0'], { label: 'filter "x > 1" & <y>', partition: 0 }],
    ['filter-cd34-1', 'filter', ['memory-77-1'], { label: 'filter', partition: 1 }],
    ['sum-ef56', 'sum', ['filter-cd34-0', 'filter-cd34-1']],
  )
  expect(toSvg(graph, { outputs: ['sum-ef56'] })).toMatchInlineSnapshot(`
    "<svg xmlns="http://www.w3.org/2000/svg" width="295.5" height="174" viewBox="0 0 295.5 174" font-family="Helvetica, Arial, sans-serif" font-size="11">
    <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#666"/></marker></defs>
    <g class="edges" fill="none" stroke="#666" stroke-width="1">
    <path d="M96,136 C96,118 96,118 96,100" marker-end="url(#arrow)"/>
    <path d="M235,136 C235,118 235,118 235,100" marker-end="url(#arrow)"/>
    <path d="M96,74 C96,56 165.5,56 165.5,38" marker-end="url(#arrow)"/>
    <path d="M235,74 C235,56 165.5,56 165.5,38" marker-end="url(#arrow)"/>
    </g>
    <g class="nodes" text-anchor="middle" dominant-baseline="central">
    <g class="task"><title>read-csv-ab12-0</title><rect x="50.5" y="136" width="91" height="26" rx="6" fill="#ffffff" stroke="#333"/><text x="96" y="149">read-csv #0</text></g>
    <g class="task"><title>filter-cd34-0</title><rect x="12" y="74" width="168" height="26" rx="6" fill="#ffffff" stroke="#333"/><text x="96" y="87">filter &quot;x &gt; 1&quot; &amp; &lt;y&gt; #0</text></g>
    <g class="task"><title>filter-cd34-1</title><rect x="196" y="74" width="78" height="26" rx="6" fill="#ffffff" stroke="#333"/><text x="235" y="87">filter #1</text></g>
    <g class="task output"><title>sum-ef56</title><rect x="145.5" y="12" width="40" height="26" rx="6" fill="#ffe8a3" stroke="#333" stroke-width="2"/><text x="165.5" y="25">sum</text></g>
    <g class="input"><title>memory-77-1</title><rect x="186.5" y="136" width="97" height="26" rx="6" fill="#eef3fb" stroke="#5b7db1" stroke-dasharray="4 2"/><text x="235" y="149">in memory #1</text></g>
    </g>
    </svg>
    "
  `)
})

test('per-partition chains stand in columns under their combine', () => {
  const { graph, output } = readFilterProjectPartial(3)
  const boxes = boxesOf(toSvg(graph, { outputs: [output] }))
  for (let i = 0; i < 3; i++) {
    const column = boxes.filter((b) => b.label.endsWith(`#${i}`))
    expect(column.map((b) => b.label)).toEqual([`read-csv #${i}`, `filter #${i}`, `project #${i}`, `partial #${i}`])
    // One column: the same centre, each step drawn above the one it reads.
    expect(new Set(column.map((b) => b.x + b.width / 2)).size).toBe(1)
    for (let s = 1; s < column.length; s++) expect(column[s]!.y).toBeLessThan(column[s - 1]!.y)
  }
  const combine = boxes.find((b) => b.label === 'combine')!
  expect(Math.min(...boxes.map((b) => b.y))).toBe(combine.y)
})

/** Random DAGs in a shuffled insertion order, some deps supplied from outside the graph. */
const arbitraryGraph = fc.integer({ min: 0, max: 30 }).chain((n) =>
  fc.record({
    deps: fc.tuple(
      ...Array.from({ length: n }, (_, i) => fc.uniqueArray(fc.integer({ min: -3, max: i - 1 }), { maxLength: 4 })),
    ),
    labels: fc.array(fc.string({ maxLength: 12 }), { minLength: n, maxLength: n }),
    order: fc.shuffledSubarray(
      Array.from({ length: n }, (_, i) => i),
      { minLength: n, maxLength: n },
    ),
  }),
)

test('any graph: one box per task and input, no overlapping boxes, every edge runs upward between its boxes', () => {
  fc.assert(
    fc.property(arbitraryGraph, ({ deps, labels, order }) => {
      const key = (i: number): Key => (i < 0 ? `memory-${-i}` : `t${i}`)
      const graph = new Map<Key, Task>(
        order.map((i) => [key(i), { op: 'x', args: null, deps: deps[i]!.map(key), meta: { label: labels[i]! } }]),
      )
      const svg = toSvg(graph)
      expect(toSvg(graph)).toBe(svg)
      const boxes = boxesOf(svg)
      const inputs = new Set(deps.flat().filter((d) => d < 0))
      expect(boxes.length).toBe(graph.size + inputs.size)
      expect(new Set(boxes.map((b) => b.key))).toEqual(new Set([...graph.keys(), ...[...inputs].map(key)]))
      for (const b of boxes) if (graph.has(b.key)) expect(b.label).toBe(graph.get(b.key)!.meta!.label)
      const size = /^<svg [^>]*width="([\d.]+)" height="([\d.]+)"/.exec(svg)!
      for (const [i, a] of boxes.entries()) {
        expect(a.x).toBeGreaterThanOrEqual(0)
        expect(a.y).toBeGreaterThanOrEqual(0)
        expect(a.x + a.width).toBeLessThanOrEqual(Number(size[1]) + 0.1)
        expect(a.y + a.height).toBeLessThanOrEqual(Number(size[2]) + 0.1)
        for (const b of boxes.slice(i + 1)) {
          const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y
          expect(apart, `${a.key} and ${b.key} overlap`).toBe(true)
        }
      }
      const byKey = new Map(boxes.map((b) => [b.key, b]))
      const edges = edgesOf(svg)
      const expected = [...graph].flatMap(([k, t]) => [...new Set(depKeys(t))].map((d) => [d, k] as const))
      expect(edges.length).toBe(expected.length)
      expected.forEach(([dep, k], e) => {
        const from = byKey.get(dep)!
        const to = byKey.get(k)!
        expect(to.y + to.height).toBeLessThan(from.y)
        expect(edges[e]).toEqual({
          x1: Math.round((from.x + from.width / 2) * 10) / 10,
          y1: from.y,
          x2: Math.round((to.x + to.width / 2) * 10) / 10,
          y2: Math.round((to.y + to.height) * 10) / 10,
        })
      })
    }),
  )
})
