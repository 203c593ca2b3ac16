/**
 * What a window task is asked to compute, in a JSON-safe form the plan and task args can carry:
 * the OVER clause's PARTITION BY and ORDER BY as column indexes of the batch (`WindowClause`),
 * and per output column one `WindowFunctionSpec` with its own frame.
 *
 * Semantics follow DuckDB (and the SQL standard):
 * - Rows are ordered by ORDER BY within each partition; rows that tie on every ORDER BY key are
 *   *peers*. Ties keep input order (the sort is stable), which SQL leaves unspecified.
 * - A frame is a range of rows around the current one. `rows` bounds count rows; `range` bounds
 *   are UNBOUNDED or CURRENT ROW, where CURRENT ROW means the current row's first (as a start) or
 *   last (as an end) peer. Without ORDER BY every row of a partition is a peer of every other.
 * - No frame given: the SQL default, RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW, which is
 *   "up to the last peer" with ORDER BY and the whole partition without.
 * - Ranking functions, ntile, lag and lead ignore frames, as in SQL.
 */
import type { DType } from '../../types/dtype.js'
import type { LiteralValue, SortKey } from '../physical-expr.js'

/** One end of a frame. `offset` counts rows (a non-negative integer); 0 PRECEDING is CURRENT ROW. */
export type FrameBound =
  | { readonly kind: 'unboundedPreceding' }
  | { readonly kind: 'preceding'; readonly offset: number }
  | { readonly kind: 'currentRow' }
  | { readonly kind: 'following'; readonly offset: number }
  | { readonly kind: 'unboundedFollowing' }

export type FrameUnit = 'rows' | 'range'

/** `{unit} BETWEEN {start} AND {end}`. */
export interface WindowFrame {
  readonly unit: FrameUnit
  readonly start: FrameBound
  readonly end: FrameBound
}

/** PARTITION BY and ORDER BY of an OVER clause, as column indexes of the input batch. */
export interface WindowClause {
  readonly partitionBy: readonly number[]
  readonly orderBy: readonly SortKey[]
}

/** Functions of the row's position among its partition's rows and peers (no input column). */
export type RankingFn = 'rowNumber' | 'rank' | 'denseRank' | 'percentRank' | 'cumeDist'
/** lag / lead: the value `offset` rows before / after, within the partition, ignoring the frame. */
export type OffsetFn = 'lag' | 'lead'
/** The value at a position of the frame. */
export type FrameValueFn = 'firstValue' | 'lastValue' | 'nthValue'
/** Aggregates over the frame, named as the engine's `AggFn`s are. */
export type WindowAggFn = 'sum' | 'mean' | 'min' | 'max' | 'count' | 'countAll'
export type WindowFn = RankingFn | 'ntile' | OffsetFn | FrameValueFn | WindowAggFn

/** The output column's name travels with its spec, as an `AggSpec`'s does. */
interface Named {
  readonly name: string
}

/** An input column: its index in the batch and the dtype lowering expects it to have. */
interface WithInput {
  readonly input: number
  readonly inputDType: DType
}

interface Framed {
  /** Absent: the SQL default frame (see the module comment). */
  readonly frame?: WindowFrame
}

/** lag / lead's value past the partition's edge: a constant, or a column of the batch (per row). */
export type OffsetDefault =
  | { readonly kind: 'literal'; readonly value: LiteralValue }
  | { readonly kind: 'column'; readonly index: number }

export interface RankingSpec extends Named {
  readonly fn: RankingFn
}

/** ntile(buckets): 1 … buckets, bucket sizes differing by at most one, the larger first. */
export interface NtileSpec extends Named {
  readonly fn: 'ntile'
  readonly buckets: number
}

export interface OffsetSpec extends Named, WithInput {
  readonly fn: OffsetFn
  /** Rows back (lag) or ahead (lead); default 1. Negative turns lag into lead and back, as DuckDB. */
  readonly offset?: number
  /** Absent: null past the edge. Must have `inputDType` (lowering casts it). */
  readonly default?: OffsetDefault
  /** IGNORE NULLS: count only rows whose input is not null. */
  readonly ignoreNulls?: boolean
}

export interface FrameValueSpec extends Named, WithInput, Framed {
  readonly fn: 'firstValue' | 'lastValue'
  readonly ignoreNulls?: boolean
}

/** nth_value(x, n): the n-th row of the frame (from 1), null when the frame is shorter. */
export interface NthValueSpec extends Named, WithInput, Framed {
  readonly fn: 'nthValue'
  readonly n: number
  readonly ignoreNulls?: boolean
}

/** sum / mean / min / max / count over the frame's non-null inputs. */
export interface AggregateSpec extends Named, WithInput, Framed {
  readonly fn: Exclude<WindowAggFn, 'countAll'>
}

/** count(*): the rows of the frame. */
export interface CountAllSpec extends Named, Framed {
  readonly fn: 'countAll'
}

export type WindowFunctionSpec =
  | RankingSpec
  | NtileSpec
  | OffsetSpec
  | FrameValueSpec
  | NthValueSpec
  | AggregateSpec
  | CountAllSpec

/** The SQL default: with ORDER BY, up to the current row's last peer; without, every row. */
export const DEFAULT_FRAME: WindowFrame = {
  unit: 'range',
  start: { kind: 'unboundedPreceding' },
  end: { kind: 'currentRow' },
}

/**
 * Which kind of function each is: ranking (position among rows and peers), offset (lag / lead),
 * frame value (first / last / nth_value) or aggregate. Only the last two read a frame.
 */
export const WINDOW_FUNCTION_FAMILY = {
  rowNumber: 'ranking',
  rank: 'ranking',
  denseRank: 'ranking',
  percentRank: 'ranking',
  cumeDist: 'ranking',
  ntile: 'ranking',
  lag: 'offset',
  lead: 'offset',
  firstValue: 'frameValue',
  lastValue: 'frameValue',
  nthValue: 'frameValue',
  sum: 'aggregate',
  mean: 'aggregate',
  min: 'aggregate',
  max: 'aggregate',
  count: 'aggregate',
  countAll: 'aggregate',
} as const satisfies Record<WindowFn, 'ranking' | 'offset' | 'frameValue' | 'aggregate'>

export function usesFrame(fn: WindowFn): boolean {
  const family = WINDOW_FUNCTION_FAMILY[fn]
  return family === 'frameValue' || family === 'aggregate'
}

/** The frame a spec's function reads, or null for those that ignore frames. */
export function frameOf(spec: WindowFunctionSpec): WindowFrame | null {
  return usesFrame(spec.fn) ? ((spec as Framed).frame ?? DEFAULT_FRAME) : null
}
