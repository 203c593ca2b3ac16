import type { RecordBatch } from 'apache-arrow'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { aggregateCombine, aggregateFinal, aggregatePartial, stateNames } from '../../src/kernels/index.js'
import type { AggSpec } from '../../src/kernels/physical-expr.js'
import { makeBatch } from '../../src/types/arrow-types.js'
import { TsdaskError } from '../../src/util/errors.js'
import { cuts, kindsOf, NAMES, splitRows, table } from './arbitraries.js'
import { batchFromRows, batchOf, columnsOf, rowsOf, sliced } from './helpers.js'
import { naiveAggregate } from './reference.js'

const sum = (input: number, inputDType: AggSpec['inputDType'], name = 's'): AggSpec => ({
  fn: 'sum',
  input,
  inputDType,
  name,
  dtype: inputDType === 'float64' ? 'float64' : 'int64',
})
const agg = (fn: AggSpec['fn'], input: number | null, inputDType: AggSpec['inputDType'], name: string): AggSpec => ({
  fn,
  input,
  inputDType,
  name,
  dtype:
    fn === 'mean'
      ? 'float64'
      : fn === 'count' || fn === 'countAll'
        ? 'int64'
        : fn === 'sum'
          ? inputDType === 'float64'
            ? 'float64'
            : 'int64'
          : inputDType!,
})

function run(batches: RecordBatch[], keys: number[], aggs: AggSpec[]): RecordBatch {
  const states = batches.map((b) => aggregatePartial(b, keys, aggs))
  return aggregateFinal(aggregateCombine(states, keys.length, aggs), keys.length, aggs)
}

describe('aggregate', () => {
  const data = batchOf({
    k: ['dict', ['a', 'b', null, 'a', 'c', null, 'b']],
    v: ['int32', [1, 2, 3, null, 5, 6, 7]],
    f: ['float64', [0.5, null, 1.5, 2, null, Number.NaN, 1]],
  })
  const aggs = [
    sum(1, 'int32'),
    agg('mean', 1, 'int32', 'm'),
    agg('count', 1, 'int32', 'n'),
    agg('countAll', null, null, 'rows'),
    agg('min', 2, 'float64', 'lo'),
    agg('max', 2, 'float64', 'hi'),
  ]
  test('one partition: keys sorted ascending, nulls last; null key is a group; NaN is the max', () => {
    const out = run([data], [0], aggs)
    expect(out.schema.fields.map((f) => f.name)).toEqual(['k', 's', 'm', 'n', 'rows', 'lo', 'hi'])
    expect(columnsOf(out)).toEqual({
      k: ['a', 'b', 'c', null],
      s: [1n, 9n, 5n, 9n],
      m: [1, 4.5, 5, 4.5],
      n: [1n, 2n, 1n, 2n],
      rows: [2n, 2n, 1n, 2n],
      lo: [0.5, 1, null, 1.5],
      hi: [2, 1, null, Number.NaN],
    })
  })
  test('state batch layout: keys then per-agg state columns', () => {
    const state = aggregatePartial(data, [0], aggs)
    expect(state.schema.fields.map((f) => f.name)).toEqual(['k', ...stateNames(aggs)])
    expect(stateNames(aggs)).toEqual(['s:sum', 'm:sum', 'm:count', 'n:count', 'rows:count', 'lo:min', 'hi:max'])
    expect(state.numRows).toBe(4)
  })
  test('plain and dictionary keys, and any split, give the same result', () => {
    const plain = batchOf({
      k: ['utf8', ['a', 'b', null, 'a', 'c', null, 'b']],
      v: ['int32', [1, 2, 3, null, 5, 6, 7]],
      f: ['float64', [0.5, null, 1.5, 2, null, Number.NaN, 1]],
    })
    const whole = rowsOf(run([data], [0], aggs))
    expect(rowsOf(run([plain], [0], aggs))).toEqual(whole)
    expect(rowsOf(run([sliced(data, 0, 3), sliced(data, 3, 4)], [0], aggs))).toEqual(whole)
    expect(rowsOf(run([sliced(plain, 0, 2), sliced(data, 2, 0), sliced(data, 2, 5)], [0], aggs))).toEqual(whole)
  })
  test('global aggregate: one row even for empty input; sum null, count 0', () => {
    const empty = batchOf({ v: ['int32', []] })
    const aggs1 = [
      sum(0, 'int32'),
      agg('count', 0, 'int32', 'n'),
      agg('countAll', null, null, 'rows'),
      agg('min', 0, 'int32', 'lo'),
    ]
    expect(rowsOf(run([empty], [], aggs1))).toEqual([[null, 0n, 0n, null]])
    expect(rowsOf(aggregateFinal(aggregateCombine([], 0, aggs1), 0, aggs1))).toEqual([[null, 0n, 0n, null]])
  })
  test('count(*) over a zero-column batch', () => {
    const rows = agg('countAll', null, null, 'rows')
    expect(rowsOf(run([makeBatch([], [], 5), makeBatch([], [], 3)], [], [rows]))).toEqual([[8n]])
  })
  test('int64 sums are exact beyond 2^53 and overflow is an error', () => {
    const big = batchOf({ x: ['int64', [2n ** 62n, 2n ** 62n - 1n, -(2n ** 62n), 3n]] })
    expect(rowsOf(run([big], [], [sum(0, 'int64')]))).toEqual([[2n ** 62n + 2n]])
    const over = batchOf({ x: ['int64', [2n ** 62n, 2n ** 62n]] })
    expect(() => run([over], [], [sum(0, 'int64')])).toThrow(TsdaskError)
    expect(() => run([over], [], [sum(0, 'int64')])).toThrow(/overflow/)
  })
  test('float min/max without nulls: NaN is the largest, ties keep the first; int64 sums carry across words', () => {
    const b = batchOf({
      k: ['int32', [1, 2, 1, 2, 3, 3, 1]],
      f: ['float64', [Number.NaN, 2, 0.5, -1, Number.NaN, Number.NaN, -3]],
      x: ['int64', [-1n, 2n ** 32n - 1n, -(2n ** 40n), 1n, -(2n ** 63n), 0n, 2n ** 40n + 5n]],
    })
    const aggs = [
      agg('min', 1, 'float64', 'lo'),
      agg('max', 1, 'float64', 'hi'),
      sum(2, 'int64'),
      agg('count', 2, 'int64', 'n'),
    ]
    expect(rowsOf(run([b], [0], aggs))).toEqual([
      [1, -3, Number.NaN, 4n, 3n],
      [2, -1, 2, 2n ** 32n, 2n],
      [3, Number.NaN, Number.NaN, -(2n ** 63n), 2n],
    ])
    const under = batchOf({ x: ['int64', [-(2n ** 63n), -1n]] })
    expect(() => run([under], [], [sum(0, 'int64')])).toThrow(/overflow/)
  })
  test('grouped int64 sums cross 2^53 (either sign) exactly when states merge; small ones stay exact', () => {
    const p = 2n ** 52n
    const part = (keys: number[], xs: bigint[]) => batchOf({ k: ['int32', keys], x: ['int64', xs] })
    const parts = [part([1, 2, 3], [p, -p, 7n]), part([1, 2, 3], [p, -p, -9n]), part([1, 2, 3], [p - 5n, -p - 5n, 1n])]
    expect(columnsOf(run(parts, [0], [sum(1, 'int64')]))).toEqual({ k: [1, 2, 3], s: [3n * p - 5n, -3n * p - 5n, -1n] })
  })
  test('int32 sums over many rows stay exact', () => {
    const n = 3_000_000
    const values = new Array<number>(n).fill(2147483647)
    const b = batchOf({ v: ['int32', values] })
    expect(rowsOf(run([b], [], [sum(0, 'int32')]))).toEqual([[BigInt(n) * 2147483647n]])
  })
  test('multiple keys of different dtypes, with nulls; float keys group -0 with 0 and NaN with NaN', () => {
    const b = batchOf({
      a: ['int32', [1, 1, null, 1, null]],
      f: ['float64', [0, -0, Number.NaN, 0, Number.NaN]],
      t: ['timestamp[ms]', [5, 5, null, 6, null]],
    })
    const out = run([b], [0, 1, 2], [agg('countAll', null, null, 'n')])
    expect(rowsOf(out)).toEqual([
      [1, 0, 5, 2n],
      [1, 0, 6, 1n],
      [null, Number.NaN, null, 2n],
    ])
  })
  test('min/max of strings keep byte order and dictionary encoding', () => {
    const b = batchOf({ g: ['int32', [1, 1, 1, 2]], s: ['dict', ['b', 'é', 'a', null]] })
    const out = run([b], [0], [agg('min', 1, 'utf8', 'lo'), agg('max', 1, 'utf8', 'hi')])
    expect(rowsOf(out)).toEqual([
      [1, 'a', 'é'],
      [2, null, null],
    ])
    expect(String(out.schema.fields[1]!.type)).toContain('Dictionary')
  })
  test('sparse int32 keys use the hash path', () => {
    const keys = [1e9, -1e9, 7, 1e9, 7, -2147483648]
    const b = batchOf({ k: ['int32', keys], v: ['int32', [1, 2, 3, 4, 5, 6]] })
    expect(rowsOf(run([b], [0], [sum(1, 'int32')]))).toEqual([
      [-2147483648, 6n],
      [-1e9, 2n],
      [7, 8n],
      [1e9, 5n],
    ])
  })
})

describe('aggregate property: partial → combine tree → final ≡ naive', () => {
  const aggs: AggSpec[] = [
    sum(2, 'int32', 'sv'),
    sum(3, 'int64', 'sx'),
    sum(4, 'float64', 'sf'),
    agg('mean', 2, 'int32', 'mv'),
    agg('count', 0, 'utf8', 'cs'),
    agg('countAll', null, null, 'n'),
    agg('min', 0, 'utf8', 'mins'),
    agg('max', 4, 'float64', 'maxf'),
    agg('min', 6, 'date32', 'mind'),
    agg('max', 5, 'bool', 'maxb'),
  ]
  const keySets = [[], [0], [1], [0, 1], [5, 6, 1], [3]]
  test('random data, random splits, random combine trees', () => {
    fc.assert(
      fc.property(
        table.chain((t) =>
          fc.tuple(fc.constant(t), cuts(t.rows.length), fc.constantFrom(...keySets), fc.integer({ min: 1, max: 3 })),
        ),
        ([t, at, keys, fanIn]) => {
          const kinds = kindsOf(t)
          const parts = splitRows(t.rows, at).map((rs) => batchFromRows(NAMES, kinds, rs))
          let states = parts.map((p) => aggregatePartial(p, keys, aggs))
          // An order-preserving combine tree with the given fan-in.
          while (states.length > 1) {
            const next: RecordBatch[] = []
            for (let i = 0; i < states.length; i += fanIn + 1)
              next.push(aggregateCombine(states.slice(i, i + fanIn + 1), keys.length, aggs))
            states = next
          }
          const got = rowsOf(aggregateFinal(states[0]!, keys.length, aggs))
          const expected = naiveAggregate(t.rows, keys, aggs)
          expect(got.length).toBe(expected.length)
          for (let r = 0; r < got.length; r++) {
            const g = got[r]!
            const e = expected[r]!
            g.forEach((cell, i) => {
              const want = e[i]
              if (
                typeof cell === 'number' &&
                typeof want === 'number' &&
                Number.isFinite(want) &&
                !Number.isInteger(want)
              ) {
                expect(cell).toBeCloseTo(want, 6)
              } else expect(cell).toEqual(want)
            })
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})
