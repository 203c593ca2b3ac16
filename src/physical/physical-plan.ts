/**
 * The physical plan: how an optimized logical plan runs, one operator per decision, each knowing
 * its output partitioning and the order of rows within each partition. It sits between the
 * optimizer and the lowering (DESIGN.md, "Wave 2"): decisions that several places used to derive
 * again (a limit over a sort is a top-k; an aggregate splits its states into buckets; which
 * partitions a limit reads) are made once, in plan-physical.ts, shown by `explain()`, and only
 * carried out by the lowering.
 */
import type { ExprNode } from '../expr/expr-node.js'
import type { AggregateCall, NamedExpr, ScanNode, SortKeySpec } from '../plan/plan.js'
import type { DType } from '../types/dtype.js'
import type { JoinHow, JoinSide } from '../types/join-how.js'
import type { Schema } from '../types/schema.js'
import type { Partitioning } from './partitioning.js'

interface Physical {
  readonly schema: Schema
  readonly partitioning: Partitioning
  /** Within each partition, rows are sorted by these keys (empty: no known order). */
  readonly ordering: readonly SortKeySpec[]
  /** Where the user built the logical node this operator runs. */
  readonly origin?: string | undefined
}

/** Reads a scan's partitions: CSV chunks or in-memory batches, with its pushed columns, filters and limit. */
export interface ScanExec extends Physical {
  readonly kind: 'Scan'
  readonly scan: ScanNode
}

export interface FilterExec extends Physical {
  readonly kind: 'Filter'
  readonly input: PhysicalPlan
  readonly predicate: ExprNode
}

export interface ProjectExec extends Physical {
  readonly kind: 'Project'
  readonly input: PhysicalPlan
  readonly exprs: readonly NamedExpr[]
}

/**
 * A grouped or global aggregate.
 * - `two-phase`: a partial aggregate per input partition whose states are split by key hash into
 *   `buckets` parts (Dask's split_out); each bucket's states are combined in a tree of fan-in
 *   `fanIn` and finished, so the output is `buckets` partitions hash-partitioned on the keys,
 *   each sorted by them.
 * - `per-partition`: the input is already clustered on the keys (or is one partition), so each
 *   partition is aggregated on its own; no states move.
 */
export interface AggregateExec extends Physical {
  readonly kind: 'Aggregate'
  readonly input: PhysicalPlan
  readonly keys: readonly string[]
  readonly aggs: readonly AggregateCall[]
  readonly mode: 'two-phase' | 'per-partition'
  readonly buckets: number
  readonly fanIn: number
}

/** Sorts each partition on its own. */
export interface SortExec extends Physical {
  readonly kind: 'Sort'
  readonly input: PhysicalPlan
  readonly keys: readonly SortKeySpec[]
}

/** Keeps each partition's first `k` rows by `keys`, sorted: a limit over a sort never sorts all rows. */
export interface TopKExec extends Physical {
  readonly kind: 'TopK'
  readonly input: PhysicalPlan
  readonly keys: readonly SortKeySpec[]
  readonly k: number
}

/** Merges partitions each sorted by `keys` into one sorted partition, then skips `offset` rows and keeps `limit`. */
export interface MergeSortedExec extends Physical {
  readonly kind: 'MergeSorted'
  readonly input: PhysicalPlan
  readonly keys: readonly SortKeySpec[]
  readonly offset: number
  readonly limit: number | null
}

/**
 * The rows `offset … offset + limit` of the input's partitions in order, as one partition.
 * `incremental`: the input's partitions are independent of each other (no aggregate, sort or
 * exchange below), so the executor computes them a few at a time and stops once it has enough
 * rows (`head(5)` of a 2 GB file reads one chunk); otherwise every partition is computed.
 */
export interface LimitExec extends Physical {
  readonly kind: 'Limit'
  readonly input: PhysicalPlan
  readonly offset: number
  readonly limit: number
  readonly incremental: boolean
}

/**
 * Each partition's deterministic Bernoulli sample (kernels/sample.ts): the lowering gives every
 * task its partition's index, so the rows kept depend on the data and the partitioning only.
 */
export interface SampleExec extends Physical {
  readonly kind: 'Sample'
  readonly input: PhysicalPlan
  readonly fraction: number
  readonly seed: number
}

/** UNION ALL: the inputs' partitions one after another. */
export interface UnionExec extends Physical {
  readonly kind: 'Union'
  readonly inputs: readonly PhysicalPlan[]
}

/**
 * Moves rows between partitions so they are spread as `partitioning` says: a hash shuffle (each
 * input partition split by key hash into n parts, output partition j the j-th part of every
 * input, in input order), or a gather into one partition (inputs concatenated in order).
 */
export interface ExchangeExec extends Physical {
  readonly kind: 'Exchange'
  readonly input: PhysicalPlan
  /**
   * For a hash exchange feeding a join: the dtype each key is hashed at, so an int32 key and the
   * int64 key it is matched with land in the same partition. Absent: the keys' own dtypes.
   */
  readonly keyDTypes?: readonly DType[]
}

/**
 * An equi-join (or cross join) run partition by partition.
 * - `broadcast`: every partition of the streamed side joins all partitions of the other side
 *   (`build`); the output keeps the streamed side's partitioning. Only the side whose unmatched rows
 *   are dropped can be broadcast (a right join broadcasts the left side), so each unmatched row of
 *   the streamed side is emitted once.
 * - `partitioned`: both inputs are hash-partitioned alike on the keys (exchanges below when they
 *   are not already), and partition i joins partition i.
 * Key pairs of different dtypes are matched at `keyDTypes` (the key columns are cast first).
 */
export interface JoinExec extends Physical {
  readonly kind: 'Join'
  readonly left: PhysicalPlan
  readonly right: PhysicalPlan
  readonly how: JoinHow | 'cross'
  readonly leftOn: readonly string[]
  readonly rightOn: readonly string[]
  readonly keyDTypes: readonly DType[]
  readonly coalesceKeys: boolean
  readonly suffix: string
  readonly strategy: 'broadcast' | 'partitioned'
  /** The side the hash table is built on (the broadcast side, or the smaller estimate). */
  readonly build: JoinSide
}

export type PhysicalPlan =
  | ScanExec
  | FilterExec
  | ProjectExec
  | AggregateExec
  | SortExec
  | TopKExec
  | MergeSortedExec
  | LimitExec
  | UnionExec
  | ExchangeExec
  | JoinExec
  | SampleExec

export function physicalInputs(plan: PhysicalPlan): readonly PhysicalPlan[] {
  switch (plan.kind) {
    case 'Scan':
      return []
    case 'Union':
      return plan.inputs
    case 'Join':
      return [plan.left, plan.right]
    default:
      return [plan.input]
  }
}
