/**
 * Multi-part tasks in the graph passes: references to parts are checked (validateGraph, cull, the
 * scheduler's walk), a cycle through a part is a cycle, culling keeps the producers of the parts
 * that are read, fusion never absorbs a multi-part task into the reader of one part, ordering and
 * keys treat a part reference as a reference, and drawings label part edges.
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { cull } from '../../src/graph/cull.js'
import { depKey, depKeys, depPart, formatDep, partRef, partRefs } from '../../src/graph/deps.js'
import { fuseLinearChains } from '../../src/graph/fuse.js'
import { taskKey } from '../../src/graph/hash.js'
import { order } from '../../src/graph/order.js'
import { type Dep, dependents, findCycle, type Key, type Task, validateGraph } from '../../src/graph/task-graph.js'
import { toDot } from '../../src/graph/to-dot.js'
import { toSvg } from '../../src/graph/to-svg.js'
import { addPartsTask, addTask } from '../../src/lower/add-task.js'
import { TsdaskError } from '../../src/util/errors.js'

function t(op: string, deps: Dep[] = [], parts?: number): Task {
  return { op, args: null, deps, ...(parts !== undefined && { parts }), meta: { label: op } }
}

/**
 * Two partitions read, split into 3 parts each, and one concat per part reading that part of both
 * splits (a hash shuffle), then a sink per part.
 */
function shuffle(): Map<Key, Task> {
  const graph = new Map<Key, Task>()
  for (const i of [0, 1]) {
    graph.set(`read-${i}`, t('read'))
    graph.set(`split-${i}`, t('hash-split', [`read-${i}`], 3))
  }
  for (const p of [0, 1, 2]) {
    graph.set(`concat-${p}`, t('concat', [partRef('split-0', p), partRef('split-1', p)]))
    graph.set(`sink-${p}`, t('sink', [`concat-${p}`]))
  }
  return graph
}

/** The INTERNAL error `run` throws, checked to be one. */
function internalError(run: () => unknown): TsdaskError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(TsdaskError)
    expect((error as TsdaskError).code).toBe('INTERNAL')
    return error as TsdaskError
  }
  throw new Error('expected an INTERNAL error')
}

describe('deps helpers', () => {
  test('a dependency is a key or a part reference', () => {
    expect([depKey('a'), depPart('a'), formatDep('a')]).toEqual(['a', undefined, 'a'])
    const ref = partRef('split-0', 3)
    expect([depKey(ref), depPart(ref), formatDep(ref)]).toEqual(['split-0', 3, 'split-0[3]'])
    expect(partRefs('s', 3)).toEqual([partRef('s', 0), partRef('s', 1), partRef('s', 2)])
    const plain = t('x', ['a', 'b'])
    expect(depKeys(plain)).toBe(plain.deps)
    expect(depKeys(t('x', ['a', partRef('s', 1), partRef('s', 0)]))).toEqual(['a', 's', 's'])
  })

  test('dependents lists a reader of several parts once', () => {
    const graph = new Map([
      ['s', t('split', [], 2)],
      ['r', t('concat', [partRef('s', 0), partRef('s', 1)])],
    ])
    expect(Object.fromEntries(dependents(graph))).toEqual({ s: ['r'], r: [] })
  })
})

describe('validateGraph with parts', () => {
  test('accepts a shuffle', () => {
    expect(() => validateGraph(shuffle(), { outputs: ['sink-0', 'sink-1', 'sink-2'] })).not.toThrow()
  })

  test.each([
    [
      'a part of a task without parts',
      [partRef('read-0', 0)],
      /depends on part 0 of read-0, whose task produces one value, not parts/,
    ],
    [
      'a part its task does not produce',
      [partRef('split-0', 3)],
      /depends on part 3 of split-0, whose task produces parts 0..2/,
    ],
    ['a negative or fractional part', [partRef('split-0', -1)], /part -1 of split-0, whose task produces parts 0..2/],
    ['the whole of a multi-part task', ['split-0'], /depends on the whole of split-0, whose task produces 3 parts/],
    ['a part of a given input', [partRef('ext', 0)], /part 0 of ext, a value given from outside the graph/],
  ])('refuses %s', (_, deps, message) => {
    const graph = shuffle()
    graph.set('bad', t('x', deps))
    const error = internalError(() => validateGraph(graph, { external: new Set(['ext']) }))
    expect(error.message).toMatch(/task graph is broken: task bad \(x\)/)
    expect(error.message).toMatch(message)
  })

  test('refuses a part count that is not a whole number ≥ 1, and a multi-part output', () => {
    for (const parts of [0, 2.5]) {
      const error = internalError(() => validateGraph(new Map([['s', t('split', [], parts)]])))
      expect(error.message).toMatch(new RegExp(`task s \\(split\\) declares ${parts} parts`))
    }
    const error = internalError(() => validateGraph(shuffle(), { outputs: ['split-0'] }))
    expect(error.message).toMatch(/requested output split-0 produces 3 parts; an output is one value/)
  })

  test('a cycle through a part is a cycle', () => {
    const graph = new Map([
      ['s', t('split', ['r'], 2)],
      ['r', t('concat', [partRef('s', 1)])],
    ])
    expect(findCycle(graph)).toEqual(['s', 'r', 's'])
    expect(internalError(() => validateGraph(graph)).message).toMatch(/task s depends on itself through s → r → s/)
  })
})

describe('cull with parts', () => {
  test('keeps the producers of the parts that are read, and only the readers asked for', () => {
    const culled = cull(shuffle(), ['sink-1'])
    expect([...culled.keys()]).toEqual(['read-0', 'split-0', 'read-1', 'split-1', 'concat-1', 'sink-1'])
    // A task is kept whole: its other parts exist, and the scheduler frees them at once.
    expect(culled.get('split-0')?.parts).toBe(3)
  })

  test('reports bad part references and multi-part outputs', () => {
    const graph = shuffle()
    graph.set('bad', t('x', [partRef('split-1', 7)]))
    expect(internalError(() => cull(graph, ['bad'])).message).toMatch(
      /cull: task bad \(x\) depends on part 7 of split-1, whose task produces parts 0..2/,
    )
    expect(internalError(() => cull(shuffle(), ['split-0'])).message).toMatch(
      /cull: requested output split-0 produces 3 parts/,
    )
  })
})

describe('fuse with parts', () => {
  test('a chain ends in a multi-part task, and a reader of one part starts a chain; none crosses a part edge', () => {
    const { graph, after } = fuseLinearChains(shuffle(), ['sink-0', 'sink-1', 'sink-2'])
    expect(after).toBe(5)
    // read → hash-split is one task that keeps the split's key and parts.
    expect(graph.get('split-0')).toMatchObject({
      op: 'fused',
      deps: [],
      parts: 3,
      meta: { label: 'fused-read-hash-split' },
    })
    // concat (reading parts) → sink is one task whose deps are still the part references.
    expect(graph.get('sink-2')).toMatchObject({
      op: 'fused',
      deps: [partRef('split-0', 2), partRef('split-1', 2)],
      meta: { label: 'fused-concat-sink' },
    })
    expect(graph.get('sink-2')?.parts).toBeUndefined()
    expect(() => validateGraph(graph, { outputs: ['sink-0', 'sink-1', 'sink-2'] })).not.toThrow()
  })

  test('a multi-part task read through one part by its only reader is not absorbed', () => {
    const graph = new Map([
      ['read', t('read')],
      ['split', t('hash-split', ['read'], 1)],
      ['take', t('identity', [partRef('split', 0)])],
      ['sink', t('sink', ['take'])],
    ])
    const fused = fuseLinearChains(graph, ['sink']).graph
    expect([...fused.keys()]).toEqual(['split', 'sink'])
    expect(fused.get('split')).toMatchObject({ parts: 1, deps: [] })
    expect(fused.get('sink')).toMatchObject({ deps: [partRef('split', 0)], meta: { label: 'fused-identity-sink' } })
  })

  test('random graphs with parts: fusion keeps every part reference valid and never absorbs a multi-part task', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 20 })
          .chain((n) =>
            fc.tuple(
              fc.array(fc.constantFrom(0, 0, 1, 2, 3), { minLength: n, maxLength: n }),
              fc.tuple(
                ...Array.from({ length: n }, (_, i) =>
                  i === 0
                    ? fc.constant<[number, number][]>([])
                    : fc.array(fc.tuple(fc.nat(i - 1), fc.nat()), { maxLength: 2 }),
                ),
              ),
            ),
          ),
        ([parts, deps]) => {
          const graph = new Map<Key, Task>()
          deps.forEach((d, i) => {
            const taskDeps = d.map(([j, seed]): Dep => (parts[j]! > 0 ? partRef(`t${j}`, seed % parts[j]!) : `t${j}`))
            graph.set(`t${i}`, t('x', taskDeps, parts[i]! > 0 ? parts[i] : undefined))
          })
          const outputs = [...graph].filter(([, task]) => task.parts === undefined).map(([k]) => k)
          const fused = fuseLinearChains(graph, outputs).graph
          expect(() => validateGraph(fused, { outputs })).not.toThrow()
          for (const [key, task] of graph) {
            // A multi-part task keeps its key and its parts: its readers' references still hold.
            if (task.parts !== undefined) expect(fused.get(key)?.parts).toBe(task.parts)
          }
        },
      ),
    )
  })
})

describe('order and keys with parts', () => {
  test('a part reference orders like a reference to its task', () => {
    const priority = order(shuffle())
    for (const [key, task] of shuffle())
      for (const dep of depKeys(task)) expect(priority.get(dep)!).toBeLessThan(priority.get(key)!)
  })

  test('keys hash part references and part counts: different parts, different keys', () => {
    const read = t('concat', [partRef('split-0', 0)])
    const keys = [
      read,
      t('concat', [partRef('split-0', 1)]),
      t('concat', [partRef('split-1', 0)]),
      t('concat', ['split-0']),
      t('concat', [partRef('split-0', 0), partRef('split-0', 0)]),
      t('hash-split', ['read-0'], 2),
      t('hash-split', ['read-0'], 3),
      t('hash-split', ['read-0']),
    ].map(taskKey)
    expect(new Set(keys).size).toBe(keys.length)
    // Equal work shares a key, however the reference object was built.
    expect(taskKey(t('concat', [{ part: 0, key: 'split-0' }]))).toBe(taskKey(read))
  })

  test('addPartsTask returns one reference per part; equal work is one task', () => {
    const tasks = new Map<Key, Task>()
    const task = { op: 'hash-split', args: { keys: [0], parts: 2 }, deps: ['read-0'] }
    const refs = addPartsTask(tasks, task, 2, '-0')
    expect(refs).toEqual([partRef(refs[0]!.key, 0), partRef(refs[0]!.key, 1)])
    expect(tasks.get(refs[0]!.key)?.parts).toBe(2)
    expect(addPartsTask(tasks, task, 2, '-0')).toEqual(refs)
    const reader = addTask(tasks, { op: 'concat', args: {}, deps: [refs[1]!] })
    expect(tasks.get(reader)?.deps).toEqual([refs[1]])
    expect(tasks.size).toBe(2)
    expect(() => addPartsTask(tasks, task, 0)).toThrowError(/a whole number ≥ 1 of parts/)
  })
})

describe('drawings with parts', () => {
  const graph = new Map([
    ['s', t('hash-split', [], 3)],
    ['a', t('concat', [partRef('s', 0)])],
    ['b', t('concat', [partRef('s', 2), partRef('s', 1)])],
    ['c', t('sum', ['a', 'b'])],
  ])

  test('DOT labels part edges with their parts, and multi-part boxes with their count', () => {
    expect(toDot(graph, { outputs: ['c'] })).toMatchInlineSnapshot(`
      "digraph "tsdask" {
        rankdir=BT;
        node [shape=box, style=rounded, fontname="Helvetica", fontsize=10];
        "s" [label="hash-split (3 parts)", tooltip="s"];
        "a" [label="concat", tooltip="a"];
        "b" [label="concat", tooltip="b"];
        "c" [label="sum", tooltip="c", style="rounded,filled,bold", fillcolor="#ffe8a3", penwidth=2];
        "s" -> "a" [label="[0]", fontsize=9];
        "s" -> "b" [label="[2, 1]", fontsize=9];
        "a" -> "c";
        "b" -> "c";
      }
      "
    `)
  })

  test('SVG draws the part labels on their edges', () => {
    const svg = toSvg(graph, { outputs: ['c'] })
    const labels = [...svg.matchAll(/<g class="edge-labels"[^>]*>([\s\S]*?)<\/g>/g)].flatMap((m) =>
      [...m[1]!.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((x) => x[1]),
    )
    expect(labels).toEqual(['[0]', '[2, 1]'])
    expect(svg).toContain('>hash-split (3 parts)</text>')
  })
})
