import { Dictionary, Int32, makeData, Utf8, vectorFromArray } from 'apache-arrow'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { concatBatches, limitBatches, sliceBatch } from '../../src/kernels/index.js'
import { columnData, makeBatch } from '../../src/types/arrow-types.js'
import { random } from '../schedule/fixtures/batches.js'
import { cuts } from './arbitraries.js'
import { garbageBatch } from './garbage-nulls.js'
import { batchOf, columnsOf, rowsOf, sliced } from './helpers.js'

/** A dictionary-encoded utf8 column of `values`, its dictionary as Arrow JS builds it. */
function dictionaryData(values: string[]) {
  const dictionary = vectorFromArray([...new Set(values)], new Utf8())
  const codes = Int32Array.from(values, (v) => [...new Set(values)].indexOf(v))
  return makeData({ type: new Dictionary(new Utf8(), new Int32()), length: values.length, data: codes, dictionary })
}

describe('concatBatches', () => {
  test('rows in order, every dtype, nulls and sliced inputs', () => {
    const a = batchOf({
      i: ['int32', [1, null, 3]],
      b: ['bool', [true, null, false]],
      x: ['int64', [1n, 2n, 3n]],
      u: ['utf8', ['p', 'q', null]],
    })
    const b = batchOf({
      i: ['int32', [4, 5]],
      b: ['bool', [false, true]],
      x: ['int64', [null, 5n]],
      u: ['utf8', ['r', 's']],
    })
    const out = concatBatches([sliced(a, 1, 2), b])
    expect(columnsOf(out)).toEqual({
      i: [null, 3, 4, 5],
      b: [null, false, false, true],
      x: [2n, 3n, null, 5n],
      u: ['q', null, 'r', 's'],
    })
  })
  test('an empty string column as Arrow JS makes it (no offsets at all) concatenates (fuzz seed 10005 path 371)', () => {
    const empty = makeBatch(['u', 'd'], [makeData({ type: new Utf8(), length: 0 }), dictionaryData([])], 0)
    const some = batchOf({ u: ['utf8', ['p', null]], d: ['dict', ['x', 'y']] })
    expect(columnsOf(concatBatches([empty, some, empty]))).toEqual({ u: ['p', null], d: ['x', 'y'] })
    expect(columnsOf(concatBatches([empty, empty]))).toEqual({ u: [], d: [] })
    const mixed = makeBatch(['u'], [dictionaryData(['q'])], 1)
    expect(columnsOf(concatBatches([makeBatch(['u'], [makeData({ type: new Utf8(), length: 0 })], 0), mixed]))).toEqual(
      {
        u: ['q'],
      },
    )
  })
  test('dictionaries: shared kept, different unified, mixed with plain decoded', () => {
    const a = batchOf({ s: ['dict', ['x', 'y', null]] })
    const b = batchOf({ s: ['dict', ['y', 'z']] })
    const unified = concatBatches([a, b])
    expect(columnsOf(unified).s).toEqual(['x', 'y', null, 'y', 'z'])
    expect(String(columnData(unified, 0).type)).toContain('Dictionary')
    expect(columnData(unified, 0).dictionary?.length).toBe(3)
    const shared = concatBatches([sliced(a, 0, 1), sliced(a, 1, 2)])
    expect(columnData(shared, 0).dictionary).toBe(columnData(a, 0).dictionary)
    const mixed = concatBatches([a, batchOf({ s: ['utf8', ['w']] })])
    expect(columnsOf(mixed).s).toEqual(['x', 'y', null, 'w'])
  })
  test('plain utf8 pieces (views into one buffer, garbage under nulls) concatenate to the whole', () => {
    const strings = fc.array(fc.option(fc.string({ unit: 'grapheme', maxLength: 4 }), { nil: null }), { maxLength: 40 })
    const input = strings.chain((values) => fc.tuple(fc.constant(values), cuts(values.length), fc.integer()))
    fc.assert(
      fc.property(input, ([values, at, seed]) => {
        const whole = garbageBatch(
          ['u'],
          ['utf8'],
          values.map((v) => [v]),
          random(seed),
        )
        let start = 0
        const pieces = [...at, values.length].map((end) => {
          const piece = sliced(whole, start, end - start)
          start = end
          return piece
        })
        expect(columnsOf(concatBatches(pieces)).u).toEqual(values)
      }),
      { numRuns: 200 },
    )
  })
  test('zero batches, one batch, zero-column batches', () => {
    expect(concatBatches([]).numRows).toBe(0)
    const a = batchOf({ i: ['int32', [1]] })
    expect(concatBatches([a])).toBe(a)
    expect(concatBatches([makeBatch([], [], 2), makeBatch([], [], 3)]).numRows).toBe(5)
  })
})

describe('sliceBatch and limitBatches', () => {
  const a = batchOf({
    i: ['int32', [0, 1, 2, 3]],
    s: ['dict', ['a', 'b', 'c', 'd']],
    u: ['utf8', ['w', 'x', 'y', null]],
  })
  const b = batchOf({ i: ['int32', [4, 5]], s: ['dict', ['e', 'f']], u: ['utf8', ['z', 'zz']] })
  test('sliceBatch copies the range (buffers are its own) and clamps', () => {
    const s = sliceBatch(a, 1, 2)
    expect(rowsOf(s)).toEqual([
      [1, 'b', 'x'],
      [2, 'c', 'y'],
    ])
    expect(columnData(s, 0).values.buffer).not.toBe(columnData(a, 0).values.buffer)
    expect(columnData(s, 1).dictionary?.data[0]?.values.buffer).not.toBe(
      columnData(a, 1).dictionary?.data[0]?.values.buffer,
    )
    expect(sliceBatch(a, 3, 10).numRows).toBe(1)
    expect(sliceBatch(a, 9, 10).numRows).toBe(0)
  })
  test('limitBatches spans batches in order', () => {
    expect(columnsOf(limitBatches([a, b], 3, 2)).i).toEqual([3, 4])
    expect(columnsOf(limitBatches([a, b], 0, null)).s).toEqual(['a', 'b', 'c', 'd', 'e', 'f'])
    expect(columnsOf(limitBatches([a, b], 5, 10)).u).toEqual(['zz'])
    const none = limitBatches([a, b], 10, 3)
    expect(none.numRows).toBe(0)
    expect(none.numCols).toBe(3)
    expect(limitBatches([makeBatch([], [], 4)], 1, 2).numRows).toBe(2)
  })
})
