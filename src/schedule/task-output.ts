/**
 * An op's output as the values the scheduler stores: one value for a task without parts (an array
 * of record batches there is an undeclared multi-part output, and refused), or the parts of a task
 * that declares `parts: n`, checked to be an array of exactly n values. A wrong
 * count is a bug in the op or in whoever built the task (TsdaskError('INTERNAL')); the scheduler
 * adds which task it was (task-error.ts).
 */
import type { Task } from '../graph/task-graph.js'
import { TsdaskError } from '../util/errors.js'
import type { OpOutput, Value } from './registry.js'
import { isBatchLike, valuesBytes } from './value-bytes.js'

export function outputParts(task: Task, output: OpOutput): readonly Value[] {
  const parts = task.parts
  const what = `op '${task.op}'${task.meta?.label && task.meta.label !== task.op ? ` (${task.meta.label})` : ''}`
  if (parts === undefined) {
    // A JSON array is one value; an array of batches is parts that the task forgot to declare.
    if (Array.isArray(output) && output.some((v) => isBatchLike(v as Value))) {
      throw new TsdaskError(
        'INTERNAL',
        `${what} returned ${output.length} parts, but its task declares none: a task whose op returns parts declares parts: n`,
        { returned: output.length },
      )
    }
    return [output as Value]
  }
  if (!Array.isArray(output)) {
    throw new TsdaskError(
      'INTERNAL',
      `${what} returned one value, but its task declares ${parts} parts: a multi-part op returns an array of exactly that many values`,
      { parts },
    )
  }
  if (output.length !== parts) {
    throw new TsdaskError(
      'INTERNAL',
      `${what} returned ${output.length} parts, but its task declares ${parts}: the op and the task that names it disagree`,
      { parts, returned: output.length },
    )
  }
  return output as readonly Value[]
}

/**
 * Bytes of an op's output, all parts together, for size statistics; never throws (a wrong count, or
 * parts a task did not declare, are outputParts' to report).
 */
export function outputBytes(task: Task, output: OpOutput): number {
  const parts = Array.isArray(output) && (task.parts !== undefined || output.some((v) => isBatchLike(v as Value)))
  return valuesBytes(parts ? (output as readonly Value[]) : [output as Value])
}
