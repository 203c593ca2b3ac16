/**
 * In-memory inputs (fromRecords, fromArrow, persisted frames) live in shared memory from the start,
 * so handing a partition to a worker copies nothing: the pool's encoding points at the batch's own
 * buffers. Before, each batch was copied into a SharedArrayBuffer on its first trip to a worker,
 * and the copy was held beside the original for as long as the batch lived.
 */
import { type Data, type RecordBatch, Table, tableFromArrays } from 'apache-arrow'
import { afterAll, describe, expect, test } from 'vitest'
import { fromArrow, fromRecords, shutdown } from '../../src/index.js'
import type { LogicalPlan } from '../../src/plan/plan.js'
import { type EncodedData, encodeBatch } from '../../src/schedule/pool/transfer.js'

afterAll(() => shutdown())

function memoryBatches(plan: LogicalPlan): readonly RecordBatch[] {
  if (plan.kind !== 'Scan' || plan.source.kind !== 'memory') throw new Error('expected an in-memory scan')
  return plan.source.batches
}

/** Every buffer a column's data holds, its dictionary's included. */
function buffersOf(data: Data): ArrayBufferView[] {
  const own = [data.values, data.valueOffsets, data.nullCount > 0 ? data.nullBitmap : undefined]
  const dictionary = data.dictionary?.data.flatMap(buffersOf) ?? []
  return [...own.filter((b): b is NonNullable<typeof b> => b !== undefined && b !== null), ...dictionary]
}

function encodedBuffersOf(d: EncodedData): ArrayBufferView[] {
  const own = [d.values, d.offsets, d.validity].filter((b): b is NonNullable<typeof b> => b !== null)
  return [...own, ...(d.dictionary ?? []).flatMap(encodedBuffersOf)]
}

/** All buffers are shared, and encoding the batch for a worker reuses exactly them. */
function expectSharedWithoutCopy(batch: RecordBatch): void {
  const buffers = batch.data.children.flatMap(buffersOf)
  expect(buffers.length).toBeGreaterThan(0)
  for (const b of buffers) expect(b.buffer).toBeInstanceOf(SharedArrayBuffer)
  const sent = encodeBatch(batch).columns.flatMap(encodedBuffersOf)
  expect(new Set(sent.map((b) => b.buffer))).toEqual(new Set(buffers.map((b) => b.buffer)))
}

const rows = Array.from({ length: 100 }, (_, i) => ({ n: i, x: i / 3, s: `s${i % 5}`, ok: i % 2 === 0 ? null : true }))

describe('in-memory sources are built in shared memory', () => {
  test('fromRecords, every partition', () => {
    const batches = memoryBatches(fromRecords(rows, { npartitions: 3 }).plan)
    expect(batches).toHaveLength(3)
    for (const b of batches) expectSharedWithoutCopy(b)
  })

  test('fromArrow of a table in plain memory: copied once; already shared: kept as is', () => {
    const plain = tableFromArrays({ n: Int32Array.from([1, 2, 3]), s: ['a', 'b', 'a'] })
    const [batch] = memoryBatches(fromArrow(plain).plan)
    expectSharedWithoutCopy(batch!)
    expect(memoryBatches(fromArrow(plain, { npartitions: 2 }).plan).every((b) => b.numRows > 0)).toBe(true)
    const [again] = memoryBatches(fromArrow(new Table([batch!])).plan)
    expect(again).toBe(batch)
  })

  test.each(['sync', 'pool'] as const)('persist() on %s keeps shared partitions', async (scheduler) => {
    const kept = await fromRecords(rows, { npartitions: 2 }).filter('n > 10').persist({ scheduler })
    try {
      const batches = memoryBatches(kept.plan)
      expect(batches.length).toBeGreaterThan(0)
      for (const b of batches) expectSharedWithoutCopy(b)
      expect(await kept.toRecords({ scheduler: 'pool' })).toHaveLength(89)
    } finally {
      kept.release()
    }
  })
})
