/**
 * Lowering helpers for the set operations. DISTINCT is a group-by on every column with no
 * aggregates, so it reuses the hash aggregation (partial dedup per partition, tree combine, final
 * sorted by the columns, nulls last): distinct rows come out in a deterministic order. UNION ALL
 * needs no task of its own except where one partition key would appear twice in the output list
 * (a frame unioned with itself): those repeats get a pass-through task so every output is distinct.
 */
import type { AggregateNode, DistinctNode } from '../plan/plan.js'
import { schemaOf } from '../plan/schema-of.js'

export function distinctAsAggregate(plan: DistinctNode): AggregateNode {
  const keys = schemaOf(plan.input).map((f) => f.name)
  return { kind: 'Aggregate', input: plan.input, keys, aggs: [], origin: plan.origin }
}
