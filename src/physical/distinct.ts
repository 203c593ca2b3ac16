/**
 * DISTINCT is a group-by on every column with no aggregates, so it reuses the hash aggregation
 * (partial dedup per partition, tree combine, final sorted by the columns, nulls last): distinct
 * rows come out in a deterministic order.
 */
import type { AggregateNode, DistinctNode } from '../plan/plan.js'
import { schemaOf } from '../plan/schema-of.js'

export function distinctAsAggregate(plan: DistinctNode): AggregateNode {
  const keys = schemaOf(plan.input).map((f) => f.name)
  return { kind: 'Aggregate', input: plan.input, keys, aggs: [], origin: plan.origin }
}
