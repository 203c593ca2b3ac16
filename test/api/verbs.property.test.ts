/**
 * dropNulls, fillNull, valueCounts, nlargest / nsmallest and count() against two naive
 * references: a hand-written row-by-row version of each verb over the random table's rows, and
 * the reference interpreter over the verb's plan. Each runs on sync and pool, over 1, 2 and 5
 * partitions (a bug that shows only across partition boundaries must be caught).
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { expectSameRows, type Record_ } from '../support/compare-rows.js'
import { reference, run } from '../support/engine-runs.js'
import { type AnyFrame, type Cell, frameOf, type RandomTable, randomTable } from '../support/random-tables.js'

const SCHEDULERS = [{ scheduler: 'sync' }, { scheduler: 'pool' }] as const
const PARTS = [1, 2, 5]
const RUNS = { numRuns: 25 }

const tableCase = fc.record({
  table: randomTable,
  npartitions: fc.constantFrom(...PARTS),
  dictionary: fc.boolean(),
})

/** Engine rows (both schedulers) equal `want` and the reference interpreter's rows. */
async function check(df: AnyFrame, want: readonly Record_[] | null, ordered: boolean, what: string): Promise<void> {
  const ref = reference(df)
  if (want !== null) expectSameRows(ref, want, ordered, `${what}: reference interpreter vs hand-written`)
  for (const options of SCHEDULERS) {
    expectSameRows(await run(df, options), ref, ordered, `${what} on ${options.scheduler}`)
  }
}

/** Rows as the engine returns them (a record per row, every column present). */
const recordsOf = (t: RandomTable): Record_[] => t.rows.map((r) => ({ ...r }))

const pickSubset = (t: RandomTable) => fc.subarray(t.fields.map((f) => f.name))

describe('verbs against naive references (property)', () => {
  test('dropNulls removes exactly the rows with a null in the subset', async () => {
    const c = tableCase.chain((x) => pickSubset(x.table).map((subset) => ({ ...x, subset })))
    await fc.assert(
      fc.asyncProperty(c, async ({ table, npartitions, dictionary, subset }) => {
        const df = frameOf(table, npartitions, dictionary)
        const want = recordsOf(table).filter((r) => subset.every((k) => r[k] !== null))
        await check(df.dropNulls(subset), want, true, `dropNulls(${subset})`)
        const all = recordsOf(table).filter((r) => Object.values(r).every((v) => v !== null))
        await check(df.dropNulls(), all, true, 'dropNulls()')
      }),
      RUNS,
    )
  })

  test('fillNull with a mapping replaces only the nulls of the named columns', async () => {
    await fc.assert(
      fc.asyncProperty(tableCase, async ({ table, npartitions, dictionary }) => {
        const df = frameOf(table, npartitions, dictionary)
        // One fill value per column, taken from a non-null cell of that column when there is one.
        const fills: Record<string, Cell> = {}
        for (const f of table.fields) {
          const seen = table.rows.map((r) => r[f.name]).find((v) => v !== null && v !== undefined)
          if (seen !== undefined) fills[f.name] = seen
        }
        const want = recordsOf(table).map((r) =>
          Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null && k in fills ? fills[k] : v])),
        )
        await check(df.fillNull(fills as never), want, true, `fillNull(${Object.keys(fills)})`)
      }),
      RUNS,
    )
  })

  test('valueCounts counts every value, null included, most frequent first', async () => {
    const c = tableCase.chain((x) => fc.constantFrom(...x.table.fields.map((f) => f.name)).map((k) => ({ ...x, k })))
    await fc.assert(
      fc.asyncProperty(c, async ({ table, npartitions, dictionary, k }) => {
        const df = frameOf(table, npartitions, dictionary)
        const counts = (o = {}) => df.valueCounts(k, o) as unknown as AnyFrame
        const counted = await run(counts(), { scheduler: 'sync' })
        // Hand-written: the multiset of (value, count), and the order by count descending.
        const groups = new Map<string, { value: Cell; n: number }>()
        for (const r of table.rows) {
          const v = r[k] ?? null
          const key =
            v instanceof Date
              ? `d${v.getTime()}`
              : typeof v === 'number' && Number.isNaN(v)
                ? 'NaN'
                : `${typeof v}:${String(v)}`
          const g = groups.get(key) ?? { value: v, n: 0 }
          g.n++
          groups.set(key, g)
        }
        const want = [...groups.values()].map((g) => ({ [k]: g.value, count: BigInt(g.n) }))
        expectSameRows(counted, want, false, `valueCounts(${k}) as a multiset`)
        const ns = counted.map((r) => Number(r.count))
        expect(ns).toEqual([...ns].sort((a, b) => b - a))
        await check(counts(), null, true, `valueCounts(${k})`)
        await check(counts({ sort: false }), null, true, `valueCounts(${k}, { sort: false })`)
      }),
      RUNS,
    )
  })

  test('nlargest / nsmallest equal a stable sort and a limit, in the reference', async () => {
    const c = tableCase.chain((x) =>
      fc
        .record({
          n: fc.integer({ min: 0, max: 30 }),
          cols: fc.subarray(
            x.table.fields.map((f) => f.name),
            { minLength: 1 },
          ),
        })
        .map((y) => ({ ...x, ...y })),
    )
    await fc.assert(
      fc.asyncProperty(c, async ({ table, npartitions, dictionary, n, cols }) => {
        const df = frameOf(table, npartitions, dictionary)
        const largest = df.nlargest(n, cols)
        await check(largest, null, true, `nlargest(${n}, ${cols})`)
        await check(df.nsmallest(n, cols), null, true, `nsmallest(${n}, ${cols})`)
        expect((await run(largest, { scheduler: 'pool' })).length).toBe(Math.min(n, table.rows.length))
      }),
      RUNS,
    )
  })

  test('count() is the number of rows, on sync and pool', async () => {
    await fc.assert(
      fc.asyncProperty(tableCase, async ({ table, npartitions, dictionary }) => {
        const df = frameOf(table, npartitions, dictionary)
        for (const options of SCHEDULERS) expect(await df.count(options)).toBe(table.rows.length)
        const kept = recordsOf(table).filter((r) => r.c0 !== null).length
        expect(await df.dropNulls('c0').count({ scheduler: 'sync' })).toBe(kept)
      }),
      RUNS,
    )
  })

  test('describe() equals pandas-style statistics computed row by row, read in one pass', async () => {
    await fc.assert(
      fc.asyncProperty(tableCase, async ({ table, npartitions, dictionary }) => {
        const df = frameOf(table, npartitions, dictionary)
        const numeric = table.fields.filter((f) => ['int32', 'int64', 'float64'].includes(f.dtype))
        const described = df.describe() as unknown as AnyFrame
        const labels = ['count', 'mean', 'std', 'min', '25%', '50%', '75%', 'max']
        const stats = numeric.map((f) => naiveDescribe(table.rows.map((r) => r[f.name] ?? null)))
        const want = labels.map((statistic, s) =>
          Object.fromEntries([['statistic', statistic], ...numeric.map((f, c) => [f.name, stats[c]![s]])]),
        )
        await check(described, want, true, 'describe()')
        // One Aggregate's tasks, shared by the eight rows: a single combine, whatever the partitioning.
        expect(described.explain()).toMatch(/agg-final ×1|agg-final\b(?! ×)/)
      }),
      RUNS,
    )
  })

  test('sample() keeps the rows the (seed, partition, position) hash picks, whatever the scheduler', async () => {
    const c = tableCase.chain((x) =>
      fc
        .record({
          fraction: fc.constantFrom(0, 0.1, 0.5, 0.9, 1),
          seed: fc.integer({ min: -5, max: 5 }),
          filtered: fc.boolean(),
        })
        .map((y) => ({ ...x, ...y })),
    )
    await fc.assert(
      fc.asyncProperty(c, async ({ table, npartitions, dictionary, fraction, seed, filtered }) => {
        const df = frameOf(table, npartitions, dictionary)
        // A filter below the sample changes the positions the sample sees; one above must stay above.
        const sampled = (filtered ? df.dropNulls('c0') : df).sample({ fraction, seed })
        await check(sampled, null, true, `sample(${fraction}, ${seed})`)
        await check(sampled.dropNulls('c0'), null, true, `sample(${fraction}, ${seed}) then a filter`)
        const n = (await run(sampled, { scheduler: 'sync' })).length
        if (fraction === 0) expect(n).toBe(0)
        if (fraction === 1)
          expect(n).toBe(filtered ? table.rows.filter((r) => r.c0 !== null).length : table.rows.length)
        const optimizedOff = await sampled.toRecords({ scheduler: 'sync', optimize: false })
        expectSameRows(optimizedOff, await run(sampled, { scheduler: 'sync' }), true, 'sample, optimizer off vs on')
      }),
      RUNS,
    )
  })
})

/** count, mean, std (n - 1), min, 25%, 50%, 75% (linear), max of the non-null values; NaN sorts last. */
function naiveDescribe(cells: readonly Cell[]): (number | null)[] {
  const xs = cells.filter((v) => v !== null).map(Number)
  const n = xs.length
  if (n === 0) return [0, null, null, null, null, null, null, null]
  const sorted = [...xs].sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b))
  const mean = xs.reduce((a, b) => a + b, 0) / n
  const std = n < 2 ? null : Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1))
  const quantile = (q: number) => {
    const at = (n - 1) * q
    const lo = sorted[Math.floor(at)]!
    const hi = sorted[Math.ceil(at)]!
    return lo === hi ? lo : lo + (hi - lo) * (at - Math.floor(at))
  }
  const finite = sorted.filter((v) => !Number.isNaN(v))
  const max = finite.length < n ? Number.NaN : sorted[n - 1]!
  return [n, mean, std, sorted[0]!, quantile(0.25), quantile(0.5), quantile(0.75), max]
}
