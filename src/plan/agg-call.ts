/**
 * An Aggregate node's calls and the `Agg` expressions they come from are the same information;
 * these convert between the two (keeping a two-argument aggregate's second argument) so no
 * caller rebuilds one from the other field by field.
 */
import type { AggNode, ExprNode } from '../expr/expr-node.js'
import { exprSignature } from '../expr/visit.js'
import type { AggregateCall } from './plan.js'

export function aggCallNode(call: AggregateCall): AggNode {
  const { fn, arg, arg2, q } = call
  const node: AggNode = arg2 === undefined ? { kind: 'Agg', fn, arg } : { kind: 'Agg', fn, arg, arg2 }
  return q === undefined ? node : { ...node, q }
}

export function aggCallOf(name: string, node: AggNode): AggregateCall {
  const { fn, arg, arg2, q } = node
  const call: AggregateCall = arg2 === undefined ? { name, fn, arg } : { name, fn, arg, arg2 }
  return q === undefined ? call : { ...call, q }
}

/** The expressions a call reads (none for countAll). */
export function aggCallArgs(call: AggregateCall): ExprNode[] {
  return [call.arg, call.arg2].filter((a): a is ExprNode => a !== null && a !== undefined)
}

/**
 * Names for aggregates hidden inside expressions (`sum(x) / count(*)`): each distinct call gets one
 * `__agg_N` column, appended to `calls`. The fluent builder and SQL share it, so both name hidden
 * aggregates alike and build equal plans. `bySignature` may be pre-filled with visible names.
 */
export function hiddenAggregateNamer(
  calls: AggregateCall[],
  bySignature: Map<string, string> = new Map(),
): (agg: AggNode) => string {
  return (agg) => {
    const sig = exprSignature(agg)
    let name = bySignature.get(sig)
    if (!name) {
      name = `__agg_${calls.length}`
      bySignature.set(sig, name)
      calls.push(aggCallOf(name, agg))
    }
    return name
  }
}
