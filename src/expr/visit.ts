/** Generic walks over expression trees: children, rebuild, referenced columns, structural equality. */
import type { ExprNode } from './expr-node.js'

export function exprChildren(e: ExprNode): readonly ExprNode[] {
  switch (e.kind) {
    case 'Column':
    case 'Literal':
      return []
    case 'Binary':
      return [e.left, e.right]
    case 'Unary':
    case 'Cast':
    case 'String':
      return [e.arg]
    case 'IsIn':
      return [e.arg, ...e.values]
    case 'Coalesce':
      return e.args
    case 'Agg':
      return [e.arg, e.arg2].filter((a): a is ExprNode => a !== null && a !== undefined)
    case 'Case':
      return [...e.branches.flatMap((b) => [b.condition, b.value]), ...(e.otherwise ? [e.otherwise] : [])]
    case 'Call':
      return e.args
  }
}

/**
 * `e` with its direct children replaced by `c`, given in `exprChildren` order. Exhaustive, so a new
 * kind cannot be silently left with its old children.
 */
export function withChildren(e: ExprNode, c: readonly ExprNode[]): ExprNode {
  const at = (i: number): ExprNode => c[i]!
  switch (e.kind) {
    case 'Column':
    case 'Literal':
      return e
    case 'Binary':
      return { ...e, left: at(0), right: at(1) }
    case 'Unary':
    case 'Cast':
    case 'String':
      return { ...e, arg: at(0) }
    case 'IsIn':
      return { ...e, arg: at(0), values: c.slice(1) as typeof e.values }
    case 'Coalesce':
    case 'Call':
      return { ...e, args: c }
    case 'Agg':
      if (e.arg === null) return e
      return e.arg2 === undefined ? { ...e, arg: at(0) } : { ...e, arg: at(0), arg2: at(1) }
    case 'Case': {
      const branches = e.branches.map((_, i) => ({ condition: at(2 * i), value: at(2 * i + 1) }))
      return { ...e, branches, otherwise: e.otherwise ? at(2 * e.branches.length) : null }
    }
  }
}

/** Rebuilds bottom-up with `f` applied to every node after its children. */
export function transformExpr(e: ExprNode, f: (node: ExprNode) => ExprNode): ExprNode {
  const t = (x: ExprNode) => transformExpr(x, f)
  switch (e.kind) {
    case 'Column':
    case 'Literal':
      return f(e)
    case 'Binary':
      return f({ ...e, left: t(e.left), right: t(e.right) })
    case 'Unary':
    case 'Cast':
    case 'String':
      return f({ ...e, arg: t(e.arg) })
    case 'IsIn':
      return f({ ...e, arg: t(e.arg) })
    case 'Coalesce':
      return f({ ...e, args: e.args.map(t) })
    case 'Agg':
      return f({ ...e, arg: e.arg ? t(e.arg) : null, ...(e.arg2 !== undefined && { arg2: t(e.arg2) }) })
    case 'Case':
      return f({
        ...e,
        branches: e.branches.map((b) => ({ condition: t(b.condition), value: t(b.value) })),
        otherwise: e.otherwise ? t(e.otherwise) : null,
      })
    case 'Call':
      return f({ ...e, args: e.args.map(t) })
  }
}

/** Names of the columns an expression reads, in first-use order, without duplicates (added to `into`). */
export function columnsOf(e: ExprNode): string[]
export function columnsOf<C extends string[] | Set<string>>(e: ExprNode, into: C): C
export function columnsOf(e: ExprNode, into?: string[] | Set<string>): string[] | Set<string> {
  const out = into ?? []
  if (e.kind === 'Column') {
    if (Array.isArray(out)) {
      if (!out.includes(e.name)) out.push(e.name)
    } else out.add(e.name)
    return out
  }
  for (const c of exprChildren(e)) columnsOf(c, out)
  return out
}

/** Without allocating for the common kinds: SQL checks every WHERE and SELECT expression with it. */
export function containsAgg(e: ExprNode): boolean {
  switch (e.kind) {
    case 'Agg':
      return true
    case 'Column':
    case 'Literal':
      return false
    case 'Binary':
      return containsAgg(e.left) || containsAgg(e.right)
    case 'Unary':
    case 'Cast':
    case 'String':
      return containsAgg(e.arg)
    default:
      return exprChildren(e).some(containsAgg)
  }
}

/** Structural equality (literals by value and dtype; Dates by time). */
export function exprEquals(a: ExprNode, b: ExprNode): boolean {
  return exprSignature(a) === exprSignature(b)
}

export function exprSignature(e: ExprNode): string {
  // A function replacer sees `this[key]` before Date#toJSON turns dates into strings.
  return JSON.stringify(e, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key]
    if (raw instanceof Date) return `date:${raw.getTime()}`
    if (typeof v === 'bigint') return `${v}n`
    if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) return `num:${Object.is(v, -0) ? '-0' : v}`
    // Key order must not matter: nodes built by hand (custom rules) list properties in any order.
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, (v as Record<string, unknown>)[k]]),
      )
    }
    return v
  })
}
