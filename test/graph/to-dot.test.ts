import { expect, test } from 'vitest'
import { toDot } from '../../src/graph/to-dot.js'
import { graphOf } from './support.js'

test('one node per task, edges dep → task, outputs highlighted', () => {
  const graph = graphOf(
    ['read-csv-ab12-0', 'read-csv', [], { label: 'read-csv', partition: 0 }],
    ['filter-cd34-0', 'filter', ['read-csv-ab12-0'], { label: 'filter "x > 1"', partition: 0 }],
    ['sum-ef56', 'sum', ['filter-cd34-0']],
  )
  expect(toDot(graph, { outputs: ['sum-ef56'] })).toMatchInlineSnapshot(`
    "digraph "tsdask" {
      rankdir=BT;
      node [shape=box, style=rounded, fontname="Helvetica", fontsize=10];
      "read-csv-ab12-0" [label="read-csv #0", tooltip="read-csv-ab12-0"];
      "filter-cd34-0" [label="filter \\"x > 1\\" #0", tooltip="filter-cd34-0"];
      "sum-ef56" [label="sum", tooltip="sum-ef56", style="rounded,filled,bold", fillcolor="#ffe8a3", penwidth=2];
      "read-csv-ab12-0" -> "filter-cd34-0";
      "filter-cd34-0" -> "sum-ef56";
    }
    "
  `)
})
