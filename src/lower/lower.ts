/**
 * Lowering: an optimized logical plan becomes a partitioned task graph (`key → task`).
 *
 * - Row-wise nodes (Scan, Filter, Project) are one task per partition.
 * - Aggregate is a per-partition partial aggregation, a tree of combines (fan-in `COMBINE_FAN_IN`)
 *   and one final step.
 * - Sort is a per-partition sort and one ordered merge; Limit over Sort is a per-partition top-k
 *   and the same merge with offset and limit.
 * - Limit alone concatenates its input's partitions in order and slices; `DataFrame.head()` avoids
 *   reading all of them by computing input partitions incrementally (see api/head.ts).
 *
 * Keys are derived from each task's op, args and input keys, never from the plan node that made
 * it (add-task.ts): deterministic, equal sub-plans share keys (and tasks), different work never does.
 */
import type { RecordBatch } from 'apache-arrow'
import { dtypeOf } from '../expr/dtype-of.js'
import type { JsonValue, Key, Task, TaskMeta } from '../graph/task-graph.js'
import { estimatedChunkBytes } from '../io/csv/estimate.js'
import { CsvOps } from '../io/csv/ops.js'
import type { ReadCsvChunkArgs } from '../io/csv/read-chunk.js'
import {
  type AggCombineArgs,
  type AggFinalArgs,
  type AggPartialArgs,
  type FilterArgs,
  KernelOps,
  type LimitArgs,
  type MergeSortedArgs,
  type ProjectArgs,
  type SortArgs,
  type TopKArgs,
} from '../kernels/ops.js'
import type { AggSpec, NamedPhysicalExpr, SortKey } from '../kernels/physical-expr.js'
import { aggCallArgs } from '../plan/agg-call.js'
import type { AggregateNode, LimitNode, LogicalPlan, ScanNode, SortNode, UnaryPlan, UnionNode } from '../plan/plan.js'
import { schemaOf, sourceSchema } from '../plan/schema-of.js'
import { planSignature } from '../plan/signature.js'
import type { Schema } from '../types/schema.js'
import { addTask } from './add-task.js'
import { lowerScanExtras, minLimit, scanFilterArgs } from './lower-scan-pushdown.js'
import { distinctAsAggregate } from './set-ops.js'
import { toPhysical } from './to-physical.js'

export const COMBINE_FAN_IN = 8
/**
 * Buckets a grouped aggregate over several partitions splits its partial states into, by key hash
 * (Dask's `split_out`): each bucket runs its own combine tree, final step and sort, so the tail of
 * the aggregation keeps two workers busy instead of one, and a merge of the sorted buckets is all
 * that stays serial. Two is the gain that matters (the tail on one worker was ~11 % of the 2-worker
 * bench); more buckets would add tasks and hashing for workers a 2-core machine does not have.
 */
export const SPLIT_OUT = 2

export interface LoweredGraph {
  readonly tasks: Map<Key, Task>
  /** The root's partitions, in order. */
  readonly outputs: readonly Key[]
  /** Values already in memory (in-memory sources), by key; the scheduler does not compute these. */
  readonly inputs: Map<Key, RecordBatch>
  readonly schema: Schema
}

interface Builder {
  readonly tasks: Map<Key, Task>
  readonly inputs: Map<Key, RecordBatch>
  /**
   * Lowered nodes by plan signature, so a sub-plan used twice is lowered once. Only a shortcut:
   * lowering it again would add the very same tasks under the very same keys.
   */
  readonly memo: Map<string, readonly Key[]>
  /** Rows each CSV read may stop after; set only when the plan's root is the scan itself. */
  readonly scanRowLimit: number | null
}

export interface LowerOptions {
  /**
   * When the plan is a bare scan, each partition's reader may stop after this many rows: `head(n)`
   * then parses n rows of the first chunk, not the whole chunk.
   */
  readonly scanRowLimit?: number
}

export function lowerPlan(plan: LogicalPlan, options: LowerOptions = {}): LoweredGraph {
  const scanRowLimit = plan.kind === 'Scan' && options.scanRowLimit !== undefined ? options.scanRowLimit : null
  const b: Builder = { tasks: new Map(), inputs: new Map(), memo: new Map(), scanRowLimit }
  const outputs = lowerNode(plan, b)
  return { tasks: b.tasks, outputs, inputs: b.inputs, schema: schemaOf(plan) }
}

function lowerNode(plan: LogicalPlan, b: Builder): readonly Key[] {
  const sig = planSignature(plan)
  const hit = b.memo.get(sig)
  if (hit) return hit
  const keys = lowerUncached(plan, b)
  b.memo.set(sig, keys)
  return keys
}

function lowerUncached(plan: LogicalPlan, b: Builder): readonly Key[] {
  switch (plan.kind) {
    case 'Scan':
      return lowerScan(plan, b)
    case 'Filter': {
      const args: FilterArgs = { predicate: toPhysical(plan.predicate, schemaOf(plan.input), 'bool') }
      return perPartition(plan, b, KernelOps.filter, 'filter', args)
    }
    case 'Project': {
      const input = schemaOf(plan.input)
      // A projection that passes every input column through unchanged is no task at all.
      const identity =
        plan.exprs.length === input.length &&
        plan.exprs.every((e, i) => e.expr.kind === 'Column' && e.expr.name === e.name && input[i]?.name === e.name)
      if (identity) return lowerNode(plan.input, b)
      const args: ProjectArgs = { exprs: plan.exprs.map((e) => ({ name: e.name, expr: toPhysical(e.expr, input) })) }
      return perPartition(plan, b, KernelOps.project, 'project', args)
    }
    case 'Aggregate':
      return lowerAggregate(plan, b)
    case 'Sort':
      return lowerSort(plan, b, null)
    case 'Limit':
      return plan.input.kind === 'Sort' ? lowerSort(plan.input, b, plan) : lowerLimit(plan, b)
    case 'Distinct':
      return lowerAggregate(distinctAsAggregate(plan), b)
    case 'Union':
      return lowerUnion(plan, b)
  }
}

function lowerUnion(plan: UnionNode, b: Builder): Key[] {
  const seen = new Set<Key>()
  return plan.inputs
    .flatMap((input) => lowerNode(input, b))
    .map((key, i) => {
      if (!seen.has(key)) {
        seen.add(key)
        return key
      }
      // Equal work on purpose: the suffix (the output position) is what keeps the copies apart.
      const task: Task = { op: KernelOps.concat, args: {}, deps: [key], meta: meta(plan, 'union', { partition: i }) }
      return add(b, task, `-${i}`)
    })
}

function meta(plan: LogicalPlan, label: string, extra: TaskMeta = {}): TaskMeta {
  return plan.origin ? { label, origin: plan.origin, ...extra } : { label, ...extra }
}

function add(b: Builder, task: Task, suffix = ''): Key {
  return addTask(b.tasks, task, suffix)
}

function perPartition(
  plan: UnaryPlan,
  b: Builder,
  op: string,
  label: string,
  args: object,
  inputKeys: readonly Key[] = lowerNode(plan.input, b),
): Key[] {
  return inputKeys.map((dep, i) =>
    add(b, { op, args: args as JsonValue, deps: [dep], meta: meta(plan, label, { partition: i }) }, `-${i}`),
  )
}

function lowerScan(plan: ScanNode, b: Builder): Key[] {
  const source = plan.source
  const all = sourceSchema(source)
  const wanted = plan.columns ?? all.map((f) => f.name)
  const indexes = wanted.map((name) => all.findIndex((f) => f.name === name))
  const filter = scanFilterArgs(plan)
  if (source.kind === 'csv') {
    const limit = minLimit(plan.rowLimit, b.scanRowLimit)
    return source.chunks.map((chunk, i) => {
      const args: ReadCsvChunkArgs = {
        path: chunk.path,
        start: chunk.start,
        end: chunk.end,
        fileSchema: all,
        columns: indexes,
        delimiter: source.delimiter,
        quote: source.quote,
        header: source.header,
        nullValues: source.nullValues,
        allowQuotedNulls: source.allowQuotedNulls,
        limit,
        ...filter,
      }
      const m = meta(plan, 'read-csv', {
        partition: i,
        source: `${chunk.path} bytes ${chunk.start}..${chunk.end}`,
        estimatedBytes: estimatedChunkBytes(chunk.end - chunk.start, indexes.length, all.length),
      })
      return add(b, { op: CsvOps.readCsv, args: args as unknown as JsonValue, deps: [], meta: m }, `-${i}`)
    })
  }
  let keys = source.batches.map((batch, i) => {
    const key = `memory-${source.id}-${i}`
    b.inputs.set(key, batch)
    return key
  })
  // In-memory sources decline pushed filters and limits (scan-pushdown.ts); a hand-built plan may
  // still carry them, and gets them as ordinary per-partition tasks.
  keys = lowerScanExtras(
    plan,
    keys,
    (task, suffix) => add(b, task, suffix),
    (label, i) => meta(plan, label, { partition: i }),
  )
  const identity = indexes.length === all.length && indexes.every((x, i) => x === i)
  if (identity) return keys
  const exprs: NamedPhysicalExpr[] = indexes.map((index, i) => ({
    name: wanted[i] ?? '',
    expr: { kind: 'column', index, dtype: all[index]?.dtype ?? 'int32' },
  }))
  return keys.map((dep, i) =>
    add(
      b,
      {
        op: KernelOps.project,
        args: { exprs } as unknown as JsonValue,
        deps: [dep],
        meta: meta(plan, 'select-columns', { partition: i }),
      },
      `-${i}`,
    ),
  )
}

function lowerAggregate(plan: AggregateNode, b: Builder): Key[] {
  const input = schemaOf(plan.input)
  let inputKeys = lowerNode(plan.input, b)
  // Aggregate inputs that are not plain columns are computed by a projection first, so the
  // aggregation kernels only ever see column indexes.
  const argsOf = plan.aggs.map(aggCallArgs)
  const needsProjection = argsOf.some((args) => args.some((a) => a.kind !== 'Column'))
  let keyIndexes = plan.keys.map((k) => input.findIndex((f) => f.name === k))
  let argIndex = (i: number, j = 0): number | null => {
    const arg = argsOf[i]?.[j]
    return arg && arg.kind === 'Column' ? input.findIndex((f) => f.name === arg.name) : null
  }
  if (needsProjection) {
    const exprs: NamedPhysicalExpr[] = plan.keys.map((k) => ({
      name: k,
      expr: toPhysical({ kind: 'Column', name: k }, input),
    }))
    const argPositions = argsOf.map((args, i) =>
      args.map((arg, j) => {
        exprs.push({ name: `__agg_input_${i}${j === 0 ? '' : `_${j}`}`, expr: toPhysical(arg, input) })
        return exprs.length - 1
      }),
    )
    const args: ProjectArgs = { exprs }
    inputKeys = perPartition(plan, b, KernelOps.project, 'agg-inputs', args, inputKeys)
    keyIndexes = plan.keys.map((_, i) => i)
    argIndex = (i, j = 0) => argPositions[i]?.[j] ?? null
  }
  const schema = schemaOf(plan)
  const aggs: AggSpec[] = plan.aggs.map((a, i) => {
    const spec: AggSpec = {
      fn: a.fn,
      input: a.fn === 'countAll' ? null : argIndex(i),
      inputDType: a.arg ? dtypeOf(a.arg, input) : null,
      name: a.name,
      dtype: schema[plan.keys.length + i]?.dtype ?? 'int64',
    }
    const second = a.arg2 === undefined ? null : argIndex(i, 1)
    return second === null ? spec : { ...spec, input2: second }
  })
  const buckets = plan.keys.length > 0 && inputKeys.length > 1 ? SPLIT_OUT : 1
  const partialArgs: AggPartialArgs = buckets > 1 ? { keys: keyIndexes, aggs, buckets } : { keys: keyIndexes, aggs }
  const partials = perPartition(plan, b, KernelOps.aggPartial, 'agg-partial', partialArgs, inputKeys)
  const combineArgs: AggCombineArgs = { nKeys: plan.keys.length, aggs }
  const finalArgs: AggFinalArgs = { nKeys: plan.keys.length, aggs }
  if (buckets === 1) {
    const root = combineTree(plan, b, partials, combineArgs, null)
    const task: Task = {
      op: KernelOps.aggFinal,
      args: finalArgs as unknown as JsonValue,
      deps: root,
      meta: meta(plan, 'agg-final'),
    }
    return [add(b, task)]
  }
  const finals = Array.from({ length: buckets }, (_, index) => {
    const root = combineTree(plan, b, partials, combineArgs, { index, of: buckets })
    const m = meta(plan, 'agg-final', { partition: index })
    const task: Task = { op: KernelOps.aggFinal, args: finalArgs as unknown as JsonValue, deps: root, meta: m }
    return add(b, task, `-b${index}`)
  })
  // Each bucket's result is sorted by the keys (agg-final); merging them keeps the aggregate's one
  // output partition in key order, whatever the number of buckets.
  const keys: SortKey[] = plan.keys.map((_, index) => ({ index, descending: false, nullsFirst: false }))
  return addMergeSorted(b, 'agg-merge-buckets', plan, { keys, offset: 0, limit: null }, finals)
}

/** One task merging `deps`, each sorted by `args.keys`, labelled `label` for `owner`. */
function addMergeSorted(
  b: Builder,
  label: string,
  owner: LogicalPlan,
  args: MergeSortedArgs,
  deps: readonly Key[],
): Key[] {
  const task: Task = { op: KernelOps.mergeSorted, args: args as unknown as JsonValue, deps, meta: meta(owner, label) }
  return [add(b, task)]
}

/**
 * The combine tree over `level` (fan-in COMBINE_FAN_IN), down to the keys the final step reads
 * (several when the tree stops at a level of one group). With `bucket`, the first level reads only
 * that bucket's rows of each partial state, so every bucket has a tree of its own.
 */
function combineTree(
  plan: AggregateNode,
  b: Builder,
  partials: readonly Key[],
  args: AggCombineArgs,
  bucket: { readonly index: number; readonly of: number } | null,
): readonly Key[] {
  const tree = bucket ? `-b${bucket.index}` : ''
  let level = partials
  for (let depth = 0; level.length > 1 || (bucket !== null && depth === 0); depth++) {
    const split = bucket !== null && depth === 0
    const next: Key[] = []
    for (let i = 0; i < level.length; i += COMBINE_FAN_IN) {
      const deps = level.slice(i, i + COMBINE_FAN_IN)
      if (deps.length === 1 && !split) {
        next.push(deps[0] as Key)
        continue
      }
      const taskArgs: AggCombineArgs = split ? { ...args, bucket } : args
      const m = split ? meta(plan, 'agg-bucket-combine', { partition: bucket.index }) : meta(plan, 'agg-combine')
      const task: Task = { op: KernelOps.aggCombine, args: taskArgs as unknown as JsonValue, deps, meta: m }
      next.push(add(b, task, `${tree}-${depth}-${next.length}`))
    }
    level = next
  }
  return level
}

function sortKeys(plan: SortNode): SortKey[] {
  const schema = schemaOf(plan.input)
  return plan.keys.map((k) => ({
    index: schema.findIndex((f) => f.name === k.column),
    descending: k.descending,
    nullsFirst: k.nullsFirst,
  }))
}

function lowerSort(plan: SortNode, b: Builder, limit: LimitNode | null): Key[] {
  const keys = sortKeys(plan)
  const local = limit
    ? perPartition(plan, b, KernelOps.topK, 'top-k', { keys, k: limit.offset + limit.limit } satisfies TopKArgs)
    : perPartition(plan, b, KernelOps.sort, 'sort', { keys } satisfies SortArgs)
  const args: MergeSortedArgs = { keys, offset: limit?.offset ?? 0, limit: limit?.limit ?? null }
  return addMergeSorted(b, 'merge-sorted', limit ?? plan, args, local)
}

function lowerLimit(plan: LimitNode, b: Builder): Key[] {
  const deps = lowerNode(plan.input, b)
  const args: LimitArgs = { offset: plan.offset, limit: plan.limit }
  return [add(b, { op: KernelOps.limit, args: args as unknown as JsonValue, deps, meta: meta(plan, 'limit') })]
}
