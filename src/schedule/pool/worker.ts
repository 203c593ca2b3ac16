/**
 * A pool worker: registers the built-in ops and the pool's extra `opModules` in this thread, then
 * runs the tasks of each call (a packet of one, or of several small tasks, see pool-scheduler.ts)
 * one after the other — decode the inputs, run the op, encode the output. Op failures come back
 * as values (a serialized error plus the failing fused step), not as throws, so the main thread
 * gets the code, details and stack intact (structured clone keeps only an Error's message and
 * stack) and can tell an op's error from a worker that died.
 */
import '../builtin-ops.js'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { workerData } from 'piscina'
import type { JsonValue, Key, TaskMeta } from '../../graph/task-graph.js'
import { type SerializedError, serializeError, TsdaskError } from '../../util/errors.js'
import { allocateSharedOutputs } from '../../util/output-memory.js'
import { failedStepOf, getOp } from '../registry.js'
import { decodeValue, type EncodedOutput, type EncodedValue, encodeOutput } from './transfer.js'

export interface TaskMessage {
  readonly key: Key
  readonly op: string
  readonly args: JsonValue
  readonly inputs: readonly EncodedValue[]
  /** The task's `parts`: its op returns that many values, which cross back as parts. */
  readonly parts?: number
}

export type TaskReply =
  | { readonly ok: true; readonly value: EncodedOutput /** Time the op took in the worker. */; readonly ms: number }
  | { readonly ok: false; readonly error: SerializedError; readonly step?: TaskMeta | undefined }

export interface WorkerData {
  readonly opModules: readonly string[]
  /** The pool runs from TypeScript sources through tsx (see loadOpModules). */
  readonly typescript: boolean
}

const data = workerData as WorkerData | undefined
// What this thread's kernels return leaves it in shared memory; allocated there, it is not copied.
allocateSharedOutputs(true)
// Loaded once per worker; a module that fails to load fails every task with a clear message
// instead of killing the worker (which would look like a crash and be retried in vain).
/**
 * True when this file itself was loaded through require(): under tsx's require hook (inherited by
 * workers from a parent run with `--import tsx`) even compiled dist/ code is loaded that way, and
 * an op module then imported as ESM would get a second copy of the registry.
 */
const loadedByRequire = typeof module !== 'undefined'
const ready = loadOpModules(data?.opModules ?? [], (data?.typescript ?? false) || loadedByRequire)

async function loadOpModules(modules: readonly string[], useRequire: boolean): Promise<void> {
  for (const url of modules) {
    try {
      // Under `--import tsx` on Node 20, tsx's ESM hooks are not active in worker threads; only its
      // require hook is, which is how piscina loaded this file (it tries require() first). So op
      // modules are required too: one module system, one copy of the registry and of apache-arrow.
      if (useRequire) createRequire(fileURLToPath(url))(fileURLToPath(url))
      else await import(url)
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error)
      throw new TsdaskError(
        'INTERNAL',
        `a pool worker could not load op module ${url}: ${why}. Check the path in createPoolScheduler({ opModules }).`,
        { module: url },
        { cause: error },
      )
    }
  }
}

/** Runs a packet of tasks in order; each gets its own reply, so one failing task fails only itself. */
export default async function runTasks(messages: readonly TaskMessage[]): Promise<TaskReply[]> {
  await ready.catch(() => {})
  const replies: TaskReply[] = []
  for (const message of messages) replies.push(await runTask(message))
  return replies
}

async function runTask(message: TaskMessage): Promise<TaskReply> {
  try {
    await ready
    const startedAt = performance.now()
    const inputs = message.inputs.map(decodeValue)
    const output = await getOp(message.op)(message.args, inputs, { key: message.key })
    return { ok: true, value: encodeOutput(output, message.parts !== undefined), ms: performance.now() - startedAt }
  } catch (error) {
    return { ok: false, error: serializeError(error), step: failedStepOf(error) }
  }
}
