/**
 * The join types and sides the join kernels speak of, and which side of a join keeps its unmatched
 * rows. `left` and `right` are the sides of the result (left columns first); which side the hash
 * table is built on is a separate choice (`build`), so a right join can build either side.
 */
import { TsdaskError } from '../util/errors.js'

export const JOIN_HOWS = ['inner', 'left', 'right', 'full', 'semi', 'anti'] as const
export type JoinHow = (typeof JOIN_HOWS)[number]
export type JoinSide = 'left' | 'right'

/**
 * Row-index pairs of a join result: output row `i` is row `left[i]` of the left input beside row
 * `right[i]` of the right input; -1 means "no row" (the null-extended side of an outer join).
 * Semi and anti joins output left rows only: `right` is null.
 */
export interface JoinIndices {
  readonly left: Int32Array
  readonly right: Int32Array | null
}

/** Whether `side`'s rows appear even without a match (the preserved side of an outer join). */
export function keepsUnmatched(how: JoinHow, side: JoinSide): boolean {
  return how === 'full' || how === side
}

/** Whether the result carries right columns. */
export function outputsRight(how: JoinHow): boolean {
  return how !== 'semi' && how !== 'anti'
}

/** Checks a `how` that arrives as plain data (task arguments). */
export function checkJoinHow(how: string): JoinHow {
  if ((JOIN_HOWS as readonly string[]).includes(how)) return how as JoinHow
  throw new TsdaskError('INVALID_ARGUMENT', `unknown join type '${how}': use one of ${JOIN_HOWS.join(', ')}`)
}

/** Default for `maxRows` of a hash join: a guard against keys that repeat on both sides. */
export const DEFAULT_JOIN_MAX_ROWS = 2 ** 28
/** Default for `maxRows` of a cross join, meant for small sides. */
export const DEFAULT_CROSS_JOIN_MAX_ROWS = 10_000_000

/** Throws when a join would produce more than `maxRows` rows, before any output is allocated. */
export function checkOutputRows(what: string, rows: number, maxRows: number, hint: string): void {
  if (rows <= maxRows) return
  throw new TsdaskError(
    'INVALID_ARGUMENT',
    `${what} would produce ${rows.toLocaleString('en-US')} rows, above the limit of ` +
      `${maxRows.toLocaleString('en-US')}. ${hint}, or raise maxRows.`,
    { rows, maxRows },
  )
}
