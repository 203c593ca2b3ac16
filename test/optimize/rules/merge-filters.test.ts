import { describe, expect, it } from 'vitest'
import { col, when } from '../../../src/expr/builder.js'
import { mergeFilters } from '../../../src/optimize/rules/merge-filters.js'
import type { LogicalPlan } from '../../../src/plan/plan.js'
import { explain, onlyRule, trips } from '../../support/plan-builders.js'

const run = onlyRule(mergeFilters)

describe('merge-filters', () => {
  it('merges two adjacent filters into one AND, inner predicate first', () => {
    const plan = trips().filter(col('fare').gt(10)).filter(col('vendor').eq('CMT')).plan
    expect(explain(plan)).toMatchInlineSnapshot(`
      "Filter: vendor = 'CMT'
        Filter: fare > 10
          Scan: records [*] (1 partition)"
    `)
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Filter: fare > 10 AND vendor = 'CMT'
        Scan: records [*] (1 partition)"
    `)
  })

  it('merges a chain of three filters into one, keeping the order they were written in', () => {
    const plan = trips().filter(col('fare').gt(10)).filter(col('vendor').eq('CMT')).filter(col('tip').gte(1)).plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Filter: fare > 10 AND vendor = 'CMT' AND tip >= 1
        Scan: records [*] (1 partition)"
    `)
  })

  it('parenthesises an OR predicate inside the merged AND', () => {
    const plan = trips()
      .filter(col('vendor').eq('CMT').or(col('vendor').eq('VTS')))
      .filter(col('fare').gt(5)).plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Filter: (vendor = 'CMT' OR vendor = 'VTS') AND fare > 5
        Scan: records [*] (1 partition)"
    `)
  })

  it('merges filters below other nodes and leaves those nodes alone', () => {
    const plan = trips()
      .filter(col('fare').gt(10))
      .filter(col('tip').gt(1))
      .select('vendor', 'fare')
      .sort('fare')
      .limit(2).plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Limit: 2
        Sort: fare ASC
          Project: vendor, fare
            Filter: fare > 10 AND tip > 1
              Scan: records [*] (1 partition)"
    `)
  })

  it('keeps the call site of the outer filter', () => {
    const plan = trips().filter(col('fare').gt(10)).filter(col('tip').gt(1)).plan
    const merged = run(plan)
    expect(merged.kind).toBe('Filter')
    expect(merged.origin).toBe(plan.origin)
    expect(merged.origin).toMatch(/merge-filters\.test\.ts:\d+:\d+$/)
  })

  describe('must not fire', () => {
    it('across a Project (that is predicate pushdown, a different rule)', () => {
      const plan = trips().filter(col('fare').gt(10)).select('fare', 'tip').filter(col('tip').gt(1)).plan
      const out = run(plan)
      expect(out).toBe(plan)
      expect(explain(out)).toMatchInlineSnapshot(`
        "Filter: tip > 1
          Project: fare, tip
            Filter: fare > 10
              Scan: records [*] (1 partition)"
      `)
    })

    it('across a Sort or a Limit (a filter above a limit keeps fewer rows than one below it)', () => {
      const sorted = trips().filter(col('fare').gt(10)).sort('fare').filter(col('tip').gt(1)).plan
      expect(run(sorted)).toBe(sorted)
      const limited = trips().filter(col('fare').gt(10)).limit(1).filter(col('tip').gt(1)).plan
      expect(run(limited)).toBe(limited)
      expect(explain(limited)).toMatchInlineSnapshot(`
        "Filter: tip > 1
          Limit: 1
            Filter: fare > 10
              Scan: records [*] (1 partition)"
      `)
    })

    it('across an Aggregate (a filter on the result is not a filter on the input)', () => {
      const plan = trips()
        .filter(col('fare').gt(5))
        .groupBy('vendor')
        .agg({ total: col('fare').sum() })
        .filter(col('total').gt(20)).plan
      expect(run(plan)).toBe(plan)
      expect(explain(plan)).toMatchInlineSnapshot(`
        "Filter: total > 20
          Aggregate: keys=[vendor] aggs=[total := sum(fare)]
            Filter: fare > 5
              Scan: records [*] (1 partition)"
      `)
    })

    it('when the outer predicate is not deterministic (push-down-predicates pins it above the others)', () => {
      const plan = trips()
        .filter(col('fare').gt(10))
        .filter(when(col('tip').gt(1), true).otherwise(false)).plan
      expect(run(plan)).toBe(plan)
    })

    it('on a single filter', () => {
      const plan = trips().filter(col('fare').gt(10)).plan
      expect(run(plan)).toBe(plan)
    })
  })

  it('rewrites only the node it is offered (the driver walks the plan bottom-up)', () => {
    expect(mergeFilters.applyOrder).toBe('bottom-up')
    const plan = trips().filter(col('fare').gt(10)).filter(col('tip').gt(1)).select('fare').plan
    const ctx = { disabled: new Set<never>() }
    expect(mergeFilters.rewrite(plan, ctx)).toEqual({ value: plan, changed: false })
    const filter = (plan as Extract<LogicalPlan, { kind: 'Project' }>).input
    const result = mergeFilters.rewrite(filter, ctx)
    expect(result.changed).toBe(true)
    expect(explain(result.value)).toMatchInlineSnapshot(`
      "Filter: fare > 10 AND tip > 1
        Scan: records [*] (1 partition)"
    `)
  })
})
