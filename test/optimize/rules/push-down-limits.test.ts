import { describe, expect, it } from 'vitest'
import { col } from '../../../src/expr/builder.js'
import { pushDownLimits } from '../../../src/optimize/rules/push-down-limits.js'
import { csvFrame, explain, onlyRule, trips } from '../../support/plan-builders.js'

const run = onlyRule(pushDownLimits)
const csv = () => csvFrame('limits.csv', 'a,b\n1,x\n2,y\n3,z\n')

describe('push-down-limits', () => {
  it('tells a CSV scan below projects to stop after offset + limit rows', () => {
    const plan = csv()
      .withColumns({ c: col('a').mul(2) })
      .limit(2, 1).plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Limit: 2 OFFSET 1
        Project: a, b, c := a * 2
          Scan: <tmp>/limits.csv [*] rowLimit=3 (1 partition)"
    `)
  })

  it('moves a limit below projects onto a sort, where it runs as a top-k', () => {
    const plan = trips().sort('fare').select('vendor', 'fare').head(2).plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Project: vendor, fare
        Limit: 2
          Sort: fare ASC
            Scan: records [*] (1 partition)"
    `)
  })

  it('merges a limit of a limit', () => {
    const plan = trips().limit(3).limit(5, 1).plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Limit: 2 OFFSET 1
        Scan: records [*] (1 partition)"
    `)
  })

  it('must not pass a filter (the limit would count rows the filter drops)', () => {
    const plan = csv().filter(col('a').gt(1)).head(1).plan
    expect(run(plan)).toBe(plan)
  })

  it('must not pass an aggregate, nor give an in-memory scan a row limit', () => {
    const agg = csv()
      .groupBy('b')
      .agg({ n: col('a').sum() })
      .head(1).plan
    expect(run(agg)).toBe(agg)
    const mem = trips().head(1).plan
    expect(run(mem)).toBe(mem)
  })
})
