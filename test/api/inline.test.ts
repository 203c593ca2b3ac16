/**
 * Small inputs run on the calling thread instead of starting the worker pool (src/api/inline.ts),
 * with the same answer; a running pool is always used; the threshold is checked.
 */
import { afterEach, describe, expect, test } from 'vitest'
import { prepareScheduler, schedulerFor } from '../../src/api/inline.js'
import { estimatedInputBytes } from '../../src/api/input-bytes.js'
import { sharedPoolSizes } from '../../src/api/schedulers.js'
import { col, count, fromRecords, shutdown } from '../../src/index.js'
import { lowerPlan } from '../../src/lower/lower.js'
import { valueBytes } from '../../src/schedule/value-bytes.js'
import { csvFrame, headInputGraph } from '../support/plan-builders.js'

afterEach(() => shutdown())

const hasSharedPool = () => sharedPoolSizes().length > 0

const frame = fromRecords(
  Array.from({ length: 200 }, (_, i) => ({ g: `g${i % 3}`, v: i })),
  { npartitions: 4 },
)
  .groupBy('g')
  .agg({ n: count(), s: col('v').sum() })

describe('running small inputs inline', () => {
  test('a tiny compute on the default pool answers without starting it', async () => {
    const pooled = await frame.toRecords({ scheduler: 'pool', inlineBelow: 0 })
    expect(hasSharedPool()).toBe(true)
    await shutdown()
    expect(await frame.toRecords({ inlineBelow: 1 << 20 })).toEqual(pooled)
    expect(hasSharedPool()).toBe(false)
    expect(await frame.toRecords({ scheduler: 'pool', inlineBelow: 1 << 20 })).toEqual(pooled)
    expect(hasSharedPool()).toBe(false)
  })

  test('a pool that has answered a task is used, however small the input; one still starting is not', async () => {
    const pool = { scheduler: 'pool', inlineBelow: 1 << 20 } as const
    expect(schedulerFor(pool, 10).name).toBe('sync')
    prepareScheduler({ scheduler: 'pool', inputBytes: 1 << 30 })
    expect(hasSharedPool()).toBe(true)
    expect(schedulerFor(pool, 10).name).toBe('sync')
    await frame.toRecords({ scheduler: 'pool', inlineBelow: 0 })
    expect(schedulerFor(pool, 10).name).toBe('pool')
  })

  test('prepareScheduler starts the pool only for inputs that would use it', () => {
    prepareScheduler({ scheduler: 'pool', inputBytes: 10, inlineBelow: 1 << 20 })
    prepareScheduler({ scheduler: 'sync', inputBytes: 1 << 30 })
    expect(hasSharedPool()).toBe(false)
    prepareScheduler({ scheduler: 'pool', inputBytes: 10, inlineBelow: 0 })
    expect(hasSharedPool()).toBe(true)
  })

  test('inputs at or above the threshold start the pool; sync stays sync', () => {
    expect(schedulerFor({ scheduler: 'pool', inlineBelow: 100 }, 99).name).toBe('sync')
    expect(schedulerFor({ scheduler: 'pool', inlineBelow: 100 }, 100).name).toBe('pool')
    expect(schedulerFor({ scheduler: 'sync', inlineBelow: 0 }, 1e9).name).toBe('sync')
  })

  test('a bad threshold or worker count is refused even when the work would run inline', () => {
    expect(() => schedulerFor({ inlineBelow: -1 }, 10)).toThrow(/inlineBelow must be a number of bytes ≥ 0/)
    expect(() => schedulerFor({ scheduler: 'sync', inlineBelow: Number.NaN }, 10)).toThrow(/inlineBelow/)
    expect(() => schedulerFor({ workers: 0, inlineBelow: 1 << 20 }, 10)).toThrow(/workers must be a whole number/)
  })
})

describe('estimatedInputBytes', () => {
  test('counts CSV byte ranges, and a limited unfiltered read as at most 1 KiB a row', () => {
    const text = 'a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n'
    const plan = csvFrame('inline-five.csv', text).plan
    const whole = lowerPlan(plan)
    expect(estimatedInputBytes(whole.tasks, whole.inputs)).toBe(text.length)
    const headed = headInputGraph(plan, 0)
    expect(estimatedInputBytes(headed.tasks, headed.inputs)).toBe(0)
  })

  test('counts each in-memory partition once', () => {
    const lowered = lowerPlan(fromRecords([{ v: 1.5 }, { v: 2.5 }], { npartitions: 1 }).plan)
    const [batch] = [...lowered.inputs.values()]
    const bytes = valueBytes(batch!)
    expect(bytes).toBeGreaterThanOrEqual(16)
    expect(estimatedInputBytes(lowered.tasks, lowered.inputs, lowered.outputs)).toBe(bytes)
    const both = [...lowered.outputs, ...lowered.outputs]
    expect(estimatedInputBytes(lowered.tasks, lowered.inputs, both)).toBe(bytes)
  })
})
