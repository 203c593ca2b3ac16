/**
 * The scheduling invariants on random DAGs (random shapes, random small durations, some tasks with
 * several parts read part by part), on both schedulers: every needed task runs exactly once, after
 * all its deps; results equal a direct evaluation and each other (pool ≡ sync); every non-output
 * value, and every part of a multi-part task, is released exactly once, after its last reader (a
 * part nobody reads at once), so only outputs remain in the store at the end. Replay a failure with the seed
 * fast-check prints (`fc.assert(…, { seed })`).
 */
import fc from 'fast-check'
import { afterAll, expect, test } from 'vitest'
import { depKey, depKeys, depPart, partRef } from '../../src/graph/deps.js'
import type { Dep, Key, Task } from '../../src/graph/task-graph.js'
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
      // 0: one value; 1..3: that many parts. Each dep's seed picks the part it reads.
      parts: fc.array(fc.constantFrom(0, 0, 1, 2, 3), { minLength: n, maxLength: n }),
      partSeeds: fc.array(fc.nat(), { minLength: 3 * n, maxLength: 3 * n }),
      outputs: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 4 }),
      inputs: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 2 }),
      maxMemory: fc.constantFrom(1, 64, Number.POSITIVE_INFINITY),
      maxInFlight: fc.integer({ min: 1, max: 6 }),
    }),
  )
  .map(({ deps, ms, parts, partSeeds, outputs, inputs, maxMemory, maxInFlight }) => {
    // Outputs and given inputs are one value each.
    const partsOf = (i: number): number => (outputs.includes(i) || inputs.includes(i) ? 0 : parts[i]!)
    const depOf = (j: number, seed: number): Dep => (partsOf(j) === 0 ? `t${j}` : partRef(`t${j}`, seed % partsOf(j)))
    return {
      maxMemory,
      maxInFlight,
      graph: new Map(
        deps.map((d, i): [Key, Task] => {
          const args = { ms: ms[i]!, value: i * 7, ...(partsOf(i) > 0 && { parts: partsOf(i) }) }
          const taskDeps = d.map((j, k) => depOf(j, partSeeds[3 * i + k]!))
          const task: Task = { op: 'sleep-then-value', args, deps: taskDeps }
          return [`t${i}`, partsOf(i) > 0 ? { ...task, parts: partsOf(i) } : task]
        }),
      ),
      outputs: outputs.map((i) => `t${i}`),
      inputs: new Map(inputs.map((i) => [`t${i}`, 1000 + i])),
    }
  })

/** The values by direct recursive evaluation, with the formula of the 'sleep-then-value' op (part i: + 7919 i). */
function reference({ graph, outputs, inputs }: Case): number[] {
  const memo = new Map<Key, number>(inputs)
  const value = (dep: Dep): number => {
    const part = depPart(dep) ?? 0
    const known = memo.get(depKey(dep))
    if (known !== undefined) return (known + 7919 * part) % 1_000_003
    const task = graph.get(depKey(dep))!
    const args = task.args as { value: number }
    const mixed = task.deps.map(value).reduce((h, v, i) => (h * 31 + v + i) % 1_000_003, 0)
    const result = (args.value + mixed) % 1_000_003
    memo.set(depKey(dep), result)
    return (result + 7919 * part) % 1_000_003
  }
  return outputs.map(value)
}

/** The keys a compute must run: what outputs need, stopping at inputs. */
function needed({ graph, outputs, inputs }: Case): Set<Key> {
  const result = new Set<Key>()
  const visit = (key: Key): void => {
    if (result.has(key) || inputs.has(key)) return
    result.add(key)
    for (const dep of depKeys(graph.get(key)!)) visit(dep)
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
  /** `key` for a value, `key[part]` for a part. */
  const released = new Set<string>()
  for (const e of events) {
    if (e.type === 'task-start') {
      for (const dep of depKeys(c.graph.get(e.key)!)) if (!c.inputs.has(dep)) expect(done.has(dep)).toBe(true)
    } else if (e.type === 'task-done') {
      done.add(e.key)
    } else if (e.type === 'release') {
      const name = e.part === undefined ? e.key : `${e.key}[${e.part}]`
      expect(released.has(name)).toBe(false)
      released.add(name)
      // Released only after every reader of that value or part has finished.
      const reads = (dep: Dep) => depKey(dep) === e.key && (depPart(dep) ?? 0) === (e.part ?? 0)
      for (const [key, task] of c.graph) if (must.has(key) && task.deps.some(reads)) expect(done.has(key)).toBe(true)
    }
  }
  const outputs = new Set(c.outputs)
  const everyValue = [...must]
    .filter((k) => !outputs.has(k))
    .flatMap((k) => {
      const parts = c.graph.get(k)!.parts
      return parts === undefined ? [k] : Array.from({ length: parts }, (_, i) => `${k}[${i}]`)
    })
  expect([...released].sort()).toEqual(everyValue.sort())
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
