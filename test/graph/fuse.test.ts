import { expect, test } from 'vitest'
import { cull } from '../../src/graph/cull.js'
import { fuseLinearChains } from '../../src/graph/fuse.js'
import { dumpGraph, graphOf, readFilterProjectPartial } from './support.js'

test('read → filter → project → partial × 8 partitions + combine fuses to 8 tasks + combine', () => {
  const { graph, output } = readFilterProjectPartial(8)
  const fused = fuseLinearChains(graph, [output])
  expect({ before: fused.before, after: fused.after }).toEqual({ before: 33, after: 9 })
  expect(fused.graph.size).toBe(9)
  const task = fused.graph.get('partial-3')!
  expect(task).toEqual({
    op: 'fused',
    args: {
      steps: [
        { op: 'read-csv', args: { path: 'trips.csv', part: 3 }, meta: { label: 'read-csv', partition: 3 } },
        { op: 'filter', args: null, meta: { label: 'filter', partition: 3, origin: 'report.ts:42:7' } },
        { op: 'project', args: null, meta: { label: 'project', partition: 3 } },
        { op: 'partial', args: null, meta: { label: 'partial', partition: 3 } },
      ],
    },
    deps: [],
    meta: { label: 'fused-read-csv-filter-project-partial', partition: 3, origin: 'report.ts:42:7' },
  })
  // Keys of chain tails are kept, so the combine needs no rewrite.
  expect(fused.graph.get('combine')).toBe(graph.get('combine'))
  expect(dumpGraph(fused.graph)).toMatchInlineSnapshot(`
    "partial-0 = fused() fused-read-csv-filter-project-partial
    partial-1 = fused() fused-read-csv-filter-project-partial
    partial-2 = fused() fused-read-csv-filter-project-partial
    partial-3 = fused() fused-read-csv-filter-project-partial
    partial-4 = fused() fused-read-csv-filter-project-partial
    partial-5 = fused() fused-read-csv-filter-project-partial
    partial-6 = fused() fused-read-csv-filter-project-partial
    partial-7 = fused() fused-read-csv-filter-project-partial
    combine = combine(partial-0, partial-1, partial-2, partial-3, partial-4, partial-5, partial-6, partial-7) combine"
  `)
})

test('never fuses away an output, a shared task, or a multi-input task', () => {
  const graph = graphOf(
    ['a', 'read', []],
    ['b', 'map', ['a']],
    ['c', 'map', ['b']],
    ['d', 'map', ['c']],
    ['shared', 'read', []],
    ['s1', 'map', ['shared']],
    ['s2', 'map', ['shared']],
    ['j', 'join', ['s1', 's2']],
    ['k', 'map', ['j']],
  )
  const { graph: fused, after } = fuseLinearChains(graph, ['b', 'd', 'k'])
  expect(after).toBe(6)
  expect(dumpGraph(fused)).toMatchInlineSnapshot(`
    "b = fused() fused-read-map
    d = fused(b) fused-map-map
    shared = read()
    s1 = map(shared)
    s2 = map(shared)
    k = fused(s1, s2) fused-join-map"
  `)
})

test('fusible() can keep tasks out of chains, and fused tasks are flattened when fused again', () => {
  const graph = graphOf(['a', 'read', []], ['b', 'map', ['a']], ['c', 'shuffle', ['b']], ['d', 'map', ['c']])
  const once = fuseLinearChains(graph, ['d'], { fusible: (task) => task.op !== 'shuffle' })
  expect(dumpGraph(once.graph)).toMatchInlineSnapshot(`
    "b = fused() fused-read-map
    c = shuffle(b)
    d = map(c)"
  `)
  const twice = fuseLinearChains(once.graph, ['d'])
  expect(twice.after).toBe(1)
  expect(twice.graph.get('d')!.meta?.label).toBe('fused-read-map-shuffle-map')
})

test('fusing after culling is stable: a second pass changes nothing', () => {
  const { graph, output } = readFilterProjectPartial(3)
  const first = fuseLinearChains(cull(graph, [output]), [output])
  const second = fuseLinearChains(first.graph, [output])
  expect(second.after).toBe(first.after)
  expect([...second.graph.values()]).toEqual([...first.graph.values()])
})

test('asserts dependencies exist', () => {
  expect(() => fuseLinearChains(graphOf(['a', 'map', ['ghost']]), ['a'])).toThrowError(/fuse: task a depends on ghost/)
})

test("a fused chain keeps its reader's output estimate, for the scheduler's admission", () => {
  const graph = new Map([
    ['r', { op: 'read-csv', args: null, deps: [], meta: { label: 'read-csv', estimatedBytes: 4096 } }],
    ['f', { op: 'filter', args: null, deps: ['r'], meta: { label: 'filter' } }],
  ])
  expect(fuseLinearChains(graph, ['f']).graph.get('f')!.meta).toEqual({
    label: 'fused-read-csv-filter',
    estimatedBytes: 4096,
  })
})
