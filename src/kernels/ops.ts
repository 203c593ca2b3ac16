/**
 * The kernel operations a task graph can name, their JSON-safe arguments, and one dispatcher.
 * Lowering writes `{ op: KernelOps.filter, args: FilterArgs, deps }`; the scheduler's registry calls
 * `runKernelOp(op, args, inputs)` with the dependencies' batches in `deps` order. Arguments are
 * plain data (physical expressions, numbers), so tasks serialise and workers need no plans.
 *
 * Most ops return one batch. Two return several (the task declares `parts`): `hash-split` (a
 * shuffle write, `parts` batches) and `agg-partial` with `buckets` (a split_out, `buckets` state
 * batches). Reading several parts back into one batch needs no op of its own: `concat` takes any
 * number of inputs.
 */

import type { RecordBatch } from 'apache-arrow'
import type { DType } from '../types/dtype.js'
import { TsdaskError } from '../util/errors.js'
import type { BoolCol } from './column.js'
import { concatBatches } from './concat.js'
import { filterBatch, predicateMask } from './filter.js'
import { aggregateCombine } from './group-by/combine.js'
import { aggregateFinal } from './group-by/final.js'
import { aggregatePartial, aggregatePartialBuckets } from './group-by/partial.js'
import { aggregatePartialMasked } from './group-by/partial-masked.js'
import { type JoinOpArgs, runJoinOp } from './join/op.js'
import { mergeSorted } from './merge-sorted.js'
import { partitionByHash } from './partition-by-hash.js'
import type { AggSpec, NamedPhysicalExpr, PhysicalExpr, SortKey } from './physical-expr.js'
import { projectBatch } from './project.js'
import { type SampleArgs, sampleBatch } from './sample.js'
import { limitBatches } from './slice.js'
import { sortBatch } from './sort.js'
import { topK } from './top-k.js'

export const KernelOps = {
  filter: 'filter',
  project: 'project',
  aggPartial: 'agg-partial',
  aggCombine: 'agg-combine',
  aggFinal: 'agg-final',
  sort: 'sort',
  topK: 'top-k',
  mergeSorted: 'merge-sorted',
  concat: 'concat',
  limit: 'limit',
  hashSplit: 'hash-split',
  hashJoin: 'hash-join',
  sample: 'sample',
} as const

export type KernelOpName = (typeof KernelOps)[keyof typeof KernelOps]

export type { SampleArgs }
/** Inputs: one batch. */
export interface FilterArgs {
  readonly predicate: PhysicalExpr
}
/** Inputs: one batch. */
export interface ProjectArgs {
  readonly exprs: readonly NamedPhysicalExpr[]
}
/**
 * Inputs: one batch. `keys` are column indexes of the input. With `buckets`, the output is that
 * many parts (the task declares `parts: buckets`): part b holds the groups whose keys hash to
 * bucket b (group-by/buckets.ts), for a combine tree per bucket.
 */
export interface AggPartialArgs {
  readonly keys: readonly number[]
  readonly aggs: readonly AggSpec[]
  readonly buckets?: number
}
/** Inputs: any number of state batches (or parts of them), merged in order. */
export interface AggCombineArgs {
  readonly nKeys: number
  readonly aggs: readonly AggSpec[]
}
/** Inputs: one state batch, or several (combined first). */
export interface AggFinalArgs {
  readonly nKeys: number
  readonly aggs: readonly AggSpec[]
}
/** Inputs: one batch (several are concatenated first). */
export interface SortArgs {
  readonly keys: readonly SortKey[]
}
/** Inputs: one batch (several are concatenated first). */
export interface TopKArgs {
  readonly keys: readonly SortKey[]
  readonly k: number
}
/** Inputs: batches each sorted by `keys`. */
export interface MergeSortedArgs {
  readonly keys: readonly SortKey[]
  readonly offset: number
  readonly limit: number | null
}
/** Inputs: any number of batches. */
export type ConcatArgs = Record<string, never>
/** Inputs: any number of batches, concatenated in order, then rows [offset, offset + limit). */
export interface LimitArgs {
  readonly offset: number
  readonly limit: number | null
}
/**
 * Inputs: one batch (several are concatenated first). Output: `parts` batches (the task declares
 * `parts`), the rows split by a hash of the columns at `keys` (partition-by-hash.ts).
 */
export interface HashSplitArgs {
  readonly keys: readonly number[]
  readonly parts: number
  /** The dtype each key is hashed at (a join's matched dtypes); absent: the columns' own. */
  readonly keyDTypes?: readonly DType[]
}

export interface KernelOpArgs {
  filter: FilterArgs
  project: ProjectArgs
  'agg-partial': AggPartialArgs
  'agg-combine': AggCombineArgs
  'agg-final': AggFinalArgs
  sort: SortArgs
  'top-k': TopKArgs
  'merge-sorted': MergeSortedArgs
  concat: ConcatArgs
  limit: LimitArgs
  'hash-split': HashSplitArgs
  'hash-join': JoinOpArgs
  sample: SampleArgs
}

/** One batch, or the parts of a multi-part op. */
export type KernelOutput = RecordBatch | RecordBatch[]

/** What each op returns: parts for `hash-split`, parts or one batch for `agg-partial` (by `buckets`). */
export type KernelOpOutput<K extends KernelOpName> = K extends 'hash-split'
  ? RecordBatch[]
  : K extends 'agg-partial'
    ? KernelOutput
    : RecordBatch

type Handler<K extends KernelOpName> = (args: KernelOpArgs[K], inputs: readonly RecordBatch[]) => KernelOutput

function single(op: string, inputs: readonly RecordBatch[]): RecordBatch {
  if (inputs.length === 1) return inputs[0]!
  if (inputs.length === 0) throw new TsdaskError('INTERNAL', `kernel op ${op} got no input batch`)
  return concatBatches(inputs)
}

export const kernelHandlers: { readonly [K in KernelOpName]: Handler<K> } = {
  filter: (a, inputs) => filterBatch(single('filter', inputs), a.predicate),
  project: (a, inputs) => projectBatch(single('project', inputs), a.exprs),
  'agg-partial': (a, inputs) => {
    const batch = single('agg-partial', inputs)
    return a.buckets === undefined
      ? aggregatePartial(batch, a.keys, a.aggs)
      : aggregatePartialBuckets(batch, a.keys, a.aggs, a.buckets)
  },
  'agg-combine': (a, inputs) => aggregateCombine(inputs, a.nKeys, a.aggs),
  'agg-final': (a, inputs) =>
    aggregateFinal(inputs.length === 1 ? inputs[0]! : aggregateCombine(inputs, a.nKeys, a.aggs), a.nKeys, a.aggs),
  sort: (a, inputs) => sortBatch(single('sort', inputs), a.keys),
  'top-k': (a, inputs) => topK(single('top-k', inputs), a.keys, a.k),
  'merge-sorted': (a, inputs) => mergeSorted(inputs, a.keys, a.offset, a.limit),
  concat: (_a, inputs) => concatBatches(inputs),
  limit: (a, inputs) => limitBatches(inputs, a.offset, a.limit),
  'hash-split': (a, inputs) => partitionByHash(single('hash-split', inputs), a.keys, a.parts, a.keyDTypes),
  'hash-join': (a, inputs) => runJoinOp(a, inputs),
  sample: (a, inputs) => sampleBatch(single('sample', inputs), a),
}

/**
 * Two kernel ops that run back to back in a fused task and are cheaper together: `runFirst` runs
 * in the place of the first op (its errors are that step's) and hands `runSecond` what it needs,
 * which is not a finished value and never leaves the task.
 */
export interface KernelPair {
  readonly first: KernelOpName
  readonly second: KernelOpName
  readonly runFirst: (args: unknown, inputs: readonly RecordBatch[]) => unknown
  readonly runSecond: (args: unknown, carried: unknown) => KernelOutput
}

interface FilterMask {
  readonly batch: RecordBatch
  readonly mask: BoolCol
}

/** filter → agg-partial aggregates the rows the mask keeps, with no filtered copy of the columns. */
const filterThenPartial: KernelPair = {
  first: KernelOps.filter,
  second: KernelOps.aggPartial,
  runFirst: (args, inputs): FilterMask => {
    const batch = single('filter', inputs)
    return { batch, mask: predicateMask(batch, (args as FilterArgs).predicate) }
  },
  runSecond: (args, carried) => {
    const { keys, aggs, buckets } = args as AggPartialArgs
    const { batch, mask } = carried as FilterMask
    return aggregatePartialMasked(batch, mask, keys, aggs, buckets)
  },
}

export const kernelPairs: readonly KernelPair[] = [filterThenPartial]

export function isKernelOp(op: string): op is KernelOpName {
  return Object.hasOwn(kernelHandlers, op)
}

/**
 * Runs a kernel operation by name.
 *
 * @example
 * const out = runKernelOp(KernelOps.limit, { offset: 0, limit: 10 } satisfies LimitArgs, [batch])
 */
export function runKernelOp<K extends KernelOpName>(
  op: K,
  args: NoInfer<KernelOpArgs[K]>,
  inputs: readonly RecordBatch[],
): KernelOpOutput<K>
export function runKernelOp(op: string, args: unknown, inputs: readonly RecordBatch[]): KernelOutput
export function runKernelOp(op: string, args: unknown, inputs: readonly RecordBatch[]): KernelOutput {
  if (!isKernelOp(op)) {
    throw new TsdaskError('INTERNAL', `unknown kernel op '${op}'. Known: ${Object.keys(kernelHandlers).join(', ')}`)
  }
  const handler = kernelHandlers[op] as (args: unknown, inputs: readonly RecordBatch[]) => KernelOutput
  return handler(args ?? {}, inputs)
}
