import { describe, expect, it } from 'vitest'
import { col, when } from '../../src/expr/builder.js'
import { defaultRules } from '../../src/optimize/default-rules.js'
import { optimize, type RuleStep } from '../../src/optimize/optimizer.js'
import { changed, unchanged } from '../../src/optimize/rule.js'
import type { LogicalPlan } from '../../src/plan/plan.js'
import { TsdaskError } from '../../src/util/errors.js'
import { customRule, explain, trips } from '../support/plan-builders.js'

/** The error `f` throws (fails the test when it throws nothing). */
function thrown(f: () => unknown): TsdaskError {
  try {
    f()
  } catch (error) {
    expect(error).toBeInstanceOf(TsdaskError)
    return error as TsdaskError
  }
  throw new Error('expected a TsdaskError, but nothing was thrown')
}

const userQuery = () => trips().filter(col('fare').gt(10)).filter(col('vendor').eq('CMT')).select('vendor', 'tip')

describe('optimize', () => {
  it('runs the default rules in order', () => {
    expect(defaultRules.map((r) => r.name)).toEqual([
      'fold-constants',
      'merge-filters',
      'push-down-predicates',
      'push-down-limits',
      'simplify-aggregates',
      'merge-projections',
      'eliminate-common-subexpressions',
      'prune-columns',
    ])
    expect(explain(optimize(userQuery().plan))).toMatchInlineSnapshot(`
      "Project: vendor, tip
        Filter: fare > 10 AND vendor = 'CMT'
          Scan: records [vendor, fare, tip] (1 partition)"
    `)
  })

  it('reaches a fixed point: optimizing an optimized plan changes nothing', () => {
    const once = optimize(userQuery().plan)
    const steps: RuleStep[] = []
    expect(optimize(once, { observe: (s) => steps.push(s) })).toBe(once)
    expect(steps.map((s) => [s.pass, s.rule, s.changed])).toEqual(defaultRules.map((r) => [1, r.name, false]))
  })

  it('returns the very same plan when no rule applies', () => {
    const plan = trips().plan
    expect(optimize(plan)).toBe(plan)
  })

  it('turns off a rule by name', () => {
    const plan = userQuery().plan
    // push-down-predicates also gathers stacked filters, so it is off here too.
    expect(explain(optimize(plan, { disable: ['merge-filters', 'push-down-predicates'] }))).toMatchInlineSnapshot(`
      "Project: vendor, tip
        Filter: vendor = 'CMT'
          Filter: fare > 10
            Scan: records [vendor, fare, tip] (1 partition)"
    `)
    expect(explain(optimize(plan, { disable: ['prune-columns'] }))).toMatchInlineSnapshot(`
      "Project: vendor, tip
        Filter: fare > 10 AND vendor = 'CMT'
          Scan: records [*] (1 partition)"
    `)
    expect(optimize(plan, { disable: defaultRules.map((r) => r.name) })).toBe(plan)
  })

  it('passes the disabled names to rules', () => {
    const seen: string[][] = []
    const spy = customRule('spy', (plan, ctx) => {
      seen.push([...ctx.disabled])
      return unchanged(plan)
    })
    optimize(trips().plan, { rules: [spy], disable: ['prune-columns'] })
    expect(seen).toEqual([['prune-columns']])
  })

  it('records each rule step, pass by pass, for explain({ rules: true })', () => {
    const steps: RuleStep[] = []
    const out = optimize(userQuery().plan, { observe: (s) => steps.push(s) })
    expect(
      steps.map((s) => `pass ${s.pass}, after ${s.rule}: ${s.changed ? 'changed' : 'unchanged'}`),
    ).toMatchInlineSnapshot(`
      [
        "pass 1, after fold-constants: unchanged",
        "pass 1, after merge-filters: changed",
        "pass 1, after push-down-predicates: unchanged",
        "pass 1, after push-down-limits: unchanged",
        "pass 1, after simplify-aggregates: unchanged",
        "pass 1, after merge-projections: unchanged",
        "pass 1, after eliminate-common-subexpressions: unchanged",
        "pass 1, after prune-columns: changed",
        "pass 2, after fold-constants: unchanged",
        "pass 2, after merge-filters: unchanged",
        "pass 2, after push-down-predicates: unchanged",
        "pass 2, after push-down-limits: unchanged",
        "pass 2, after simplify-aggregates: unchanged",
        "pass 2, after merge-projections: unchanged",
        "pass 2, after eliminate-common-subexpressions: unchanged",
        "pass 2, after prune-columns: unchanged",
      ]
    `)
    expect(explain(steps[0]!.plan)).toMatchInlineSnapshot(`
      "Project: vendor, tip
        Filter: vendor = 'CMT'
          Filter: fare > 10
            Scan: records [*] (1 partition)"
    `)
    expect(steps.at(-1)?.plan).toBe(out)
  })

  it('offers every node to a rule with an applyOrder, in that order', () => {
    const visit = (order: 'top-down' | 'bottom-up') => {
      const kinds: string[] = []
      const rule = customRule(
        `visit-${order}`,
        (plan) => {
          kinds.push(plan.kind)
          return unchanged(plan)
        },
        order,
      )
      optimize(trips().filter(col('fare').gt(1)).select('fare').limit(1).plan, { rules: [rule] })
      return kinds
    }
    expect(visit('top-down')).toEqual(['Limit', 'Project', 'Filter', 'Scan'])
    expect(visit('bottom-up')).toEqual(['Scan', 'Filter', 'Project', 'Limit'])
  })

  describe('checks the schema after each rule and names the rule', () => {
    it('a rule that drops an output column', () => {
      const dropLast = customRule('drop-last-column', (plan) =>
        plan.kind === 'Project' ? changed({ ...plan, exprs: plan.exprs.slice(0, -1) }) : unchanged(plan),
      )
      const error = thrown(() => optimize(userQuery().plan, { rules: [dropLast] }))
      expect(error.code).toBe('OPTIMIZER')
      expect(error.message).toMatchInlineSnapshot(
        `"optimizer rule drop-last-column changed the output schema from [vendor: utf8, tip: float64] to [vendor: utf8]"`,
      )
    })

    it('a rule that changes a column type', () => {
      const castTip = customRule('cast-tip', (plan) =>
        plan.kind === 'Project'
          ? changed({
              ...plan,
              exprs: plan.exprs.map((e) =>
                e.name === 'tip' ? { name: 'tip', expr: { kind: 'Cast', arg: e.expr, dtype: 'utf8' } } : e,
              ),
            })
          : unchanged(plan),
      )
      const error = thrown(() => optimize(userQuery().plan, { rules: [castTip] }))
      expect(error.code).toBe('OPTIMIZER')
      expect(error.message).toMatchInlineSnapshot(
        `"optimizer rule cast-tip changed the output schema from [vendor: utf8, tip: float64] to [vendor: utf8, tip: utf8]"`,
      )
    })

    it('a rule that builds an invalid plan', () => {
      const badColumn = customRule(
        'typo-in-filter',
        (plan) =>
          plan.kind === 'Filter' && plan.predicate.kind !== 'Column'
            ? changed({ ...plan, predicate: { kind: 'Column', name: 'fair' } })
            : unchanged(plan),
        'bottom-up',
      )
      const error = thrown(() => optimize(trips().filter(col('fare').gt(1)).plan, { rules: [badColumn] }))
      expect(error.code).toBe('OPTIMIZER')
      // The line the filter was built on is replaced, so the snapshot survives edits above it.
      expect(error.message.replace(/\.ts:\d+:\d+$/, '.ts:<line>:<col>')).toMatchInlineSnapshot(`
        "optimizer rule typo-in-filter produced an invalid plan: Unknown column "fair". Did you mean "fare"? Available columns: "vendor", "fare", "tip", "passengers", "day".
          in filter built at test/optimize/optimizer.test.ts:<line>:<col>"
      `)
    })

    it('a rule that throws', () => {
      const broken = customRule('broken', () => {
        throw new Error('boom')
      })
      const error = thrown(() => optimize(trips().plan, { rules: [broken] }))
      expect(error.code).toBe('OPTIMIZER')
      expect(error.message).toBe('optimizer rule broken failed: boom')
      expect((error.cause as Error).message).toBe('boom')
    })

    it('a rule that throws a TsdaskError is not named (the error passes through unwrapped)', () => {
      // The input plan is validated before any rule runs, so an error from inside a rule is the rule's fault.
      const strict = customRule('strict-rule', () => {
        throw new TsdaskError('UNKNOWN_COLUMN', 'Unknown column "x".')
      })
      const error = thrown(() => optimize(trips().plan, { rules: [strict] }))
      expect(error.code).toBe('OPTIMIZER')
      expect(error.message).toContain('strict-rule')
    })
  })

  it('settles on a filter that ANDs a CASE with other conjuncts (found by the DuckDB differential test)', () => {
    // push-down-predicates pins the CASE (opaque to it) above the pushed conjunct; merge-filters
    // used to merge the two back, and the pair cycled until the driver gave up.
    const plan = trips().filter(
      col('fare')
        .gt(0)
        .and(when(col('tip').gt(0), false)),
    ).plan
    expect(explain(optimize(plan))).toMatchInlineSnapshot(`
      "Filter: fare > 0 AND CASE WHEN tip > 0 THEN FALSE END
        Scan: records [*] (1 partition)"
    `)
  })

  describe('stops a rule that never settles', () => {
    it('a flip-flop between two plans is reported as non-convergence', () => {
      // Swaps the order of the two ANDed predicates, forever.
      const swap = customRule(
        'swap-and',
        (plan) =>
          plan.kind === 'Filter' && plan.predicate.kind === 'Binary' && plan.predicate.op === 'and'
            ? changed({
                ...plan,
                predicate: { ...plan.predicate, left: plan.predicate.right, right: plan.predicate.left },
              })
            : unchanged(plan),
        'bottom-up',
      )
      const plan = trips().filter(col('fare').gt(10).and(col('tip').gt(1))).plan
      const steps: RuleStep[] = []
      const error = thrown(() => optimize(plan, { rules: [swap], observe: (s) => steps.push(s) }))
      expect(error.code).toBe('OPTIMIZER')
      expect(error.message).toMatchInlineSnapshot(`
        "optimizer did not converge: pass 2 produced a plan seen before:
        Filter: fare > 10 AND tip > 1
          Scan: records [*] (1 partition)"
      `)
      expect(steps.map((s) => s.pass)).toEqual([1, 2])
    })

    it('two rules undoing each other within one pass', () => {
      const addLimit = customRule('add-limit', (plan) =>
        plan.kind === 'Limit' ? unchanged(plan) : changed({ kind: 'Limit', input: plan, offset: 0, limit: 1_000_000 }),
      )
      const removeLimit = customRule('remove-limit', (plan) =>
        plan.kind === 'Limit' ? changed(plan.input) : unchanged(plan),
      )
      const error = thrown(() => optimize(trips().plan, { rules: [addLimit, removeLimit] }))
      expect(error.code).toBe('OPTIMIZER')
      expect(error.message).toMatch(/^optimizer did not converge: pass 1 produced a plan seen before:\nScan: records/)
    })

    it('a rule that always makes a new plan hits maxPasses', () => {
      let n = 0
      const grow = customRule('grow', (plan): ReturnType<typeof unchanged<LogicalPlan>> => {
        n++
        return changed({ kind: 'Filter', input: plan, predicate: { kind: 'Literal', value: true, dtype: 'bool' } })
      })
      const error = thrown(() => optimize(trips().plan, { rules: [grow], maxPasses: 3 }))
      expect(error.code).toBe('OPTIMIZER')
      expect(error.message).toBe('optimizer did not reach a fixed point in 3 passes')
      expect(n).toBe(3)
    })
  })
})
