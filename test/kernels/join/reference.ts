/**
 * A naive nested-loop join over plain JS cells: the oracle for the join kernels. It produces the
 * row pairs in the order the kernels document (join-indices.ts): probe rows in order, for each the
 * matching build rows in build order, a lone probe row beside -1 when its side is preserved, then
 * the build side's unmatched rows in build order; semi and anti joins give left rows in left order.
 */
import type { JoinHow, JoinSide } from '../../../src/kernels/join/index.js'
import type { Cell } from '../helpers.js'

/** SQL `=` on two key cells as DuckDB joins them: null never matches, -0 = 0, NaN = NaN. */
export function keyCellsMatch(a: Cell, b: Cell): boolean {
  if (a === null || b === null) return false
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b))
  return a === b
}

function rowsMatch(l: readonly Cell[], r: readonly Cell[], leftOn: readonly number[], rightOn: readonly number[]) {
  return leftOn.every((li, k) => keyCellsMatch(l[li]!, r[rightOn[k]!]!))
}

export interface ReferencePairs {
  readonly left: number[]
  readonly right: number[] | null
}

export function naiveJoin(
  left: readonly (readonly Cell[])[],
  right: readonly (readonly Cell[])[],
  leftOn: readonly number[],
  rightOn: readonly number[],
  how: JoinHow,
  build: JoinSide,
): ReferencePairs {
  const match = (i: number, j: number) => rowsMatch(left[i]!, right[j]!, leftOn, rightOn)
  if (how === 'semi' || how === 'anti') {
    const keep = left.map((_, i) => right.some((_, j) => match(i, j)) === (how === 'semi'))
    return { left: left.flatMap((_, i) => (keep[i] ? [i] : [])), right: null }
  }
  const probeSide: JoinSide = build === 'left' ? 'right' : 'left'
  const probeRows = build === 'left' ? right.length : left.length
  const buildRows = build === 'left' ? left.length : right.length
  const matches = (p: number, b: number) => (build === 'left' ? match(b, p) : match(p, b))
  const pairs: [probe: number, build: number][] = []
  const buildMatched = new Set<number>()
  for (let p = 0; p < probeRows; p++) {
    let any = false
    for (let b = 0; b < buildRows; b++) {
      if (!matches(p, b)) continue
      pairs.push([p, b])
      buildMatched.add(b)
      any = true
    }
    if (!any && (how === 'full' || how === probeSide)) pairs.push([p, -1])
  }
  if (how === 'full' || how === build) for (let b = 0; b < buildRows; b++) if (!buildMatched.has(b)) pairs.push([-1, b])
  const probe = pairs.map((x) => x[0])
  const built = pairs.map((x) => x[1])
  return build === 'left' ? { left: built, right: probe } : { left: probe, right: built }
}
