import { Float32, type RecordBatch, vectorFromArray } from 'apache-arrow'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { aggregatePartial } from '../../src/kernels/index.js'
import type { AggSpec } from '../../src/kernels/physical-expr.js'
import { decodeValue, type EncodedBatch, encodeValue } from '../../src/schedule/pool/transfer.js'
import type { Value } from '../../src/schedule/registry.js'
import { makeBatch } from '../../src/types/arrow-types.js'
import { allocateSharedOutputs } from '../../src/util/output-memory.js'
import { batchColumns, batchTypes, batchValidity, everyDtypeBatch } from './fixtures/batches.js'

/** What a worker hand-off does: encode, structured-clone (as postMessage), decode. */
function roundTrip(value: Value): Value {
  return decodeValue(structuredClone(encodeValue(value)))
}

function expectSameBatch(actual: Value, expected: RecordBatch): void {
  const batch = actual as RecordBatch
  expect(batch.numRows).toBe(expected.numRows)
  expect(batchTypes(batch)).toEqual(batchTypes(expected))
  expect(batchColumns(batch)).toEqual(batchColumns(expected))
  expect(batchValidity(batch)).toEqual(batchValidity(expected))
}

describe('transfer', () => {
  test('every dtype with nulls and a dictionary column round-trips', () => {
    const batch = everyDtypeBatch(257, 7)
    expect(batch.getChildAt(0)!.nullCount).toBeGreaterThan(0)
    expectSameBatch(roundTrip(batch), batch)
  })

  test('sliced batches (non-zero offsets, bit-packed bools) round-trip', () => {
    const batch = everyDtypeBatch(300, 3)
    for (const [from, to] of [
      [13, 200],
      [1, 2],
      [299, 300],
      [64, 64],
    ] as const) {
      const slice = batch.slice(from, to)
      expectSameBatch(roundTrip(slice), slice)
    }
  })

  test('zero-column and zero-row batches round-trip', () => {
    const empty = makeBatch([], [], 5)
    const back = roundTrip(empty) as RecordBatch
    expect(back.numRows).toBe(5)
    expect(back.numCols).toBe(0)
    const noRows = everyDtypeBatch(0)
    expectSameBatch(roundTrip(noRows), noRows)
  })

  test('JSON values pass as they are', () => {
    for (const value of [null, 1, 'x', true, [1, { a: [null] }], { rows: 3 }]) {
      expect(roundTrip(value)).toEqual(value)
    }
  })

  test('buffers are copied into shared memory once, then shared', () => {
    const first = encodeValue(everyDtypeBatch(50)) as EncodedBatch
    const sab = first.columns[1]!.values!.buffer
    expect(sab).toBeInstanceOf(SharedArrayBuffer)
    // One SAB per batch holds every plain buffer.
    for (const column of first.columns) expect(column.values!.buffer).toBe(sab)
    const decoded = decodeValue(structuredClone(first)) as RecordBatch
    const values = decoded.getChildAt(3)!.data[0]!.values as Float64Array
    expect(values.buffer).toBeInstanceOf(SharedArrayBuffer)
    // The clone views the same memory: a write through one is seen by the other.
    const original = first.columns[3]!.values as Float64Array
    const before = original[0]!
    values[0] = 12345.5
    expect(original[0]).toBe(12345.5)
    values[0] = before
    // Re-encoding a shared batch copies nothing.
    const again = encodeValue(decoded) as EncodedBatch
    expect(again.columns[3]!.values).toBe(values)
  })

  test("a worker's kernel outputs are allocated in shared memory and leave it without a copy", () => {
    const batch = everyDtypeBatch(200, 5)
    const aggs: AggSpec[] = [
      { fn: 'sum', input: 3, inputDType: 'float64', name: 's', dtype: 'float64' },
      { fn: 'countAll', input: null, inputDType: null, name: 'n', dtype: 'int64' },
      { fn: 'max', input: 3, inputDType: 'float64', name: 'hi', dtype: 'float64' },
    ]
    allocateSharedOutputs(true)
    try {
      const state = aggregatePartial(batch, [1], aggs)
      const encoded = encodeValue(state) as EncodedBatch
      for (const [i, column] of encoded.columns.entries()) {
        // The very buffer the kernel wrote, not a copy of it.
        expect(column.values).toBe(state.getChildAt(i)!.data[0]!.values)
        expect(column.values!.buffer).toBeInstanceOf(SharedArrayBuffer)
      }
    } finally {
      allocateSharedOutputs(false)
    }
    // Outside a worker, kernels keep plain memory.
    const plain = aggregatePartial(batch, [1], aggs)
    expect(plain.getChildAt(1)!.data[0]!.values.buffer).toBeInstanceOf(ArrayBuffer)
  })

  test('unsupported Arrow types are refused with the column name', () => {
    const data = vectorFromArray([1.5, 2.5], new Float32()).data[0]!
    expect(() => encodeValue(makeBatch(['ratio'], [data], 2))).toThrowError(
      /cannot pass ratio of Arrow type Float32 between threads/,
    )
  })

  test('random batches and slices round-trip (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.nat(),
        fc.nat(),
        (rows, seed, a, b) => {
          const batch = everyDtypeBatch(rows, seed)
          const from = rows === 0 ? 0 : a % rows
          const to = from + (rows === 0 ? 0 : b % (rows - from + 1))
          const slice = batch.slice(from, to)
          expectSameBatch(roundTrip(slice), slice)
        },
      ),
      { numRuns: 60 },
    )
  })
})
