import { describe, expect, test } from 'vitest'
import { dependents, findCycle, validateGraph } from '../../src/graph/task-graph.js'
import { TsdaskError } from '../../src/util/errors.js'
import { graphOf } from './support.js'

describe('dependents', () => {
  test('lists each reader once, sinks get an empty list', () => {
    const graph = graphOf(['a', 'x', []], ['b', 'x', ['a', 'a']], ['c', 'x', ['a', 'b']])
    expect(Object.fromEntries(dependents(graph))).toEqual({ a: ['b', 'c'], b: ['c'], c: [] })
  })
})

describe('validateGraph', () => {
  test('accepts a DAG and external inputs', () => {
    const graph = graphOf(['a', 'x', ['ext']], ['b', 'x', ['a']])
    expect(() => validateGraph(graph, { outputs: ['b'], external: new Set(['ext']) })).not.toThrow()
  })

  test('names the task with a missing dependency', () => {
    const graph = graphOf(['a', 'x', []], ['b', 'x', ['a', 'gone']])
    expect(() => validateGraph(graph)).toThrowError(/task b \(x\) depends on gone, which is not in the graph/)
    try {
      validateGraph(graph)
    } catch (error) {
      expect(error).toBeInstanceOf(TsdaskError)
      expect((error as TsdaskError).code).toBe('INTERNAL')
    }
  })

  test('names a missing output', () => {
    expect(() => validateGraph(graphOf(['a', 'x', []]), { outputs: ['z'] })).toThrowError(
      /output z is not in the graph/,
    )
  })

  test('finds a cycle and names the keys on it', () => {
    const graph = graphOf(['a', 'x', ['c']], ['b', 'x', ['a']], ['c', 'x', ['b']], ['d', 'x', ['c']])
    expect(findCycle(graph)).toEqual(['a', 'c', 'b', 'a'])
    expect(() => validateGraph(graph)).toThrowError(/task a depends on itself through a → c → b → a/)
  })

  test('a self-loop is a cycle', () => {
    expect(findCycle(graphOf(['a', 'x', ['a']]))).toEqual(['a', 'a'])
  })

  test('deep chains do not overflow the stack', () => {
    const rows: [string, string, string[]][] = Array.from({ length: 100_000 }, (_, i) => [
      `t${i}`,
      'x',
      i ? [`t${i - 1}`] : [],
    ])
    expect(() => validateGraph(graphOf(...rows))).not.toThrow()
  })
})
