/**
 * The scheduling invariants on random DAGs (random shapes, random small durations), on both
 * schedulers: every needed task runs exactly once, after all its deps; results equal a direct
 * evaluation and each other (pool ≡ sync); every non-output value is released exactly once, after
 * its last reader, so only outputs remain in the store at the end. Replay a failure with the seed
 * fast-check prints (`fc.assert(…, { seed })`).
 */
import fc from 'fast-check'
import { afterAll, expect, test } from 'vitest'
import type { Key, Task } from '../../src/graph/task-graph.js'
import { createPoolScheduler } from '../../src/schedule/pool/pool-scheduler.js'
import type { Scheduler, SchedulerEvent } from '../../src/schedule/scheduler.js'
import { createSyncScheduler } from '../../src/schedule/sync.js'
import './fixtures/test-ops.js'

const pool = createPoolScheduler({ workers: 2, opModules: [new URL('./fixtures/test-ops.ts', import.meta.url).href] })
const sync = createSyncScheduler()
afterAll(() => pool.close())

interface Case {
  readonly graph: Map<Key, Task>
  readonly outputs: Key[]
  readonly inputs: Map<Key, number>
  /** Admission control must not change what runs: tiny, medium and no budgets; 1..6 in flight. */
  readonly maxMemory: number
  readonly maxInFlight: number
}

const arbitraryCase: fc.Arbitrary<Case> = fc
  .integer({ min: 1, max: 25 })
  .chain((n) =>
    fc.record({
      deps: fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          i === 0 ? fc.constant<number[]>([]) : fc.array(fc.integer({ min: 0, max: i - 1 }), { maxLength: 3 }),
        ),
      ),
      ms: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
      outputs: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 4 }),
      inputs: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 2 }),
      maxMemory: fc.constantFrom(1, 64, Number.POSITIVE_INFINITY),
      maxInFlight: fc.integer({ min: 1, max: 6 }),
    }),
  )
  .map(({ deps, ms, outputs, inputs, maxMemory, maxInFlight }) => ({
    maxMemory,
    maxInFlight,
    graph: new Map(
      deps.map((d, i): [Key, Task] => [
        `t${i}`,
        { op: 'sleep-then-value', args: { ms: ms[i]!, value: i * 7 }, deps: d.map((j) => `t${j}`) },
      ]),
    ),
    outputs: outputs.map((i) => `t${i}`),
    inputs: new Map(inputs.map((i) => [`t${i}`, 1000 + i])),
  }))

/** The values by direct recursive evaluation, with the formula of the 'sleep-then-value' op. */
function reference({ graph, outputs, inputs }: Case): number[] {
  const memo = new Map<Key, number>(inputs)
  const value = (key: Key): number => {
    const known = memo.get(key)
    if (known !== undefined) return known
    const task = graph.get(key)!
    const args = task.args as { value: number }
    const mixed = task.deps.map(value).reduce((h, v, i) => (h * 31 + v + i) % 1_000_003, 0)
    const result = (args.value + mixed) % 1_000_003
    memo.set(key, result)
    return result
  }
  return outputs.map(value)
}

/** The keys a compute must run: what outputs need, stopping at inputs. */
function needed({ graph, outputs, inputs }: Case): Set<Key> {
  const result = new Set<Key>()
  const visit = (key: Key): void => {
    if (result.has(key) || inputs.has(key)) return
    result.add(key)
    for (const dep of graph.get(key)!.deps) visit(dep)
  }
  outputs.forEach(visit)
  return result
}

async function check(scheduler: Scheduler, c: Case): Promise<number[]> {
  const events: SchedulerEvent[] = []
  const values = (await scheduler.compute(c.graph, c.outputs, {
    inputs: c.inputs,
    maxMemory: c.maxMemory,
    maxInFlight: c.maxInFlight,
    onEvent: (e) => events.push(e),
  })) as number[]
  const must = needed(c)
  const starts = events.filter((e) => e.type === 'task-start').map((e) => e.key)
  expect(starts.sort()).toEqual([...must].sort())
  const done = new Set<Key>()
  const released = new Set<Key>()
  for (const e of events) {
    if (e.type === 'task-start') {
      for (const dep of c.graph.get(e.key)!.deps) if (!c.inputs.has(dep)) expect(done.has(dep)).toBe(true)
    } else if (e.type === 'task-done') {
      done.add(e.key)
    } else if (e.type === 'release') {
      expect(released.has(e.key)).toBe(false)
      released.add(e.key)
      // Released only after every reader has finished.
      for (const [key, task] of c.graph)
        if (must.has(key) && task.deps.includes(e.key)) expect(done.has(key)).toBe(true)
    }
  }
  const outputs = new Set(c.outputs)
  expect([...released].sort()).toEqual([...must].filter((k) => !outputs.has(k)).sort())
  const last = events.filter((e) => e.type === 'task-done').at(-1)
  // Nothing leaks: at the end the store holds exactly the computed outputs (16 bytes per number),
  // never the given inputs (persisted partitions), which the scheduler does not own.
  const computedOutputs = [...outputs].filter((k) => must.has(k)).length
  if (last?.type === 'task-done') expect([last.held, last.heldBytes]).toEqual([computedOutputs, 16 * computedOutputs])
  // The sync scheduler runs one slot of one task; the pool may pack sub-millisecond tasks per slot.
  let running = 0
  if (scheduler.name === 'sync')
    for (const e of events) {
      if (e.type === 'task-start') expect(++running).toBeLessThanOrEqual(c.maxInFlight)
      if (e.type === 'task-done') running--
    }
  return values
}

test('random DAGs: exactly once, deps first, released after last reader, pool ≡ sync ≡ reference', async () => {
  await fc.assert(
    fc.asyncProperty(arbitraryCase, async (c) => {
      const expected = reference(c)
      expect(await check(sync, c)).toEqual(expected)
      expect(await check(pool, c)).toEqual(expected)
    }),
    { numRuns: Number(process.env.TSDASK_PROPERTY_RUNS ?? 40) },
  )
})
