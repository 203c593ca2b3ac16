/**
 * Worked examples whose expected values are DuckDB 1.5's answers to the same SQL (quoted above each
 * case), and a cross-check with the group-by kernels: a window aggregate over a whole partition is
 * the group-by aggregate of that partition, value and dtype.
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { aggregateCombine, aggregateFinal, aggregatePartial } from '../../../src/kernels/index.js'
import type { AggSpec, SortKey } from '../../../src/kernels/physical-expr.js'
import {
  type AggregateSpec,
  type WindowClause,
  type WindowFrame,
  type WindowFunctionSpec,
  windowColumns,
  windowResultDType,
} from '../../../src/kernels/window/index.js'
import { dtypeOfArrow } from '../../../src/types/arrow-types.js'
import { batchFromRows, batchOf, type Cell, cellsOf, columnsOf, rowsOf } from '../helpers.js'
import { DTYPES, kindsOf, NAMES, windowTable } from './arbitraries.js'

const by = (index: number, descending = false): SortKey => ({ index, descending, nullsFirst: false })
const rows1: WindowFrame = {
  unit: 'rows',
  start: { kind: 'preceding', offset: 1 },
  end: { kind: 'following', offset: 1 },
}
const whole: WindowFrame = { unit: 'rows', start: { kind: 'unboundedPreceding' }, end: { kind: 'unboundedFollowing' } }

function run(
  batch: ReturnType<typeof batchOf>,
  over: WindowClause,
  specs: WindowFunctionSpec[],
): Record<string, Cell[]> {
  const cols = windowColumns(batch, over, specs)
  return Object.fromEntries(specs.map((s, i) => [s.name, cellsOf(cols[i]!)]))
}

describe('as DuckDB answers', () => {
  test('ntile: SELECT ntile(3) OVER (ORDER BY i) FROM range(7); ntile(10) over 4 rows', () => {
    const seven = batchOf({ i: ['int32', [6, 5, 4, 3, 2, 1, 0]] })
    expect(run(seven, { partitionBy: [], orderBy: [by(0)] }, [{ fn: 'ntile', buckets: 3, name: 'q' }]).q).toEqual([
      3n,
      3n,
      2n,
      2n,
      1n,
      1n,
      1n,
    ])
    const four = batchOf({ i: ['int32', [0, 1, 2, 3]] })
    expect(run(four, { partitionBy: [], orderBy: [by(0)] }, [{ fn: 'ntile', buckets: 10, name: 'q' }]).q).toEqual([
      1n,
      2n,
      3n,
      4n,
    ])
  })

  test('ROWS 1 PRECEDING AND 1 FOLLOWING over infinities, NaN and 1e20', () => {
    // SELECT sum(f), avg(f), min(f), max(f) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)
    const inf = Number.POSITIVE_INFINITY
    const batch = batchOf({
      i: ['int32', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
      f: ['float64', [inf, 1, -inf, 2, Number.NaN, 3, 1e20, 1, 2, 0]],
    })
    const agg = (fn: AggregateSpec['fn']): AggregateSpec => ({
      fn,
      input: 1,
      inputDType: 'float64',
      name: fn,
      frame: rows1,
    })
    expect(
      run(
        batch,
        { partitionBy: [], orderBy: [by(0)] },
        ['sum', 'mean', 'min', 'max'].map((f) => agg(f as AggregateSpec['fn'])),
      ),
    ).toEqual({
      sum: [inf, Number.NaN, -inf, Number.NaN, Number.NaN, Number.NaN, 1e20, 1e20, 3, 2],
      mean: [
        inf,
        Number.NaN,
        -inf,
        Number.NaN,
        Number.NaN,
        Number.NaN,
        33333333333333330000,
        33333333333333330000,
        1,
        1,
      ],
      min: [1, -inf, -inf, -inf, 2, 3, 1, 1, 0, 0],
      max: [inf, inf, 2, Number.NaN, Number.NaN, Number.NaN, 1e20, 1e20, 2, 2],
    })
  })

  test('lag / lead with offsets, defaults and IGNORE NULLS', () => {
    // x = 10, NULL, 30, NULL, NULL, 60 ordered by i:
    // lag(x, 0 IGNORE NULLS), lag(x, -1 IGNORE NULLS), lead(x, 2 IGNORE NULLS), lag(x, 2, -1 IGNORE NULLS), lead(x, 0)
    const batch = batchOf({ i: ['int32', [1, 2, 3, 4, 5, 6]], x: ['int32', [10, null, 30, null, null, 60]] })
    const x = { input: 1, inputDType: 'int32' as const }
    expect(
      run(batch, { partitionBy: [], orderBy: [by(0)] }, [
        { fn: 'lag', ...x, offset: 0, ignoreNulls: true, name: 'a' },
        { fn: 'lag', ...x, offset: -1, ignoreNulls: true, name: 'b' },
        { fn: 'lead', ...x, offset: 2, ignoreNulls: true, name: 'c' },
        { fn: 'lag', ...x, offset: 2, ignoreNulls: true, default: { kind: 'literal', value: -1 }, name: 'd' },
        { fn: 'lead', ...x, offset: 0, name: 'e' },
        { fn: 'lag', ...x, name: 'f' },
      ]),
    ).toEqual({
      a: [10, null, 30, null, null, 60],
      b: [30, 30, 60, 60, 60, null],
      c: [60, 60, null, null, null, null],
      d: [-1, -1, -1, 10, 10, 10],
      e: [10, null, 30, null, null, 60],
      f: [null, 10, null, 30, null, null],
    })
  })

  test('lag with a per-row default: lag(i, 1, i * 10)', () => {
    const batch = batchOf({ i: ['int64', [0n, 1n, 2n]], d: ['int64', [0n, 10n, 20n]] })
    expect(
      run(batch, { partitionBy: [], orderBy: [] }, [
        { fn: 'lag', input: 0, inputDType: 'int64', default: { kind: 'column', index: 1 }, name: 'l' },
      ]).l,
    ).toEqual([0n, 0n, 1n])
  })

  test('first / last / nth_value IGNORE NULLS over sliding frames', () => {
    const batch = batchOf({ i: ['int32', [1, 2, 3, 4, 5, 6]], x: ['int32', [10, null, 30, null, null, 60]] })
    const x = { input: 1, inputDType: 'int32' as const, ignoreNulls: true }
    const frame2: WindowFrame = {
      unit: 'rows',
      start: { kind: 'preceding', offset: 2 },
      end: { kind: 'following', offset: 2 },
    }
    expect(
      run(batch, { partitionBy: [], orderBy: [by(0)] }, [
        { fn: 'firstValue', ...x, frame: rows1, name: 'a' },
        { fn: 'lastValue', ...x, frame: rows1, name: 'b' },
        { fn: 'nthValue', ...x, n: 2, frame: frame2, name: 'c' },
      ]),
    ).toEqual({ a: [10, 10, 30, 30, 60, 60], b: [10, 30, 30, 30, 60, 60], c: [30, 30, 30, 60, 60, null] })
  })

  test('the default frame ends at the last peer: last_value(i) OVER (ORDER BY i % 2)', () => {
    const batch = batchOf({ i: ['int32', [0, 1, 2, 3]], m: ['int32', [0, 1, 0, 1]] })
    expect(
      run(batch, { partitionBy: [], orderBy: [by(1)] }, [{ fn: 'lastValue', input: 0, inputDType: 'int32', name: 'v' }])
        .v,
    ).toEqual([2, 3, 2, 3])
  })

  test('ranks over ties, nulls last: rank, percent_rank, cume_dist, dense_rank', () => {
    // x = 5, 5, 10, 30, NULL
    const batch = batchOf({ x: ['int32', [30, 5, null, 10, 5]] })
    expect(
      run(batch, { partitionBy: [], orderBy: [by(0)] }, [
        { fn: 'rank', name: 'r' },
        { fn: 'percentRank', name: 'pr' },
        { fn: 'cumeDist', name: 'cd' },
        { fn: 'denseRank', name: 'dr' },
      ]),
    ).toEqual({
      r: [4n, 1n, 5n, 3n, 1n],
      pr: [0.75, 0, 1, 0.5, 0],
      cd: [0.8, 0.4, 1, 0.6, 0.4],
      dr: [3n, 1n, 4n, 2n, 1n],
    })
  })

  test('min / max of strings, dates and booleans keep their dtype (dictionaries kept)', () => {
    const batch = batchOf({
      i: ['int32', [1, 2]],
      b: ['bool', [true, false]],
      s: ['dict', ['b', 'a']],
      d: ['date32', [18262, 17897]],
    })
    const out = run(batch, { partitionBy: [], orderBy: [by(0)] }, [
      {
        fn: 'min',
        input: 1,
        inputDType: 'bool',
        frame: { unit: 'rows', start: { kind: 'preceding', offset: 1 }, end: { kind: 'currentRow' } },
        name: 'b',
      },
      { fn: 'max', input: 2, inputDType: 'utf8', frame: whole, name: 's' },
      { fn: 'min', input: 3, inputDType: 'date32', frame: whole, name: 'd' },
    ])
    expect(out).toEqual({ b: [true, false], s: ['b', 'b'], d: [17897, 17897] })
    const [s] = windowColumns(batch, { partitionBy: [], orderBy: [] }, [
      { fn: 'max', input: 2, inputDType: 'utf8', name: 's' },
    ])
    expect(s!.dictionary).toBe(batch.getChildAt(2)!.data[0]!.dictionary)
  })
})

describe('a whole-partition window aggregate is the group-by aggregate of its partition', () => {
  const wholeAgg = (fn: AggregateSpec['fn'], input: number): AggregateSpec => ({
    fn,
    input,
    inputDType: DTYPES[input]!,
    name: `${fn}_${input}`,
    frame: whole,
  })

  test('sum, mean, min, max, count of every dtype: same values, same dtypes', () => {
    const numeric = [2, 3, 4, 5]
    const specs: AggregateSpec[] = [
      ...numeric.flatMap((i) => [wholeAgg('sum', i), wholeAgg('mean', i)]),
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8].flatMap((i) => [wholeAgg('min', i), wholeAgg('max', i), wholeAgg('count', i)]),
    ]
    fc.assert(
      fc.property(windowTable, fc.uniqueArray(fc.constantFrom(0, 1, 6, 7), { maxLength: 2 }), (table, keys) => {
        const batch = batchFromRows(NAMES, kindsOf(table), table.rows)
        const window = windowColumns(batch, { partitionBy: keys, orderBy: [] }, specs)
        const aggs: AggSpec[] = specs.map((s) => ({
          fn: s.fn,
          input: s.input,
          inputDType: s.inputDType,
          name: s.name,
          dtype: windowResultDType(s),
        }))
        const state = aggregatePartial(batch, keys, aggs)
        const grouped = aggregateFinal(aggregateCombine([state], keys.length, aggs), keys.length, aggs)
        // Each input row's group, found by its key values.
        const groupRows = new Map(rowsOf(grouped).map((r) => [JSON.stringify(r.slice(0, keys.length), big), r]))
        specs.forEach((spec, s) => {
          expect(dtypeOfArrow(window[s]!.type)).toBe(dtypeOfArrow(grouped.getChildAt(keys.length + s)!.type))
          // The group-by's mean of int64 sums in float64 (state.ts), the window's exactly: they
          // agree while the sums are exact in doubles.
          if (spec.fn === 'mean' && spec.inputDType === 'int64' && !smallInts(table.rows, 4)) return
          const got = cellsOf(window[s]!)
          table.rows.forEach((r, i) => {
            const g = groupRows.get(
              JSON.stringify(
                keys.map((k) => r[k]!),
                big,
              ),
            )!
            expect(got[i]).toEqual(g[keys.length + s])
          })
        })
      }),
      { numRuns: 150 },
    )
  })

  test('min / max ties keep the first value, as the group-by does: -0 before 0', () => {
    const batch = batchOf({ f: ['float64', [-0, 0, 0, -0]], g: ['int32', [1, 1, 2, 2]] })
    const specs: AggregateSpec[] = [
      { fn: 'min', input: 0, inputDType: 'float64', name: 'lo' },
      { fn: 'max', input: 0, inputDType: 'float64', name: 'hi' },
    ]
    const out = run(batch, { partitionBy: [1], orderBy: [] }, specs)
    expect(out).toEqual({ lo: [-0, -0, 0, 0], hi: [-0, -0, 0, 0] })
    const aggs: AggSpec[] = specs.map((s) => ({ ...s, inputDType: 'float64', dtype: 'float64', input: 0 }) as AggSpec)
    const grouped = aggregateFinal(aggregateCombine([aggregatePartial(batch, [1], aggs)], 1, aggs), 1, aggs)
    expect(columnsOf(grouped)).toEqual({ g: [1, 2], lo: [-0, 0], hi: [-0, 0] })
  })
})

/** JSON keys for group lookup: bigint, NaN and -0 spelled so equal keys match. */
function big(_: string, v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN'
  if (v === 0) return 0
  return v
}

function smallInts(rows: readonly Cell[][], column: number): boolean {
  return rows.every((r) => r[column] === null || ((r[column] as bigint) >= -5n && (r[column] as bigint) <= 5n))
}
