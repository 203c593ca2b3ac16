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
 *   it is an output; `inputs` are never stored, so never released;
 * - a cycle is reported (INTERNAL) when the compute stalls: nothing running, nothing ready;
 * - every task runs exactly once per successful compute (retries after a worker death are the
 *   runner's business and happen before the result is seen here);
 * - on the first failure (or abort) nothing more is submitted, in-flight tasks are cancelled
 *   through the runner's AbortSignal, and the compute rejects at once; late results are dropped.
 *
 * What must stay true: `store` holds exactly the finished values that some unfinished task still
 * reads, plus finished outputs.
 */
import { setMaxListeners } from 'node:events'
import { totalmem } from 'node:os'
import { order } from '../graph/order.js'
import { findCycle, type Key, type Task } from '../graph/task-graph.js'
import { TsdaskError } from '../util/errors.js'
import { ReadyQueue } from './ready-queue.js'
import type { Value } from './registry.js'
import type { ComputeOptions, SchedulerEvent } from './scheduler.js'
import { taskFailure } from './task-error.js'
import { valueBytes } from './value-bytes.js'

/** Where tasks execute: in this thread (sync) or on a worker (pool). */
export interface TaskRunner {
  /** `maxInFlight` when the compute does not set it. */
  readonly defaultMaxInFlight: number
  /**
   * Tasks per submission slot for an op (≥ 1): a runner that packs several small tasks into one
   * message (the pool, for sub-millisecond tasks) lets more of them be in flight. Default 1.
   */
  readonly tasksPerSlot?: (task: Task) => number
  /** Largest value the runner has seen such a task produce, in earlier computes; undefined if none. */
  readonly expectedBytes?: (task: Task) => number | undefined
  run(request: TaskRequest): Promise<Value>
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
  for (const [key, task] of tasks)
    nodes.set(key, { task, refs: 0, waiting: 0, readers: [], priority: priority.get(key)! })
  for (const [key, node] of nodes) {
    for (const dep of node.task.deps) {
      const depNode = nodes.get(dep)
      if (!depNode) continue
      node.waiting++
      depNode.refs++
      depNode.readers.push(key)
    }
  }

  return new Promise<Value[]>((resolve, reject) => {
    const store = new Map<Key, Value>()
    const ready = new ReadyQueue()
    const cancel = new AbortController()
    const maxInFlight = Math.max(1, options.maxInFlight ?? runner.defaultMaxInFlight)
    const maxMemory = options.maxMemory ?? defaultMaxMemory()
    // The pool registers one abort listener per message in flight on this signal.
    setMaxListeners(0, cancel.signal)
    let inFlight = 0
    /** Bytes of the values in `store`, and each one's size. */
    let heldBytes = 0
    const bytesOf = new Map<Key, number>()
    /** Largest output seen per op label: the expected size of the next one. */
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
    const storedValue = (key: Key): Value => (store.has(key) ? store.get(key)! : inputs.get(key)!)

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
        (value) => {
          landed()
          if (settled) return
          finishTask(key, task, value, performance.now() - startedAt)
        },
        (error: unknown) => {
          landed()
          fail(taskFailure(error, key, task))
        },
      )
    }

    const finishTask = (key: Key, task: Task, value: Value, ms: number): void => {
      done++
      const label = task.meta?.label ?? task.op
      const bytes = valueBytes(value)
      expectedBytes.set(label, Math.max(bytes, expectedBytes.get(label) ?? 0))
      store.set(key, value)
      bytesOf.set(key, bytes)
      heldBytes += bytes
      peakBytes = Math.max(peakBytes, heldBytes)
      const released: Key[] = []
      const release = (k: Key): void => {
        if (outputSet.has(k) || !store.delete(k)) return
        heldBytes -= bytesOf.get(k) ?? 0
        bytesOf.delete(k)
        released.push(k)
      }
      for (const dep of task.deps) {
        const depNode = nodes.get(dep)
        if (depNode && --depNode.refs === 0) release(dep)
      }
      const node = nodes.get(key)!
      if (node.refs === 0) release(key)
      const partition = task.meta?.partition
      const rows = isRecordBatchLike(value) ? value.numRows : undefined
      if (listening)
        emit({
          type: 'task-done',
          key,
          label,
          ...(partition !== undefined && { partition }),
          ms,
          ...(rows !== undefined && { rows }),
          bytes,
          held: store.size,
          heldBytes,
          peakBytes,
          done,
          total: tasks.size,
        })
      if (listening) for (const k of released) emit({ type: 'release', key: k })
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
      if (estimate === undefined) return unmeasuredInFlight === 0 && heldBytes + inFlightBytes <= maxMemory
      return unmeasuredInFlight === 0 && heldBytes + inFlightBytes + estimate <= maxMemory
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

/** The tasks `outputs` need, in graph order, stopping at pre-computed inputs; checks keys (cycles: see pump). */
function neededTasks(
  graph: ReadonlyMap<Key, Task>,
  outputs: readonly Key[],
  inputs: ReadonlyMap<Key, Value>,
): Map<Key, Task> {
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
    for (const dep of task.deps) if (!needed.has(dep)) stack.push({ key: dep, from: key })
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
  /** Reads by unfinished tasks still to come (per occurrence in deps). */
  refs: number
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

/** Duck-typed so a batch built by another copy of apache-arrow still reports its rows. */
function isRecordBatchLike(value: Value): value is Value & { readonly numRows: number } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { numRows?: unknown }).numRows === 'number' &&
    'schema' in value
  )
}
