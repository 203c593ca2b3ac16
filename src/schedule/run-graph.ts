/**
 * Dynamic scheduling, shared by the sync and pool schedulers (Dask's local scheduler loop):
 *
 * - only what `outputs` need runs; keys given in `inputs` are not run and their own dependencies
 *   are not needed (the graph is culled on the fly, and checked: a missing key or a cycle is
 *   TsdaskError('INTERNAL'));
 * - a task becomes ready when all its deps are done; ready tasks are started lowest `order()`
 *   priority first, so branches finish depth-first;
 * - at most `maxInFlight` tasks are submitted at a time (default 2 × workers): finished partitions
 *   are consumed before new ones are produced, so memory stays bounded whatever the graph's width;
 * - admission control by bytes: every stored value is measured (`valueBytes`), and a task is only
 *   started while the bytes held plus the expected output of the tasks in flight (the largest
 *   output seen so far from the same operation, in this compute or — the runner remembers — an
 *   earlier one, else the lowering's `meta.estimatedBytes`; an op never measured nor estimated
 *   runs one task at a time) stay within `maxMemory`. One task may always run,
 *   so a budget smaller than one partition slows a compute down to one task at a time instead of
 *   deadlocking it. Memory a task uses while it runs (a CSV block being parsed) is the operation's
 *   business (its block size), not the store's;
 * - a value leaves the store as soon as its last dependent has finished (reference counts), unless
 *   it is an output; `inputs` are never stored, so never released. The parts of a multi-part task
 *   are counted and released one by one: a part goes when the last task reading it has finished
 *   (at once, if no task reads it), which is what bounds a shuffle's memory. Bytes held count each
 *   buffer once, however many stored values share it (held-bytes.ts);
 * - an op of a task with `parts: n` returns exactly n values; any other count fails the compute
 *   with TsdaskError('INTERNAL') naming the task (task-output.ts);
 * - a cycle is reported (INTERNAL) when the compute stalls: nothing running, nothing ready;
 * - every task runs exactly once per successful compute (retries after a worker death are the
 *   runner's business and happen before the result is seen here);
 * - on the first failure (or abort) nothing more is submitted, in-flight tasks are cancelled
 *   through the runner's AbortSignal, and the compute rejects at once; late results are dropped.
 *
 * What must stay true: `store` holds exactly the finished values (parts) that some unfinished task
 * still reads, plus finished outputs.
 */
import { setMaxListeners } from 'node:events'
import { totalmem } from 'node:os'
import { depKey, depKeys, depPart, depProblem, multiPartOutputProblem } from '../graph/deps.js'
import { order } from '../graph/order.js'
import { type Dep, findCycle, type Key, type Task } from '../graph/task-graph.js'
import { TsdaskError } from '../util/errors.js'
import { HeldBytes, type Holding, holdingsBytes } from './held-bytes.js'
import { ReadyQueue } from './ready-queue.js'
import type { OpOutput, Value } from './registry.js'
import type { ComputeOptions, SchedulerEvent } from './scheduler.js'
import { taskFailure } from './task-error.js'
import { outputParts } from './task-output.js'
import { isBatchLike } from './value-bytes.js'

/** Where tasks execute: in this thread (sync) or on a worker (pool). */
export interface TaskRunner {
  /** `maxInFlight` when the compute does not set it. */
  readonly defaultMaxInFlight: number
  /**
   * Tasks per submission slot for an op (≥ 1): a runner that packs several small tasks into one
   * message (the pool, for sub-millisecond tasks) lets more of them be in flight. Default 1.
   */
  readonly tasksPerSlot?: (task: Task) => number
  /** Largest output (all parts) the runner has seen such a task produce, in earlier computes; undefined if none. */
  readonly expectedBytes?: (task: Task) => number | undefined
  /** The op's output: one value, or for a task with `parts`, the array of its parts. */
  run(request: TaskRequest): Promise<OpOutput>
}

export interface TaskRequest {
  readonly key: Key
  readonly task: Task
  readonly inputs: readonly Value[]
  /** Fires when the compute fails or is aborted: the runner should stop the task if it can. */
  readonly signal: AbortSignal
  readonly onRetry: (attempt: number, reason: string) => void
}

export function runGraph(
  graph: ReadonlyMap<Key, Task>,
  outputs: readonly Key[],
  runner: TaskRunner,
  options: ComputeOptions = {},
): Promise<Value[]> {
  const inputs: ReadonlyMap<Key, Value> = options.inputs ?? new Map()
  const signal = options.signal
  if (signal?.aborted) return Promise.reject(abortedError(signal))
  let tasks: Map<Key, Task>
  try {
    tasks = neededTasks(graph, outputs, inputs)
  } catch (error) {
    return Promise.reject(error)
  }
  const priority = order(tasks)
  const outputSet = new Set(outputs)
  /** Per needed task: its finished-task reads still to come, unfinished deps and readers (one lookup, not three). */
  const nodes = new Map<Key, TaskNode>()
  for (const [key, task] of tasks) {
    const refs = new Array<number>(task.parts ?? 1).fill(0)
    nodes.set(key, { task, refs, stored: 0, waiting: 0, readers: [], priority: priority.get(key)! })
  }
  for (const [key, node] of nodes) {
    for (const dep of node.task.deps) {
      const depNode = nodes.get(depKey(dep))
      if (!depNode) continue
      node.waiting++
      depNode.refs[depPart(dep) ?? 0]!++
      depNode.readers.push(key)
    }
  }

  return new Promise<Value[]>((resolve, reject) => {
    /** Per finished task, its value (or parts), each until its last reader has finished. */
    const store = new Map<Key, (Stored | undefined)[]>()
    let heldValues = 0
    const ready = new ReadyQueue()
    const cancel = new AbortController()
    const maxInFlight = Math.max(1, options.maxInFlight ?? runner.defaultMaxInFlight)
    const maxMemory = options.maxMemory ?? defaultMaxMemory()
    // The pool registers one abort listener per message in flight on this signal.
    setMaxListeners(0, cancel.signal)
    let inFlight = 0
    /** Bytes of the values in `store`. */
    const held = new HeldBytes()
    /** Largest output (all parts) seen per op label: the expected size of the next one. */
    const expectedBytes = new Map<string, number>()
    let inFlightBytes = 0
    let peakBytes = 0
    let done = 0
    let settled = false

    const settle = (): void => {
      settled = true
      ready.clear()
      signal?.removeEventListener('abort', onAbort)
    }
    const fail = (error: unknown): void => {
      if (settled) return
      settle()
      store.clear()
      cancel.abort(error)
      reject(error)
    }
    const onAbort = (): void => fail(abortedError(signal!))
    if (signal) {
      // One listener per compute on the caller's signal: a signal shared by many concurrent
      // computes (Promise.all with one AbortController) is normal use, not a leak.
      setMaxListeners(0, signal)
      signal.addEventListener('abort', onAbort, { once: true })
    }

    /** Events are only built when someone listens: a tiny task costs microseconds. */
    const listening = options.onEvent !== undefined
    const emit = (event: SchedulerEvent): void => {
      if (!options.onEvent) return
      try {
        options.onEvent(event)
      } catch (error) {
        fail(error)
      }
    }
    const storedValue = (dep: Dep): Value => {
      const key = depKey(dep)
      const stored = store.get(key)
      return stored ? stored[depPart(dep) ?? 0]!.value : inputs.get(key)!
    }

    /**
     * The largest output of the same op in this compute, or (runner's memory) before, or the
     * lowering's estimate; unknown (undefined) without any of them.
     */
    const expected = (key: Key): number | undefined => {
      const task = nodes.get(key)!.task
      return expectedBytes.get(task.meta?.label ?? task.op) ?? runner.expectedBytes?.(task) ?? task.meta?.estimatedBytes
    }
    let unmeasuredInFlight = 0
    const start = (key: Key): void => {
      const task = nodes.get(key)!.task
      const label = task.meta?.label ?? task.op
      const partition = task.meta?.partition
      const taskInputs = task.deps.map(storedValue)
      const estimate = expected(key)
      inFlight++
      if (estimate === undefined) unmeasuredInFlight++
      else inFlightBytes += estimate
      const landed = (): void => {
        inFlight--
        if (estimate === undefined) unmeasuredInFlight--
        else inFlightBytes -= estimate
      }
      if (listening) emit({ type: 'task-start', key, label, ...(partition !== undefined && { partition }) })
      const startedAt = performance.now()
      const onRetry = (attempt: number, reason: string): void => {
        if (!settled) emit({ type: 'task-retry', key, label, attempt, reason })
      }
      runner.run({ key, task, inputs: taskInputs, signal: cancel.signal, onRetry }).then(
        (output) => {
          landed()
          if (settled) return
          let parts: readonly Value[]
          try {
            parts = outputParts(task, output)
          } catch (error) {
            fail(taskFailure(error, key, task))
            return
          }
          finishTask(key, task, parts, performance.now() - startedAt)
        },
        (error: unknown) => {
          landed()
          fail(taskFailure(error, key, task))
        },
      )
    }

    const finishTask = (key: Key, task: Task, parts: readonly Value[], ms: number): void => {
      done++
      const label = task.meta?.label ?? task.op
      const slots = parts.map((value) => ({ value, holding: held.hold(value) }))
      const bytes = holdingsBytes(slots.map((slot) => slot.holding))
      expectedBytes.set(label, Math.max(bytes, expectedBytes.get(label) ?? 0))
      store.set(key, slots)
      const node = nodes.get(key)!
      node.stored = parts.length
      heldValues += parts.length
      peakBytes = Math.max(peakBytes, held.bytes)
      const released: { key: Key; part: number | undefined }[] = []
      const release = (k: Key, part: number): void => {
        const stored = store.get(k)
        const slot = stored?.[part]
        if (outputSet.has(k) || !stored || !slot) return
        stored[part] = undefined
        held.release(slot.holding)
        heldValues--
        const owner = nodes.get(k)!
        if (--owner.stored === 0) store.delete(k)
        released.push({ key: k, part: owner.task.parts === undefined ? undefined : part })
      }
      for (const dep of task.deps) {
        const depNode = nodes.get(depKey(dep))
        const part = depPart(dep) ?? 0
        if (depNode && --depNode.refs[part]! === 0) release(depKey(dep), part)
      }
      // Parts (or a value) no needed task reads go at once.
      for (let part = 0; part < node.refs.length; part++) if (node.refs[part] === 0) release(key, part)
      const partition = task.meta?.partition
      const rows = rowsOf(parts)
      if (listening)
        emit({
          type: 'task-done',
          key,
          label,
          ...(partition !== undefined && { partition }),
          ms,
          ...(rows !== undefined && { rows }),
          bytes,
          held: heldValues,
          heldBytes: held.bytes,
          peakBytes,
          done,
          total: tasks.size,
        })
      if (listening) {
        for (const r of released) emit({ type: 'release', key: r.key, ...(r.part !== undefined && { part: r.part }) })
      }
      for (const reader of node.readers) {
        const readerNode = nodes.get(reader)!
        if (--readerNode.waiting === 0) ready.push(reader, readerNode.priority)
      }
      pump()
    }

    /**
     * Within the slot bound and the memory budget; with nothing in flight a task always fits. The
     * first tasks of an op not yet measured run one at a time (unknown size), then the op's largest
     * output so far stands for the next.
     */
    const admits = (key: Key): boolean => {
      if (inFlight === 0) return true
      const perSlot = runner.tasksPerSlot?.(nodes.get(key)!.task) ?? 1
      if (inFlight >= maxInFlight * perSlot) return false
      const estimate = expected(key)
      if (estimate === undefined) return unmeasuredInFlight === 0 && held.bytes + inFlightBytes <= maxMemory
      return unmeasuredInFlight === 0 && held.bytes + inFlightBytes + estimate <= maxMemory
    }
    const pump = (): void => {
      while (!settled && ready.size > 0 && admits(ready.peek()!)) start(ready.pop()!)
      if (!settled && done === tasks.size) {
        const results = outputs.map(storedValue)
        settle()
        store.clear()
        resolve(results)
      } else if (!settled && inFlight === 0 && ready.size === 0) {
        // Nothing running, nothing ready, tasks left: they wait on each other. Checked here rather
        // than up front because a full cycle search costs as much as scheduling a tiny graph.
        fail(cycleError(findCycle(tasks) ?? [...tasks.keys()].filter((k) => nodes.get(k)!.waiting > 0)))
      }
    }

    for (const [key, node] of nodes) if (node.waiting === 0) ready.push(key, node.priority)
    pump()
  })
}

/**
 * The tasks `outputs` need, in graph order, stopping at pre-computed inputs; checks keys and part
 * references (cycles: see pump).
 */
function neededTasks(
  graph: ReadonlyMap<Key, Task>,
  outputs: readonly Key[],
  inputs: ReadonlyMap<Key, Value>,
): Map<Key, Task> {
  for (const output of outputs) {
    const problem = inputs.has(output) ? undefined : multiPartOutputProblem(graph, output)
    if (problem) throw new TsdaskError('INTERNAL', `cannot compute ${output}: ${problem}`, { key: output })
  }
  const needed = new Set<Key>()
  const stack: { key: Key; from?: Key }[] = outputs.map((key) => ({ key }))
  while (stack.length > 0) {
    const { key, from } = stack.pop()!
    if (needed.has(key) || inputs.has(key)) continue
    const task = graph.get(key)
    if (!task) {
      throw new TsdaskError(
        'INTERNAL',
        from === undefined
          ? `cannot compute ${key}: it is neither a task of the graph nor a given input`
          : `task graph is broken: task ${from} depends on ${key}, which is neither a task of the graph nor a given input`,
        { key, ...(from !== undefined && { dependent: from }) },
      )
    }
    needed.add(key)
    for (const dep of task.deps) {
      // A key missing altogether is reported when the walk reaches it, below.
      const known = graph.has(depKey(dep)) || inputs.has(depKey(dep))
      const problem = known ? depProblem(graph, dep, inputs) : undefined
      if (problem) {
        throw new TsdaskError('INTERNAL', `task graph is broken: task ${key} depends on ${problem}`, {
          key,
          dep: depKey(dep),
        })
      }
    }
    for (const dep of depKeys(task)) if (!needed.has(dep)) stack.push({ key: dep, from: key })
  }
  const tasks = new Map<Key, Task>()
  for (const [key, task] of graph) if (needed.has(key)) tasks.set(key, task)
  return tasks
}

function cycleError(cycle: readonly Key[]): TsdaskError {
  return new TsdaskError('INTERNAL', `task graph is broken: it has a cycle ${cycle.join(' → ')}`, {
    key: cycle[0],
    cycle,
  })
}

interface TaskNode {
  readonly task: Task
  /** Per part (one entry for a task without parts): reads by unfinished tasks still to come (per occurrence in deps). */
  readonly refs: number[]
  /** Its values (parts) still in the store. */
  stored: number
  /** Unfinished deps. */
  waiting: number
  readonly readers: Key[]
  readonly priority: number
}

/** What the default budget is computed from (a parameter so tests can stand in for a container). */
export interface MemoryLimits {
  /** Physical memory (`os.totalmem()`). */
  readonly total: number
  /** `process.constrainedMemory()`: the cgroup (container) limit; 0 or a huge number when there is none. */
  readonly constrained: number | undefined
}

/**
 * A quarter of the memory the process may use: the store, the tasks' own working memory and the
 * heap all share it. Inside a container that is the container's limit, not the machine's memory:
 * a budget above the limit gets the process killed instead of slowed down. Node reports "no limit"
 * as 0 or, on some systems, as a number near 2^64, and lacks the function before 19.6, so only a
 * positive limit below physical memory counts.
 */
export function defaultMaxMemory(
  limits: MemoryLimits = { total: totalmem(), constrained: process.constrainedMemory?.() },
): number {
  const { total, constrained } = limits
  const usable = constrained !== undefined && constrained > 0 && constrained < total ? constrained : total
  return Math.floor(usable / 4)
}

export function abortedError(signal: AbortSignal): TsdaskError {
  const reason: unknown = signal.reason
  const why = reason instanceof Error && reason.name !== 'AbortError' ? `: ${reason.message}` : ''
  return new TsdaskError(
    'ABORTED',
    `compute was aborted${why}. No result was returned; the scheduler stays usable for the next compute.`,
    {},
    { cause: reason },
  )
}

/** A stored value and the buffers it keeps counted in the store's bytes. */
interface Stored {
  readonly value: Value
  readonly holding: Holding
}

/** Rows of a task's output when it is made of record batches (summed over parts), else undefined. */
function rowsOf(parts: readonly Value[]): number | undefined {
  let rows = 0
  for (const part of parts) {
    if (!isBatchLike(part)) return undefined
    rows += part.numRows
  }
  return rows
}
