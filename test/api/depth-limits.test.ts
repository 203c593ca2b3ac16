/**
 * Deep expressions and deep plans, built through the public API: refused where they are built
 * (TOO_DEEP, naming the call site) past the limits, and computed without a stack overflow anywhere
 * (printing, signatures, explain, the optimizer, lowering, the evaluator on both schedulers) up to
 * them. Worker threads have their own stack, so every at-the-limit case runs on the pool too.
 */
import { afterAll, describe, expect, test } from 'vitest'
import type { ExprNode } from '../../src/expr/expr-node.js'
import { exprChildren } from '../../src/expr/visit.js'
import {
  col,
  type DataFrame,
  type Expr,
  fromRecords,
  lit,
  MAX_EXPRESSION_DEPTH,
  MAX_PLAN_DEPTH,
  shutdown,
} from '../../src/index.js'
import { optimize } from '../../src/optimize/optimizer.js'
import { type LogicalPlan, planInputs, transformPlan } from '../../src/plan/plan.js'
import { thrown } from '../support/thrown.js'

afterAll(() => shutdown())

const THIS_FILE = 'depth-limits.test.ts'
const SCHEDULERS = ['sync', 'pool'] as const

// Plain recursion is enough here: every tree the tests measure is within the limits.
function exprDepth(e: ExprNode): number {
  return 1 + Math.max(0, ...exprChildren(e).map(exprDepth))
}
function planDepth(p: LogicalPlan): number {
  return 1 + Math.max(0, ...planInputs(p).map(planDepth))
}
function deepestExpression(plan: LogicalPlan): number {
  let deepest = 0
  transformPlan(plan, (node) => {
    for (const e of ownExprs(node)) deepest = Math.max(deepest, exprDepth(e))
    return node
  })
  return deepest
}
function ownExprs(p: LogicalPlan): ExprNode[] {
  switch (p.kind) {
    case 'Filter':
      return [p.predicate]
    case 'Project':
      return p.exprs.map((e) => e.expr)
    case 'Scan':
      return [...(p.filters ?? [])]
    default:
      return []
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the tests grow frames in loops, whatever their schema
type AnyFrame = DataFrame<any>

const base = fromRecords(
  [
    { a: 1, b: 2 },
    { a: 3, b: null },
  ],
  { npartitions: 2 },
)

describe('expressions built with the fluent builder', () => {
  test('100,000 chained add(1) are refused at the call that passes the limit, naming this file', () => {
    let e: Expr = col('a')
    let built = 0
    const error = thrown(() => {
      for (let i = 0; i < 100_000; i++) {
        e = (e as Expr<'int32'>).add(1)
        built++
      }
    })
    expect(error.code).toBe('TOO_DEEP')
    // col('a') is one level, each add one more: the add making it MAX + 1 deep is refused.
    expect(built).toBe(MAX_EXPRESSION_DEPTH - 1)
    expect(error.message).toContain(`at most ${MAX_EXPRESSION_DEPTH} levels`)
    expect(error.message).toMatch(new RegExp(`built at .*${THIS_FILE}:\\d+:\\d+`))
    expect(error.message).toContain('pairwise')
    expect(error.details).toMatchObject({ depth: MAX_EXPRESSION_DEPTH + 1, limit: MAX_EXPRESSION_DEPTH })
  })

  test('not(), cast() and isNull() count as levels like operators do', () => {
    const chains: [string, (e: Expr) => Expr][] = [
      ['not', (e) => (e as Expr<'bool'>).not()],
      ['cast', (e) => e.cast('int64')],
      ['isNull', (e) => e.isNull()],
    ]
    for (const [what, step] of chains) {
      let e: Expr = col('a').gt(0)
      const error = thrown(() => {
        for (let i = 0; i < 5_000; i++) e = step(e)
      })
      expect(error.code, what).toBe('TOO_DEEP')
    }
  })

  test.each(SCHEDULERS)('an expression exactly at the limit prints, explains and computes on %s', async (scheduler) => {
    // Casts alternate with float arithmetic, so lowering adds an implicit cast at every other level:
    // the physical expression the workers receive is deeper than the logical one.
    let e: Expr = col('a')
    while (exprDepth(e.node) < MAX_EXPRESSION_DEPTH) {
      e = exprDepth(e.node) % 2 === 1 ? (e as Expr<'int32'>).add(0.5) : e.cast('int32')
    }
    expect(exprDepth(e.node)).toBe(MAX_EXPRESSION_DEPTH)
    expect(e.toString().length).toBeGreaterThan(MAX_EXPRESSION_DEPTH)
    const frame = base.withColumns({ c: e }).filter(col('c').gt(-1))
    expect(frame.explain()).toContain('Project')
    const rows = await frame.toRecords({ scheduler })
    expect(rows.map((r) => r.c)).toHaveLength(2)
  })

  test('a balanced tree of many terms stays shallow and computes', async () => {
    // The fix the message suggests: 4,096 terms combined pairwise nest 13 levels, not 4,096.
    let terms: Expr[] = Array.from({ length: 4096 }, () => col('a') as Expr)
    while (terms.length > 1) {
      const next: Expr[] = []
      for (let i = 0; i < terms.length; i += 2)
        next.push((terms[i] as Expr<'int32'>).add(terms[i + 1] as Expr<'int32'>))
      terms = next
    }
    const rows = await base.withColumns({ s: terms[0]! }).toRecords({ scheduler: 'sync' })
    expect(rows.map((r) => r.s)).toEqual([4096, 3 * 4096])
  })
})

describe('expressions written as strings', () => {
  test('a long operator chain in withColumns({ s: "…" }) is refused with its position', () => {
    const text = Array.from({ length: 100_000 }, () => 'a').join(' + ')
    const error = thrown(() => base.withColumns({ s: text }))
    expect(error.code).toBe('TOO_DEEP')
    // `a + a`: one level per `+` over the first `a`; the MAX-th `+` makes it MAX + 1 levels deep.
    expect(error.message).toContain(`column ${3 + 4 * (MAX_EXPRESSION_DEPTH - 1)}`)
  })
})

describe('deep plans', () => {
  test('10,000 chained filters are refused at the filter that passes the limit, naming this file', () => {
    let frame: AnyFrame = base
    let built = 0
    const error = thrown(() => {
      for (let i = 0; i < 10_000; i++) {
        frame = frame.filter(col('a').gt(i - 20_000))
        built++
      }
    })
    expect(error.code).toBe('TOO_DEEP')
    // The scan is one level, each filter one more.
    expect(built).toBe(MAX_PLAN_DEPTH - 1)
    expect(error.message).toContain(`at most ${MAX_PLAN_DEPTH}`)
    expect(error.message).toMatch(new RegExp(`filter built at .*${THIS_FILE}:\\d+:\\d+`))
    expect(error.message).toContain('persist()')
  })

  test.each(SCHEDULERS)(
    'a plan exactly at the limit explains and computes on %s, optimized or not',
    async (scheduler) => {
      let frame: AnyFrame = base
      while (planDepth(frame.plan) < MAX_PLAN_DEPTH - 1) {
        const depth = planDepth(frame.plan)
        frame =
          depth % 3 === 0
            ? frame.withColumns({ a: col('a').add(1) })
            : depth % 3 === 1
              ? frame.filter(col('b').isNull().or(col('b').gt(-depth)))
              : frame.sort('a')
      }
      const selected = frame.select('a')
      expect(planDepth(selected.plan)).toBe(MAX_PLAN_DEPTH)
      expect(selected.explain()).toContain('Sort')
      for (const optimize of [true, false]) {
        const rows = await selected.toRecords({ scheduler, optimize })
        expect(rows.map((r) => r.a)).toEqual([333, 335])
      }
    },
  )

  test('3,000 unionAll calls (left- or right-nested) make one flat union that computes', async () => {
    const one = fromRecords([{ a: 1 }])
    let left: AnyFrame = one
    let right: AnyFrame = one
    // Right-nested, 3,000 overflowed the stack in explain() before unions were flattened on both sides.
    for (let i = 0; i < 3_000; i++) {
      left = left.unionAll(one)
      right = one.unionAll(right)
    }
    for (const frame of [left, right]) {
      expect(planDepth(frame.plan)).toBe(2)
      expect(frame.explain()).toContain('Union: all (3001 inputs)')
      const rows = await frame.agg({ n: col('a').count() }).toRecords({ scheduler: 'sync' })
      expect(rows).toEqual([{ n: 3_001n }])
    }
  })
})

describe('the optimizer stays within the limits', () => {
  test('merging projections stops before an expression passes the limit', async () => {
    // Each step's expression is 4 levels deep and reads the previous one once, so merge-projections
    // would substitute them all into one expression 900 × 3 levels deep.
    let frame: AnyFrame = base
    for (let i = 0; i < 900; i++) {
      frame = frame.withColumns({ a: col('a').add(1).add(lit(1)).sub(1) })
    }
    expect(deepestExpression(optimize(frame.plan))).toBeLessThanOrEqual(MAX_EXPRESSION_DEPTH)
    for (const scheduler of SCHEDULERS) {
      const rows = await frame.select('a').toRecords({ scheduler })
      expect(rows.map((r) => r.a)).toEqual([901, 903])
    }
  })

  test('pushing a filter through 700 computed projections keeps every expression within the limit', async () => {
    // Substituted all the way down, `a > 0` would read a 2,100-level expression.
    let frame: AnyFrame = base
    for (let i = 0; i < 700; i++) frame = frame.withColumns({ a: col('a').add(1).add(1).sub(1) })
    frame = frame.filter(col('a').gt(0))
    expect(deepestExpression(optimize(frame.plan))).toBeLessThanOrEqual(MAX_EXPRESSION_DEPTH)
    for (const scheduler of SCHEDULERS) {
      const rows = await frame.select('a').toRecords({ scheduler })
      expect(rows.map((r) => r.a)).toEqual([701, 703])
    }
  })
})
