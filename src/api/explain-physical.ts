/**
 * The "Physical plan" section of `explain()`: how the optimized plan runs. Partitions, task counts
 * before and after culling and fusion (and what the fused tasks are), and for every scan the
 * columns it reads, the predicates pushed into it and its row limit, so a user can see the
 * optimizer's decisions reach the readers.
 */

import type { ExprNode } from '../expr/expr-node.js'
import { printExpr, printIdentifier } from '../expr/print.js'
import { columnsOf } from '../expr/visit.js'
import { summarizeLabels, taskName } from '../graph/task-name.js'
import { explainPhysicalPlan } from '../physical/explain.js'
import { type PhysicalPlan, physicalInputs } from '../physical/physical-plan.js'
import { type LogicalPlan, planInputs, type ScanNode } from '../plan/plan.js'
import { sourceSchema } from '../plan/schema-of.js'
import type { PhysicalGraph } from './execute.js'

/** `operators` is the plan as compute() runs it (an incremental limit at the root included). */
export function explainPhysical(optimized: LogicalPlan, operators: PhysicalPlan, physical: PhysicalGraph): string {
  const lines = [
    explainPhysicalPlan(operators),
    '',
    `output partitions: ${physical.outputs.length}`,
    `tasks: ${physical.tasksLowered} lowered, ${physical.tasksCulled} after culling, ${physical.graph.size} after fusion`,
    `tasks after fusion: ${summarizeLabels(physical.graph.values()) || 'none (the data is already in memory)'}`,
  ]
  const first = physical.graph.values().next()
  if (!first.done) lines.push(`first task: ${taskName(first.value)}`)
  for (const scan of scansOf(optimized)) lines.push(describeScan(scan))
  if (hasTopK(operators)) lines.push('top-k: a limit over a sort keeps the first rows of each partition, then merges')
  if (operators.kind === 'Limit' && operators.incremental) {
    const rows = operators.offset + operators.limit
    const readerLimit = operators.input.kind === 'Scan' ? `; each read stops after ${rows} rows` : ''
    lines.push(`limit: input partitions are computed 1, 2, 4, … at a time until ${rows} rows are in${readerLimit}`)
  }
  return lines.join('\n')
}

function scansOf(plan: LogicalPlan, into: ScanNode[] = []): ScanNode[] {
  if (plan.kind === 'Scan') into.push(plan)
  for (const input of planInputs(plan)) scansOf(input, into)
  return into
}

function hasTopK(plan: PhysicalPlan): boolean {
  return plan.kind === 'TopK' || physicalInputs(plan).some(hasTopK)
}

function describeScan(scan: ScanNode): string {
  const all = sourceSchema(scan.source)
  const read = scan.columns ?? all.map((f) => f.name)
  const parts = scan.source.kind === 'csv' ? scan.source.chunks.length : scan.source.batches.length
  const filters = scan.filters?.length ? scan.filters.map(printExpr).join(' AND ') : 'none'
  const limit = scan.rowLimit === undefined ? '' : `; each partition stops after ${scan.rowLimit} rows`
  const forPredicates = columnsOf(conjunctionOf(scan.filters ?? [])).filter((c) => !read.includes(c))
  const extra = forPredicates.length ? ` (+ ${forPredicates.map(printIdentifier).join(', ')} for the predicates)` : ''
  const cols = `${read.map(printIdentifier).join(', ') || 'no columns'}${extra} of ${all.length}`
  return `scan ${scan.source.name}: ${parts} partition${parts === 1 ? '' : 's'}; reads ${cols}; predicates pushed: ${filters}${limit}`
}

function conjunctionOf(parts: readonly ExprNode[]): ExprNode {
  return parts.reduce<ExprNode>((left, right) => ({ kind: 'Binary', op: 'and', left, right }), {
    kind: 'Literal',
    value: true,
    dtype: 'bool',
  })
}
