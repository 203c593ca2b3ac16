/**
 * simplify-aggregates: cheaper aggregate calls with the same results.
 *
 * - `count(x)` where x is provably never null (non-null.ts) is `count()`, which reads no column.
 * - `mean(x)` is `sum(x) / count(x)` in a project above: both parts combine across partitions
 *   by plain addition, and a `sum(x)` or `count(x)` the user asked for anyway is computed once.
 * - The same call twice (`sum(x)` named `a` and `b`) is computed once.
 *
 *   Aggregate: keys=[k] aggs=[m := mean(v), s := sum(v)]       Project: k, m := s / __count_v, s
 *                                                         →      Aggregate: keys=[k] aggs=[s := sum(v), __count_v := count(v)]
 *
 * Must not fire: `mean` of int64, whose sum may overflow where the mean (computed wider) does
 * not; `count(x)` when x may be null (CSV columns, unless a filter below rejects their nulls);
 * arguments that are non-deterministic or of an unknown kind.
 */
import { dtypeOf } from '../../expr/dtype-of.js'
import type { ExprNode } from '../../expr/expr-node.js'
import { exprSignature } from '../../expr/visit.js'
import { aggCallArgs } from '../../plan/agg-call.js'
import type { AggregateCall, AggregateNode, LogicalPlan, NamedExpr } from '../../plan/plan.js'
import { schemaOf } from '../../plan/schema-of.js'
import { isDeterministic } from '../expr-facts.js'
import { provablyNonNull } from '../non-null.js'
import { changed, type Rule, unchanged } from '../rule.js'

export const simplifyAggregates: Rule = {
  name: 'simplify-aggregates',
  applyOrder: 'bottom-up',
  rewrite(plan) {
    if (plan.kind !== 'Aggregate') return unchanged(plan)
    if (!plan.aggs.every((a) => aggCallArgs(a).every(isDeterministic))) return unchanged(plan)
    const out = simplify(plan)
    return out === plan ? unchanged(plan) : changed(out)
  },
}

/** A call's identity: its function, every argument (corr has two) and a quantile's fraction. */
const callKey = (fn: string, arg: ExprNode | null, arg2?: ExprNode, q?: number) =>
  `${fn}(${arg ? exprSignature(arg) : '*'}${arg2 ? `, ${exprSignature(arg2)}` : ''}${q === undefined ? '' : `; q=${q}`})`

function simplify(plan: AggregateNode): LogicalPlan {
  const inputSchema = schemaOf(plan.input)
  const taken = new Set([...plan.keys, ...plan.aggs.map((a) => a.name), ...inputSchema.map((f) => f.name)])
  const calls: AggregateCall[] = []
  const byKey = new Map<string, string>()
  let rewritten = false
  /** The output column computing fn(arg), added when new. */
  const callFor = (
    fn: AggregateCall['fn'],
    arg: ExprNode | null,
    preferred: string,
    arg2?: ExprNode,
    q?: number,
  ): string => {
    if (fn === 'count' && arg && provablyNonNull(arg, plan.input)) {
      fn = 'countAll'
      arg = null
      rewritten = true
    }
    const key = callKey(fn, arg, arg2, q)
    const have = byKey.get(key)
    if (have) {
      rewritten = true
      return have
    }
    let name = preferred
    if (taken.has(name) && !plan.aggs.some((a) => a.name === name)) {
      for (let i = 0; taken.has(name); i++) name = `${preferred}_${i}`
    }
    taken.add(name)
    byKey.set(key, name)
    const call: AggregateCall = arg2 === undefined ? { name, fn, arg } : { name, fn, arg, arg2 }
    calls.push(q === undefined ? call : { ...call, q })
    return name
  }
  const outputs: NamedExpr[] = plan.keys.map((k) => ({ name: k, expr: { kind: 'Column', name: k } }))
  // The user's own calls claim their names first, so a mean's parts reuse them.
  const resolved = plan.aggs.map((a) =>
    a.fn === 'mean' && meanSplits(a, inputSchema) ? null : callFor(a.fn, a.arg, a.name, a.arg2, a.q),
  )
  for (const [i, a] of plan.aggs.entries()) {
    const name = resolved[i]
    if (name === null || name === undefined) {
      if (!a.arg) continue
      rewritten = true
      const sum = callFor('sum', a.arg, `__sum_${a.name}`)
      const count = callFor('count', a.arg, `__count_${a.name}`)
      outputs.push({
        name: a.name,
        expr: {
          kind: 'Binary',
          op: 'div',
          left: { kind: 'Column', name: sum },
          right: { kind: 'Column', name: count },
        },
      })
    } else {
      outputs.push({ name: a.name, expr: { kind: 'Column', name } })
    }
  }
  if (!rewritten) return plan
  const aggregate: AggregateNode = { ...plan, aggs: calls }
  const identity =
    outputs.every((o) => o.expr.kind === 'Column' && o.expr.name === o.name) &&
    calls.map((c) => c.name).join('\0') === plan.aggs.map((a) => a.name).join('\0')
  if (identity) return aggregate
  return plan.origin
    ? { kind: 'Project', input: aggregate, exprs: outputs, origin: plan.origin }
    : { kind: 'Project', input: aggregate, exprs: outputs }
}

function meanSplits(a: AggregateCall, input: ReturnType<typeof schemaOf>): boolean {
  if (!a.arg) return false
  const t = dtypeOf(a.arg, input)
  return t === 'float64' || t === 'int32'
}
