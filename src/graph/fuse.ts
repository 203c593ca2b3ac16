/**
 * `fuseLinearChains`: merge each linear chain of tasks into one task, so a partition flows through
 * read → filter → project → partial in one worker call, without a round trip through the
 * scheduler's store between steps (Dask's `fuse_linear`; dask-expr's `Fused`).
 *
 *   before (per partition i):  read-csv-…-i → filter-…-i → project-…-i → partial-…-i ─┐
 *                                                                                     combine
 *   after:                     partial-…-i (op 'fused', 4 steps) ────────────────────┘
 *
 * A is merged into B when B's only dependency is A's whole value, A's only dependent is B, A is not
 * an output, and `fusible` accepts both. The fused task is
 *   { op: 'fused', args: { steps: [{ op, args, meta }, …] }, deps: first task's deps, parts?, meta }
 * The first step receives the chain's external deps; each later step receives the previous step's
 * value as its single input (the registry's 'fused' op does exactly this). The fused task keeps the
 * LAST task's key, so dependents need no rewrite; its label is `fused-` + the steps' labels joined
 * by `-` (`fused-read-csv-filter-project-partial`), and partition / origin / source are kept
 * (each step also keeps its own meta, so an error names the step that failed).
 *
 * Must not act on: an output (its value must stay addressable), a task read by two dependents
 * (fusing would compute it twice), a task with several deps (its inputs come from different
 * chains). Tasks that are already 'fused' are flattened into the new chain.
 *
 * Multi-part tasks: a chain may end in one (read → filter → hash-split is one task with the
 * split's `parts`), and may start with a task that reads one part of another task (its part
 * reference becomes the fused task's dep). A multi-part task is never absorbed into a reader of
 * one of its parts: the reader would get every part, and the parts could not be freed one by one.
 */
import { TsdaskError } from '../util/errors.js'
import { depKey, isPartRef } from './deps.js'
import type { JsonValue, Key, Task, TaskGraph, TaskMeta } from './task-graph.js'
import { dependents } from './task-graph.js'

export const FUSED_OP = 'fused'

export interface FusedStep {
  readonly op: string
  readonly args: JsonValue
  readonly meta: TaskMeta
}

export interface FuseOptions {
  /** Which tasks may join a chain; default: all. */
  readonly fusible?: (task: Task, key: Key) => boolean
  /** Keys supplied from outside the graph (in-memory data): valid deps, never fused. */
  readonly external?: ReadonlySet<Key> | ReadonlyMap<Key, unknown>
}

export interface FuseResult {
  readonly graph: Map<Key, Task>
  /** Task counts before and after, as Dask's `len(graph)`: the figure tests and `explain` print. */
  readonly before: number
  readonly after: number
}

export function fuseLinearChains(graph: TaskGraph, outputs: readonly Key[], options: FuseOptions = {}): FuseResult {
  const fusible = options.fusible ?? (() => true)
  const readers = dependents(graph)
  const outputSet = new Set(outputs)
  for (const [key, task] of graph) {
    for (const dep of task.deps) {
      const depOn = depKey(dep)
      if (!graph.has(depOn) && !options.external?.has(depOn)) {
        throw new TsdaskError('INTERNAL', `fuse: task ${key} depends on ${depOn}, which is not in the graph`, {
          key,
          dep: depOn,
        })
      }
    }
  }

  /** The task that `key` would absorb as its predecessor, if any. */
  const predecessorToAbsorb = (key: Key, task: Task): Key | undefined => {
    if (task.deps.length !== 1) return undefined
    const ref = task.deps[0]!
    // A part of a multi-part task: the producer stays a task of its own (see the header).
    if (isPartRef(ref)) return undefined
    const dep = ref
    if (outputSet.has(dep) || !graph.has(dep) || readers.get(dep)?.length !== 1) return undefined
    const depTask = graph.get(dep)!
    if (depTask.parts !== undefined) return undefined
    return fusible(task, key) && fusible(depTask, dep) ? dep : undefined
  }

  const absorbed = new Set<Key>()
  const chains = new Map<Key, Key[]>()
  for (const [key, task] of graph) {
    // Only chain tails build chains: a task absorbed by its sole reader is not a tail.
    const reader = readers.get(key)
    if (reader?.length === 1 && predecessorToAbsorb(reader[0]!, graph.get(reader[0]!)!) === key) continue
    const chain = [key]
    let current = predecessorToAbsorb(key, task)
    while (current !== undefined) {
      chain.push(current)
      absorbed.add(current)
      current = predecessorToAbsorb(current, graph.get(current)!)
    }
    if (chain.length > 1) chains.set(key, chain.reverse())
  }

  const result = new Map<Key, Task>()
  for (const [key, task] of graph) {
    if (absorbed.has(key)) continue
    const chain = chains.get(key)
    result.set(key, chain ? fuseChain(chain.map((k) => graph.get(k)!)) : task)
  }
  return { graph: result, before: graph.size, after: result.size }
}

function fuseChain(tasks: readonly Task[]): Task {
  const steps = tasks.flatMap(stepsOf)
  const first = tasks[0]!
  const label = `fused-${steps.map((s) => s.meta.label ?? s.op).join('-')}`
  // The chain's facts come from its latest step that has them (the user's last call builds the
  // tail), except the source, which the first step (the reader) knows.
  const lastDefined = <K extends keyof TaskMeta>(k: K): TaskMeta[K] | undefined =>
    steps.findLast((s) => s.meta[k] !== undefined)?.meta[k]
  const partition = lastDefined('partition')
  const origin = lastDefined('origin')
  const source = steps.find((s) => s.meta.source !== undefined)?.meta.source
  // The reader's estimate bounds the chain: the steps after it filter, project and aggregate.
  const estimatedBytes = steps.find((s) => s.meta.estimatedBytes !== undefined)?.meta.estimatedBytes
  const meta: TaskMeta = {
    label,
    ...(partition !== undefined && { partition }),
    ...(origin !== undefined && { origin }),
    ...(source !== undefined && { source }),
    ...(estimatedBytes !== undefined && { estimatedBytes }),
  }
  const args = { steps: steps.map((s) => ({ op: s.op, args: s.args, meta: s.meta as JsonValue })) }
  // Only the chain's last task can have parts: a multi-part task is never absorbed (see header).
  const parts = tasks[tasks.length - 1]!.parts
  return { op: FUSED_OP, args, deps: first.deps, ...(parts !== undefined && { parts }), meta }
}

/** A task's steps: itself, or the steps of an already-fused task. */
function stepsOf(task: Task): FusedStep[] {
  if (task.op === FUSED_OP) return fusedSteps(task.args)
  return [{ op: task.op, args: task.args, meta: cleanMeta(task.meta) }]
}

/** Reads the `steps` argument of a 'fused' task, checking its shape. */
export function fusedSteps(args: JsonValue): FusedStep[] {
  const steps =
    args !== null && typeof args === 'object' && !Array.isArray(args) ? (args as { steps?: unknown }).steps : undefined
  if (!Array.isArray(steps) || steps.length === 0) {
    throw new TsdaskError(
      'INTERNAL',
      `a 'fused' task needs args { steps: [{ op, args, meta }, …] } with at least one step`,
    )
  }
  return steps.map((s: { op?: unknown; args?: JsonValue; meta?: TaskMeta }, i) => {
    if (typeof s?.op !== 'string') throw new TsdaskError('INTERNAL', `step ${i} of a 'fused' task has no op name`)
    return { op: s.op, args: s.args ?? null, meta: s.meta ?? {} }
  })
}

/** TaskMeta without undefined fields, so it is valid JSON in the fused args. */
function cleanMeta(meta: TaskMeta | undefined): TaskMeta {
  if (!meta) return {}
  return Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== undefined)) as TaskMeta
}
