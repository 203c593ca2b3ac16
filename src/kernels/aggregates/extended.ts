/**
 * The aggregates whose state is several columns merged together (moments) or a value list
 * (median and quantiles, count distinct). The hash-aggregation steps (group-by/partial, combine, final) handle
 * sum / mean / count / min / max column by column and hand these to the entries below whole.
 */
import type { Col } from '../column.js'
import type { StateColumn } from '../group-by/state.js'
import type { AggFn, AggSpec, ExtendedAggFn } from '../physical-expr.js'
import { finalCountDistinct, mergeCountDistinct, partialCountDistinct } from './count-distinct.js'
import {
  CO_MOMENT_SUFFIXES,
  finalCorr,
  finalVariance,
  MOMENT_SUFFIXES,
  mergeMoments,
  partialCoMoments,
  partialMoments,
} from './moments.js'
import { finalQuantile, mergeQuantile, partialQuantile, type QuantileMethod } from './quantile.js'

export interface ExtendedAggregate {
  readonly state: readonly StateColumn[]
  /** `inputs`: the agg's input column, then corr's second input. */
  readonly partial: (inputs: readonly Col[], ids: Int32Array, groups: number) => Col[]
  readonly merge: (states: readonly Col[], ids: Int32Array, groups: number, agg: AggSpec) => Col[]
  readonly final: (states: readonly Col[], agg: AggSpec) => Col
}

const moments = MOMENT_SUFFIXES.map((suffix): StateColumn => ({ suffix, dtype: 'float64' }))

const variance = (sqrt: boolean): ExtendedAggregate => ({
  state: moments,
  partial: (inputs, ids, groups) => partialMoments(inputs[0]!, ids, groups),
  merge: mergeMoments,
  final: (states) => finalVariance(states, sqrt),
})

/** median and both quantiles share one state (a value list) and differ only in the final step. */
function quantile(what: string, q: (agg: AggSpec) => number, method: QuantileMethod): ExtendedAggregate {
  return {
    state: [{ suffix: 'values', dtype: 'utf8' }],
    partial: (inputs, ids, groups) => partialQuantile(inputs[0]!, ids, groups, what),
    merge: mergeQuantile,
    final: (states, agg) => finalQuantile(states, q(agg), method),
  }
}

export const EXTENDED_AGGREGATES: Readonly<Record<ExtendedAggFn, ExtendedAggregate>> = {
  stddev: variance(true),
  variance: variance(false),
  corr: {
    state: CO_MOMENT_SUFFIXES.map((suffix): StateColumn => ({ suffix, dtype: 'float64' })),
    partial: (inputs, ids, groups) => partialCoMoments(inputs[0]!, inputs[1]!, ids, groups),
    merge: mergeMoments,
    final: finalCorr,
  },
  median: quantile('median', () => 0.5, 'continuous'),
  quantile: quantile('quantile_cont', (agg) => agg.q ?? Number.NaN, 'continuous'),
  quantileDisc: quantile('quantile_disc', (agg) => agg.q ?? Number.NaN, 'discrete'),
  countDistinct: {
    state: [{ suffix: 'distinct', dtype: 'utf8' }],
    partial: (inputs, ids, groups) => partialCountDistinct(inputs[0]!, ids, groups),
    merge: (states, ids, groups, agg) => mergeCountDistinct(states, ids, groups, agg.inputDType ?? 'int32'),
    final: (states, agg) => finalCountDistinct(states, agg.inputDType ?? 'int32'),
  },
}

export function isExtendedAgg(fn: AggFn): fn is ExtendedAggFn {
  return Object.hasOwn(EXTENDED_AGGREGATES, fn)
}
