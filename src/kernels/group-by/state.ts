/**
 * The state batch of a hash aggregation, shared by the partial, combine and final steps.
 *
 * Layout: the key columns (input names and dtypes, one row per group, a null key is a group of its
 * own), then for each `AggSpec`, in order, its state columns:
 *
 * | fn             | state columns                                   | null means          |
 * |----------------|-------------------------------------------------|---------------------|
 * | sum            | `<name>:sum` int64 (int input) or float64       | no non-null input   |
 * | mean           | `<name>:sum` as for sum, `<name>:count` int64   | (count 0)           |
 * | count/countAll | `<name>:count` int64                            | never null          |
 * | min / max      | `<name>:min` / `<name>:max`, the input dtype    | no non-null input   |
| stddev/variance/corr/median/quantile/countDistinct | see src/kernels/aggregates | |
 *
 * Because each state merges with the same operation that produced it (sum of sums, sum of counts,
 * min of mins), combining is associative and any combine tree gives the same states.
 */
import type { DType } from '../../types/dtype.js'
import { TsdaskError } from '../../util/errors.js'
import { EXTENDED_AGGREGATES } from '../aggregates/extended.js'
import type { AggFn, AggSpec } from '../physical-expr.js'

export interface StateColumn {
  /** sum / count / min / max merge column by column; other suffixes belong to src/kernels/aggregates. */
  readonly suffix: string
  readonly dtype: DType
}

function inputDType(agg: AggSpec): DType {
  if (agg.inputDType === null) {
    throw new TsdaskError('INTERNAL', `aggregate ${agg.fn} (${agg.name}) needs an input column`)
  }
  return agg.inputDType
}

const sumDType = (agg: AggSpec): DType => (inputDType(agg) === 'float64' ? 'float64' : 'int64')

const LAYOUT: Record<AggFn, (agg: AggSpec) => StateColumn[]> = {
  sum: (agg) => [{ suffix: 'sum', dtype: sumDType(agg) }],
  // int64 means sum in float64: the result is a float anyway, and an exact int64 sum could
  // overflow where DuckDB (128-bit sums) would not.
  mean: (agg) => [
    { suffix: 'sum', dtype: inputDType(agg) === 'int32' ? 'int64' : 'float64' },
    { suffix: 'count', dtype: 'int64' },
  ],
  count: () => [{ suffix: 'count', dtype: 'int64' }],
  countAll: () => [{ suffix: 'count', dtype: 'int64' }],
  min: (agg) => [{ suffix: 'min', dtype: inputDType(agg) }],
  max: (agg) => [{ suffix: 'max', dtype: inputDType(agg) }],
  stddev: () => [...EXTENDED_AGGREGATES.stddev.state],
  variance: () => [...EXTENDED_AGGREGATES.variance.state],
  corr: () => [...EXTENDED_AGGREGATES.corr.state],
  median: () => [...EXTENDED_AGGREGATES.median.state],
  quantile: () => [...EXTENDED_AGGREGATES.quantile.state],
  quantileDisc: () => [...EXTENDED_AGGREGATES.quantileDisc.state],
  countDistinct: () => [...EXTENDED_AGGREGATES.countDistinct.state],
}

export function stateColumns(agg: AggSpec): StateColumn[] {
  return LAYOUT[agg.fn](agg)
}

/** Index of each agg's first state column in a state batch with `nKeys` keys. */
export function stateOffsets(nKeys: number, aggs: readonly AggSpec[]): number[] {
  const offsets: number[] = []
  let at = nKeys
  for (const agg of aggs) {
    offsets.push(at)
    at += stateColumns(agg).length
  }
  offsets.push(at)
  return offsets
}

export function stateNames(aggs: readonly AggSpec[]): string[] {
  return aggs.flatMap((agg) => stateColumns(agg).map((c) => `${agg.name}:${c.suffix}`))
}
