/**
 * What the join kernels accept as keys: as many on each side, at least one, and the same dtype on
 * both sides of each pair. Plain and dictionary utf8 are one dtype (they match by text); any other
 * pair, int32 with int64 included, must be cast to a common type first (the plan layer does this
 * for the joins it builds), because equality across dtypes is a decision, not a kernel detail.
 */
import { TsdaskError } from '../../util/errors.js'
import { type Col, dtypeOfCol } from '../column.js'

/** `names` label the key columns in messages (the key's column names on each side). */
export interface KeyNames {
  readonly left: readonly string[]
  readonly right: readonly string[]
}

function label(names: readonly string[] | undefined, k: number): string {
  const name = names?.[k]
  return name === undefined ? '' : ` (column '${name}')`
}

export function checkJoinKeys(left: readonly Col[], right: readonly Col[], names?: KeyNames): void {
  if (left.length !== right.length) {
    throw new TsdaskError(
      'INVALID_ARGUMENT',
      `a join needs as many keys on the left as on the right: got ${left.length} left key(s)` +
        `${names ? ` [${names.left.join(', ')}]` : ''} and ${right.length} right key(s)` +
        `${names ? ` [${names.right.join(', ')}]` : ''}. Pair every left key with one right key.`,
    )
  }
  if (left.length === 0) {
    throw new TsdaskError(
      'INVALID_ARGUMENT',
      'a hash join needs at least one key pair; for a cartesian product use a cross join.',
    )
  }
  for (let k = 0; k < left.length; k++) {
    const l = dtypeOfCol(left[k]!)
    const r = dtypeOfCol(right[k]!)
    if (l !== r) {
      throw new TsdaskError(
        'TYPE_MISMATCH',
        `join key ${k + 1} is ${l} on the left${label(names?.left, k)} but ${r} on the right` +
          `${label(names?.right, k)}: keys match only within one type. Cast one side to the other's type ` +
          `(or both to a common type) before joining.`,
        { key: k },
      )
    }
  }
}
