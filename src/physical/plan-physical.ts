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
import type { AggregateNode, LimitNode, LogicalPlan, SortKeySpec, SortNode } from '../plan/plan.js'
import { schemaOf } from '../plan/schema-of.js'
import { distinctAsAggregate } from './distinct.js'
import {
  type Distribution,
  normalized,
  type Partitioning,
  partitionCount,
  renameOrdering,
  renamePartitioning,
  satisfies,
} from './partitioning.js'
import type { AggregateExec, MergeSortedExec, PhysicalPlan } from './physical-plan.js'

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
}

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
