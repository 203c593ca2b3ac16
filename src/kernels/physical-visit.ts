/**
 * Walking physical expressions: each node's direct operands, and the batch columns an expression
 * reads. Dispatch is a `Record<kind, …>`, so a new expression kind fails to compile until it is
 * handled here.
 */
import type { PhysicalExpr } from './physical-expr.js'

type Node<K extends PhysicalExpr['kind']> = Extract<PhysicalExpr, { kind: K }>

const CHILDREN: { readonly [K in PhysicalExpr['kind']]: (e: Node<K>) => readonly PhysicalExpr[] } = {
  column: () => [],
  literal: () => [],
  binary: (e) => [e.left, e.right],
  unary: (e) => [e.arg],
  cast: (e) => [e.arg],
  isIn: (e) => [e.arg],
  coalesce: (e) => e.args,
  string: (e) => [e.arg],
  case: (e) => [...e.branches.flatMap((b) => [b.condition, b.value]), ...(e.otherwise === null ? [] : [e.otherwise])],
  call: (e) => e.args,
}

/** The direct operands of `e`. */
export function physicalChildren(e: PhysicalExpr): readonly PhysicalExpr[] {
  return (CHILDREN[e.kind] as (e: PhysicalExpr) => readonly PhysicalExpr[])(e)
}

/** The indexes of the batch columns any of `exprs` reads. */
export function columnsRead(exprs: readonly PhysicalExpr[], into = new Set<number>()): Set<number> {
  for (const e of exprs) {
    if (e.kind === 'column') into.add(e.index)
    else columnsRead(physicalChildren(e), into)
  }
  return into
}
