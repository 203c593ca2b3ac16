/**
 * From an optimized logical plan to the physical plan: every "how" decision, made once.
 *
 * - A limit over a sort is a per-partition top-k and a merge; a sort alone is a per-partition sort
 *   and a merge (the output is one ordered partition).
 * - An aggregate over several partitions runs in two phases with its states split into
 *   `splitOut` buckets by key hash, then merged back into one partition in key order; an
 *   aggregate whose input is already clustered on its keys runs per partition.
 * - DISTINCT is an aggregate on every column with no aggregate calls.
 * - A limit at the root computes its input's partitions incrementally; over a bare scan, its
 *   readers also stop after offset + limit rows.
 *
 * `distribute` is the one place that compares a need with what the input offers and inserts an
 * exchange when they differ (DataFusion's EnforceDistribution, done while planning).
 */
import { joinColumns, joinKeys } from '../plan/join-schema.js'
import type { AggregateNode, JoinNode, LimitNode, LogicalPlan, SortKeySpec, SortNode } from '../plan/plan.js'
import { schemaOf } from '../plan/schema-of.js'
import type { DType } from '../types/dtype.js'
import type { JoinSide } from '../types/join-how.js'
import { distinctAsAggregate } from './distinct.js'
import { estimatedBytes } from './estimate-bytes.js'
import {
  type Distribution,
  normalized,
  type Partitioning,
  partitionCount,
  renameOrdering,
  renamePartitioning,
  satisfies,
} from './partitioning.js'
import type { AggregateExec, ExchangeExec, JoinExec, MergeSortedExec, PhysicalPlan } from './physical-plan.js'

export interface PhysicalOptions {
  /** Buckets a two-phase aggregate splits its states into. */
  readonly splitOut: number
  /** Partial states a combine task reads at most. */
  readonly fanIn: number
  /**
   * Whether a limit at the root is computed incrementally (`head()`): false for callers that
   * need every partition's task in the graph (explain's task counts are of the full graph).
   */
  readonly incrementalLimit: boolean
  /** A join broadcasts a side estimated at most this many bytes (JoinNode.broadcastBelow overrides). */
  readonly broadcastBelow: number
}

/**
 * 32 MiB: each partition of the other side builds its own hash table over the broadcast side, so
 * the cost grows with (partitions × its size); a shuffle moves both sides once. Spark's default is
 * 10 MB over a network; here a "broadcast" is shared memory, so a larger side still pays.
 */
export const DEFAULT_BROADCAST_BYTES = 32 * 1024 * 1024

/** Partial states a combine task reads at most. */
export const COMBINE_FAN_IN = 8
/**
 * Buckets a grouped aggregate over several partitions splits its partial states into, by key hash
 * (Dask's `split_out`): each bucket runs its own combine tree, final step and sort, so the tail of
 * the aggregation keeps two workers busy instead of one, and a merge of the sorted buckets is all
 * that stays serial. Two is the gain that matters (the tail on one worker was ~11 % of the 2-worker
 * bench); more buckets would add tasks and hashing for workers a 2-core machine does not have.
 */
export const SPLIT_OUT = 2

export const DEFAULT_PHYSICAL_OPTIONS: PhysicalOptions = {
  splitOut: SPLIT_OUT,
  fanIn: COMBINE_FAN_IN,
  incrementalLimit: true,
  broadcastBelow: DEFAULT_BROADCAST_BYTES,
}

export function planPhysical(plan: LogicalPlan, options: Partial<PhysicalOptions> = {}): PhysicalPlan {
  const o = { ...DEFAULT_PHYSICAL_OPTIONS, ...options }
  if (plan.kind === 'Limit' && plan.input.kind !== 'Sort') return rootLimit(plan, o)
  return toPhysical(plan, o)
}

function toPhysical(plan: LogicalPlan, o: PhysicalOptions): PhysicalPlan {
  const origin = plan.origin
  switch (plan.kind) {
    case 'Scan': {
      const parts = plan.source.kind === 'csv' ? plan.source.chunks.length : plan.source.batches.length
      return {
        kind: 'Scan',
        scan: plan,
        schema: schemaOf(plan),
        partitioning: normalized({ kind: 'unknown', n: parts }),
        ordering: [],
        origin,
      }
    }
    case 'Filter': {
      const input = toPhysical(plan.input, o)
      return { ...inherit(input), kind: 'Filter', input, predicate: plan.predicate, origin }
    }
    case 'Sample': {
      const input = toPhysical(plan.input, o)
      return { ...inherit(input), kind: 'Sample', input, fraction: plan.fraction, seed: plan.seed, origin }
    }
    case 'Project': {
      const input = toPhysical(plan.input, o)
      // A key column survives a projection that passes it through, under its (new) name.
      const rename = (column: string) =>
        plan.exprs.find((e) => e.expr.kind === 'Column' && e.expr.name === column)?.name
      return {
        kind: 'Project',
        input,
        exprs: plan.exprs,
        schema: schemaOf(plan),
        partitioning: renamePartitioning(input.partitioning, rename),
        ordering: renameOrdering(input.ordering, rename),
        origin,
      }
    }
    case 'Aggregate':
      return aggregate(plan, toPhysical(plan.input, o), o)
    case 'Distinct':
      return aggregate(distinctAsAggregate(plan), toPhysical(plan.input, o), o)
    case 'Sort':
      return sorted(plan, null, o)
    case 'Limit':
      if (plan.input.kind === 'Sort') return sorted(plan.input, plan, o)
      return limit(plan, toPhysical(plan.input, o), false)
    case 'Union': {
      const inputs = plan.inputs.map((i) => toPhysical(i, o))
      const n = inputs.reduce((sum, i) => sum + partitionCount(i.partitioning), 0)
      return {
        kind: 'Union',
        inputs,
        schema: schemaOf(plan),
        partitioning: normalized({ kind: 'unknown', n }),
        ordering: [],
        origin,
      }
    }
    case 'Join':
      return join(plan, toPhysical(plan.left, o), toPhysical(plan.right, o), o)
  }
}

/**
 * Broadcast when the side that may be broadcast (one whose unmatched rows the join drops: the
 * right side of inner, left, semi, anti and cross joins, the left side of inner and right joins)
 * is estimated small, or is one partition; else hash-partition both sides on the keys into as many
 * partitions as the larger input has (no exchange for a side already partitioned so).
 */
function join(plan: JoinNode, left: PhysicalPlan, right: PhysicalPlan, o: PhysicalOptions): JoinExec {
  const keys = joinKeys(plan, left.schema, right.schema)
  const threshold = plan.broadcastBelow ?? o.broadcastBelow
  const bytes = { left: estimatedBytes(plan.left), right: estimatedBytes(plan.right) }
  const small = (side: JoinSide) =>
    bytes[side] <= threshold || partitionCount((side === 'left' ? left : right).partitioning) === 1
  const mayBroadcast = (side: JoinSide) =>
    plan.how === 'cross' ||
    plan.how === 'inner' ||
    (side === 'right' ? plan.how !== 'right' && plan.how !== 'full' : plan.how === 'right')
  const candidates = (['right', 'left'] as const).filter((side) => mayBroadcast(side) && small(side))
  const base = {
    kind: 'Join' as const,
    how: plan.how,
    leftOn: plan.leftOn,
    rightOn: plan.rightOn,
    keyDTypes: keys.dtypes,
    coalesceKeys: plan.coalesceKeys,
    suffix: plan.suffix,
    schema: schemaOf(plan),
    origin: plan.origin,
  }
  if (plan.how === 'cross' || candidates.length > 0) {
    const broadcast = plan.how === 'cross' ? 'right' : candidates.sort((a, b) => bytes[a] - bytes[b])[0]!
    const streamed = broadcast === 'right' ? left : right
    // The kernel emits the streamed side's rows in order, each with its matches: its spread and
    // order survive, under the output names of its columns.
    const rename = outputName(plan, broadcast === 'right' ? 'left' : 'right')
    return {
      ...base,
      left,
      right,
      strategy: 'broadcast',
      build: broadcast,
      partitioning: renamePartitioning(streamed.partitioning, rename),
      ordering: renameOrdering(streamed.ordering, rename),
    }
  }
  const n = Math.max(partitionCount(left.partitioning), partitionCount(right.partitioning))
  const [l, r] = coPartitioned(left, plan.leftOn, right, plan.rightOn, keys.dtypes, n)
  // Rows with equal keys meet in one partition; the left key names still cluster the output where
  // no null-padded left key can appear (or where the keys are merged).
  const clustered = plan.how !== 'right' && plan.how !== 'full' ? true : plan.coalesceKeys
  return {
    ...base,
    left: l,
    right: r,
    strategy: 'partitioned',
    build: bytes.left < bytes.right ? 'left' : 'right',
    partitioning: normalized(clustered ? { kind: 'hash', keys: plan.leftOn, n } : { kind: 'unknown', n }),
    ordering: [],
  }
}

/** An input column's name in the join's output (undefined when the join drops it). */
function outputName(plan: JoinNode, side: JoinSide): (column: string) => string | undefined {
  const left = schemaOf(plan.left)
  const right = schemaOf(plan.right)
  const columns = joinColumns(plan, left, right)
  return (column) => {
    const schema = side === 'left' ? left : right
    const index = schema.findIndex((f) => f.name === column)
    return columns.find((c) => c.source.side === side && c.source.index === index)?.name
  }
}

/**
 * Both sides hash-partitioned on their keys into the same n partitions by the same hash: a side
 * already so (exactly these keys, in order, at the matched dtypes) is kept, the other exchanged.
 */
function coPartitioned(
  left: PhysicalPlan,
  leftOn: readonly string[],
  right: PhysicalPlan,
  rightOn: readonly string[],
  dtypes: readonly DType[],
  n: number,
): [PhysicalPlan, PhysicalPlan] {
  const ready = (side: PhysicalPlan, keys: readonly string[]) => {
    const p = side.partitioning
    const sameKeys =
      p.kind === 'hash' && p.n === n && p.keys.length === keys.length && p.keys.every((k, i) => k === keys[i])
    return sameKeys && keys.every((k, i) => side.schema.find((f) => f.name === k)?.dtype === dtypes[i])
  }
  // One partition on each side: partition 0 meets partition 0, nothing to move.
  if (n === 1) return [left, right]
  const exchange = (side: PhysicalPlan, keys: readonly string[]) =>
    ready(side, keys) ? side : hashExchange(side, keys, dtypes, n)
  return [exchange(left, leftOn), exchange(right, rightOn)]
}

function hashExchange(input: PhysicalPlan, keys: readonly string[], dtypes: readonly DType[], n: number): ExchangeExec {
  return {
    kind: 'Exchange',
    input,
    keyDTypes: dtypes,
    schema: input.schema,
    partitioning: { kind: 'hash', keys, n },
    ordering: [],
    origin: input.origin,
  }
}

/** A limit at the root: computed incrementally, and over a bare scan its readers stop early. */
function rootLimit(plan: LimitNode, o: PhysicalOptions): PhysicalPlan {
  const input = toPhysical(plan.input, o)
  if (!o.incrementalLimit) return limit(plan, input, false)
  const wanted = plan.offset + plan.limit
  // CSV readers stop after the rows wanted; in-memory partitions are sliced by the limit itself.
  const readerLimited =
    input.kind === 'Scan' && input.scan.source.kind === 'csv'
      ? { ...input, scan: { ...input.scan, rowLimit: Math.min(input.scan.rowLimit ?? wanted, wanted) } }
      : input
  return limit(plan, readerLimited, true)
}

function limit(plan: LimitNode, input: PhysicalPlan, incremental: boolean): PhysicalPlan {
  return {
    kind: 'Limit',
    input,
    offset: plan.offset,
    limit: plan.limit,
    incremental,
    schema: input.schema,
    partitioning: { kind: 'single' },
    ordering: input.ordering,
    origin: plan.origin,
  }
}

/** Per-partition sort (or top-k under a limit), then one ordered merge. */
function sorted(plan: SortNode, limitNode: LimitNode | null, o: PhysicalOptions): MergeSortedExec {
  const input = toPhysical(plan.input, o)
  const keys = plan.keys
  const base = { input, schema: input.schema, partitioning: input.partitioning, ordering: keys, origin: plan.origin }
  const local: PhysicalPlan = limitNode
    ? { ...base, kind: 'TopK', keys, k: limitNode.offset + limitNode.limit }
    : { ...base, kind: 'Sort', keys }
  return mergeSorted(local, keys, limitNode?.offset ?? 0, limitNode?.limit ?? null, (limitNode ?? plan).origin)
}

function mergeSorted(
  input: PhysicalPlan,
  keys: readonly SortKeySpec[],
  offset: number,
  limitRows: number | null,
  origin: string | undefined,
): MergeSortedExec {
  return {
    kind: 'MergeSorted',
    input,
    keys,
    offset,
    limit: limitRows,
    schema: input.schema,
    partitioning: { kind: 'single' },
    ordering: keys,
    origin,
  }
}

function aggregate(plan: AggregateNode, input: PhysicalPlan, o: PhysicalOptions): PhysicalPlan {
  const keys = plan.keys
  const ordering: SortKeySpec[] = keys.map((column) => ({ column, descending: false, nullsFirst: false }))
  const parts = partitionCount(input.partitioning)
  const clustered = keys.length > 0 && parts > 1 && satisfies(input.partitioning, { kind: 'clustered', keys })
  const buckets = keys.length > 0 && parts > 1 && !clustered ? o.splitOut : 1
  const partitioning: Partitioning = clustered
    ? input.partitioning
    : normalized(keys.length > 0 ? { kind: 'hash', keys, n: buckets } : { kind: 'single' })
  const exec: AggregateExec = {
    kind: 'Aggregate',
    input,
    keys,
    aggs: plan.aggs,
    mode: clustered || parts === 1 ? 'per-partition' : 'two-phase',
    buckets,
    fanIn: o.fanIn,
    schema: schemaOf(plan),
    partitioning,
    ordering,
    origin: plan.origin,
  }
  // One output partition in key order, whatever the buckets: the order users see is defined.
  return partitionCount(partitioning) > 1 ? mergeSorted(exec, ordering, 0, null, plan.origin) : exec
}

/** The operator's output spread and order carried over from `input` (row-wise operators). */
function inherit(input: PhysicalPlan): {
  schema: PhysicalPlan['schema']
  partitioning: Partitioning
  ordering: readonly SortKeySpec[]
} {
  return { schema: input.schema, partitioning: input.partitioning, ordering: input.ordering }
}

/**
 * `input`, or an exchange that spreads its rows as `need` requires (into `n` hash partitions for a
 * clustered need). Joins, windows and repartition call this; the operators above need none.
 */
export function distribute(input: PhysicalPlan, need: Distribution, n: number): PhysicalPlan {
  if (satisfies(input.partitioning, need)) return input
  const partitioning: Partitioning =
    need.kind === 'single'
      ? { kind: 'single' }
      : normalized({ kind: 'hash', keys: need.kind === 'clustered' ? need.keys : [], n })
  return { kind: 'Exchange', input, schema: input.schema, partitioning, ordering: [], origin: input.origin }
}
