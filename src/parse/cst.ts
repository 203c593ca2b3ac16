/** Small typed accessors over chevrotain's generic CST (children keyed by rule, token or label name). */
import type { CstElement, CstNode, IToken } from 'chevrotain'
import { TsdaskError } from '../util/errors.js'

function isToken(e: CstElement): e is IToken {
  return 'image' in e
}

const NONE: never[] = []

// A key holds only nodes (a rule name or a subrule label) or only tokens (a token name or label):
// no filtering, no copies on this hot path.
export function children(n: CstNode, key: string): CstNode[] {
  return (n.children[key] ?? NONE) as CstNode[]
}

export function child(n: CstNode, key: string, index = 0): CstNode {
  const c = children(n, key)[index]
  if (!c) throw new TsdaskError('INTERNAL', `query parser: ${n.name} has no ${key}[${index}]`)
  return c
}

export function maybeChild(n: CstNode, key: string): CstNode | undefined {
  return children(n, key)[0]
}

export function tokens(n: CstNode, key: string): IToken[] {
  return (n.children[key] ?? NONE) as IToken[]
}

export function maybeToken(n: CstNode, key: string): IToken | undefined {
  return tokens(n, key)[0]
}

/** The first token under a node (by position), for pointing at a whole construct. */
export function firstToken(n: CstNode): IToken {
  let best: IToken | undefined
  for (const list of Object.values(n.children)) {
    for (const e of list) {
      const t = isToken(e) ? e : firstToken(e)
      if (!best || t.startOffset < best.startOffset) best = t
    }
  }
  if (!best) throw new TsdaskError('INTERNAL', `query parser: ${n.name} has no tokens`)
  return best
}

/**
 * The single child of a chain of one-child rules, e.g. the `primary` under an `expression` that is
 * just a literal. Undefined when any level has an operator or several operands.
 */
export function soleDescendant(n: CstNode, path: readonly string[]): CstNode | undefined {
  let cur = n
  for (const key of path) {
    const keys = Object.keys(cur.children)
    if (keys.length !== 1 || keys[0] !== key) return undefined
    const list = cur.children[key] ?? []
    const next = list[0]
    if (list.length !== 1 || !next || isToken(next)) return undefined
    cur = next
  }
  return cur
}

/**
 * The one operand an expression consists of, with its sign if it has one (`x`, `-5`; not `x + 1`,
 * `NOT x`, `x > 1`): a `primary` node.
 */
export function soleOperand(expression: CstNode): CstNode | undefined {
  return soleDescendant(expression, ['notExpr', 'primary'])
}

/** The `primary` an expression consists of alone (no operator, no sign), if it does. */
export function solePrimary(expression: CstNode): CstNode | undefined {
  const p = soleOperand(expression)
  return p && !maybeChild(p, 'primary') ? p : undefined
}
