import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RecordBatch } from 'apache-arrow'
import { afterAll, describe, expect, test } from 'vitest'
import { partRef } from '../../src/graph/deps.js'
import { createPoolScheduler } from '../../src/schedule/pool/pool-scheduler.js'
import { computeRecorded, failureOf, schedulerContract, shuffleGraph, task } from './fixtures/contract.js'

const testOps = new URL('./fixtures/test-ops.ts', import.meta.url).href
const pool = createPoolScheduler({ workers: 2, opModules: [testOps] })
afterAll(() => pool.close())

describe('pool scheduler', () => {
  schedulerContract(() => pool)

  test('a task that kills its worker is retried on a fresh worker, then reported', async () => {
    const graph = new Map([
      ['ok', task('const', { value: 1 })],
      ['exit', task('exit-process', { code: 3 }, ['ok'], { label: 'udf', partition: 4 })],
    ])
    const events: string[] = []
    const error = await failureOf(
      pool.compute(graph, ['exit'], {
        onEvent: (e) => e.type === 'task-retry' && events.push(`${e.key} #${e.attempt}`),
      }),
    )
    expect(events).toEqual(['exit #1', 'exit #2'])
    expect(error.code).toBe('WORKER_DIED')
    expect(error.message).toMatch(
      /^the worker thread running this task died \(worker exited with code: 3\) on each of 3 attempts \(retried 2 times on a fresh worker\)/,
    )
    expect(error.message).toMatch(/\n {2}in udf \(partition 4, task exit\)$/)
    expect(await pool.compute(new Map([['x', task('const', { value: 'alive' })]]), ['x'])).toEqual(['alive'])
  })

  test('a task that exceeds resourceLimits is retried on a fresh worker, then reported; the pool lives on', async () => {
    const limited = createPoolScheduler({
      workers: 1,
      retries: 1,
      opModules: [testOps],
      resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 },
    })
    try {
      const graph = new Map([
        ['small', task('const', { value: 2 })],
        ['hog', task('exhaust-heap', {}, ['small'], { label: 'udf', partition: 1, origin: 'job.ts:9:3' })],
      ])
      const retries: string[] = []
      const error = await failureOf(
        limited.compute(graph, ['hog'], {
          onEvent: (e) => e.type === 'task-retry' && retries.push(`${e.key} #${e.attempt} ${e.reason}`),
        }),
      )
      expect(retries).toHaveLength(1)
      expect(retries[0]).toMatch(/^hog #1 .*memory/i)
      expect(error.code).toBe('WORKER_DIED')
      expect(error.message).toMatch(/^the worker thread running this task died \(.*memory.*\) on each of 2 attempts/i)
      expect(error.message).toMatch(/\n {2}in udf \(partition 1, task hog\), built at job\.ts:9:3$/)
      // The same pool runs the next compute, and a task within the limits on it.
      const ok = new Map([['fits', task('exhaust-heap', { maxMb: 2 })]])
      expect(await limited.compute(ok, ['fits'])).toEqual([2])
    } finally {
      await limited.close()
    }
  })

  test('a retry that succeeds is invisible in the result', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'tsdask-')), 'died')
    const graph = new Map([['flaky', task('exit-once', { marker })]])
    const { values, events } = await computeRecorded(pool, graph, ['flaky'])
    expect(values).toEqual(['survived'])
    expect(events.filter((e) => e.type === 'task-retry')).toHaveLength(1)
  })

  test('a worker that dies loses no finished partition: they live in shared memory, owned by the scheduler', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'tsdask-')), 'died')
    const graph = new Map()
    const sums: string[] = []
    for (let i = 0; i < 6; i++) {
      graph.set(`batch-${i}`, task('make-batch', { rows: 500, seed: i }))
      graph.set(`sum-${i}`, task('sum-batch', null, [`batch-${i}`, 'flaky']))
      sums.push(`sum-${i}`)
    }
    graph.set('flaky', task('exit-once', { marker }))
    const { values, events } = await computeRecorded(pool, graph, sums)
    // (Tasks packed into the dying worker's message with it are retried too.)
    expect(events.filter((e) => e.type === 'task-retry').map((e) => e.key)).toContain('flaky')
    const clean = new Map([...graph].map(([k, t]) => [k, k === 'flaky' ? task('const', { value: 'x' }) : t]))
    expect(values).toEqual(await pool.compute(clean, sums))
  })

  test('small tasks are packed several to a message; a death in a packet retries each of its tasks alone', async () => {
    const wide = (n: number, first: [string, ReturnType<typeof task>][] = []) =>
      new Map([...first, ...Array.from({ length: n }, (_, i) => [`a${i}`, task('add', { plus: i })] as const)])
    const keys = (n: number) => Array.from({ length: n }, (_, i) => `a${i}`)
    // Teach the pool that 'add' and 'exit-once' (its marker already there: it returns at once) are tiny…
    const used = join(mkdtempSync(join(tmpdir(), 'tsdask-')), 'died')
    writeFileSync(used, 'died once')
    const warm = await pool.compute(wide(200, [['flaky', task('exit-once', { marker: used })]]), [
      ...keys(200),
      'flaky',
    ])
    expect(warm).toEqual([...keys(200).map((_, i) => i), 'survived'])
    // …then hide a worker killer among 200 of them.
    const marker = join(mkdtempSync(join(tmpdir(), 'tsdask-')), 'died')
    const { values, events } = await computeRecorded(pool, wide(200, [['flaky', task('exit-once', { marker })]]), [
      ...keys(200),
      'flaky',
    ])
    expect(values).toEqual([...keys(200).map((_, i) => i), 'survived'])
    const retried = events.filter((e) => e.type === 'task-retry').map((e) => e.key)
    expect(retried).toContain('flaky')
    // Its packet-mates were retried too (so they shared its message), each once, alone.
    expect(retried.length).toBeGreaterThan(1)
    expect(new Set(retried).size).toBe(retried.length)
    const starts = events.filter((e) => e.type === 'task-start').length
    expect(starts).toBe(201)
  })

  test('an op unknown to the workers is reported with its name', async () => {
    const error = await failureOf(pool.compute(new Map([['t', task('no-such-op', null)]]), ['t']))
    expect(error.message).toMatch(/^unknown op 'no-such-op': no operation of that name is registered/)
    expect(error.message).toMatch(/\n {2}in no-such-op \(task t\)$/)
  })

  test('an op module that fails to load fails tasks clearly and does not crash the process', async () => {
    const broken = createPoolScheduler({
      workers: 1,
      opModules: [new URL('./fixtures/missing.ts', import.meta.url).href],
    })
    try {
      const error = await failureOf(broken.compute(new Map([['t', task('const', { value: 1 })]]), ['t']))
      expect(error.message).toMatch(/a pool worker could not load op module .*missing\.ts/)
    } finally {
      await broken.close()
    }
    await expect(broken.compute(new Map(), [])).rejects.toThrowError(/closed/)
  })

  test('memory stays bounded: at most maxInFlight unconsumed partitions are held', async () => {
    const graph = new Map()
    const partials: string[] = []
    for (let i = 0; i < 24; i++) {
      graph.set(`batch-${i}`, task('make-batch', { rows: 2000, seed: i }))
      graph.set(`sum-${i}`, task('sum-batch', null, [`batch-${i}`]))
      partials.push(`sum-${i}`)
    }
    graph.set('all', task('const', { value: 'done' }, partials))
    let maxBatches = 0
    const held = new Set<string>()
    await pool.compute(graph, ['all'], {
      maxInFlight: 4,
      onEvent: (e) => {
        if (e.type === 'task-done' && e.key.startsWith('batch')) held.add(e.key)
        if (e.type === 'release') held.delete(e.key)
        maxBatches = Math.max(maxBatches, held.size)
      },
    })
    expect(held.size).toBe(0)
    expect(maxBatches).toBeLessThanOrEqual(4)
  })

  test('parts cross threads in shared memory: each reader gets its part with no copy, and so does the caller', async () => {
    const graph = shuffleGraph()
    const checks = [0, 1, 2].map((p) => `check-${p}`)
    for (const [p, key] of checks.entries()) graph.set(key, task('shared-buffers', null, [partRef('split-0', p)]))
    const buckets = ['bucket-0', 'bucket-1', 'bucket-2']
    const { values, events } = await computeRecorded(pool, graph, [...checks, ...buckets])
    const seen = values.slice(0, 3) as { rows: number; shared: boolean }[]
    expect(seen.every((c) => c.shared)).toBe(true)
    expect(seen.reduce((n, c) => n + c.rows, 0)).toBe(200)
    // The parts came back to the main thread in shared memory, as their concats did.
    for (const batch of values.slice(3) as RecordBatch[]) {
      for (const data of batch.data.children) expect(data.values.buffer).toBeInstanceOf(SharedArrayBuffer)
    }
    // Every part was released once its last reader (a check, a concat) had run.
    const released = events.flatMap((e) =>
      e.type === 'release' && e.part !== undefined ? [`${e.key}[${e.part}]`] : [],
    )
    expect(released.sort()).toEqual(['split-0', 'split-1'].flatMap((k) => [0, 1, 2].map((p) => `${k}[${p}]`)))
  })
})
