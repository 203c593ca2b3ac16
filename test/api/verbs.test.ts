/** Examples and errors of dropNulls, fillNull, valueCounts, nlargest / nsmallest and count(). */
import { describe, expect, test } from 'vitest'
import { fromRecords, TsdaskError } from '../../src/index.js'

const schema = { k: 'utf8', v: 'float64', n: 'int64', ok: 'bool', d: 'date32' } as const
const day = (i: number) => new Date(Date.UTC(2024, 0, i))
const rows = [
  { k: 'a', v: 1, n: 1n, ok: true, d: day(1) },
  { k: null, v: null, n: 2n, ok: null, d: null },
  { k: 'b', v: Number.NaN, n: null, ok: false, d: day(2) },
  { k: 'a', v: 3, n: 3n, ok: true, d: day(3) },
  { k: 'b', v: 3, n: 4n, ok: null, d: day(4) },
]
const df = fromRecords(rows, { schema, npartitions: 2 })
const sync = { scheduler: 'sync' } as const

function thrown(f: () => unknown): TsdaskError {
  try {
    f()
  } catch (error) {
    if (error instanceof TsdaskError) return error
    throw error
  }
  throw new Error('expected a TsdaskError')
}

describe('dropNulls', () => {
  test('keeps NaN, drops nulls of the subset', async () => {
    expect((await df.dropNulls('v').toRecords(sync)).map((r) => r.n)).toEqual([1n, null, 3n, 4n])
    expect((await df.dropNulls(['k', 'n']).toRecords(sync)).map((r) => r.n)).toEqual([1n, 3n, 4n])
    expect((await df.dropNulls().toRecords(sync)).map((r) => r.n)).toEqual([1n, 3n])
  })
  test('an empty frame stays empty; an unknown column says did you mean', async () => {
    expect(await df.filter('n > 100').dropNulls().toRecords(sync)).toEqual([])
    expect(thrown(() => df.dropNulls('kk' as 'k')).message).toMatch(/did you mean "k"/i)
  })
  test('explain shows the filter', () => {
    expect(df.dropNulls('k').explain()).toMatch(/Filter.*k IS NOT NULL/i)
  })
})

describe('fillNull', () => {
  test('a mapping fills each named column with a value of its dtype', async () => {
    const out = await df.fillNull({ k: '?', v: 0, n: 0, ok: false, d: day(9) }).toRecords(sync)
    expect(out[1]).toEqual({ k: '?', v: 0, n: 2n, ok: false, d: day(9) })
    expect(out[2]?.v).toBeNaN()
    expect(out[2]?.n).toBe(0n)
  })
  test('a single value fills every column it fits', async () => {
    const out = await df.fillNull(7).toRecords(sync)
    expect(out[1]).toEqual({ k: null, v: 7, n: 2n, ok: null, d: null })
    expect(out[2]?.n).toBe(7n)
    expect((await df.fillNull(0.5).toRecords(sync))[2]?.n).toBe(null)
    expect((await df.fillNull('x').toRecords(sync))[1]?.k).toBe('x')
  })
  test('dtype-preserving: the schema is unchanged', () => {
    expect(df.fillNull({ v: 1 }).schema).toEqual(df.schema)
  })
  test('errors: a value of another dtype, an unknown column, a value that fits nothing', () => {
    expect(thrown(() => df.fillNull({ n: 1.5 })).message).toMatch(/fillNull\(\{ n: … \}\).*int64/)
    expect(thrown(() => df.fillNull({ vv: 1 } as never)).message).toMatch(/did you mean "v"/i)
    expect(thrown(() => df.select('k').fillNull(1 as never)).message).toMatch(/fits no column/)
    expect(thrown(() => df.fillNull(null as never)).message).toMatch(/changes nothing/)
  })
})

describe('valueCounts', () => {
  test('most frequent first, ties by value, null a value of its own', async () => {
    expect(await df.valueCounts('k').toRecords(sync)).toEqual([
      { k: 'a', count: 2n },
      { k: 'b', count: 2n },
      { k: null, count: 1n },
    ])
    expect(await df.valueCounts('v').toRecords(sync)).toEqual([
      { v: 3, count: 2n },
      { v: 1, count: 1n },
      { v: Number.NaN, count: 1n },
      { v: null, count: 1n },
    ])
  })
  test('sort: false orders by value; an empty frame has no rows', async () => {
    expect((await df.valueCounts('n', { sort: false }).toRecords(sync)).map((r) => r.n)).toEqual([1n, 2n, 3n, 4n, null])
    expect(await df.filter('n > 100').valueCounts('k').toRecords(sync)).toEqual([])
  })
  test('a column named count is refused', () => {
    const c = fromRecords([{ count: 1 }], { schema: { count: 'int32' } })
    expect(thrown(() => c.valueCounts('count')).message).toMatch(/rename/)
  })
})

describe('nlargest / nsmallest', () => {
  test('top-k with ties in input order and nulls last', async () => {
    expect((await df.nlargest(2, 'v').toRecords(sync)).map((r) => r.n)).toEqual([null, 3n])
    expect((await df.nlargest(3, ['v', 'n']).toRecords(sync)).map((r) => r.n)).toEqual([null, 4n, 3n])
    expect((await df.nsmallest(3, 'v').toRecords(sync)).map((r) => r.n)).toEqual([1n, 3n, 4n])
    expect((await df.nsmallest(9, 'k').toRecords(sync)).map((r) => r.n)).toEqual([1n, 3n, null, 4n, 2n])
    expect(await df.nlargest(0, 'v').toRecords(sync)).toEqual([])
  })
  test('bad n and unknown columns', () => {
    expect(thrown(() => df.nlargest(-1, 'v')).message).toMatch(/n must be a whole number/)
    expect(thrown(() => df.nsmallest(1.5, 'v')).message).toMatch(/n must be a whole number/)
    expect(thrown(() => df.nlargest(1, [])).message).toMatch(/at least one column/)
    expect(thrown(() => df.nlargest(1, 'vv' as 'v')).message).toMatch(/did you mean "v"/i)
  })
  test('explain shows a top-k', () => {
    expect(df.nlargest(2, 'v').explain()).toMatch(/top-?k/i)
  })
})

describe('count()', () => {
  test('the number of rows, on both schedulers, also when empty', async () => {
    expect(await df.count(sync)).toBe(5)
    expect(await df.count({ scheduler: 'pool' })).toBe(5)
    expect(await df.filter('n > 100').count(sync)).toBe(0)
  })
})

describe('describe()', () => {
  test('pandas statistics of each numeric column, as float64, one row per statistic', async () => {
    const out = await df.describe().toRecords(sync)
    expect(out.map((r) => r.statistic)).toEqual(['count', 'mean', 'std', 'min', '25%', '50%', '75%', 'max'])
    // n: 1 2 3 4 (one null): pandas gives count 4, mean 2.5, std 1.2909944487358056, 25% 1.75, 75% 3.25.
    expect(out.map((r) => r.n)).toEqual([4, 2.5, Math.sqrt(5 / 3), 1, 1.75, 2.5, 3.25, 4])
    expect(Object.keys(out[0] ?? {})).toEqual(['statistic', 'v', 'n'])
    expect(df.describe().schema).toEqual({ statistic: 'utf8', v: 'float64', n: 'float64' })
  })
  test('an empty frame: count 0, the rest null; no numeric column is an error', async () => {
    const out = await df.filter('n > 100').select('n').describe().toRecords(sync)
    expect(out.map((r) => r.n)).toEqual([0, null, null, null, null, null, null, null])
    expect(thrown(() => df.select('k', 'ok').describe()).message).toMatch(/numeric columns.*valueCounts/)
  })
})

describe('sample()', () => {
  const big = fromRecords(
    Array.from({ length: 20_000 }, (_, i) => ({ i })),
    { schema: { i: 'int32' }, npartitions: 4 },
  )
  test('keeps about the fraction asked for, the same rows for the same seed and workers, others for another seed', async () => {
    const a = await big.sample({ fraction: 0.3, seed: 7 }).toRecords(sync)
    expect(Math.abs(a.length - 6000)).toBeLessThan(300)
    const onPool = await big.sample({ fraction: 0.3, seed: 7 }).toRecords({ scheduler: 'pool', workers: 1 })
    const onMorePool = await big.sample({ fraction: 0.3, seed: 7 }).toRecords({ scheduler: 'pool', workers: 2 })
    expect(onPool).toEqual(a)
    expect(onMorePool).toEqual(a)
    const b = await big.sample({ fraction: 0.3, seed: 8 }).toRecords(sync)
    const inA = new Set(a.map((r) => r.i))
    const shared = b.filter((r) => inA.has(r.i)).length
    // Independent draws: about 0.3 × 0.3 of the rows are in both samples.
    expect(Math.abs(shared - 1800)).toBeLessThan(200)
    // Rows keep their order.
    expect(a.map((r) => r.i)).toEqual([...a.map((r) => r.i)].sort((x, y) => (x ?? 0) - (y ?? 0)))
  })
  test('an empty frame, and bad arguments', async () => {
    expect(await df.filter('n > 100').sample({ fraction: 0.5, seed: 1 }).toRecords(sync)).toEqual([])
    expect(thrown(() => df.sample({ fraction: 1.5 })).message).toMatch(/between 0 and 1/)
    expect(thrown(() => df.sample({ fraction: -0.1 })).message).toMatch(/between 0 and 1/)
    expect(thrown(() => df.sample({ fraction: 0.5, seed: 1.5 })).message).toMatch(/seed must be an integer/)
  })
  test('explain shows the sample, and a filter written after it stays above it', () => {
    const text = df.sample({ fraction: 0.5, seed: 3 }).filter('v > 1').explain()
    const optimized = text.slice(text.indexOf('== Optimized plan =='), text.indexOf('== Physical plan =='))
    expect(optimized).toMatch(/Filter: v > 1\n\s+Sample: fraction=0.5 seed=3/)
  })
})
