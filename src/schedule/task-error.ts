/**
 * Turns whatever a task threw into the error a user sees: the original message, then one line
 * saying which step of their query failed and where they built it:
 *
 *   Column 'fare' has a non-numeric value "n/a" at row 1204
 *     in filter (partition 17, task filter-3fa2c81d9e0b-17), built at report.ts:42:7
 *
 * The code is kept if the original was a TsdaskError (else 'TASK_FAILED'); the original is the
 * `cause`, and its stack (possibly a worker's) is kept in `details.stack` and below the message,
 * never shown bare. For a fused task the line names the step that failed (`in filter (step of
 * fused-read-csv-filter, …)`), using the step meta the 'fused' op records.
 */
import type { Key, Task, TaskMeta } from '../graph/task-graph.js'
import { TsdaskError } from '../util/errors.js'
import { failedStepOf } from './registry.js'

export function taskFailure(error: unknown, key: Key, task: Task): TsdaskError {
  const original = error instanceof Error ? error : new Error(String(error))
  const step: TaskMeta | undefined = failedStepOf(error)
  const meta = task.meta ?? {}
  const label = step?.label ?? meta.label ?? task.op
  const partition = meta.partition ?? step?.partition
  const origin = step?.origin ?? meta.origin
  const source = step?.source ?? meta.source
  const where = [
    step ? `step of ${meta.label ?? task.op}` : undefined,
    partition === undefined ? undefined : `partition ${partition}`,
    `task ${key}`,
  ].filter((p) => p !== undefined)
  const context =
    `  in ${label} (${where.join(', ')})` +
    (source === undefined ? '' : ` reading ${source}`) +
    (origin === undefined ? '' : `, built at ${origin}`)
  const code = original instanceof TsdaskError ? original.code : 'TASK_FAILED'
  const originalDetails = original instanceof TsdaskError ? original.details : {}
  const failure = new TsdaskError(
    code,
    `${original.message}\n${context}`,
    {
      ...originalDetails,
      origin: originalDetails.origin ?? origin,
      key,
      label,
      ...(partition !== undefined && { partition }),
      stack: original.stack,
    },
    { cause: original },
  )
  const frames = (original.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line))
  failure.stack = [`${failure.name}: ${failure.message}`, ...frames].join('\n')
  return failure
}
