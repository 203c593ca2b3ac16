import { describe, expect, it } from 'vitest'
import { col, count } from '../../../src/expr/builder.js'
import { pruneColumns } from '../../../src/optimize/rules/prune-columns.js'
import { schemaOf } from '../../../src/plan/schema-of.js'
import { csvFrame, explain, onlyRule, trips } from '../../support/plan-builders.js'

const run = onlyRule(pruneColumns)

describe('prune-columns', () => {
  it('reads only the selected columns, in source order, and keeps the output order', () => {
    const plan = trips().select('tip', 'vendor').plan
    const out = run(plan)
    expect(explain(out)).toMatchInlineSnapshot(`
      "Project: tip, vendor
        Scan: records [vendor, tip] (1 partition)"
    `)
    expect(schemaOf(out)).toEqual(schemaOf(plan))
  })

  it('keeps the columns a filter below a project needs', () => {
    const plan = trips().filter(col('passengers').gt(1)).select('fare').plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Project: fare
        Filter: passengers > 1
          Scan: records [fare, passengers] (1 partition)"
    `)
  })

  it('drops computed columns nobody reads, and the inputs only they needed', () => {
    const plan = trips()
      .withColumns({ total: col('fare').add(col('tip')), perHead: col('fare').div(col('passengers')) })
      .select('vendor', 'total').plan
    expect(explain(plan)).toMatchInlineSnapshot(`
      "Project: vendor, total
        Project: vendor, fare, tip, passengers, day, total := fare + tip, perHead := fare / passengers
          Scan: records [*] (1 partition)"
    `)
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Project: vendor, total
        Project: vendor, total := fare + tip
          Scan: records [vendor, fare, tip] (1 partition)"
    `)
  })

  it('follows a rename down to the source column', () => {
    const plan = trips().rename({ fare: 'price' }).select('price').plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Project: price
        Project: price := fare
          Scan: records [fare] (1 partition)"
    `)
  })

  it('keeps sort keys that the output does not show', () => {
    const plan = trips().sort('passengers', { descending: true }).limit(2).select('fare').plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Project: fare
        Limit: 2
          Sort: passengers DESC
            Scan: records [fare, passengers] (1 partition)"
    `)
  })

  it('keeps every group key, even when nothing above reads it', () => {
    const plan = trips()
      .groupBy('vendor', 'passengers')
      .agg({ total: col('fare').sum() })
      .select('total').plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Project: total
        Aggregate: keys=[vendor, passengers] aggs=[total := sum(fare)]
          Scan: records [vendor, fare, passengers] (1 partition)"
    `)
  })

  it('drops aggregations nobody reads under a project', () => {
    const plan = trips()
      .groupBy('vendor')
      .agg({ total: col('fare').sum(), n: count(), avgTip: col('tip').mean() })
      .select('vendor', 'total').plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Project: vendor, total
        Aggregate: keys=[vendor] aggs=[total := sum(fare)]
          Scan: records [vendor, fare] (1 partition)"
    `)
  })

  it('drops every hidden aggregate of a combined output nobody reads, but keeps the groups', () => {
    const plan = trips()
      .groupBy('vendor')
      .agg({ range: col('fare').max().sub(col('fare').min()) })
      .select('vendor').plan
    expect(explain(plan)).toMatchInlineSnapshot(`
      "Project: vendor
        Project: vendor, range := __agg_0 - __agg_1
          Aggregate: keys=[vendor] aggs=[__agg_0 := max(fare), __agg_1 := min(fare)]
            Scan: records [*] (1 partition)"
    `)
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Project: vendor
        Project: vendor
          Aggregate: keys=[vendor] aggs=[]
            Scan: records [vendor] (1 partition)"
    `)
  })

  it('reads zero columns for a bare row count', () => {
    const plan = trips().agg({ n: count() }).plan
    const out = run(plan)
    expect(explain(out)).toMatchInlineSnapshot(`
      "Aggregate: keys=[] aggs=[n := count(*)]
        Scan: records [] (1 partition)"
    `)
    expect(out.kind === 'Aggregate' && out.input.kind === 'Scan' && out.input.columns).toEqual([])
  })

  it('prunes a CSV scan, so the reader parses only the needed columns', () => {
    const df = csvFrame('t.csv', 'a,b,c,d\n1,x,2.5,true\n2,y,3.5,false\n3,z,4.5,true\n', { blocksize: 16 })
    const plan = df.filter(col('d')).select('c', 'a').plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Project: c, a
        Filter: d
          Scan: <tmp>/t.csv [a, c, d] (3 partitions)"
    `)
  })

  describe('must not fire', () => {
    it('when the root reads every column', () => {
      const plan = trips().filter(col('fare').gt(10)).sort('tip').plan
      expect(run(plan)).toBe(plan)
    })

    it('on the aggregations of a root aggregate (they are the output)', () => {
      const plan = trips()
        .groupBy('vendor')
        .agg({ total: col('fare').sum(), n: count() }).plan
      const out = run(plan)
      expect(explain(out)).toMatchInlineSnapshot(`
        "Aggregate: keys=[vendor] aggs=[total := sum(fare), n := count(*)]
          Scan: records [vendor, fare] (1 partition)"
      `)
      expect(out.kind === 'Aggregate' && out.aggs.map((a) => a.name)).toEqual(['total', 'n'])
    })

    it('a second time: a pruned plan is a fixed point', () => {
      const pruned = run(trips().filter(col('passengers').gt(1)).select('fare').plan)
      expect(pruneColumns.rewrite(pruned, { disabled: new Set() })).toEqual({ value: pruned, changed: false })
    })
  })
})
