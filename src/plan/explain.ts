/**
 * `explain()` text: one node a line, two spaces a level (DataFusion's format), stable enough for
 * golden tests.
 *
 *   Aggregate: keys=[id1] aggs=[v1_sum := sum(v1)]
 *     Filter: v1 > 2
 *       Scan: groupby.csv [id1, v1] (16 partitions)
 */
import { printExpr, printIdentifier } from '../expr/print.js'
import { aggCallNode } from './agg-call.js'
import type { AggregateCall, JoinNode, LogicalPlan, NamedExpr } from './plan.js'
import { planInputs } from './plan.js'

export function explainPlan(plan: LogicalPlan, indent = 0): string {
  const line = `${'  '.repeat(indent)}${describeNode(plan)}`
  return [line, ...planInputs(plan).map((i) => explainPlan(i, indent + 1))].join('\n')
}

export function describeProject(exprs: readonly NamedExpr[]): string {
  return `Project: ${exprs
    .map(({ name, expr }) =>
      expr.kind === 'Column' && expr.name === name
        ? printIdentifier(name)
        : `${printIdentifier(name)} := ${printExpr(expr)}`,
    )
    .join(', ')}`
}

export function describeAggregate(keys: readonly string[], calls: readonly AggregateCall[]): string {
  const aggs = calls.map((a) => `${printIdentifier(a.name)} := ${printExpr(aggCallNode(a))}`)
  return `Aggregate: keys=[${keys.map(printIdentifier).join(', ')}] aggs=[${aggs.join(', ')}]`
}

export function describeJoin(plan: Pick<JoinNode, 'how' | 'leftOn' | 'rightOn' | 'coalesceKeys'>): string {
  if (plan.how === 'cross') return 'Join: cross'
  const pairs = plan.leftOn.map((l, i) => {
    const r = plan.rightOn[i]!
    return l === r && plan.coalesceKeys ? printIdentifier(l) : `${printIdentifier(l)} = ${printIdentifier(r)}`
  })
  return `Join: ${plan.how} on ${pairs.join(', ')}${plan.coalesceKeys ? ' (keys merged)' : ''}`
}

export function describeNode(plan: LogicalPlan): string {
  switch (plan.kind) {
    case 'Scan': {
      const s = plan.source
      const cols = plan.columns === null ? '*' : plan.columns.map(printIdentifier).join(', ')
      const parts = s.kind === 'csv' ? s.chunks.length : s.batches.length
      const filters = plan.filters?.length ? ` filters=[${plan.filters.map(printExpr).join(', ')}]` : ''
      const rowLimit = plan.rowLimit === undefined ? '' : ` rowLimit=${plan.rowLimit}`
      return `Scan: ${s.name} [${cols}]${filters}${rowLimit} (${parts} partition${parts === 1 ? '' : 's'})`
    }
    case 'Filter':
      return `Filter: ${printExpr(plan.predicate)}`
    case 'Project':
      return describeProject(plan.exprs)
    case 'Aggregate':
      return describeAggregate(plan.keys, plan.aggs)
    case 'Sort':
      return `Sort: ${plan.keys
        .map(
          (k) => `${printIdentifier(k.column)} ${k.descending ? 'DESC' : 'ASC'}${k.nullsFirst ? ' NULLS FIRST' : ''}`,
        )
        .join(', ')}`
    case 'Limit':
      return `Limit: ${plan.limit}${plan.offset ? ` OFFSET ${plan.offset}` : ''}`
    case 'Distinct':
      return 'Distinct'
    case 'Union':
      return `Union: all (${plan.inputs.length} inputs)`
    case 'Join':
      return describeJoin(plan)
    case 'Sample':
      return `Sample: fraction=${plan.fraction} seed=${plan.seed}`
  }
}
