/**
 * Lowering: a physical plan (physical/plan-physical.ts made every decision) becomes a partitioned
 * task graph (`key → task`).
 *
 * - Row-wise operators (Scan, Filter, Project, Sort, TopK) are one task per partition.
 * - Aggregate is a per-partition partial aggregation, a tree of combines (fan-in `COMBINE_FAN_IN`)
 *   and one final step, per bucket.
 * - MergeSorted is one task merging sorted partitions; Limit concatenates its input's partitions
 *   in order and slices (an incremental limit is run by api/execute.ts, partitions a few at a time).
 *
 * Keys are derived from each task's op, args and input keys, never from the plan node that made
 * it (add-task.ts): deterministic, equal sub-plans share keys (and tasks), different work never does.
 */
import type { RecordBatch } from 'apache-arrow'
import { dtypeOf } from '../expr/dtype-of.js'
import type { Dep, JsonValue, Key, Task, TaskMeta } from '../graph/task-graph.js'
import { estimatedChunkBytes } from '../io/csv/estimate.js'
import { CsvOps } from '../io/csv/ops.js'
import type { ReadCsvChunkArgs } from '../io/csv/read-chunk.js'
import type { JoinOpArgs } from '../kernels/join/op.js'
import {
  type AggCombineArgs,
  type AggFinalArgs,
  type AggPartialArgs,
  type FilterArgs,
  type HashSplitArgs,
  KernelOps,
  type LimitArgs,
  type MergeSortedArgs,
  type ProjectArgs,
  type SampleArgs,
  type SortArgs,
  type TopKArgs,
} from '../kernels/ops.js'
import type { AggSpec, NamedPhysicalExpr, SortKey } from '../kernels/physical-expr.js'
import { describePartitioning } from '../physical/partitioning.js'
import type {
  AggregateExec,
  ExchangeExec,
  JoinExec,
  PhysicalPlan,
  SampleExec,
  ScanExec,
  UnionExec,
} from '../physical/physical-plan.js'
import { planPhysical } from '../physical/plan-physical.js'
import { aggCallArgs } from '../plan/agg-call.js'
import type { LogicalPlan, SortKeySpec } from '../plan/plan.js'
import { sourceSchema } from '../plan/schema-of.js'
import type { Schema } from '../types/schema.js'
import { TsdaskError } from '../util/errors.js'
import { addPartsTask, addTask } from './add-task.js'
import { lowerScanExtras, scanFilterArgs } from './lower-scan-pushdown.js'
import { toPhysical } from './to-physical.js'

export { COMBINE_FAN_IN, SPLIT_OUT } from '../physical/plan-physical.js'

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
   * Lowered operators, so an operator the physical plan shares (a sub-plan used twice) is lowered
   * once. Only a shortcut: lowering it again would add the very same tasks under the very same keys.
   */
  readonly memo: Map<PhysicalPlan, readonly Key[]>
}

/** Plans and lowers a logical plan with every partition computed (no incremental limit at the root). */
export function lowerPlan(plan: LogicalPlan): LoweredGraph {
  return lowerPhysical(planPhysical(plan, { incrementalLimit: false }))
}

export function lowerPhysical(plan: PhysicalPlan): LoweredGraph {
  const b: Builder = { tasks: new Map(), inputs: new Map(), memo: new Map() }
  const outputs = lowerNode(plan, b)
  return { tasks: b.tasks, outputs, inputs: b.inputs, schema: plan.schema }
}

function lowerNode(plan: PhysicalPlan, b: Builder): readonly Key[] {
  const hit = b.memo.get(plan)
  if (hit) return hit
  const keys = lowerUncached(plan, b)
  b.memo.set(plan, keys)
  return keys
}

function lowerUncached(plan: PhysicalPlan, b: Builder): readonly Key[] {
  switch (plan.kind) {
    case 'Scan':
      return lowerScan(plan, b)
    case 'Filter': {
      const args: FilterArgs = { predicate: toPhysical(plan.predicate, plan.input.schema, 'bool') }
      return perPartition(plan, b, KernelOps.filter, 'filter', args)
    }
    case 'Project': {
      const input = plan.input.schema
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
    case 'Sort': {
      const args: SortArgs = { keys: sortKeys(plan.keys, plan.input.schema) }
      return perPartition(plan, b, KernelOps.sort, 'sort', args)
    }
    case 'TopK': {
      const args: TopKArgs = { keys: sortKeys(plan.keys, plan.input.schema), k: plan.k }
      return perPartition(plan, b, KernelOps.topK, 'top-k', args)
    }
    case 'MergeSorted': {
      const args: MergeSortedArgs = {
        keys: sortKeys(plan.keys, plan.input.schema),
        offset: plan.offset,
        limit: plan.limit,
      }
      // The merge of an aggregate's buckets is the aggregate's own last step.
      const label = plan.input.kind === 'Aggregate' ? 'agg-merge-buckets' : 'merge-sorted'
      return addMergeSorted(b, label, plan, args, lowerNode(plan.input, b))
    }
    case 'Limit': {
      const args: LimitArgs = { offset: plan.offset, limit: plan.limit }
      const deps = lowerNode(plan.input, b)
      return [add(b, { op: KernelOps.limit, args: args as unknown as JsonValue, deps, meta: meta(plan, 'limit') })]
    }
    case 'Union':
      return lowerUnion(plan, b)
    case 'Join':
      return lowerJoin(plan, b)
    case 'Sample':
      return lowerSample(plan, b)
    case 'Exchange':
      return lowerExchange(plan, b)
  }
}

/**
 * A broadcast join is one task per streamed partition reading all of the broadcast side; a
 * partitioned join one task per partition pair (the physical plan put exchanges below it).
 */
function lowerJoin(plan: JoinExec, b: Builder): Key[] {
  const left = lowerNode(plan.left, b)
  const right = lowerNode(plan.right, b)
  const index = (schema: Schema, name: string) => schema.findIndex((f) => f.name === name)
  const args = (nLeft: number): JoinOpArgs => ({
    how: plan.how,
    leftOn: plan.leftOn.map((n) => index(plan.left.schema, n)),
    rightOn: plan.rightOn.map((n) => index(plan.right.schema, n)),
    keyDTypes: plan.keyDTypes,
    build: plan.build,
    suffix: plan.suffix,
    coalesceKeys: plan.coalesceKeys,
    nLeft,
  })
  const task = (deps: readonly Key[], nLeft: number, i: number): Key =>
    add(
      b,
      {
        op: KernelOps.hashJoin,
        args: args(nLeft) as unknown as JsonValue,
        deps,
        meta: meta(plan, 'hash-join', { partition: i }),
      },
      `-${i}`,
    )
  if (plan.strategy === 'broadcast') {
    return plan.build === 'right'
      ? left.map((key, i) => task([key, ...right], 1, i))
      : right.map((key, i) => task([...left, key], left.length, i))
  }
  if (left.length !== right.length) {
    throw new TsdaskError('INTERNAL', `a partitioned join got ${left.length} left and ${right.length} right partitions`)
  }
  return left.map((key, i) => task([key, right[i]!], 1, i))
}

/**
 * A hash exchange: each input partition is one `hash-split` task with n parts, and output
 * partition j concatenates part j of every split, in input order. A gather concatenates all
 * partitions into one.
 */
function lowerExchange(plan: ExchangeExec, b: Builder): Key[] {
  const inputs = lowerNode(plan.input, b)
  const p = plan.partitioning
  if (p.kind === 'single') {
    return [add(b, { op: KernelOps.concat, args: {}, deps: inputs, meta: meta(plan, 'gather') })]
  }
  if (p.kind !== 'hash') {
    throw new TsdaskError('INTERNAL', `no lowering for ${describePartitioning(p)} exchanges yet`)
  }
  const args: HashSplitArgs = {
    keys: p.keys.map((name) => plan.input.schema.findIndex((f) => f.name === name)),
    parts: p.n,
    ...(plan.keyDTypes && { keyDTypes: plan.keyDTypes }),
  }
  const splits = inputs.map((dep, i) =>
    addPartsTask(
      b.tasks,
      {
        op: KernelOps.hashSplit,
        args: args as unknown as JsonValue,
        deps: [dep],
        meta: meta(plan, 'hash-split', { partition: i }),
      },
      p.n,
      `-${i}`,
    ),
  )
  return Array.from({ length: p.n }, (_, j) =>
    add(
      b,
      {
        op: KernelOps.concat,
        args: {},
        deps: splits.map((parts) => parts[j]!),
        meta: meta(plan, 'shuffle-read', { partition: j }),
      },
      `-${j}`,
    ),
  )
}

/** One task per partition, each told its partition's index: the sample's draws depend on it. */
function lowerSample(plan: SampleExec, b: Builder): Key[] {
  return lowerNode(plan.input, b).map((dep, partition) => {
    const args: SampleArgs = { fraction: plan.fraction, seed: plan.seed, partition }
    const task: Task = {
      op: KernelOps.sample,
      args: { ...args },
      deps: [dep],
      meta: meta(plan, 'sample', { partition }),
    }
    return add(b, task, `-${partition}`)
  })
}

function lowerUnion(plan: UnionExec, b: Builder): Key[] {
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

function meta(plan: { readonly origin?: string | undefined }, label: string, extra: TaskMeta = {}): TaskMeta {
  return plan.origin ? { label, origin: plan.origin, ...extra } : { label, ...extra }
}

function add(b: Builder, task: Task, suffix = ''): Key {
  return addTask(b.tasks, task, suffix)
}

function perPartition(
  plan: Extract<PhysicalPlan, { readonly input: PhysicalPlan }>,
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

function lowerScan(exec: ScanExec, b: Builder): Key[] {
  const plan = exec.scan
  const source = plan.source
  const all = sourceSchema(source)
  const wanted = plan.columns ?? all.map((f) => f.name)
  const indexes = wanted.map((name) => all.findIndex((f) => f.name === name))
  const filter = scanFilterArgs(plan)
  if (source.kind === 'csv') {
    const limit = plan.rowLimit ?? null
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

function lowerAggregate(plan: AggregateExec, b: Builder): Key[] {
  const input = plan.input.schema
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
  const schema = plan.schema
  const aggs: AggSpec[] = plan.aggs.map((a, i) => {
    const spec: AggSpec = {
      fn: a.fn,
      input: a.fn === 'countAll' ? null : argIndex(i),
      inputDType: a.arg ? dtypeOf(a.arg, input) : null,
      name: a.name,
      dtype: schema[plan.keys.length + i]?.dtype ?? 'int64',
    }
    const second = a.arg2 === undefined ? null : argIndex(i, 1)
    const withQ = a.q === undefined ? spec : { ...spec, q: a.q }
    return second === null ? withQ : { ...withQ, input2: second }
  })
  const buckets = plan.buckets
  const combineArgs: AggCombineArgs = { nKeys: plan.keys.length, aggs }
  const finalArgs: AggFinalArgs = { nKeys: plan.keys.length, aggs }
  if (plan.mode === 'per-partition') {
    // Each partition holds whole groups: its partial state is already final.
    const partials = perPartition(plan, b, KernelOps.aggPartial, 'agg-partial', { keys: keyIndexes, aggs }, inputKeys)
    return partials.map((dep, i) =>
      add(
        b,
        {
          op: KernelOps.aggFinal,
          args: finalArgs as unknown as JsonValue,
          deps: [dep],
          meta: meta(plan, 'agg-final', { partition: i }),
        },
        `-${i}`,
      ),
    )
  }
  if (buckets === 1) {
    const partialArgs: AggPartialArgs = { keys: keyIndexes, aggs }
    const partials = perPartition(plan, b, KernelOps.aggPartial, 'agg-partial', partialArgs, inputKeys)
    const root = combineTree(plan, b, partials, combineArgs, null)
    const task: Task = {
      op: KernelOps.aggFinal,
      args: finalArgs as unknown as JsonValue,
      deps: root,
      meta: meta(plan, 'agg-final'),
    }
    return [add(b, task)]
  }
  // Each partial returns one state per bucket (a task with `buckets` parts).
  const partialArgs: AggPartialArgs = { keys: keyIndexes, aggs, buckets }
  const partials = inputKeys.map((dep, i) => {
    const task = { op: KernelOps.aggPartial, args: partialArgs as unknown as JsonValue, deps: [dep] }
    return addPartsTask(b.tasks, { ...task, meta: meta(plan, 'agg-partial', { partition: i }) }, buckets, `-${i}`)
  })
  const finals = Array.from({ length: buckets }, (_, index) => {
    const inBucket = partials.map((parts) => parts[index]!)
    const root = combineTree(plan, b, inBucket, combineArgs, index)
    const m = meta(plan, 'agg-final', { partition: index })
    const task: Task = { op: KernelOps.aggFinal, args: finalArgs as unknown as JsonValue, deps: root, meta: m }
    return add(b, task, `-b${index}`)
  })
  // Each bucket's result is sorted by the keys (agg-final); the plan merges them (MergeSorted).
  return finals
}

/** One task merging `deps`, each sorted by `args.keys`, labelled `label` for `owner`. */
function addMergeSorted(
  b: Builder,
  label: string,
  owner: PhysicalPlan,
  args: MergeSortedArgs,
  deps: readonly Key[],
): Key[] {
  const task: Task = { op: KernelOps.mergeSorted, args: args as unknown as JsonValue, deps, meta: meta(owner, label) }
  return [add(b, task)]
}

/**
 * The combine tree over `partials` (fan-in COMBINE_FAN_IN), down to what the final step reads
 * (several when the tree stops at a level of one group). With `bucket`, `partials` are that
 * bucket's parts of the partial states, and the tree's keys and labels say which bucket it is
 * (its first level is `agg-bucket-combine`, partition = the bucket).
 */
function combineTree(
  plan: AggregateExec,
  b: Builder,
  partials: readonly Dep[],
  args: AggCombineArgs,
  bucket: number | null,
): readonly Dep[] {
  const tree = bucket === null ? '' : `-b${bucket}`
  let level = partials
  for (let depth = 0; level.length > 1; depth++) {
    const next: Dep[] = []
    for (let i = 0; i < level.length; i += plan.fanIn) {
      const deps = level.slice(i, i + plan.fanIn)
      if (deps.length === 1) {
        next.push(deps[0]!)
        continue
      }
      const m =
        bucket !== null && depth === 0
          ? meta(plan, 'agg-bucket-combine', { partition: bucket })
          : meta(plan, 'agg-combine')
      const task: Task = { op: KernelOps.aggCombine, args: args as unknown as JsonValue, deps, meta: m }
      next.push(add(b, task, `${tree}-${depth}-${next.length}`))
    }
    level = next
  }
  return level
}

function sortKeys(keys: readonly SortKeySpec[], schema: Schema): SortKey[] {
  return keys.map((k) => ({
    index: schema.findIndex((f) => f.name === k.column),
    descending: k.descending,
    nullsFirst: k.nullsFirst,
  }))
}
