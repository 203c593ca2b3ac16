/**
 * Admission control by bytes (run-graph): with a `maxMemory` budget the scheduler holds at most
 * about that many bytes of partitions, however many tasks `maxInFlight` would allow; without one,
 * the same graph runs wider. A scripted runner makes the interleaving deterministic.
 */
import { totalmem } from 'node:os'
import { type RecordBatch, tableFromArrays } from 'apache-arrow'
import { describe, expect, test } from 'vitest'
import { partRef } from '../../src/graph/deps.js'
import type { Key, Task } from '../../src/graph/task-graph.js'
import { HeldBytes } from '../../src/schedule/held-bytes.js'
import type { OpOutput, Value } from '../../src/schedule/registry.js'
import { defaultMaxMemory, runGraph, type TaskRequest, type TaskRunner } from '../../src/schedule/run-graph.js'
import type { SchedulerEvent } from '../../src/schedule/scheduler.js'
import { valueBytes, valuesBytes } from '../../src/schedule/value-bytes.js'

const ROWS = 1000
const partition = (): RecordBatch => tableFromArrays({ x: new Float64Array(ROWS).fill(1) }).batches[0]!

/** 20 × (make → sum), then one task reading every sum; `estimatedBytes` goes on each make. */
function wideGraph(estimatedBytes?: number): Map<Key, Task> {
  const graph = new Map<Key, Task>()
  for (let i = 0; i < 20; i++) {
    const meta = { label: 'make', partition: i, ...(estimatedBytes !== undefined && { estimatedBytes }) }
    graph.set(`make-${i}`, { op: 'make', args: null, deps: [], meta })
    graph.set(`sum-${i}`, { op: 'sum', args: null, deps: [`make-${i}`] })
  }
  graph.set('all', { op: 'sum', args: null, deps: [...Array(20).keys()].map((i) => `sum-${i}`) })
  return graph
}

function scriptedRunner(): TaskRunner & { maxMakesRunning: number } {
  let makesRunning = 0
  const runner = {
    defaultMaxInFlight: 10,
    maxMakesRunning: 0,
    async run({ task, inputs }: TaskRequest): Promise<Value> {
      if (task.op === 'make') runner.maxMakesRunning = Math.max(runner.maxMakesRunning, ++makesRunning)
      await new Promise((resolve) => setTimeout(resolve, 1))
      if (task.op === 'make') {
        makesRunning--
        return partition()
      }
      return inputs.length
    },
  }
  return runner
}

test('a partition is measured by its buffers', () => {
  expect(valueBytes(partition())).toBe(ROWS * 8)
  expect(valueBytes(partition().slice(0, 10))).toBe(ROWS * 8) // a slice keeps its whole buffer alive
  expect(valueBytes(42)).toBeLessThan(100)
})

test('maxMemory bounds the bytes held and the partitions in flight', async () => {
  const budget = 3 * ROWS * 8
  const bounded = scriptedRunner()
  const events: SchedulerEvent[] = []
  const [result] = await runGraph(wideGraph(), ['all'], bounded, {
    maxMemory: budget,
    onEvent: (e) => events.push(e),
  })
  expect(result).toBe(20)
  const done = events.filter((e) => e.type === 'task-done')
  expect(Math.max(...done.map((e) => e.peakBytes))).toBeLessThanOrEqual(budget)
  expect(bounded.maxMakesRunning).toBeLessThanOrEqual(3)
  expect(done.at(-1)).toMatchObject({ held: 1, key: 'all' })

  const unbounded = scriptedRunner()
  await runGraph(wideGraph(), ['all'], unbounded, { maxMemory: Number.POSITIVE_INFINITY })
  expect(unbounded.maxMakesRunning).toBeGreaterThan(3)
})

test('an op neither measured nor estimated starts alone; an estimate lets its first tasks run side by side', async () => {
  const runFirstMakes = async (estimatedBytes?: number) => {
    const runner = scriptedRunner()
    let firstMakeDone = false
    let makesStartedBeforeFirstDone = 0
    await runGraph(wideGraph(estimatedBytes), ['all'], runner, {
      maxMemory: 100 * ROWS * 8,
      onEvent: (e) => {
        if (e.type === 'task-start' && e.label === 'make' && !firstMakeDone) makesStartedBeforeFirstDone++
        if (e.type === 'task-done' && e.label === 'make') firstMakeDone = true
      },
    })
    return makesStartedBeforeFirstDone
  }
  expect(await runFirstMakes()).toBe(1)
  expect(await runFirstMakes(ROWS * 8)).toBe(10) // the runner's default maxInFlight
  // The estimate counts against the budget like a measurement: 3 partitions' worth fit.
  expect(await runFirstMakes(30 * ROWS * 8)).toBe(3)
})

test('a budget smaller than one partition still finishes, one task at a time', async () => {
  const runner = scriptedRunner()
  const [result] = await runGraph(wideGraph(), ['all'], runner, { maxMemory: 1 })
  expect(result).toBe(20)
  expect(runner.maxMakesRunning).toBe(1)
})

describe('multi-part outputs', () => {
  const P = ROWS * 8

  test('held bytes count a buffer once however many stored values share it', () => {
    const held = new HeldBytes()
    const batch = partition()
    const a = held.hold(batch.slice(0, 10))
    const b = held.hold(batch.slice(10, 20))
    expect(held.bytes).toBe(P)
    held.release(a)
    expect(held.bytes).toBe(P)
    const c = held.hold(partition())
    expect(held.bytes).toBe(2 * P)
    held.release(b)
    held.release(c)
    expect(held.bytes).toBe(0)
    const json = held.hold({ rows: 3 })
    expect(held.bytes).toBe(valueBytes({ rows: 3 }))
    held.release(json)
    expect(held.bytes).toBe(0)
    expect(valuesBytes([batch.slice(0, 1), batch.slice(1, 2), 7])).toBe(P + valueBytes(7))
  })

  /** split (3 parts) → one reader per part → all. */
  function splitGraph(): Map<Key, Task> {
    const graph = new Map<Key, Task>([['split', { op: 'split', args: null, deps: [], parts: 3 }]])
    for (const p of [0, 1, 2]) graph.set(`read-${p}`, { op: 'read', args: null, deps: [partRef('split', p)] })
    graph.set('all', { op: 'all', args: null, deps: ['read-0', 'read-1', 'read-2'] })
    return graph
  }

  const splitRunner = (slices: boolean): TaskRunner => ({
    defaultMaxInFlight: 1,
    async run({ task }: TaskRequest): Promise<OpOutput> {
      if (task.op !== 'split') return 1
      if (!slices) return [partition(), partition(), partition()]
      const whole = partition()
      return [whole.slice(0, 300), whole.slice(300, 600), whole.slice(600)]
    },
  })

  test.each([
    ['independent batches: each part is freed with its last reader', false, [3 * P, 2 * P, P, 0]],
    ['slices of one batch: their memory goes with the last of them', true, [P, P, P, 0]],
  ])('%s', async (_, slices, partBytes) => {
    const events: SchedulerEvent[] = []
    await runGraph(splitGraph(), ['all'], splitRunner(slices), { onEvent: (e) => events.push(e) })
    const done = events.filter((e) => e.type === 'task-done')
    // One task at a time: the split, its three readers (in whatever order `order` picks), then all.
    expect([done[0]?.key, done.at(-1)?.key]).toEqual(['split', 'all'])
    expect(done[0]).toMatchObject({ bytes: partBytes[0], held: 3 })
    // After k readers: the parts still unread, plus the readers' numbers (16 bytes each).
    expect(done.slice(0, 4).map((e) => e.heldBytes)).toEqual(partBytes.map((b, k) => b + 16 * k))
    expect(done.at(-1)).toMatchObject({ held: 1, heldBytes: 16 })
  })

  test('admission control expects a multi-part task to produce all its parts', async () => {
    const graph = new Map<Key, Task>()
    for (let i = 0; i < 10; i++) {
      graph.set(`split-${i}`, { op: 'split', args: null, deps: [], parts: 3, meta: { label: 'split' } })
      for (const p of [0, 1, 2])
        graph.set(`read-${i}-${p}`, { op: 'read', args: null, deps: [partRef(`split-${i}`, p)] })
    }
    graph.set('all', { op: 'all', args: null, deps: [...graph.keys()].filter((k) => k.startsWith('read')) })
    let splitsRunning = 0
    let maxSplitsRunning = 0
    const runner: TaskRunner = {
      defaultMaxInFlight: 8,
      async run({ task }: TaskRequest): Promise<OpOutput> {
        if (task.op === 'split') maxSplitsRunning = Math.max(maxSplitsRunning, ++splitsRunning)
        await new Promise((resolve) => setTimeout(resolve, 1))
        if (task.op !== 'split') return 1
        splitsRunning--
        return [partition(), partition(), partition()]
      },
    }
    const events: SchedulerEvent[] = []
    await runGraph(graph, ['all'], runner, { maxMemory: 7 * P, onEvent: (e) => events.push(e) })
    const peak = Math.max(...events.flatMap((e) => (e.type === 'task-done' ? [e.peakBytes] : [])))
    // Room for two splits' worth (6 P) and the readers' numbers, never a third split in flight.
    expect(peak).toBeLessThanOrEqual(7 * P)
    expect(maxSplitsRunning).toBeLessThanOrEqual(2)
  })
})

describe('the default budget', () => {
  const GB = 1024 ** 3
  test('is a quarter of a container limit below physical memory', () => {
    expect(defaultMaxMemory({ total: 64 * GB, constrained: 2 * GB })).toBe(GB / 2)
  })

  test.each([
    ['0 (no limit)', 0],
    ['near 2^64 (no limit, cgroup v2)', 2 ** 64],
    ['above physical memory', 128 * GB],
    ['unavailable (older Node)', undefined],
  ])('is a quarter of physical memory when the limit is %s', (_, constrained) => {
    expect(defaultMaxMemory({ total: 64 * GB, constrained })).toBe(16 * GB)
  })

  test("reads this machine's limits by default", () => {
    const constrained = process.constrainedMemory()
    expect(defaultMaxMemory()).toBe(defaultMaxMemory({ total: totalmem(), constrained }))
  })
})
