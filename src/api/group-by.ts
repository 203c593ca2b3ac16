/**
 * `df.groupBy('k').agg({ total: col('v').sum(), n: count() })`. An output may combine
 * aggregates (`col('v1').max().sub(col('v2').min())`): the aggregates are computed by the
 * Aggregate node under hidden names and combined by a Project above it. A column used outside
 * an aggregate must be a group key.
 */
import type { Expr } from '../expr/builder.js'
import type { AggNode, ExprNode } from '../expr/expr-node.js'
import { printExpr } from '../expr/print.js'
import type { CheckRequirements, ExprType, Requirements, SchemaLike } from '../expr/typing.js'
import { transformExpr } from '../expr/visit.js'
import { aggCallOf, hiddenAggregateNamer } from '../plan/agg-call.js'
import type { AggregateCall, LogicalPlan, NamedExpr } from '../plan/plan.js'
import { schemaOf } from '../plan/schema-of.js'
import { TsdaskError } from '../util/errors.js'
import type { DataFrame } from './data-frame.js'
import { exprNode } from './expr-node-of.js'
import type { AggOutputs, ExprReqOf } from './types.js'

type AggsChecked<S extends SchemaLike, A> = { readonly [P in keyof A]: A[P] & CheckRequirements<S, ExprReqOf<A[P]>> }

export class GroupBy<S extends SchemaLike, K extends keyof S & string> {
  readonly #input: LogicalPlan
  readonly #keys: readonly K[]
  readonly #origin: string | undefined
  readonly #toFrame: (plan: LogicalPlan) => DataFrame<SchemaLike>

  /** @internal made by DataFrame.groupBy (which passes its constructor, keeping this module free of a cycle) */
  constructor(
    input: LogicalPlan,
    keys: readonly K[],
    origin: string | undefined,
    toFrame: (plan: LogicalPlan) => DataFrame<SchemaLike>,
  ) {
    this.#input = input
    this.#keys = keys
    this.#origin = origin
    this.#toFrame = toFrame
  }

  /** One row per group: the keys, then one column per entry of `aggs`. Groups come out sorted by key, nulls last. */
  agg<A extends { readonly [name: string]: Expr<ExprType, Requirements> | string }>(
    aggs: A & AggsChecked<S, A>,
  ): DataFrame<AggOutputs<S, K, A>> {
    const entries = Object.entries(aggs as Record<string, unknown>).map(([name, e]) => ({
      name,
      node: exprNode(e, `agg({ ${name}: … })`, schemaOf(this.#input)),
    }))
    if (entries.length === 0 && this.#keys.length === 0) {
      throw new TsdaskError('INVALID_ARGUMENT', 'agg() needs at least one aggregation, e.g. agg({ n: count() })')
    }
    const calls: AggregateCall[] = []
    const hidden = hiddenAggregateNamer(calls)
    const direct = entries.every((e) => e.node.kind === 'Agg')
    if (direct) {
      const aggregate: AggregateCall[] = entries.map(({ name, node }) => {
        return aggCallOf(name, node as AggNode)
      })
      return this.#toFrame({
        kind: 'Aggregate',
        input: this.#input,
        keys: this.#keys,
        aggs: aggregate,
        origin: this.#origin,
      }) as DataFrame<AggOutputs<S, K, A>>
    }
    const outputs = entries.map(({ name, node }) => ({ name, expr: this.#replaceAggs(name, node, hidden) }))
    const aggregate: LogicalPlan = {
      kind: 'Aggregate',
      input: this.#input,
      keys: this.#keys,
      aggs: calls,
      origin: this.#origin,
    }
    const exprs: NamedExpr[] = [
      ...this.#keys.map((k): NamedExpr => ({ name: k, expr: { kind: 'Column', name: k } })),
      ...outputs,
    ]
    return this.#toFrame({ kind: 'Project', input: aggregate, exprs, origin: this.#origin }) as DataFrame<
      AggOutputs<S, K, A>
    >
  }

  #replaceAggs(name: string, node: ExprNode, hidden: (agg: AggNode) => string): ExprNode {
    const replaced = transformExpr(node, (n) => (n.kind === 'Agg' ? { kind: 'Column', name: hidden(n) } : n))
    // Columns left after replacing aggregates must be group keys (or the hidden aggregate names).
    transformExpr(replaced, (n) => {
      if (n.kind === 'Column' && !n.name.startsWith('__agg_') && !(this.#keys as readonly string[]).includes(n.name)) {
        throw new TsdaskError(
          'INVALID_ARGUMENT',
          `agg({ ${name}: ${printExpr(node)} }) uses column "${n.name}" outside an aggregate; wrap it in one (e.g. col("${n.name}").max()) or add it to groupBy().${this.#origin ? `\n  in agg built at ${this.#origin}` : ''}`,
          { origin: this.#origin },
        )
      }
      return n
    })
    return replaced
  }
}
