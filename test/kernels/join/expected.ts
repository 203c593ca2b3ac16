/** The rows and names a join result must have, built from reference pairs and the input cells. */
import type { JoinHow } from '../../../src/kernels/join/index.js'
import type { Cell } from '../helpers.js'
import type { BuiltCase } from './cases.js'
import type { ReferencePairs } from './reference.js'

const nulls = (n: number): Cell[] => Array.from({ length: n }, () => null)

export function expectedRows(c: BuiltCase, pairs: ReferencePairs, how: JoinHow, coalesce: boolean): Cell[][] {
  const leftWidth = c.left.numCols
  const rightWidth = c.right.numCols
  return pairs.left.map((li, o) => {
    const l = li < 0 ? nulls(leftWidth) : [...c.leftRows[li]!]
    if (pairs.right === null) return l
    const ri = pairs.right[o]!
    const r = ri < 0 ? nulls(rightWidth) : c.rightRows[ri]!
    if (!coalesce) return [...l, ...r]
    c.leftOn.forEach((lc, k) => {
      const rc = c.rightOn[k]!
      l[lc] = how === 'full' ? (l[lc] ?? r[rc]!) : how === 'right' ? r[rc]! : l[lc]!
    })
    return [...l, ...r.filter((_, j) => !c.rightOn.includes(j))]
  })
}

export function expectedNames(c: BuiltCase, how: JoinHow, coalesce: boolean, suffix = '_right'): string[] {
  const left = c.left.schema.fields.map((f) => f.name)
  if (how === 'semi' || how === 'anti') return left
  const right = c.right.schema.fields
    .map((f) => f.name)
    .filter((_, j) => !coalesce || !c.rightOn.includes(j))
    .map((n) => (left.includes(n) ? n + suffix : n))
  return [...left, ...right]
}
