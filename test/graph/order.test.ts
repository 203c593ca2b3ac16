import fc from 'fast-check'
import { expect, test } from 'vitest'
import { depKeys } from '../../src/graph/deps.js'
import { order } from '../../src/graph/order.js'
import type { Key, Task } from '../../src/graph/task-graph.js'
import { graphOf } from './support.js'

/** read-i → partial-i, pairwise combines, one final: the tree reduction of a lowered aggregate. */
function treeReduction(): Map<Key, Task> {
  return graphOf(
    ...[0, 1, 2, 3].flatMap((i): [Key, string, Key[]][] => [
      [`read-${i}`, 'read', []],
      [`partial-${i}`, 'partial', [`read-${i}`]],
    ]),
    ['combine-01', 'combine', ['partial-0', 'partial-1']],
    ['combine-23', 'combine', ['partial-2', 'partial-3']],
    ['final', 'final', ['combine-01', 'combine-23']],
  )
}

test('finishes branches depth-first: a combine runs before the next pair is read', () => {
  const priorities = order(treeReduction())
  const byPriority = [...priorities].sort((a, b) => a[1] - b[1]).map(([k]) => k)
  expect(byPriority).toEqual([
    'read-0',
    'partial-0',
    'read-1',
    'partial-1',
    'combine-01',
    'read-2',
    'partial-2',
    'read-3',
    'partial-3',
    'combine-23',
    'final',
  ])
})

test('descends first into the branch that completes its dependent soonest', () => {
  const graph = graphOf(
    ['long-0', 'x', []],
    ['long-1', 'x', ['long-0']],
    ['long-2', 'x', ['long-1']],
    ['short', 'x', []],
    ['join', 'x', ['long-2', 'short']],
  )
  const p = order(graph)
  expect(p.get('short')).toBe(0)
  expect(p.get('join')).toBe(4)
})

test('several sinks are ordered in graph order, deps are ignored when outside the graph', () => {
  const p = order(graphOf(['b', 'x', ['input']], ['a', 'x', []]))
  expect(Object.fromEntries(p)).toEqual({ b: 0, a: 1 })
})

/** Random DAGs: task i may depend on any earlier task. */
const arbitraryDag = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        i === 0 ? fc.constant<number[]>([]) : fc.uniqueArray(fc.integer({ min: 0, max: i - 1 }), { maxLength: 4 }),
      ),
    ),
  )

test('priorities are a topological numbering 0..n-1', () => {
  fc.assert(
    fc.property(arbitraryDag, (deps) => {
      const graph = graphOf(...deps.map((d, i): [Key, string, Key[]] => [`t${i}`, 'x', d.map((j) => `t${j}`)]))
      const p = order(graph)
      expect(new Set(p.values()).size).toBe(graph.size)
      expect(Math.max(...p.values())).toBe(graph.size - 1)
      for (const [key, task] of graph) for (const dep of depKeys(task)) expect(p.get(dep)!).toBeLessThan(p.get(key)!)
    }),
  )
})

test('readers that share inputs run together: each bucket of a split aggregate combines a pair before the next is read', () => {
  const graph = graphOf(
    ...[0, 1, 2, 3].map((i): [Key, string, Key[]] => [`partial-${i}`, 'partial', []]),
    ...[0, 1].flatMap((b): [Key, string, Key[]][] => [
      [`b${b}-combine-01`, 'combine', ['partial-0', 'partial-1']],
      [`b${b}-combine-23`, 'combine', ['partial-2', 'partial-3']],
      [`b${b}-final`, 'final', [`b${b}-combine-01`, `b${b}-combine-23`]],
    ]),
    ['merge', 'merge', ['b0-final', 'b1-final']],
  )
  const byPriority = [...order(graph)].sort((a, b) => a[1] - b[1]).map(([k]) => k)
  expect(byPriority).toEqual([
    'partial-0',
    'partial-1',
    'b1-combine-01',
    'b0-combine-01',
    'partial-2',
    'partial-3',
    'b1-combine-23',
    'b1-final',
    'b0-combine-23',
    'b0-final',
    'merge',
  ])
})
