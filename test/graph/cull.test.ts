import { expect, test } from 'vitest'
import { cull } from '../../src/graph/cull.js'
import { dumpGraph, graphOf } from './support.js'

const graph = graphOf(
  ['a', 'read', []],
  ['b', 'map', ['a']],
  ['c', 'read', []],
  ['d', 'map', ['c']],
  ['e', 'join', ['b', 'd']],
  ['unused', 'map', ['a']],
  ['orphan', 'read', []],
)

test('keeps exactly what the outputs need, in graph order', () => {
  expect([...cull(graph, ['b']).keys()]).toEqual(['a', 'b'])
  expect([...cull(graph, ['e']).keys()]).toEqual(['a', 'b', 'c', 'd', 'e'])
  expect([...cull(graph, ['d', 'unused']).keys()]).toEqual(['a', 'c', 'd', 'unused'])
  expect(dumpGraph(cull(graph, ['e']))).toMatchInlineSnapshot(`
    "a = read()
    b = map(a)
    c = read()
    d = map(c)
    e = join(b, d)"
  `)
})

test('no outputs keeps nothing', () => {
  expect(cull(graph, []).size).toBe(0)
})

test('asserts outputs and dependencies exist', () => {
  expect(() => cull(graph, ['nope'])).toThrowError(/cull: requested output nope is not in the graph/)
  const broken = graphOf(['a', 'read', []], ['b', 'map', ['a', 'ghost']])
  expect(() => cull(broken, ['b'])).toThrowError(/cull: task b \(map\) depends on ghost/)
})
