/**
 * eliminate-common-subexpressions: an expression computed more than once in one project is
 * computed once, in a project below, and referred to by name.
 *
 *   Project: a := (x + y) * 2, b := (x + y) * 3          Project: a := __cse_0 * 2, b := __cse_0 * 3
 *     Scan: t                                      →        Project: __cse_0 := x + y
 *                                                              Scan: t
 *
 * The largest repeated subexpressions win (a repeated `(x + y) * 2` is not split further).
 * Columns and literals are never "computed". Must not fire on non-deterministic expressions
 * (two `random()` calls are two values) or on projects holding kinds the optimizer does not know,
 * nor hoist an expression that can fail when each occurrence runs on only some rows (the right
 * side of AND / OR, a later COALESCE argument): the project below would run it on every row.
 * merge-projections leaves the result alone, since it never substitutes a column used twice.
 */
import type { ExprNode } from '../../expr/expr-node.js'
import { columnsOf, exprChildren, exprSignature, withChildren } from '../../expr/visit.js'
import type { NamedExpr, ProjectNode } from '../../plan/plan.js'
import { schemaOf } from '../../plan/schema-of.js'
import { canFail, forEachOperand, isDeterministic } from '../expr-facts.js'
import { changed, type Rule, unchanged } from '../rule.js'

export const eliminateCommonSubexpressions: Rule = {
  name: 'eliminate-common-subexpressions',
  applyOrder: 'bottom-up',
  rewrite(plan) {
    if (plan.kind !== 'Project' || !plan.exprs.every((e) => isDeterministic(e.expr))) return unchanged(plan)
    const out = eliminate(plan)
    return out ? changed(out) : unchanged(plan)
  },
}

const computed = (e: ExprNode) => e.kind !== 'Column' && e.kind !== 'Literal'

function eliminate(plan: ProjectNode): ProjectNode | null {
  const sigOf = structuralIds()
  const counts = new Map<number, number>()
  // Subexpressions some occurrence of which runs on every row: hoisting them moves no error.
  const everyRow = new Set<number>()
  for (const e of plan.exprs) {
    forEachOperand(e.expr, (node, all) => {
      if (!computed(node)) return
      const sig = sigOf(node)
      counts.set(sig, (counts.get(sig) ?? 0) + 1)
      if (all) everyRow.add(sig)
    })
  }
  const inputSchema = schemaOf(plan.input)
  const hoisted = (e: ExprNode, sig: number) =>
    (counts.get(sig) ?? 0) > 1 && (everyRow.has(sig) || !canFail(e, inputSchema))
  if (!plan.exprs.some((e) => anyNode(e.expr, (node) => computed(node) && hoisted(node, sigOf(node))))) {
    return null
  }

  const taken = new Set(inputSchema.map((f) => f.name))
  for (const e of plan.exprs) taken.add(e.name)
  const names = new Map<number, string>()
  const shared: NamedExpr[] = []
  const nameFor = (e: ExprNode, sig: number): string => {
    let name = names.get(sig)
    if (name) return name
    for (let i = shared.length; ; i++) {
      name = `__cse_${i}`
      if (!taken.has(name)) break
    }
    taken.add(name)
    names.set(sig, name)
    shared.push({ name, expr: e })
    return name
  }
  // Top-down: the largest repeated subtree is replaced, and nothing inside it is looked at.
  const replace = (e: ExprNode): ExprNode => {
    if (!computed(e)) return e
    const sig = sigOf(e)
    if (hoisted(e, sig)) return { kind: 'Column', name: nameFor(e, sig) }
    return rebuildChildren(e, replace)
  }
  const exprs = plan.exprs.map((e) => ({ name: e.name, expr: replace(e.expr) }))
  const passed = new Set<string>()
  for (const e of exprs) columnsOf(e.expr, passed)
  for (const s of shared) passed.delete(s.name)
  const below: ProjectNode = {
    kind: 'Project',
    input: plan.input,
    exprs: [...[...passed].map((name) => ({ name, expr: { kind: 'Column', name } as const })), ...shared],
  }
  return { ...plan, exprs, input: below }
}

function anyNode(e: ExprNode, test: (node: ExprNode) => boolean): boolean {
  return test(e) || exprChildren(e).some((c) => anyNode(c, test))
}

/**
 * Numbers equal for structurally equal subtrees, within one run. Each node is named by its own
 * fields and its children's numbers, so naming every subtree of an expression costs its size, not
 * its size times its depth as printing each subtree's signature would.
 */
function structuralIds(): (e: ExprNode) => number {
  const ids = new Map<string, number>()
  const memo = new Map<ExprNode, number>()
  const idOf = (e: ExprNode): number => {
    const hit = memo.get(e)
    if (hit !== undefined) return hit
    const children = exprChildren(e)
    const own = exprSignature(
      withChildren(
        e,
        children.map(() => HOLE),
      ),
    )
    const key = `${own}|${children.map(idOf).join(',')}`
    let id = ids.get(key)
    if (id === undefined) {
      id = ids.size
      ids.set(key, id)
    }
    memo.set(e, id)
    return id
  }
  return idOf
}

const HOLE: ExprNode = { kind: 'Literal', value: null, dtype: null }

/** `e` with `f` applied to its direct children only. */
function rebuildChildren(e: ExprNode, f: (child: ExprNode) => ExprNode): ExprNode {
  const children = exprChildren(e)
  const c = children.map(f)
  return c.every((x, k) => x === children[k]) ? e : withChildren(e, c)
}
