/**
 * From a logical plan to record batches: optimize, lower, cull, fuse, schedule. Also the
 * incremental path for `head()`: a Limit at the root computes its input's partitions a few at a
 * time, in order, and stops as soon as it has enough rows, so `head(5)` of a 2 GB file reads one
 * chunk.
 */
import type { RecordBatch } from 'apache-arrow'
import { cull } from '../graph/cull.js'
import { fuseLinearChains } from '../graph/fuse.js'
import type { Key, Task } from '../graph/task-graph.js'
import { limitBatches } from '../kernels/slice.js'
import { type LoweredGraph, lowerPhysical } from '../lower/lower.js'
import { optimize } from '../optimize/optimizer.js'
import type { RuleName } from '../optimize/rule.js'
import type { LimitExec, PhysicalPlan } from '../physical/physical-plan.js'
import { planPhysical } from '../physical/plan-physical.js'
import type { LogicalPlan } from '../plan/plan.js'
import type { Profile } from '../schedule/profile.js'
import type { Value } from '../schedule/registry.js'
import type { SchedulerEvent } from '../schedule/scheduler.js'
import { TsdaskError } from '../util/errors.js'
import { computeObservers } from './compute-observers.js'
import { schedulerFor } from './inline.js'
import { estimatedInputBytes } from './input-bytes.js'
import type { SchedulerChoice } from './schedulers.js'

export interface ComputeOptions {
  /** `'pool'` (default: worker threads, one per core) or `'sync'` (this thread, for debugging). */
  readonly scheduler?: SchedulerChoice
  /** Worker threads for the shared pool. */
  readonly workers?: number
  readonly signal?: AbortSignal
  /** false runs the plan as written (for comparing; results are the same). */
  readonly optimize?: boolean
  /** Optimizer rules to switch off by name. */
  readonly disableRules?: readonly RuleName[]
  /** false keeps every task separate (for debugging; results are the same). */
  readonly fuse?: boolean
  readonly onEvent?: (event: SchedulerEvent) => void
  /** A progress bar on stderr while the compute runs (terminals only). */
  readonly progress?: boolean
  /** Per-task timings: `true` prints a summary by operation on stderr; a `Profile` is filled for you. */
  readonly profile?: boolean | Profile
  /** Budget in bytes for partitions held at once by the scheduler; default a quarter of physical memory. */
  readonly maxMemory?: number
  /** Bound on tasks submitted at once; default 2 × workers. */
  readonly maxInFlight?: number
  /**
   * Inputs of fewer bytes than this run on the calling thread rather than start the worker pool
   * (a running pool is always used). Default 4 MiB, or `TSDASK_INLINE_BYTES`; 0 = always the pool.
   */
  readonly inlineBelow?: number
}

export interface PhysicalGraph {
  readonly graph: Map<Key, Task>
  readonly outputs: readonly Key[]
  readonly inputs: LoweredGraph['inputs']
  readonly tasksLowered: number
  readonly tasksCulled: number
  /** Bytes the graph reads from files and in-memory partitions (an estimate). */
  readonly inputBytes: number
}

export function optimizedPlan(plan: LogicalPlan, options: ComputeOptions = {}): LogicalPlan {
  const off = options.optimize === false || process.env.TSDASK_OPTIMIZER === 'off'
  return off ? plan : optimize(plan, { disable: options.disableRules ?? [] })
}

/** The physical plan of an optimized plan, as `compute()` runs it. */
export function physicalPlan(optimized: LogicalPlan): PhysicalPlan {
  return planPhysical(optimized)
}

export function physicalGraph(
  plan: PhysicalPlan,
  options: ComputeOptions = {},
  outputs?: (lowered: LoweredGraph) => readonly Key[],
): PhysicalGraph {
  const lowered = lowerPhysical(plan)
  const wanted = outputs ? outputs(lowered) : lowered.outputs
  const culled = cull(lowered.tasks, wanted, { external: lowered.inputs })
  const fuseOff = options.fuse === false || process.env.TSDASK_FUSE === 'off'
  const graph = fuseOff ? culled : fuseLinearChains(culled, wanted, { external: lowered.inputs }).graph
  return {
    graph,
    outputs: wanted,
    inputs: lowered.inputs,
    tasksLowered: lowered.tasks.size,
    tasksCulled: culled.size,
    inputBytes: estimatedInputBytes(culled, lowered.inputs, wanted),
  }
}

/** Computes the plan's partitions, in order. */
export async function executePlan(plan: LogicalPlan, options: ComputeOptions = {}): Promise<RecordBatch[]> {
  const physical = physicalPlan(optimizedPlan(plan, options))
  if (physical.kind === 'Limit' && physical.incremental) return executeHead(physical, options)
  const graph = physicalGraph(physical, options)
  return run(graph, graph.outputs, options)
}

async function run(physical: PhysicalGraph, outputs: readonly Key[], options: ComputeOptions): Promise<RecordBatch[]> {
  const scheduler = schedulerFor(options, physical.inputBytes)
  const observers = computeObservers(options)
  let values: Value[]
  try {
    values = await scheduler.compute(physical.graph, outputs, {
      inputs: physical.inputs as ReadonlyMap<Key, Value>,
      ...(options.signal && { signal: options.signal }),
      ...(observers.onEvent && { onEvent: observers.onEvent }),
      ...(options.maxMemory !== undefined && { maxMemory: options.maxMemory }),
      ...(options.maxInFlight !== undefined && { maxInFlight: options.maxInFlight }),
    })
  } catch (error) {
    observers.finish(false)
    throw error
  }
  observers.finish(true)
  return values.map(asBatch)
}

async function executeHead(plan: LimitExec, options: ComputeOptions): Promise<RecordBatch[]> {
  const wanted = plan.offset + plan.limit
  const parts = lowerPhysical(plan.input).outputs
  const got: RecordBatch[] = []
  let rows = 0
  let next = 0
  // Partitions are taken 1, 2, 4, … at a time: one round for the common case, few rounds otherwise.
  for (let round = 1; next < parts.length && rows < wanted; round *= 2) {
    const keys = parts.slice(next, next + round)
    next += keys.length
    const physical = physicalGraph(plan.input, options, () => keys)
    const batches = await run(physical, keys, options)
    for (const b of batches) {
      got.push(b)
      rows += b.numRows
    }
  }
  return [limitBatches(got, plan.offset, plan.limit)]
}

function asBatch(value: Value): RecordBatch {
  if (value && typeof value === 'object' && 'numRows' in value) return value as RecordBatch
  throw new TsdaskError('INTERNAL', `a partition computed to ${JSON.stringify(value)} instead of a record batch`)
}
