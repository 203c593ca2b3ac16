/**
 * prune-columns: every node asks its input only for the columns it needs, down to the scans,
 * which then read (and, for CSV, parse) only those columns. Projections drop outputs nobody
 * reads; aggregates drop aggregations nobody reads.
 *
 *   Project: total := fare + tip        Project: total := fare + tip
 *     Filter: fare > 10          →        Filter: fare > 10
 *       Scan: trips [*]                      Scan: trips [fare, tip]
 *
 * Must not fire on the root's own outputs: the root keeps every column the user asked for, in
 * order (the driver checks the schema after the rule). Group keys are never dropped (they define
 * the groups, so dropping one would change the row count). Column order of a pruned scan follows
 * its previous order, so parents that refer to columns by name are unaffected.
 */

import { columnsOf } from '../../expr/visit.js'
import { aggCallArgs } from '../../plan/agg-call.js'
import { joinColumns } from '../../plan/join-schema.js'
import { type JoinNode, type LogicalPlan, type UnaryPlan, type UnionNode, withInputs } from '../../plan/plan.js'
import { schemaOf, sourceSchema } from '../../plan/schema-of.js'
import { changed, type Rule, unchanged } from '../rule.js'

export const pruneColumns: Rule = {
  name: 'prune-columns',
  rewrite(plan) {
    const result = prune(plan, new Set(schemaOf(plan).map((f) => f.name)))
    return result === plan ? unchanged(plan) : changed(result)
  },
}

function prune(plan: LogicalPlan, required: ReadonlySet<string>): LogicalPlan {
  switch (plan.kind) {
    case 'Scan': {
      const current = plan.columns ?? sourceSchema(plan.source).map((f) => f.name)
      const kept = current.filter((c) => required.has(c))
      if (kept.length === current.length) return plan
      return { ...plan, columns: kept }
    }
    case 'Filter': {
      const need = union(required, columnsOf(plan.predicate))
      return rebuild(plan, prune(plan.input, need))
    }
    case 'Project': {
      const exprs = plan.exprs.filter((e) => required.has(e.name))
      const need = new Set<string>()
      for (const e of exprs) columnsOf(e.expr, need)
      const input = prune(plan.input, need)
      if (exprs.length === plan.exprs.length && input === plan.input) return plan
      return { ...plan, exprs, input }
    }
    case 'Aggregate': {
      const aggs = plan.aggs.filter((a) => required.has(a.name))
      const need = new Set<string>(plan.keys)
      for (const a of aggs) for (const arg of aggCallArgs(a)) columnsOf(arg, need)
      const input = prune(plan.input, need)
      if (aggs.length === plan.aggs.length && input === plan.input) return plan
      return { ...plan, aggs, input }
    }
    case 'Sort':
      return rebuild(
        plan,
        prune(
          plan.input,
          union(
            required,
            plan.keys.map((k) => k.column),
          ),
        ),
      )
    case 'Limit':
    case 'Sample':
      return rebuild(plan, prune(plan.input, required))
    case 'Distinct':
      // Every column decides which rows are distinct: the input keeps them all.
      return rebuild(plan, prune(plan.input, new Set(schemaOf(plan.input).map((f) => f.name))))
    case 'Union':
      return pruneUnion(plan, required)
    case 'Join':
      return pruneJoin(plan, required)
  }
}

/**
 * Each side keeps its keys and the columns the parent reads from it. A right column that is read
 * under its suffixed name keeps the left column it clashed with, so the name stays the same.
 */
function pruneJoin(plan: JoinNode, required: ReadonlySet<string>): LogicalPlan {
  const leftSchema = schemaOf(plan.left)
  const rightSchema = schemaOf(plan.right)
  const needLeft = new Set(plan.leftOn)
  const needRight = new Set(plan.rightOn)
  for (const column of joinColumns(plan, leftSchema, rightSchema)) {
    if (!required.has(column.name)) continue
    const source = column.source
    if (source.side === 'left') needLeft.add(leftSchema[source.index]!.name)
    else if (source.side === 'right') {
      const name = rightSchema[source.index]!.name
      needRight.add(name)
      if (name !== column.name) needLeft.add(name)
    }
  }
  return withInputs(plan, [prune(plan.left, needLeft), prune(plan.right, needRight)])
}

/**
 * Each input is pruned to the columns the union's parent reads. Inputs that cannot drop a
 * column (an aggregate keeps its keys) get a projection, so all inputs still line up.
 */
function pruneUnion(plan: UnionNode, required: ReadonlySet<string>): LogicalPlan {
  const wanted = schemaOf(plan).filter((f) => required.has(f.name))
  const inputs = plan.inputs.map((input): LogicalPlan => {
    const pruned = prune(input, required)
    const names = schemaOf(pruned).map((f) => f.name)
    if (names.length === wanted.length && names.every((n, i) => n === wanted[i]!.name)) return pruned
    const exprs = wanted.map((f) => ({ name: f.name, expr: { kind: 'Column', name: f.name } as const }))
    return { kind: 'Project', input: pruned, exprs, origin: plan.origin }
  })
  return withInputs(plan, inputs)
}

function rebuild<P extends UnaryPlan>(plan: P, input: LogicalPlan): LogicalPlan {
  return input === plan.input ? plan : { ...plan, input }
}

function union(a: ReadonlySet<string>, b: readonly string[]): Set<string> {
  const s = new Set(a)
  for (const x of b) s.add(x)
  return s
}
