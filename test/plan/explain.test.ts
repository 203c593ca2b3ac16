import { describe, expect, it } from 'vitest'
import { col, count } from '../../src/expr/builder.js'
import { describeNode, explainPlan } from '../../src/plan/explain.js'
import type { LogicalPlan } from '../../src/plan/plan.js'
import { csvFrame, explain, numbers, trips } from '../support/plan-builders.js'

describe('explainPlan', () => {
  it('prints one node a line, two spaces a level, root first', () => {
    const plan = trips(2)
      .filter(col('fare').gt(10))
      .withColumns({ tipPct: col('tip').div(col('fare')).mul(100) })
      .groupBy('vendor')
      .agg({ avgTip: col('tipPct').mean(), n: count() })
      .sort('avgTip', { descending: true })
      .limit(5, 10).plan
    expect(explainPlan(plan)).toMatchInlineSnapshot(`
      "Limit: 5 OFFSET 10
        Sort: avgTip DESC
          Aggregate: keys=[vendor] aggs=[avgTip := avg(tipPct), n := count(*)]
            Project: vendor, fare, tip, passengers, day, tipPct := tip / fare * 100
              Filter: fare > 10
                Scan: records [*] (2 partitions)"
    `)
  })

  it('a CSV scan shows the path the user gave and its partition count', () => {
    const df = csvFrame('trips.csv', 'vendor,fare\nCMT,1.5\nVTS,2.5\nCMT,3\n', { blocksize: 12 })
    expect(explain(df.select('fare').plan)).toMatchInlineSnapshot(`
      "Project: fare
        Scan: <tmp>/trips.csv [*] (3 partitions)"
    `)
    expect(explain(csvFrame('one.csv', 'a\n1\n').plan)).toMatchInlineSnapshot(`"Scan: <tmp>/one.csv [*] (1 partition)"`)
  })

  it('sort keys: direction and NULLS FIRST; limit: OFFSET only when there is one', () => {
    const plan = numbers(3)
      .sort([
        { column: 'k', nullsFirst: true },
        { column: 'v', descending: true },
      ])
      .limit(2).plan
    expect(explainPlan(plan)).toMatchInlineSnapshot(`
      "Limit: 2
        Sort: k ASC NULLS FIRST, v DESC
          Scan: records [*] (3 partitions)"
    `)
  })

  it('quotes identifiers that need it everywhere a name appears', () => {
    const df = trips()
      .rename({ vendor: 'vendor id', fare: 'select' })
      .withColumns({ 'tip %': col('tip').div(col('select')) })
    const plan = df
      .groupBy('vendor id')
      .agg({ 'max "tip"': col('tip %').max(), n: count() })
      .sort('vendor id').plan
    expect(explainPlan(plan)).toMatchInlineSnapshot(`
      "Sort: "vendor id" ASC
        Aggregate: keys=["vendor id"] aggs=["max ""tip""" := max("tip %"), n := count(*)]
          Project: "vendor id", "select", tip, passengers, day, "tip %" := tip / "select"
            Project: "vendor id" := vendor, "select" := fare, tip, passengers, day
              Scan: records [*] (1 partition)"
    `)
    const scan: LogicalPlan = {
      ...(trips().plan as Extract<LogicalPlan, { kind: 'Scan' }>),
      columns: ['vendor', 'day'],
    }
    expect(describeNode(scan)).toBe('Scan: records [vendor, day] (1 partition)')
  })

  it('a combined aggregate shows the hidden aggregates and the projection over them', () => {
    const plan = trips()
      .groupBy('vendor')
      .agg({ spread: col('fare').max().sub(col('fare').min()), share: col('tip').sum().div(col('fare').sum()) }).plan
    expect(explainPlan(plan)).toMatchInlineSnapshot(`
      "Project: vendor, spread := __agg_0 - __agg_1, share := __agg_2 / __agg_3
        Aggregate: keys=[vendor] aggs=[__agg_0 := max(fare), __agg_1 := min(fare), __agg_2 := sum(tip), __agg_3 := sum(fare)]
          Scan: records [*] (1 partition)"
    `)
  })

  it('indents from a starting level', () => {
    expect(explainPlan(trips().limit(1).plan, 2)).toBe('    Limit: 1\n      Scan: records [*] (1 partition)')
  })
})

describe('DataFrame.explain()', () => {
  // The optimized section shows the rules' work, so this needs the optimizer on (not TSDASK_OPTIMIZER=off).
  it.skipIf(process.env.TSDASK_OPTIMIZER === 'off')(
    'shows the logical plan, the optimized plan and a physical summary',
    () => {
      const df = numbers(4)
        .filter(col('v').gt(2))
        .filter(col('k').neq(1))
        .groupBy('k')
        .agg({ total: col('v').sum() })
      expect(df.explain()).toMatchInlineSnapshot(`
        "== Logical plan ==
        Aggregate: keys=[k] aggs=[total := sum(v)]
          Filter: k != 1
            Filter: v > 2
              Scan: records [*] (4 partitions)

        == Optimized plan ==
        Aggregate: keys=[k] aggs=[total := sum(v)]
          Filter: v > 2 AND k != 1
            Scan: records [*] (4 partitions)

        == Physical plan ==
        MergeSorted: k ASC [1 partition, sorted k ASC]
          Aggregate: keys=[k] aggs=[total := sum(v)] two-phase, 2 buckets, fan-in 8 [hash(k) × 2, sorted k ASC]
            Filter: v > 2 AND k != 1 [4 partitions]
              Scan: records [*] [4 partitions]

        output partitions: 1
        tasks: 13 lowered, 13 after culling, 7 after fusion
        tasks after fusion: fused-filter-agg-partial ×4, fused-agg-bucket-combine-agg-final ×2, agg-merge-buckets ×1
        first task: fused-filter-agg-partial-0
        scan records: 4 partitions; reads k, v of 2; predicates pushed: none"
      `)
    },
  )

  it('with rules: true, each rule pass by pass', () => {
    const df = numbers(2).filter(col('v').gt(2)).filter(col('k').neq(1)).select('v')
    expect(df.explain({ rules: true }).split('== Optimizer rules ==\n')[1]?.split('\n\n')[0]).toMatchInlineSnapshot(`
      "pass 1, after fold-constants: unchanged
      pass 1, after merge-filters:
        Project: v
          Filter: v > 2 AND k != 1
            Scan: records [*] (2 partitions)
      pass 1, after push-down-predicates: unchanged
      pass 1, after push-down-limits: unchanged
      pass 1, after simplify-aggregates: unchanged
      pass 1, after merge-projections: unchanged
      pass 1, after eliminate-common-subexpressions: unchanged
      pass 1, after prune-columns: unchanged
      pass 2, after fold-constants: unchanged
      pass 2, after merge-filters: unchanged
      pass 2, after push-down-predicates: unchanged
      pass 2, after push-down-limits: unchanged
      pass 2, after simplify-aggregates: unchanged
      pass 2, after merge-projections: unchanged
      pass 2, after eliminate-common-subexpressions: unchanged
      pass 2, after prune-columns: unchanged"
    `)
  })
})
