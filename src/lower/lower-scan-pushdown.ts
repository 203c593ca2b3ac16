/**
 * Lowering of what the optimizer pushed into a scan (`ScanNode.filters`, `ScanNode.rowLimit`):
 * for CSV, reader arguments (the reader filters while parsing and stops after the limit); for
 * sources whose readers cannot, ordinary per-partition filter / limit tasks after the read.
 */

import type { ExprNode } from '../expr/expr-node.js'
import { columnsOf } from '../expr/visit.js'
import type { JsonValue, Key, Task, TaskMeta } from '../graph/task-graph.js'
import { type FilterArgs, KernelOps, type LimitArgs } from '../kernels/ops.js'
import type { PhysicalExpr } from '../kernels/physical-expr.js'
import type { ScanNode } from '../plan/plan.js'
import { sourceSchema } from '../plan/schema-of.js'
import { toPhysical } from './to-physical.js'

/** All of a scan's filters as one predicate (null when there are none). */
export function scanPredicate(scan: ScanNode): ExprNode | null {
  const filters = scan.filters ?? []
  if (filters.length === 0) return null
  return filters.reduce((left, right) => ({ kind: 'Binary', op: 'and', left, right }))
}

/** The CSV reader's `predicate` / `predicateColumns` arguments ({} when the scan has no filters). */
export function scanFilterArgs(
  scan: ScanNode,
): { predicate: PhysicalExpr; predicateColumns: number[] } | Record<string, never> {
  const predicate = scanPredicate(scan)
  if (!predicate) return {}
  const all = sourceSchema(scan.source)
  const names = columnsOf(predicate)
  const predicateColumns = names.map((n) => all.findIndex((f) => f.name === n))
  const schema = predicateColumns.map((c) => all[c]!)
  return { predicate: toPhysical(predicate, schema, 'bool'), predicateColumns }
}

export function minLimit(a: number | undefined, b: number | null): number | null {
  if (a === undefined) return b
  return b === null ? a : Math.min(a, b)
}

/** Filter and limit tasks after each partition of a source that cannot apply them itself. */
export function lowerScanExtras(
  scan: ScanNode,
  keys: readonly Key[],
  add: (task: Task, suffix: string) => Key,
  meta: (label: string, partition: number) => TaskMeta,
): Key[] {
  const perPartition = (inputs: readonly Key[], op: string, label: string, args: object): Key[] =>
    inputs.map((dep, i) => add({ op, args: args as JsonValue, deps: [dep], meta: meta(label, i) }, `-${i}`))
  let out = [...keys]
  const predicate = scanPredicate(scan)
  if (predicate) {
    const args: FilterArgs = { predicate: toPhysical(predicate, sourceSchema(scan.source), 'bool') }
    out = perPartition(out, KernelOps.filter, 'scan-filter', args)
  }
  if (scan.rowLimit !== undefined) {
    const args: LimitArgs = { offset: 0, limit: scan.rowLimit }
    out = perPartition(out, KernelOps.limit, 'scan-limit', args)
  }
  return out
}
