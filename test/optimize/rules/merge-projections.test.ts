import { describe, expect, it } from 'vitest'
import { col } from '../../../src/expr/builder.js'
import type { ExprNode } from '../../../src/expr/expr-node.js'
import { eliminateCommonSubexpressions } from '../../../src/optimize/rules/eliminate-common-subexpressions.js'
import { mergeProjections } from '../../../src/optimize/rules/merge-projections.js'
import type { LogicalPlan } from '../../../src/plan/plan.js'
import { explain, onlyRule, trips } from '../../support/plan-builders.js'

const merge = onlyRule(mergeProjections)
const cse = onlyRule(eliminateCommonSubexpressions)

describe('merge-projections', () => {
  it('substitutes inner definitions into the outer project', () => {
    const plan = trips()
      .withColumns({ price: col('fare').mul(2) })
      .withColumns({ total: col('price').add(1) })
      .select('vendor', 'total').plan
    expect(explain(merge(plan))).toMatchInlineSnapshot(`
      "Project: vendor, total := fare * 2 + 1
        Scan: records [*] (1 partition)"
    `)
  })

  it('must not compute an inner expression twice', () => {
    const plan = trips()
      .withColumns({ price: col('fare').mul(2) })
      .select('price')
      .withColumns({ a: col('price').add(1), b: col('price').sub(1) }).plan
    expect(explain(merge(plan))).toMatchInlineSnapshot(`
      "Project: price, a := price + 1, b := price - 1
        Project: price := fare * 2
          Scan: records [*] (1 partition)"
    `)
  })

  it('must not substitute a non-deterministic expression', () => {
    const random = { kind: 'Random' } as unknown as ExprNode
    const inner: LogicalPlan = { kind: 'Project', input: trips().plan, exprs: [{ name: 'r', expr: random }] }
    const plan: LogicalPlan = { kind: 'Project', input: inner, exprs: [{ name: 'r2', expr: col('r').node }] }
    expect(mergeProjections.rewrite(plan, { disabled: new Set() }).changed).toBe(false)
  })
})

describe('eliminate-common-subexpressions', () => {
  it('computes a repeated subexpression once, the largest one first', () => {
    const sum = col('fare').add(col('tip'))
    const plan = trips()
      .select('vendor', 'fare', 'tip')
      .withColumns({
        a: sum.mul(2),
        b: sum.mul(2).add(1),
        c: sum.div(col('fare')),
      }).plan
    expect(explain(cse(plan))).toMatchInlineSnapshot(`
      "Project: vendor, fare, tip, a := __cse_0, b := __cse_0 + 1, c := __cse_1 / fare
        Project: vendor, fare, tip, __cse_0 := __cse_2 * 2, __cse_1 := __cse_2
          Project: vendor, fare, tip, __cse_2 := fare + tip
            Project: vendor, fare, tip
              Scan: records [*] (1 partition)"
    `)
  })

  it('leaves a project without repeats alone, and merge-projections leaves its output alone', () => {
    const plan = trips().withColumns({ a: col('fare').mul(2) }).plan
    expect(cse(plan)).toBe(plan)
    const sum = col('fare').add(col('tip'))
    const factored = cse(
      trips()
        .select('fare', 'tip')
        .withColumns({ a: sum.mul(2), b: sum.mul(3) }).plan,
    )
    expect(explain(merge(factored))).toMatchInlineSnapshot(`
      "Project: fare, tip, a := __cse_0 * 2, b := __cse_0 * 3
        Project: fare, tip, __cse_0 := fare + tip
          Scan: records [*] (1 partition)"
    `)
  })

  it('must not hoist an expression that can fail when each occurrence runs on only some rows', () => {
    const big = col('passengers').mul(1000)
    const plan = trips().withColumns({
      a: col('fare').gt(10).and(big.gt(1500)),
      b: col('tip').gt(1).or(big.lt(500)),
    }).plan
    expect(cse(plan)).toBe(plan)
  })

  it('hoists it when one occurrence runs on every row anyway', () => {
    const big = col('passengers').mul(1000)
    const plan = trips()
      .select('fare', 'passengers')
      .withColumns({ a: col('fare').gt(10).and(big.gt(1500)), b: big.add(1) }).plan
    expect(explain(cse(plan))).toMatchInlineSnapshot(`
      "Project: fare, passengers, a := fare > 10 AND __cse_0 > 1500, b := __cse_0 + 1
        Project: fare, passengers, __cse_0 := passengers * 1000
          Project: fare, passengers
            Scan: records [*] (1 partition)"
    `)
  })
})
