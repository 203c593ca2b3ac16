/**
 * How a filter passes each kind of node: one handler per plan kind, each splitting the conjuncts
 * that arrive from above into those that go to each input (rewritten in the input's column names)
 * and those that must stay above the node. A node kind without a handler keeps every conjunct
 * above it (the safe default), so a new operator merges without touching the rule; a join adds a
 * handler that sends conjuncts to the side(s) whose columns they use (only the preserved side of
 * an outer join, per the usual rules).
 *
 * The conjuncts are deterministic (the rule keeps the others where they were).
 */
import type { ExprNode } from '../../../expr/expr-node.js'
import { columnsOf, transformExpr } from '../../../expr/visit.js'
import { joinColumns } from '../../../plan/join-schema.js'
import type { LogicalPlan, PlanKind, ScanNode } from '../../../plan/plan.js'
import { scanCapabilities } from '../../../plan/scan-pushdown.js'
import { schemaOf } from '../../../plan/schema-of.js'
import { keepsUnmatched } from '../../../types/join-how.js'
import { isDeterministic } from '../../expr-facts.js'

export interface PushDecision {
  /** Per input (in `planInputs` order): conjuncts to push into it. */
  readonly toInputs: readonly (readonly ExprNode[])[]
  /** Conjuncts that stay above the node. */
  readonly kept: readonly ExprNode[]
  /** For a scan: the conjuncts it takes into its reader. */
  readonly intoScan?: readonly ExprNode[]
}

type Handler<P extends LogicalPlan> = (node: P, conjuncts: readonly ExprNode[]) => PushDecision

type Handlers = { readonly [K in PlanKind]?: Handler<Extract<LogicalPlan, { kind: K }>> }

const all = (conjuncts: readonly ExprNode[]): PushDecision => ({ toInputs: [conjuncts], kept: [] })

export const pushThrough: Handlers = {
  Scan: (scan: ScanNode, conjuncts) => {
    const caps = scanCapabilities(scan)
    const intoScan = conjuncts.filter((c) => caps.acceptsFilter(scan, c))
    return { toInputs: [], kept: conjuncts.filter((c) => !intoScan.includes(c)), intoScan }
  },
  // Sorting only reorders rows; filtering first sorts fewer.
  Sort: (_, conjuncts) => all(conjuncts),
  // Rewrites each conjunct in the project's input columns when every column it reads is a
  // deterministic expression there (a rename or pass-through becomes a column, a computed column
  // its expression).
  Project: (project, conjuncts) => {
    const defs = new Map(project.exprs.map((e) => [e.name, e.expr]))
    const pushed: ExprNode[] = []
    const kept: ExprNode[] = []
    for (const c of conjuncts) {
      const movable = columnsOf(c).every((name) => {
        const def = defs.get(name)
        return def !== undefined && isDeterministic(def)
      })
      if (!movable) {
        kept.push(c)
        continue
      }
      pushed.push(transformExpr(c, (n) => (n.kind === 'Column' ? (defs.get(n.name) ?? n) : n)))
    }
    return { toInputs: [pushed], kept }
  },
  // Only conjuncts on grouping keys pass: they select whole groups, and key columns have the same
  // names and values below. Conjuncts on aggregated values must wait for the aggregate. A global
  // aggregate (no keys) returns one row even for empty input, so nothing passes it.
  Aggregate: (agg, conjuncts) => {
    if (agg.keys.length === 0) return { toInputs: [[]], kept: conjuncts }
    const keys = new Set(agg.keys)
    const onKeys = (c: ExprNode) => columnsOf(c).every((n) => keys.has(n))
    return { toInputs: [conjuncts.filter(onKeys)], kept: conjuncts.filter((c) => !onKeys(c)) }
  },
  // A conjunct whose columns all come from one side goes to that side, in its column names, unless
  // that side is padded with nulls by an outer join (filtering it first would turn "no match" rows
  // into matches removed, where the filter above removes or keeps the null-padded row). A key
  // merged from both sides of a full join, and a conjunct over both sides, stay above.
  Join: (join, conjuncts) => {
    const left = schemaOf(join.left)
    const right = schemaOf(join.right)
    const padded =
      join.how === 'cross' ? null : { left: keepsUnmatched(join.how, 'right'), right: keepsUnmatched(join.how, 'left') }
    const sources = new Map(joinColumns(join, left, right).map((c) => [c.name, c.source]))
    const toLeft: ExprNode[] = []
    const toRight: ExprNode[] = []
    const kept: ExprNode[] = []
    for (const c of conjuncts) {
      const used = columnsOf(c).map((name) => sources.get(name))
      const side = used.length > 0 && used.every((s) => s?.side === used[0]?.side) ? used[0]?.side : undefined
      if ((side === 'left' || side === 'right') && !padded?.[side]) {
        const schema = side === 'left' ? left : right
        const renamed = transformExpr(c, (n) => {
          const s = n.kind === 'Column' ? sources.get(n.name) : undefined
          return s && s.side === side ? { kind: 'Column', name: schema[s.index]!.name } : n
        })
        ;(side === 'left' ? toLeft : toRight).push(renamed)
      } else kept.push(c)
    }
    return { toInputs: [toLeft, toRight], kept }
  },
  // Limit is deliberately absent: filtering before a limit would let other rows into the first n.
}

/** The handler for `plan`'s kind, if that kind lets filters pass. */
export function handlerFor(
  plan: LogicalPlan,
): ((node: LogicalPlan, c: readonly ExprNode[]) => PushDecision) | undefined {
  return pushThrough[plan.kind] as ((node: LogicalPlan, c: readonly ExprNode[]) => PushDecision) | undefined
}
