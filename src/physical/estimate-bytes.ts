/**
 * A rough size of a plan's output, for choosing a join's strategy (broadcast the small side).
 * Read sizes are known (CSV byte ranges, in-memory buffers); above them the estimate only ever
 * shrinks, by fixed guesses where the data decides (a filter keeps a third, DataFusion-style
 * default selectivity; an aggregate its input's tenth). An estimate, never a limit: a wrong guess
 * costs speed, never a result.
 */
import type { LogicalPlan } from '../plan/plan.js'
import { sourceSchema } from '../plan/schema-of.js'

const FILTER_SELECTIVITY = 1 / 3
const AGGREGATE_REDUCTION = 1 / 10

export function estimatedBytes(plan: LogicalPlan): number {
  switch (plan.kind) {
    case 'Scan': {
      const all = sourceSchema(plan.source).length
      const share = all === 0 ? 1 : Math.max(1, (plan.columns ?? []).length || all) / all
      const read =
        plan.source.kind === 'csv'
          ? plan.source.chunks.reduce((sum, c) => sum + (c.end - c.start), 0)
          : plan.source.batches.reduce((sum, b) => sum + batchBytes(b), 0)
      const filtered = plan.filters?.length ? read * FILTER_SELECTIVITY : read
      return Math.ceil(filtered * Math.min(1, share))
    }
    case 'Filter':
      return Math.ceil(estimatedBytes(plan.input) * FILTER_SELECTIVITY)
    case 'Aggregate':
    case 'Distinct':
      return Math.ceil(estimatedBytes(plan.input) * AGGREGATE_REDUCTION)
    case 'Limit':
      return Math.min(estimatedBytes(plan.input), (plan.offset + plan.limit) * 64)
    case 'Union':
      return plan.inputs.reduce((sum, i) => sum + estimatedBytes(i), 0)
    case 'Join':
      return estimatedBytes(plan.left) + estimatedBytes(plan.right)
    default:
      return estimatedBytes(plan.input)
  }
}

function batchBytes(batch: { readonly data: { readonly children: readonly DataLike[] } }): number {
  let bytes = 0
  const visit = (d: DataLike): void => {
    bytes += (d.values?.byteLength ?? 0) + (d.valueOffsets?.byteLength ?? 0) + (d.nullBitmap?.byteLength ?? 0)
    for (const c of d.children) visit(c)
  }
  for (const c of batch.data.children) visit(c)
  return bytes
}

interface DataLike {
  readonly values?: ArrayBufferView | undefined
  readonly valueOffsets?: ArrayBufferView | undefined
  readonly nullBitmap?: ArrayBufferView | undefined
  readonly children: readonly DataLike[]
}
