import { afterAll, describe, expect, it } from 'vitest'
import { shutdown } from '../../../src/api/schedulers.js'
import { col, count, lit, when } from '../../../src/expr/builder.js'
import type { ExprNode } from '../../../src/expr/expr-node.js'
import { optimize } from '../../../src/optimize/optimizer.js'
import { mergeFilters } from '../../../src/optimize/rules/merge-filters.js'
import { pushDownPredicates } from '../../../src/optimize/rules/push-down-predicates/index.js'
import type { LogicalPlan } from '../../../src/plan/plan.js'
import { csvFrame, explain, onlyRule, trips } from '../../support/plan-builders.js'

const run = onlyRule(pushDownPredicates)
afterAll(() => shutdown())

const tripsCsv = () =>
  csvFrame('trips.csv', 'vendor,fare,tip,passengers\nCMT,12.5,2,1\nVTS,7,0,2\nCMT,30,6.5,3\nVTS,4.25,0.5,1\n')

describe('push-down-predicates', () => {
  it('moves a filter into a CSV scan, which applies it while parsing', () => {
    const plan = tripsCsv().filter(col('fare').gt(10)).select('vendor').plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Project: vendor
        Scan: <tmp>/trips.csv [*] filters=[fare > 10] (1 partition)"
    `)
  })

  it('splits a conjunction so each part goes as deep as it can', () => {
    const plan = tripsCsv()
      .groupBy('vendor')
      .agg({ total: col('fare').sum() })
      .filter(col('vendor').eq('CMT').and(col('total').gt(10))).plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Filter: total > 10
        Aggregate: keys=[vendor] aggs=[total := sum(fare)]
          Scan: <tmp>/trips.csv [*] filters=[vendor = 'CMT'] (1 partition)"
    `)
  })

  it('rewrites column references through renames and computed columns', () => {
    const plan = tripsCsv()
      .rename({ fare: 'price' })
      .withColumns({ total: col('price').add(col('tip')) })
      .filter(col('price').gt(5).and(col('total').lt(20))).plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Project: vendor, price, tip, passengers, total := price + tip
        Project: vendor, price := fare, tip, passengers
          Scan: <tmp>/trips.csv [*] filters=[fare > 5, fare + tip < 20] (1 partition)"
    `)
  })

  it('passes a sort', () => {
    const plan = trips().sort('fare').filter(col('tip').gt(0)).plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Sort: fare ASC
        Filter: tip > 0
          Scan: records [*] (1 partition)"
    `)
  })

  it('stays above an in-memory scan (its partitions are Arrow data already)', () => {
    const plan = trips().filter(col('tip').gt(0)).plan
    expect(run(plan)).toBe(plan)
  })

  it('must not pass a limit: filtering first would change which rows are the first n', () => {
    const plan = tripsCsv().limit(2).filter(col('fare').gt(10)).plan
    expect(run(plan)).toBe(plan)
  })

  it('must not pass an aggregate for predicates on aggregated values', () => {
    const plan = tripsCsv().groupBy('vendor').agg({ n: count() }).filter(col('n').gt(1)).plan
    expect(run(plan)).toBe(plan)
  })

  it('must not pass a global aggregate, even with a constant predicate (one row comes out of no rows)', () => {
    const plan = tripsCsv().groupBy().agg({ n: count() }).filter(lit(false)).plan
    expect(run(plan)).toBe(plan)
  })

  it('must not move a non-deterministic conjunct; its deterministic siblings still move', () => {
    const random = { kind: 'Random' } as unknown as ExprNode
    const base = tripsCsv().select('vendor', 'fare').plan
    const plan: LogicalPlan = {
      kind: 'Filter',
      input: base,
      predicate: { kind: 'Binary', op: 'and', left: random, right: col('fare').gt(10).node },
    }
    // Only this rule: the driver's schema check cannot type a kind it does not know.
    const out = pushDownPredicates.rewrite(plan, { disabled: new Set() })
    expect(out.changed).toBe(true)
    expect(out.value.kind).toBe('Filter')
    expect(out.value.kind === 'Filter' && out.value.predicate).toEqual(random)
    expect(explain((out.value as { input: LogicalPlan }).input)).toMatchInlineSnapshot(`
      "Project: vendor, fare
        Scan: <tmp>/trips.csv [*] filters=[fare > 10] (1 partition)"
    `)
  })

  it('must not move a predicate through a non-deterministic computed column', () => {
    const random = { kind: 'Random' } as unknown as ExprNode
    const scan = tripsCsv().plan
    const project: LogicalPlan = { kind: 'Project', input: scan, exprs: [{ name: 'r', expr: random }] }
    const plan: LogicalPlan = { kind: 'Filter', input: project, predicate: col('r').gt(0.5).node }
    expect(pushDownPredicates.rewrite(plan, { disabled: new Set() }).changed).toBe(false)
  })

  it('must not add filters to a scan that already stops after a row limit', () => {
    const scan = tripsCsv().plan
    const plan: LogicalPlan = {
      kind: 'Filter',
      input: scan.kind === 'Scan' ? { ...scan, rowLimit: 2 } : scan,
      predicate: col('fare').gt(10).node,
    }
    expect(run(plan)).toBe(plan)
  })

  describe('conjuncts that can fail keep their place behind a conjunct that stays', () => {
    // A CASE column is opaque to the optimizer, so a conjunct on it stays above the projection.
    const banded = () => tripsCsv().withColumns({ band: when(col('fare').gt(10), lit('high')).otherwise(lit('low')) })
    const parsedTip = col('tip').cast('int32')

    it("keeps `band = 'high' AND cast(tip) > 1` together: the cast must not see the rows band rejects", () => {
      const plan = banded().filter(col('band').eq('high').and(parsedTip.gt(1))).plan
      expect(explain(run(plan))).toMatchInlineSnapshot(`
        "Filter: band = 'high' AND CAST(tip AS int32) > 1
          Project: vendor, fare, tip, passengers, band := CASE WHEN fare > 10 THEN 'high' ELSE 'low' END
            Scan: <tmp>/trips.csv [*] (1 partition)"
      `)
    })

    it('still moves a conjunct that cannot fail, and a fallible one written before the one that stays', () => {
      const plan = banded().filter(parsedTip.gt(0).and(col('band').eq('high')).and(col('passengers').gt(1))).plan
      expect(explain(run(plan))).toMatchInlineSnapshot(`
        "Filter: band = 'high'
          Project: vendor, fare, tip, passengers, band := CASE WHEN fare > 10 THEN 'high' ELSE 'low' END
            Scan: <tmp>/trips.csv [*] filters=[CAST(tip AS int32) > 0, passengers > 1] (1 partition)"
      `)
    })

    it('keeps a fallible conjunct from a filter above behind a pinned one below', () => {
      const random = { kind: 'Random' } as unknown as ExprNode
      const scan = tripsCsv().plan
      const pinned: LogicalPlan = { kind: 'Filter', input: scan, predicate: random }
      const plan: LogicalPlan = { kind: 'Filter', input: pinned, predicate: parsedTip.gt(1).node }
      const out = pushDownPredicates.rewrite(plan, { disabled: new Set() })
      expect(out.changed).toBe(true)
      expect(out.value.kind === 'Filter' && out.value.predicate).toEqual({
        kind: 'Binary',
        op: 'and',
        left: random,
        right: parsedTip.gt(1).node,
      })
    })
  })

  it('merges conjuncts kept below a pinned one into one filter, so merge-filters cannot undo it (converges)', () => {
    const band = when(col('fare').gt(10), lit('high')).otherwise(lit('low'))
    const plan = tripsCsv()
      .withColumns({ band })
      .filter(col('band').eq('high'))
      .filter(when(col('band').eq('high'), lit(true)).otherwise(lit(false))).plan
    const both = optimize(plan, { rules: [mergeFilters, pushDownPredicates] })
    expect(explain(both)).toMatchInlineSnapshot(`
      "Filter: band = 'high' AND CASE WHEN band = 'high' THEN TRUE ELSE FALSE END
        Project: vendor, fare, tip, passengers, band := CASE WHEN fare > 10 THEN 'high' ELSE 'low' END
          Scan: <tmp>/trips.csv [*] (1 partition)"
    `)
  })

  it('reaches a fixed point in one pass', () => {
    const plan = tripsCsv().filter(col('fare').gt(10)).sort('tip').filter(col('tip').gt(1)).plan
    const once = run(plan)
    expect(run(once)).toBe(once)
  })
})

describe('push-down-predicates, computed', () => {
  const big = () => {
    const lines = Array.from({ length: 400 }, (_, i) => `${i % 4 === 0 ? 'CMT' : 'VTS'},${i / 4},${i % 10},${i % 3}`)
    return csvFrame('many.csv', `vendor,fare,tip,passengers\n${lines.join('\n')}\n`, { blocksize: 1000 })
  }

  it.skipIf(process.env.TSDASK_OPTIMIZER === 'off')('gives the same rows as the plan run as written', async () => {
    const q = big()
      .rename({ fare: 'price' })
      .withColumns({ total: col('price').add(col('tip')) })
      .filter(col('total').gt(50).and(col('vendor').eq('CMT')))
      .groupBy('passengers')
      .agg({ n: count(), s: col('total').sum() })
      .filter(col('passengers').neq(1))
      .sort('passengers')
    expect(q.explain()).toContain("filters=[fare + tip > 50, vendor = 'CMT', passengers != 1]")
    const sync = { scheduler: 'sync' } as const
    expect(await q.toRecords(sync)).toEqual(await q.toRecords({ ...sync, optimize: false }))
    // The pushed predicate travels to worker threads inside the read task's arguments.
    expect(await q.toRecords({ scheduler: 'pool' })).toEqual(await q.toRecords(sync))
    expect(await q.toRecords(sync)).toMatchInlineSnapshot(`
      [
        {
          "n": 17n,
          "passengers": 0,
          "s": 1345,
        },
        {
          "n": 17n,
          "passengers": 2,
          "s": 1325,
        },
      ]
    `)
  })
})
