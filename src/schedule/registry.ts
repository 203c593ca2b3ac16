/**
 * The op registry: task op names → functions. Every thread that runs tasks (the main thread for the
 * sync scheduler, each pool worker) builds its own registry by importing modules that call
 * `registerOp` at load time: `builtin-ops.ts` for tsdask's own ops, plus any `opModules` given to
 * the pool (tests, user extensions). Graphs stay JSON-safe because they name ops, never hold
 * functions (DESIGN: "task operations are looked up by name in a registry that workers load").
 *
 * The generic 'fused' op (built by `fuseLinearChains`) is registered here, because it only
 * composes other registered ops.
 */
import type { RecordBatch } from 'apache-arrow'
import { FUSED_OP, type FusedStep, fusedSteps } from '../graph/fuse.js'
import type { JsonValue, Key, TaskMeta } from '../graph/task-graph.js'
import { closestNames, TsdaskError } from '../util/errors.js'

/** What a task produces and consumes: an Arrow batch (a partition) or a JSON value (a scalar, a sample, a plan fragment). */
export type Value = RecordBatch | JsonValue

/**
 * What an op returns: one value, or, for a task that declares `parts: n`, an array of exactly n
 * values (its parts; the scheduler checks the count). Which one is meant is the task's to say, so
 * a JSON array stays one value for a task without parts.
 */
export type OpOutput = Value | readonly Value[]

export interface OpContext {
  readonly key: Key
  /** Aborted when the compute is cancelled or failed elsewhere; long async ops should honour it. */
  readonly signal?: AbortSignal
}

export type OpFn = (args: JsonValue, inputs: readonly Value[], ctx: OpContext) => OpOutput | Promise<OpOutput>

const ops = new Map<string, OpFn>()

/**
 * Registers `fn` under `name` in this thread. Registering a different function under a taken name
 * throws unless `replace` is set: two modules fighting over a name is a bug that would otherwise
 * surface as wrong results on some threads only.
 */
export function registerOp(name: string, fn: OpFn, options: { readonly replace?: boolean } = {}): void {
  const existing = ops.get(name)
  if (existing && existing !== fn && !options.replace) {
    throw new TsdaskError(
      'INTERNAL',
      `op '${name}' is already registered by another module. Pick another name, or pass { replace: true } to override it on purpose.`,
      { op: name },
    )
  }
  // A replaced op is no longer the one its fused pairs stand in for.
  if (existing && existing !== fn) dropPairsOf(name)
  ops.set(name, fn)
}

export function hasOp(name: string): boolean {
  return ops.has(name)
}

export function registeredOps(): string[] {
  return [...ops.keys()].sort()
}

export function getOp(name: string): OpFn {
  const fn = ops.get(name)
  if (fn) return fn
  const similar = closestNames(name, registeredOps())
  throw new TsdaskError(
    'INTERNAL',
    `unknown op '${name}': no operation of that name is registered in this thread` +
      (similar.length > 0 ? ` (did you mean ${similar.map((s) => `'${s}'`).join(', ')}?)` : '') +
      '. Ops are registered with registerOp() by modules the scheduler loads: builtin ops by ' +
      'src/schedule/builtin-ops.ts, others through createPoolScheduler({ opModules }) (and an import, for the sync scheduler).',
    { op: name },
  )
}

/**
 * The step of a fused task that threw, recorded on the error so the failure message names the
 * step (e.g. `filter`) rather than the whole fused chain. A WeakMap, not a property, so errors from
 * user code are not mutated; the pool worker copies it into its reply.
 */
const failedSteps = new WeakMap<object, TaskMeta>()

export function markFailedStep(error: unknown, meta: TaskMeta): void {
  if (typeof error === 'object' && error !== null && !failedSteps.has(error)) failedSteps.set(error, meta)
}

export function failedStepOf(error: unknown): TaskMeta | undefined {
  return typeof error === 'object' && error !== null ? failedSteps.get(error) : undefined
}

/**
 * Two ops that a fused task may run as one when they are adjacent steps (e.g. a filter feeding a
 * partial aggregate, which then reads the filter's mask instead of a filtered copy). `first`
 * replaces the first op and its result goes only to `second`, which produces the second step's
 * value; each phase's errors are attributed to its own step, as if the ops had run separately.
 */
export interface FusedPair {
  readonly first: (args: JsonValue, inputs: readonly Value[], ctx: OpContext) => unknown
  readonly second: (args: JsonValue, carried: unknown, ctx: OpContext) => OpOutput
}

/** first op → second op → pair. */
const pairs = new Map<string, Map<string, FusedPair>>()

function dropPairsOf(op: string): void {
  pairs.delete(op)
  for (const seconds of pairs.values()) seconds.delete(op)
}

/** Registers a pair for fused tasks in this thread (see FusedPair); the ops keep running alone too. */
export function registerFusedPair(first: string, second: string, pair: FusedPair): void {
  let seconds = pairs.get(first)
  if (!seconds) {
    seconds = new Map()
    pairs.set(first, seconds)
  }
  seconds.set(second, pair)
}

async function runStep<T>(step: FusedStep, ctx: OpContext, run: () => T | Promise<T>): Promise<T> {
  if (ctx.signal?.aborted) throw ctx.signal.reason
  try {
    return await run()
  } catch (error) {
    markFailedStep(error, { ...step.meta, label: step.meta.label ?? step.op })
    throw error
  }
}

/**
 * Runs the steps in sequence: the first gets the task's inputs, each later one the previous value.
 * Only the last step may return parts (fuse never absorbs a multi-part task into its reader).
 */
async function runFused(args: JsonValue, inputs: readonly Value[], ctx: OpContext): Promise<OpOutput> {
  const steps = fusedSteps(args)
  let values: readonly Value[] = inputs
  let last: OpOutput = null
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!
    const next = steps[i + 1]
    const pair = next && pairs.get(step.op)?.get(next.op)
    const input = values
    if (next && pair) {
      const carried = await runStep(step, ctx, () => pair.first(step.args, input, ctx))
      last = await runStep(next, ctx, () => pair.second(next.args, carried, ctx))
      i++
    } else {
      last = await runStep(step, ctx, () => getOp(step.op)(step.args, input, ctx))
    }
    values = [last as Value]
  }
  return last
}

registerOp(FUSED_OP, runFused)
