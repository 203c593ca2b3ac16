/**
 * The columns of a join result, decided from the input schemas alone, so the plan layer can derive
 * the result schema with the very function the kernel assembles it by.
 *
 * - All left columns, then all right columns; semi and anti joins output the left columns only.
 * - A right column whose name is also a left column's gets `suffix` appended (default `_right`, as
 *   in Polars' `join(suffix=)`; pandas and Dask suffix both sides with `_x`/`_y`, which renames
 *   columns the user did not ask about). A name that is still not unique is an error.
 * - `coalesce` (a USING / `on` join): each key pair appears once, at the left key's position and
 *   under its name; its values come from the side whose rows all appear: the left key for inner,
 *   left, semi and anti joins, the right key for a right join, and the first non-null of the two
 *   for a full join (DuckDB's USING and Polars' `coalesce=True` give the same values).
 * - `nullable` marks the columns the join itself may fill with nulls (the side that is padded with
 *   nulls where an outer join keeps an unmatched row of the other side).
 */

import { TsdaskError } from '../util/errors.js'
import type { DType } from './dtype.js'
import { type JoinHow, keepsUnmatched, outputsRight } from './join-how.js'
import type { Schema } from './schema.js'

export type JoinColumnSource =
  | { readonly side: 'left'; readonly index: number }
  | { readonly side: 'right'; readonly index: number }
  /** The first non-null of a left and a right column (a full join's merged key). */
  | { readonly side: 'coalesce'; readonly left: number; readonly right: number }

export interface JoinOutputColumn {
  readonly name: string
  readonly dtype: DType
  /** Whether the join may put nulls in this column that its input column did not hold. */
  readonly nullable: boolean
  readonly source: JoinColumnSource
}

export interface JoinOutputOptions {
  readonly how: JoinHow
  /** Appended to a right column's name that clashes with a left column's; default `_right`. */
  readonly suffix?: string
  /** Key pairs (column indexes) to output once, merged, as a USING join does. */
  readonly coalesce?: { readonly left: readonly number[]; readonly right: readonly number[] }
}

export const DEFAULT_JOIN_SUFFIX = '_right'

export function joinOutputColumns(left: Schema, right: Schema, options: JoinOutputOptions): JoinOutputColumn[] {
  const { how } = options
  const merged = mergedKeys(options.coalesce)
  const leftPadded = keepsUnmatched(how, 'right')
  const rightPadded = keepsUnmatched(how, 'left')
  const out: JoinOutputColumn[] = left.map((f, index) => {
    const r = merged.byLeft.get(index)
    if (r === undefined) return { name: f.name, dtype: f.dtype, nullable: leftPadded, source: { side: 'left', index } }
    const source: JoinColumnSource =
      how === 'full'
        ? { side: 'coalesce', left: index, right: r }
        : how === 'right'
          ? { side: 'right', index: r }
          : { side: 'left', index }
    return { name: f.name, dtype: f.dtype, nullable: false, source }
  })
  if (!outputsRight(how)) return out
  const suffix = options.suffix ?? DEFAULT_JOIN_SUFFIX
  const leftNames = new Set(left.map((f) => f.name))
  right.forEach((f, index) => {
    if (merged.rights.has(index)) return
    const name = leftNames.has(f.name) ? f.name + suffix : f.name
    out.push({ name, dtype: f.dtype, nullable: rightPadded, source: { side: 'right', index } })
  })
  checkUniqueNames(out, suffix)
  return out
}

function mergedKeys(coalesce: JoinOutputOptions['coalesce']): {
  byLeft: Map<number, number>
  rights: Set<number>
} {
  const byLeft = new Map<number, number>()
  const rights = new Set<number>()
  if (!coalesce) return { byLeft, rights }
  if (coalesce.left.length !== coalesce.right.length) {
    throw new TsdaskError(
      'INVALID_ARGUMENT',
      `merged join keys come in pairs: got ${coalesce.left.length} left and ${coalesce.right.length} right`,
    )
  }
  coalesce.left.forEach((l, k) => {
    const r = coalesce.right[k]!
    if (byLeft.has(l) || rights.has(r)) {
      throw new TsdaskError(
        'INVALID_ARGUMENT',
        'a join that outputs its keys once (USING, or `on` with merged keys) cannot use one column ' +
          'in two key pairs; join on distinct columns, or keep both sides of the keys.',
      )
    }
    byLeft.set(l, r)
    rights.add(r)
  })
  return { byLeft, rights }
}

function checkUniqueNames(columns: readonly JoinOutputColumn[], suffix: string): void {
  const seen = new Set<string>()
  for (const c of columns) {
    if (seen.has(c.name)) {
      throw new TsdaskError(
        'INVALID_ARGUMENT',
        `the join result would have two columns named '${c.name}' (suffix '${suffix}' is appended only to ` +
          'right columns whose names the left side also has). Pass another suffix, or rename or drop columns ' +
          'before joining.',
        { column: c.name },
      )
    }
    seen.add(c.name)
  }
}
