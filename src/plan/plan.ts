/**
 * The logical plan: immutable nodes, each knowing its children; `schemaOf` derives every node's
 * output schema. Nodes remember where the user built them (`origin`), so failures deep inside a
 * worker can point back at the user's line.
 */
import type { RecordBatch } from 'apache-arrow'
import type { AggFn, ExprNode } from '../expr/expr-node.js'
import type { JoinHow } from '../types/join-how.js'
import type { Schema } from '../types/schema.js'

/** A byte range of one CSV file (raw offsets; the reader aligns them to record starts). */
export interface CsvChunkRef {
  readonly path: string
  readonly fileIndex: number
  readonly start: number
  readonly end: number
}

export interface CsvSource {
  readonly kind: 'csv'
  /** What the user asked for (a path or a glob), for explain() and errors. */
  readonly name: string
  readonly paths: readonly string[]
  readonly chunks: readonly CsvChunkRef[]
  readonly fileSchema: Schema
  readonly delimiter: string
  readonly quote: string
  readonly header: boolean
  readonly nullValues: readonly string[]
  /** Whether quoted fields matching `nullValues` are null too (io/csv/options.ts). */
  readonly allowQuotedNulls: boolean
}

/** Partitions already in memory on the main thread (fromArrow, fromRecords, persist). */
export interface MemorySource {
  readonly kind: 'memory'
  readonly name: string
  /** Unique per in-memory dataset; partition keys derive from it. */
  readonly id: string
  readonly schema: Schema
  /** The partitions themselves (held, not copied; the plan signature uses `id` only). */
  readonly batches: readonly RecordBatch[]
}

export type ScanSource = CsvSource | MemorySource

export interface ScanNode {
  readonly kind: 'Scan'
  readonly source: ScanSource
  /** Columns to read, in output order; null = all columns of the source. */
  readonly columns: readonly string[] | null
  /**
   * Predicates pushed into the reader (see scan-pushdown.ts): a row is kept only when every one is
   * true. They name columns of the source (not only `columns`), and apply before `rowLimit`.
   */
  readonly filters?: readonly ExprNode[] | undefined
  /** Rows each partition's reader may stop after (a limit pushed into the scan); applies after `filters`. */
  readonly rowLimit?: number | undefined
  readonly origin?: string | undefined
}

export interface FilterNode {
  readonly kind: 'Filter'
  readonly input: LogicalPlan
  readonly predicate: ExprNode
  readonly origin?: string | undefined
}

export interface NamedExpr {
  readonly name: string
  readonly expr: ExprNode
}

/** select / withColumns / rename / drop all become a Project listing every output column. */
export interface ProjectNode {
  readonly kind: 'Project'
  readonly input: LogicalPlan
  readonly exprs: readonly NamedExpr[]
  readonly origin?: string | undefined
}

export interface AggregateCall {
  readonly name: string
  readonly fn: AggFn
  /** null for countAll. */
  readonly arg: ExprNode | null
  /** corr's second argument; absent for one-argument aggregates. */
  readonly arg2?: ExprNode
  /** quantile's fraction in [0, 1]; absent for other aggregates. */
  readonly q?: number
}

export interface AggregateNode {
  readonly kind: 'Aggregate'
  readonly input: LogicalPlan
  readonly keys: readonly string[]
  readonly aggs: readonly AggregateCall[]
  readonly origin?: string | undefined
}

export interface SortKeySpec {
  readonly column: string
  readonly descending: boolean
  readonly nullsFirst: boolean
}

export interface SortNode {
  readonly kind: 'Sort'
  readonly input: LogicalPlan
  readonly keys: readonly SortKeySpec[]
  readonly origin?: string | undefined
}

export interface LimitNode {
  readonly kind: 'Limit'
  readonly input: LogicalPlan
  readonly offset: number
  readonly limit: number
  readonly origin?: string | undefined
}

/** SELECT DISTINCT *: one row per distinct row of the input (all columns; nulls equal each other). */
export interface DistinctNode {
  readonly kind: 'Distinct'
  readonly input: LogicalPlan
  readonly origin?: string | undefined
}

/**
 * UNION ALL: the rows of every input, partitions concatenated in input order. All inputs have
 * the same column names and dtypes in the same order (schemaOf checks).
 */
export interface UnionNode {
  readonly kind: 'Union'
  readonly inputs: readonly LogicalPlan[]
  readonly origin?: string | undefined
}

/**
 * An equi-join of two inputs on key column pairs (`leftOn[i]` = `rightOn[i]`; nulls never match),
 * or a cross join (no keys). The output holds the left columns, then the right ones (semi / anti:
 * the left ones only); a right column whose name the left side has gets `suffix`; with
 * `coalesceKeys` (USING, or `on` in the builder) each key pair appears once, under the left name
 * (types/join-columns.ts decides, for the plan and the kernel alike).
 */
export interface JoinNode {
  readonly kind: 'Join'
  readonly left: LogicalPlan
  readonly right: LogicalPlan
  readonly how: JoinHow | 'cross'
  readonly leftOn: readonly string[]
  readonly rightOn: readonly string[]
  readonly coalesceKeys: boolean
  readonly suffix: string
  /**
   * Broadcast the right side (every left partition joins all of it) when its estimated size is at
   * most this many bytes; otherwise both sides are hash-partitioned on the keys. Undefined: the
   * default threshold (physical/plan-physical.ts).
   */
  readonly broadcastBelow?: number | undefined
  readonly origin?: string | undefined
}

/**
 * A deterministic Bernoulli sample (DataFrame.sample): each row is kept when a hash of (seed, its
 * partition's index, its position in the partition) falls below `fraction`. Rows keep their order.
 */
export interface SampleNode {
  readonly kind: 'Sample'
  readonly input: LogicalPlan
  readonly fraction: number
  readonly seed: number
  readonly origin?: string | undefined
}

export type LogicalPlan =
  | ScanNode
  | FilterNode
  | ProjectNode
  | AggregateNode
  | SortNode
  | LimitNode
  | DistinctNode
  | UnionNode
  | JoinNode
  | SampleNode
export type PlanKind = LogicalPlan['kind']
/** The nodes with exactly one input (`plan.input`). */
export type UnaryPlan = Exclude<LogicalPlan, ScanNode | UnionNode | JoinNode>

export function planInputs(plan: LogicalPlan): readonly LogicalPlan[] {
  if (plan.kind === 'Union') return plan.inputs
  if (plan.kind === 'Join') return [plan.left, plan.right]
  return plan.kind === 'Scan' ? [] : [plan.input]
}

/** The same node over new inputs (identity when the inputs did not change). */
export function withInputs(plan: LogicalPlan, inputs: readonly LogicalPlan[]): LogicalPlan {
  if (plan.kind === 'Scan') return plan
  if (plan.kind === 'Union') {
    const same = inputs.length === plan.inputs.length && inputs.every((x, i) => x === plan.inputs[i])
    return same ? plan : { ...plan, inputs }
  }
  if (plan.kind === 'Join') {
    const [left = plan.left, right = plan.right] = inputs
    return left === plan.left && right === plan.right ? plan : { ...plan, left, right }
  }
  const input = inputs[0]
  if (!input || input === plan.input) return plan
  return { ...plan, input }
}

/** Rebuilds bottom-up, applying `f` to each node after its inputs. */
export function transformPlan(plan: LogicalPlan, f: (node: LogicalPlan) => LogicalPlan): LogicalPlan {
  const inputs = planInputs(plan).map((i) => transformPlan(i, f))
  return f(withInputs(plan, inputs))
}
