import { describe, expect, it } from 'vitest'
import { col, count } from '../../../src/expr/builder.js'
import { simplifyAggregates } from '../../../src/optimize/rules/simplify-aggregates.js'
import { csvFrame, explain, nullDictionaryEntries, numbers, onlyRule, trips } from '../../support/plan-builders.js'

const run = onlyRule(simplifyAggregates)

describe('simplify-aggregates', () => {
  it('count of a column with no nulls in memory is count(*)', () => {
    const plan = trips()
      .groupBy('vendor')
      .agg({ n: col('fare').count() }).plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Aggregate: keys=[vendor] aggs=[n := count(*)]
        Scan: records [*] (1 partition)"
    `)
  })

  it('count of a column a filter below has rejected the nulls of is count(*)', () => {
    const plan = csvFrame('agg.csv', 'k,v\n1,2\n1,\n2,3\n')
      .filter(col('v').gt(0))
      .groupBy('k')
      .agg({ n: col('v').count() }).plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Aggregate: keys=[k] aggs=[n := count(*)]
        Filter: v > 0
          Scan: <tmp>/agg.csv [*] (1 partition)"
    `)
  })

  it('must not turn count of a column with null dictionary entries into count(*) (Arrow does not count them)', () => {
    const plan = nullDictionaryEntries().agg({ n: col('s').count(), rows: col('i').count() }).plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Aggregate: keys=[] aggs=[n := count(s), rows := count(*)]
        Scan: arrow [*] (1 partition)"
    `)
  })

  it('must not turn count of a CSV column (nulls possible) into count(*)', () => {
    const plan = csvFrame('agg2.csv', 'k,v\n1,2\n1,\n')
      .groupBy('k')
      .agg({ n: col('v').count() }).plan
    expect(run(plan)).toBe(plan)
  })

  it('splits mean into sum / count, reusing a sum the user asked for, and computes a repeated call once', () => {
    const plan = trips()
      .groupBy('vendor')
      .agg({ m: col('fare').mean(), s: col('fare').sum(), s2: col('fare').sum(), n: count() }).plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Project: vendor, m := s / n, s, s2 := s, n
        Aggregate: keys=[vendor] aggs=[s := sum(fare), n := count(*)]
          Scan: records [*] (1 partition)"
    `)
  })

  it('must not split mean of int64 (its sum may overflow where the mean does not)', () => {
    const plan = numbers(2)
      .groupBy('k')
      .agg({ m: col('v').mean() }).plan
    expect(run(plan)).toBe(plan)
  })

  it.skipIf(process.env.TSDASK_OPTIMIZER === 'off')('gives the same results', async () => {
    const q = trips(2)
      .groupBy('vendor')
      .agg({ m: col('fare').mean(), s: col('fare').sum(), s2: col('fare').sum(), n: col('tip').count() })
      .sort('vendor')
    const sync = { scheduler: 'sync' } as const
    expect(await q.toRecords(sync)).toEqual(await q.toRecords({ ...sync, optimize: false }))
  })
})
