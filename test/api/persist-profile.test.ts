/**
 * persist() / release(), profile, progress and the memory budget, through the public API: a query
 * on a persisted frame runs no read task (counted from the scheduler's events), release() frees the
 * store and later use says so, a profile sums every task by operation, and a tiny maxMemory still
 * gives the same answer.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, describe, expect, test } from 'vitest'
import { type ComputeOptions, col, count, Profile, persistedBytes, readCsv, shutdown } from '../../src/index.js'
import { progressBar } from '../../src/schedule/progress-bar.js'

type SchedulerEvent = Parameters<NonNullable<ComputeOptions['onEvent']>>[0]

const dir = mkdtempSync(join(tmpdir(), 'tsdask-persist-'))
const csv = join(dir, 'trips.csv')
writeFileSync(
  csv,
  `vendor,fare\n${Array.from({ length: 4000 }, (_, i) => `${['a', 'b', 'c'][i % 3]},${(i * 37) % 101}`).join('\n')}\n`,
)
afterAll(async () => {
  await shutdown()
  rmSync(dir, { recursive: true, force: true })
})

const trips = () => readCsv(csv, { blocksize: 4096, schema: { vendor: 'utf8', fare: 'float64' } })
const startedLabels = (events: SchedulerEvent[]) =>
  events.filter((e) => e.type === 'task-start').map((e) => (e.type === 'task-start' ? e.label : ''))
const perVendor = (df: ReturnType<typeof trips>) =>
  df
    .filter(col('fare').gt(50))
    .groupBy('vendor')
    .agg({ total: col('fare').sum(), n: count() })
    .sort('vendor')

describe.each(['pool', 'sync'] as const)('on %s', (scheduler) => {
  test('a query on a persisted frame starts from memory: no read task runs', async () => {
    const before = persistedBytes()
    const kept = await trips().persist({ scheduler })
    expect(kept.npartitions).toBeGreaterThan(3)
    expect(persistedBytes()).toBeGreaterThan(before)

    const fromFile: SchedulerEvent[] = []
    const expected = await perVendor(trips()).toRecords({ scheduler, onEvent: (e) => fromFile.push(e) })
    expect(startedLabels(fromFile).some((l) => l.includes('read-csv'))).toBe(true)

    const fromMemory: SchedulerEvent[] = []
    expect(await perVendor(kept).toRecords({ scheduler, onEvent: (e) => fromMemory.push(e) })).toEqual(expected)
    expect(startedLabels(fromMemory).some((l) => l.includes('read-csv'))).toBe(false)
    expect(startedLabels(fromMemory).length).toBeGreaterThan(0)

    expect(kept.release()).toBeGreaterThan(0)
    expect(persistedBytes()).toBe(before)
    expect(kept.release()).toBe(0) // idempotent
    await expect(perVendor(kept).toRecords({ scheduler })).rejects.toThrowError(
      /this frame's persisted partitions were released \(the frame was persisted at .*persist-profile\.test\.ts:\d+:\d+\)\. Call persist\(\)/,
    )
  })

  test('a maxMemory smaller than one partition gives the same answer', async () => {
    const events: SchedulerEvent[] = []
    const tight = await perVendor(trips()).toRecords({ scheduler, maxMemory: 1, onEvent: (e) => events.push(e) })
    expect(tight).toEqual(await perVendor(trips()).toRecords({ scheduler }))
    // One task at a time: every start follows the previous task's end.
    let running = 0
    for (const e of events) {
      if (e.type === 'task-start') expect(++running).toBe(1)
      if (e.type === 'task-done') running--
    }
  })

  test('profile: every task is timed and summed by operation', async () => {
    const profile = new Profile()
    const events: SchedulerEvent[] = []
    await perVendor(trips()).toRecords({ scheduler, profile, onEvent: (e) => events.push(e) })
    const done = events.filter((e) => e.type === 'task-done')
    expect(profile.tasks.map((t) => t.key).sort()).toEqual(done.map((e) => e.key).sort())
    const ops = profile.byOperation()
    expect(ops.reduce((n, o) => n + o.tasks, 0)).toBe(done.length)
    expect(ops.map((o) => o.label).sort()).toEqual([...new Set(done.map((e) => e.label))].sort())
    const summary = profile.summary()
    expect(summary).toMatch(/^operation +tasks +total ms +mean ms +max ms +rows +MB out\n/)
    expect(summary).toMatch(new RegExp(`\\n${done.length} tasks in \\d+\\.\\d\\d s wall; 0 retried; peak held`))
  })
})

test('release() on a frame that was not persisted says what to do', () => {
  expect(() => trips().release()).toThrowError(/release\(\) frees the partitions kept by persist\(\)/)
})

test('the progress bar draws on a terminal and stays silent on a pipe', () => {
  const tty = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.WriteStream
  let out = ''
  ;(tty as unknown as PassThrough).on('data', (chunk: Buffer) => {
    out += chunk.toString()
  })
  const bar = progressBar(tty)
  const done = (n: number): SchedulerEvent => ({
    type: 'task-done',
    key: `t${n}`,
    label: 'x',
    ms: 1,
    rows: 10,
    bytes: 80,
    held: 0,
    heldBytes: 0,
    peakBytes: 80,
    done: n,
    total: 4,
  })
  for (let i = 1; i <= 4; i++) bar.onEvent(done(i))
  bar.finish(true)
  expect(out).toMatch(/^\r\[#{6}\.{18}\] {2}25% 1\/4 tasks {2}10 rows {2}\d+\.\d s/)
  expect(out).toMatch(/\r\[#{24}\] 100% 4\/4 tasks {2}40 rows {2}\d+\.\d s\n$/)

  const pipe = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream
  const silent = progressBar(pipe)
  silent.onEvent(done(1))
  silent.finish(true)
  expect((pipe as unknown as PassThrough).read()).toBeNull()
})
