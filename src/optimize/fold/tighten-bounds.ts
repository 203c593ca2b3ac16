/**
 * Redundant range conjuncts: of several lower bounds (`>`, `>=`) on the same expression against
 * literals of one dtype, only the tightest matters, and likewise for upper bounds.
 *
 *   x > 5 AND x > 7 AND x <= 10 AND x < 20  →  x > 7 AND x <= 10
 *
 * Null-aware: when x is null every bound is null, and so is the one that remains. The first
 * conjunct of each group keeps its place; the others are dropped.
 */
import type { BinaryNode, ExprNode, LiteralNode } from '../../expr/expr-node.js'
import { exprSignature } from '../../expr/visit.js'
import { isDeterministic } from '../expr-facts.js'

type Bound = BinaryNode & { readonly op: 'gt' | 'gte' | 'lt' | 'lte'; readonly right: LiteralNode }

function asBound(e: ExprNode): Bound | null {
  if (e.kind !== 'Binary' || !['gt', 'gte', 'lt', 'lte'].includes(e.op)) return null
  const r = e.right
  if (r.kind !== 'Literal' || !isDeterministic(e.left)) return null
  const v = r.value
  if (!((typeof v === 'number' && !Number.isNaN(v)) || typeof v === 'bigint')) return null
  return e as Bound
}

/** Whether bound `a` implies bound `b` (same side, same expression, same literal dtype). */
function tighter(a: Bound, b: Bound): boolean {
  const x = a.right.value as number | bigint
  const y = b.right.value as number | bigint
  if (x === y) return a.op === 'gt' || a.op === 'lt' || a.op === b.op
  return a.op === 'gt' || a.op === 'gte' ? x > y : x < y
}

export function tightenBounds(conjuncts: readonly ExprNode[]): ExprNode[] {
  const best = new Map<string, Bound>()
  const keyOf = (b: Bound) =>
    `${b.op === 'gt' || b.op === 'gte' ? 'lower' : 'upper'}|${b.right.dtype}|${exprSignature(b.left)}`
  for (const c of conjuncts) {
    const b = asBound(c)
    if (!b) continue
    const key = keyOf(b)
    const have = best.get(key)
    if (!have || tighter(b, have)) best.set(key, b)
  }
  const placed = new Set<string>()
  const out: ExprNode[] = []
  for (const c of conjuncts) {
    const b = asBound(c)
    if (!b) {
      out.push(c)
      continue
    }
    const key = keyOf(b)
    if (placed.has(key)) continue
    placed.add(key)
    out.push(best.get(key) ?? b)
  }
  return out
}
