/**
 * The pool scheduler: the shared dynamic scheduling of `run-graph.ts`, with each task's op run on a
 * piscina worker thread (`worker.ts`). Values cross threads as SharedArrayBuffer descriptors
 * (`transfer.ts`), so a partition is never serialized row by row; the parts of a multi-part task
 * cross the same way, in one reply, and each part is then sent on to its readers with no copy.
 *
 * Piscina settings (NOTES-libraries §3): `minThreads = maxThreads = workers`, because threads
 * above `minThreads` exit when idle and thrash; `concurrentTasksPerWorker: 1` by default, because
 * tsdask ops are CPU-bound and synchronous — a second task queued inside a busy worker would wait
 * there while another worker idles, whereas piscina's central queue hands it to the first free
 * worker. Measured on 2 cores (5,000 one-microsecond tasks, compiled JS workers), per-task cost was
 * 90–180 µs with 1 and 130–280 µs with 2 or 4: no gain to pay the imbalance for. An 'error' listener keeps a
 * worker that fails to load from crashing the process (piscina re-emits it on the pool).
 *
 * Packing: the runner learns, per op and label, how long a task takes in the worker and how big
 * its value is. Tasks that take well under a millisecond and yield small values are sent several
 * to one piscina call (a packet of ~2 ms of work, at most 64 tasks, never fewer packets than
 * workers), and the scheduler lets that many more of them be in flight (`tasksPerSlot`). Large or
 * slow tasks go one per call as before. Measured with bench/scheduler-overhead.bench.ts (100,000
 * tiny tasks, 2 workers, loaded machine): 171 µs/task unpacked, ~57 packed, i.e. the main thread's
 * own bookkeeping, no longer the thread hop, is what a tiny task costs.
 *
 * Failure handling:
 * - an op that throws: the worker replies with the serialized error; run-graph adds the context;
 * - a worker that dies (process.exit, out of memory, `resourceLimits` exceeded): piscina rejects
 *   every task on it and replaces the thread; each such task (every task of the packet) is retried
 *   alone on a fresh worker up to `retries` times, then fails with 'WORKER_DIED';
 * - nothing finished is lost with a worker: a task's value lives in SharedArrayBuffers that the
 *   main thread's store references, not in the worker's heap, so the only partitions a death loses
 *   are the ones its tasks were computing, and those are recomputed from their inputs (their
 *   lineage), which the store keeps until every reader has finished;
 * - abort / first failure: in-flight tasks are aborted through piscina, which terminates and
 *   replaces their workers, so the pool stays usable for the next compute.
 *
 * What a worker loads: worker-file.ts (the one-file worker bundle when compiled; `worker.ts` through
 * tsx when this module runs from a `.ts` file). Compiled workers load with no loader, even when
 * the parent runs under tsx (worker-flags.ts).
 */
import { availableParallelism } from 'node:os'
import type { ResourceLimits } from 'node:worker_threads'
import type { RecordBatch } from 'apache-arrow'
import type { Key, Task } from '../../graph/task-graph.js'
import { deserializeError, TsdaskError } from '../../util/errors.js'
import { markFailedStep, type OpOutput, type Value } from '../registry.js'
import { runGraph, type TaskRequest, type TaskRunner } from '../run-graph.js'
import type { ComputeOptions, Scheduler } from '../scheduler.js'
import { outputBytes } from '../task-output.js'
import { decodeValue, type EncodedOutput, type EncodedValue, encodeValue } from './transfer.js'
import type { TaskMessage, TaskReply, WorkerData } from './worker.js'
import { workerFile } from './worker-file.js'
import { startPiscina, workerExecArgv } from './worker-flags.js'

export interface PoolSchedulerOptions {
  /** Worker threads; default `os.availableParallelism()`. */
  readonly workers?: number
  /** Module URLs each worker imports (after the built-in ops) to register more ops. */
  readonly opModules?: readonly string[]
  /** Times a task whose worker died is run again on a fresh worker; default 2. */
  readonly retries?: number
  /** Tasks piscina may queue inside one worker; default 1 (see the header). */
  readonly concurrentTasksPerWorker?: number
  readonly resourceLimits?: ResourceLimits
}

export interface PoolScheduler extends Scheduler {
  readonly name: 'pool'
  readonly workers: number
  /** True once a worker has answered a task: the threads are loaded, not merely started. */
  readonly warm: boolean
}

/** Rejects a worker count that is not a whole number ≥ 1 (0, NaN, 1.5) with INVALID_ARGUMENT. */
export function checkWorkers(workers: number | undefined): void {
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) {
    throw new TsdaskError('INVALID_ARGUMENT', `workers must be a whole number ≥ 1, got ${workers}`)
  }
}

export function createPoolScheduler(options: PoolSchedulerOptions = {}): PoolScheduler {
  checkWorkers(options.workers)
  const workers = options.workers ?? availableParallelism()
  const retries = Math.max(0, options.retries ?? 2)
  const fromTypeScript = import.meta.url.endsWith('.ts')
  const workerData: WorkerData = { opModules: [...(options.opModules ?? [])], typescript: fromTypeScript }
  const pool = startPiscina(
    {
      filename: workerFile(fromTypeScript, workerData.opModules).href,
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: Number.POSITIVE_INFINITY,
      concurrentTasksPerWorker: Math.max(1, options.concurrentTasksPerWorker ?? 1),
      workerData,
      ...(options.resourceLimits && { resourceLimits: options.resourceLimits }),
    },
    workerExecArgv(fromTypeScript, workerData.opModules, process.execArgv),
  )
  let lastPoolError: unknown
  // A worker that cannot start (a bad loader, a module that fails to load) leaves piscina's
  // tasks waiting forever; the pool reports it only through this event, so fail what is waiting.
  const waiting = new Set<(error: unknown) => void>()
  pool.on('error', (error: unknown) => {
    lastPoolError = error
    const why = error instanceof Error ? error.message : String(error)
    const failure = new TsdaskError(
      'WORKER_DIED',
      `a pool worker thread failed to start or crashed outside a task: ${why}. Check the pool's opModules and loader.`,
      { reason: why },
      { cause: error },
    )
    for (const reject of waiting) reject(failure)
    waiting.clear()
  })
  const runOnPool = (message: readonly TaskMessage[], signal: AbortSignal): Promise<unknown> =>
    new Promise((resolve, reject) => {
      waiting.add(reject)
      pool.run(message, { signal }).then(
        (value: unknown) => {
          waiting.delete(reject)
          resolve(value)
        },
        (error: unknown) => {
          waiting.delete(reject)
          reject(error)
        },
      )
    })
  let closed = false
  let warm = false

  // A batch sent to several tasks is copied into shared memory once, not once per send.
  const encoded = new WeakMap<RecordBatch, EncodedValue>()
  const encode = (value: Value): EncodedValue => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return encodeValue(value)
    const cached = encoded.get(value as RecordBatch)
    if (cached) return cached
    const result = encodeValue(value)
    if (result.kind === 'batch') encoded.set(value as RecordBatch, result)
    return result
  }
  const decode = (value: EncodedValue): Value => {
    const result = decodeValue(value)
    if (value.kind === 'batch') encoded.set(result as RecordBatch, value)
    return result
  }
  /** Each part is remembered with its descriptor, so sending it to its readers copies nothing. */
  const decodeOutput = (output: EncodedOutput): OpOutput =>
    output.kind === 'parts' ? output.parts.map(decode) : decode(output)

  /** Per op (and label): recent time in the worker and largest output, to size packets. */
  const stats = new Map<string, { ms: number; bytes: number }>()
  const statsKey = (task: Task): string => `${task.op}\u0000${task.meta?.label ?? ''}`
  const tasksPerSlot = (task: Task): number => {
    const s = stats.get(statsKey(task))
    if (!s || s.bytes > PACKET_MAX_VALUE_BYTES) return 1
    return Math.max(1, Math.min(PACKET_MAX_TASKS, Math.floor(PACKET_TARGET_MS / Math.max(s.ms, 1e-3))))
  }
  const record = (task: Task, ms: number, output: OpOutput): void => {
    const key = statsKey(task)
    const s = stats.get(key)
    const bytes = outputBytes(task, output)
    if (s) {
      s.ms = 0.8 * s.ms + 0.2 * ms
      s.bytes = Math.max(s.bytes, bytes)
    } else stats.set(key, { ms, bytes })
  }

  let queued: Pending[] = []
  let flushQueued = false
  const enqueue = (pending: Pending): void => {
    queued.push(pending)
    if (!flushQueued) {
      flushQueued = true
      queueMicrotask(flush)
    }
  }
  /** Sends what the scheduler submitted in this tick, packed per compute (tasks of a packet share a signal). */
  const flush = (): void => {
    flushQueued = false
    const bySignal = new Map<AbortSignal, Pending[]>()
    for (const p of queued) {
      const list = bySignal.get(p.request.signal)
      if (list) list.push(p)
      else bySignal.set(p.request.signal, [p])
    }
    queued = []
    for (const [signal, list] of bySignal) {
      // Never fewer packets than workers when there are enough tasks: each worker gets a share.
      const share = Math.ceil(list.length / workers)
      let packet: Pending[] = []
      let limit = 1
      for (const p of list) {
        if (packet.length === 0) limit = p.attempt > 0 ? 1 : Math.min(share, tasksPerSlot(p.request.task))
        packet.push(p)
        if (packet.length >= limit) {
          send(packet, signal)
          packet = []
        }
      }
      if (packet.length > 0) send(packet, signal)
    }
  }
  const send = (packet: Pending[], signal: AbortSignal): void => {
    runOnPool(
      packet.map((p) => p.message),
      signal,
    ).then(
      (replies) => {
        warm = true
        ;(replies as TaskReply[]).forEach((reply, i) => {
          const p = packet[i]!
          if (reply.ok) {
            // A reply that cannot be read fails its task, rather than leaving the compute waiting.
            try {
              const output = decodeOutput(reply.value)
              record(p.request.task, reply.ms, output)
              p.resolve(output)
            } catch (error) {
              p.reject(error)
            }
            return
          }
          const error = deserializeError(reply.error)
          if (reply.step) markFailedStep(error, reply.step)
          p.reject(error)
        })
      },
      (error: unknown) => {
        for (const p of packet) workerFailed(p, error, signal)
      },
    )
  }
  /** The packet's worker died (or the packet was cancelled): retry each task alone, on a fresh worker. */
  const workerFailed = (p: Pending, error: unknown, signal: AbortSignal): void => {
    if (signal.aborted || closed) {
      p.reject(signal.aborted ? signal.reason : closedError())
      return
    }
    const reason = error instanceof Error ? error.message : String(error)
    if (p.attempt < retries) {
      p.attempt++
      p.request.onRetry(p.attempt, reason)
      enqueue(p)
      return
    }
    p.reject(
      new TsdaskError(
        'WORKER_DIED',
        `the worker thread running this task died (${reason}) on each of ${p.attempt + 1} attempts ` +
          `(retried ${retries} times on a fresh worker). A task that ends its thread — process.exit, ` +
          'running out of memory, a native crash — fails for good; look for that in the op.',
        {
          reason,
          attempts: p.attempt + 1,
          poolError: lastPoolError instanceof Error ? lastPoolError.message : undefined,
        },
        { cause: error },
      ),
    )
  }

  const runner: TaskRunner = {
    defaultMaxInFlight: 2 * workers,
    tasksPerSlot,
    expectedBytes: (task) => stats.get(statsKey(task))?.bytes,
    run(request: TaskRequest): Promise<OpOutput> {
      const { key, task, inputs, signal } = request
      return new Promise<OpOutput>((resolve, reject) => {
        if (signal.aborted) {
          reject(signal.reason)
          return
        }
        const message: TaskMessage = {
          key,
          op: task.op,
          args: task.args,
          inputs: inputs.map(encode),
          ...(task.parts !== undefined && { parts: task.parts }),
        }
        enqueue({ request, message, attempt: 0, resolve, reject })
      })
    },
  }

  return {
    name: 'pool',
    workers,
    get warm() {
      return warm
    },
    compute(graph: ReadonlyMap<Key, Task>, outputs: readonly Key[], options?: ComputeOptions): Promise<Value[]> {
      if (closed) return Promise.reject(closedError())
      return runGraph(graph, outputs, runner, options)
    },
    async close(): Promise<void> {
      if (closed) return
      closed = true
      await pool.destroy()
    },
  }
}

/** A submitted task, waiting to be packed into a message (again, after its worker died). */
interface Pending {
  readonly request: TaskRequest
  readonly message: TaskMessage
  attempt: number
  readonly resolve: (output: OpOutput) => void
  readonly reject: (error: unknown) => void
}

/**
 * Packing: tasks of an op that runs in well under a millisecond and yields small values are sent
 * several to a message, ~PACKET_TARGET_MS of work each, so one thread hop (structured clone,
 * piscina's queue, two context switches: 50–150 µs here) is paid per packet, not per task.
 */
const PACKET_TARGET_MS = 2
const PACKET_MAX_TASKS = 64
const PACKET_MAX_VALUE_BYTES = 64 * 1024

function closedError(): TsdaskError {
  return new TsdaskError(
    'ABORTED',
    'the worker pool was closed (shutdown() or close()) before this compute finished. Run it again: the shared ' +
      'pool starts anew on the next compute; a pool from createPoolScheduler() must be created again.',
  )
}
