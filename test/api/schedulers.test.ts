/**
 * The shared pools: one per worker count, and only the count asked for last stays open when idle.
 * A pool of another count closes once no compute runs on it, never under a running one.
 */
import { afterAll, expect, test } from 'vitest'
import { sharedPoolSizes } from '../../src/api/schedulers.js'
import { fromRecords, shutdown } from '../../src/index.js'

afterAll(() => shutdown())

const frame = fromRecords(
  Array.from({ length: 2000 }, (_, i) => ({ v: (i * 7919) % 2000 })),
  { npartitions: 8 },
).sort('v')
const expected = Array.from({ length: 2000 }, (_, v) => ({ v }))

test('switching workers back and forth keeps one pool per count, closing the idle ones', async () => {
  await shutdown()
  expect(await frame.toRecords({ scheduler: 'pool', workers: 1 })).toEqual(expected)
  expect(sharedPoolSizes()).toEqual([1])

  // Both computes are submitted before either can finish: the 1-worker pool is busy when the
  // 2-worker pool starts, so it must stay open until its compute is done.
  const onOne = frame.toRecords({ scheduler: 'pool', workers: 1 })
  const onTwo = frame.toRecords({ scheduler: 'pool', workers: 2 })
  expect(sharedPoolSizes()).toEqual([1, 2])
  expect(await onOne).toEqual(expected)
  expect(await onTwo).toEqual(expected)
  expect(sharedPoolSizes()).toEqual([2])

  for (const workers of [1, 3, 1, 2]) {
    expect(await frame.toRecords({ scheduler: 'pool', workers })).toEqual(expected)
    expect(sharedPoolSizes()).toEqual([workers])
  }
})

test('the same count is reused while it is the latest', async () => {
  await frame.toRecords({ scheduler: 'pool', workers: 2 })
  const running = [
    frame.toRecords({ scheduler: 'pool', workers: 2 }),
    frame.toRecords({ scheduler: 'pool', workers: 2 }),
  ]
  expect(sharedPoolSizes()).toEqual([2])
  for (const rows of await Promise.all(running)) expect(rows).toEqual(expected)
  expect(sharedPoolSizes()).toEqual([2])
})
