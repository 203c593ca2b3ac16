/**
 * push-down-limits: a limit tells the operators below it how few rows are needed.
 *
 * - Limit over Limit: one limit (`Limit 5 OFFSET 2` of `Limit 10` is `Limit 5 OFFSET 2` of the
 *   first 10, i.e. rows 2..7 of the input: offsets add, counts take the minimum).
 * - Limit over Projects over a Sort: the limit moves below the projects, onto the sort, where
 *   lowering runs it as a per-partition top-k and one merge (Sort + Limit = TopK), instead of a
 *   full sort.
 * - Limit over Projects over a scan that can stop early (plan/scan-pushdown.ts): the scan's
 *   readers stop after offset + limit rows each (`ScanNode.rowLimit`); the limit stays on top to
 *   take the first rows across partitions, and `head()` still reads partitions one round at a time.
 *
 *   Limit: 5                          Limit: 5
 *     Project: a, b := a * 2    →       Project: a, b := a * 2
 *       Scan: t [a]                       Scan: t [a] rowLimit=5
 *
 * Must not fire past a Filter (the limit would count rows the filter drops: a scan's own filters
 * are fine, they apply before its row limit), an Aggregate, or a node kind it does not know.
 * Projects only map rows one to one, so they pass.
 */
import type { LimitNode, LogicalPlan, ProjectNode } from '../../plan/plan.js'
import { scanCapabilities } from '../../plan/scan-pushdown.js'
import { changed, type Rule, unchanged } from '../rule.js'

export const pushDownLimits: Rule = {
  name: 'push-down-limits',
  applyOrder: 'top-down',
  rewrite(plan) {
    if (plan.kind !== 'Limit') return unchanged(plan)
    const inner = plan.input
    if (inner.kind === 'Limit') return changed(mergeLimits(plan, inner))
    const projects: ProjectNode[] = []
    let below: LogicalPlan = inner
    while (below.kind === 'Project') {
      projects.push(below)
      below = below.input
    }
    if (below.kind === 'Sort' && projects.length > 0) {
      const limited: LogicalPlan = { ...plan, input: below }
      return changed(projects.reduceRight<LogicalPlan>((input, p) => ({ ...p, input }), limited))
    }
    if (below.kind === 'Scan' && scanCapabilities(below).acceptsRowLimit(below)) {
      const rows = plan.offset + plan.limit
      if (below.rowLimit !== undefined && below.rowLimit <= rows) return unchanged(plan)
      const scan: LogicalPlan = { ...below, rowLimit: rows }
      return changed({ ...plan, input: projects.reduceRight<LogicalPlan>((input, p) => ({ ...p, input }), scan) })
    }
    return unchanged(plan)
  },
}

function mergeLimits(outer: LimitNode, inner: LimitNode): LimitNode {
  const offset = inner.offset + outer.offset
  const limit = Math.max(0, Math.min(outer.limit, inner.limit - outer.offset))
  return { ...outer, offset, limit, input: inner.input }
}
