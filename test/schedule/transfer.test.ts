import { Float32, type RecordBatch, vectorFromArray } from 'apache-arrow'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { aggregatePartial, aggregatePartialBuckets, partitionByHash } from '../../src/kernels/index.js'
import type { AggSpec } from '../../src/kernels/physical-expr.js'
import {
  decodeOutput,
  decodeValue,
  type EncodedBatch,
  type EncodedData,
  type EncodedParts,
  encodeOutput,
  encodeValue,
} from '../../src/schedule/pool/transfer.js'
import type { OpOutput, Value } from '../../src/schedule/registry.js'
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

  describe('parts of a multi-part output', () => {
    /** The shared memory each part's descriptor points at. */
    const sabsOf = (encoded: EncodedParts): Set<ArrayBufferLike>[] =>
      encoded.parts.map((part) => {
        const sabs = new Set<ArrayBufferLike>()
        const visit = (d: EncodedData): void => {
          for (const b of [d.validity, d.offsets, d.values]) if (b) sabs.add(b.buffer)
          for (const x of d.dictionary ?? []) visit(x)
        }
        if (part.kind === 'batch') for (const c of part.columns) visit(c)
        return sabs
      })
    const byteTotal = (sabs: Set<ArrayBufferLike>) => [...sabs].reduce((n, b) => n + b.byteLength, 0)

    test('round-trip as parts, every dtype, JSON parts too', () => {
      const batch = everyDtypeBatch(300, 9)
      const parts = partitionByHash(batch, [5, 1], 4)
      const back = decodeOutput(structuredClone(encodeOutput(parts, true))) as RecordBatch[]
      expect(back).toHaveLength(4)
      for (const [i, part] of back.entries()) expectSameBatch(part, parts[i]!)
      const mixed: OpOutput = [1, { rows: 2 }, null]
      expect(decodeOutput(structuredClone(encodeOutput(mixed, true)))).toEqual(mixed)
      // Without declared parts, a JSON array is one value.
      expect(encodeOutput([1, 2], false)).toEqual({ kind: 'json', value: [1, 2] })
    })

    test('each part of a split gets shared memory of its own, so it can be freed alone', () => {
      const parts = partitionByHash(everyDtypeBatch(400, 2), [1], 3)
      const sabs = sabsOf(encodeOutput(parts, true) as EncodedParts)
      // The dictionary is the one buffer the parts share: it is copied once, apart from every part.
      const [a, b, c] = sabs.map((s) => [...s])
      const common = a!.filter((x) => b!.includes(x) && c!.includes(x))
      expect(common).toHaveLength(1)
      const own = sabs.map((s) => [...s].filter((x) => !common.includes(x)))
      expect(own.every((o) => o.length === 1)).toBe(true)
      expect(new Set(own.flat()).size).toBe(3)
    })

    test('slices of one state share what they share, copied once, not once per part', () => {
      const batch = everyDtypeBatch(500, 4)
      const aggs: AggSpec[] = [{ fn: 'countAll', input: null, inputDType: null, name: 'n', dtype: 'int64' }]
      const parts = aggregatePartialBuckets(batch, [4], aggs, 4)
      const encoded = encodeOutput(parts, true) as EncodedParts
      const allParts = new Set(sabsOf(encoded).flatMap((s) => [...s]))
      const whole = sabsOf(encodeOutput([aggregatePartialBuckets(batch, [4], aggs, 1)[0]!], true) as EncodedParts)[0]!
      // At most the one-part encoding's bytes plus alignment: a per-part copy of the shared text
      // bytes and bitmaps would multiply them.
      expect(byteTotal(allParts)).toBeLessThanOrEqual(byteTotal(whole) + 8 * 4 * 8)
      const back = decodeOutput(structuredClone(encoded)) as RecordBatch[]
      for (const [i, part] of back.entries()) expectSameBatch(part, parts[i]!)
    })

    test('parts already in shared memory cross with no copy', () => {
      allocateSharedOutputs(true)
      let parts: RecordBatch[]
      try {
        const shared = decodeValue(structuredClone(encodeValue(everyDtypeBatch(200, 6)))) as RecordBatch
        parts = partitionByHash(shared, [2], 3)
      } finally {
        allocateSharedOutputs(false)
      }
      const encoded = encodeOutput(parts, true) as EncodedParts
      let kept = 0
      encoded.parts.forEach((part, p) => {
        ;(part as EncodedBatch).columns.forEach((column, i) => {
          // Gathered numbers are allocated shared (bit-packed bools and built strings are not).
          const values = parts[p]!.getChildAt(i)!.data[0]!.values
          if (values.buffer instanceof SharedArrayBuffer) {
            expect(column.values).toBe(values)
            kept++
          }
        })
      })
      expect(kept).toBeGreaterThanOrEqual(3 * 4)
    })
  })
})
