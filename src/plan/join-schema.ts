/**
 * A join's output schema and the checks that make a join valid: its key columns exist on their
 * side (else "did you mean"), pairs have as many keys on both sides, and each pair's dtypes can be
 * equal. A pair of different numeric (or temporal) dtypes is matched at their common type
 * (int32 < int64 < float64, date < timestamp, as `=` compares them); other pairs are a
 * TYPE_MISMATCH naming both columns. Output columns keep their own dtypes, except a merged key
 * (USING), which takes the pair's common type (as in DuckDB).
 */
import { unknownColumn } from '../expr/dtype-of.js'
import { type DType, isNumeric, isTemporal, widenNumeric } from '../types/dtype.js'
import { type JoinOutputColumn, joinOutputColumns } from '../types/join-columns.js'
import type { Schema } from '../types/schema.js'
import { TsdaskError } from '../util/errors.js'
import type { JoinNode } from './plan.js'

export interface JoinKeys {
  readonly left: readonly number[]
  readonly right: readonly number[]
  /** The dtype each key pair is matched at. */
  readonly dtypes: readonly DType[]
}

/** Key indexes on each side and the common dtype of each pair; throws the user's mistakes. */
export function joinKeys(plan: JoinNode, left: Schema, right: Schema): JoinKeys {
  if (plan.how === 'cross') {
    if (plan.leftOn.length > 0 || plan.rightOn.length > 0) {
      throw new TsdaskError('INVALID_ARGUMENT', 'a cross join takes no keys; use an inner join to match on columns.')
    }
    return { left: [], right: [], dtypes: [] }
  }
  if (plan.leftOn.length !== plan.rightOn.length || plan.leftOn.length === 0) {
    throw new TsdaskError(
      'INVALID_ARGUMENT',
      `a join needs the same number of key columns on both sides (at least one), got ${plan.leftOn.length} on the left and ${plan.rightOn.length} on the right.`,
    )
  }
  const index = (schema: Schema, name: string, side: string) => {
    const i = schema.findIndex((f) => f.name === name)
    if (i < 0) throw unknownColumn(name, schema, `the join's ${side} side`)
    return i
  }
  const l = plan.leftOn.map((name) => index(left, name, 'left'))
  const r = plan.rightOn.map((name) => index(right, name, 'right'))
  const dtypes = l.map((li, k) => pairType(left[li]!.name, left[li]!.dtype, right[r[k]!]!.name, right[r[k]!]!.dtype))
  return { left: l, right: r, dtypes }
}

function pairType(leftName: string, l: DType, rightName: string, r: DType): DType {
  if (l === r) return l
  if (isNumeric(l) && isNumeric(r)) return widenNumeric(l, r)
  if (isTemporal(l) && isTemporal(r)) return 'timestamp[ms]'
  throw new TsdaskError(
    'TYPE_MISMATCH',
    `join key "${leftName}" (${l}) = "${rightName}" (${r}): a ${l} value never equals a ${r} one. Cast one side first, e.g. col('${rightName}').cast('${l}').`,
    { left: leftName, right: rightName },
  )
}

/** The schema with each key column at its pair's common dtype. */
export function withKeyTypes(schema: Schema, keys: readonly number[], dtypes: readonly DType[]): Schema {
  return schema.map((f, i) => {
    const k = keys.indexOf(i)
    return k < 0 ? f : { ...f, dtype: dtypes[k]! }
  })
}

/** The join's output columns, each with its dtype and where its values come from. */
export function joinColumns(plan: JoinNode, left: Schema, right: Schema): JoinOutputColumn[] {
  const keys = joinKeys(plan, left, right)
  const l = plan.coalesceKeys ? withKeyTypes(left, keys.left, keys.dtypes) : left
  const r = plan.coalesceKeys ? withKeyTypes(right, keys.right, keys.dtypes) : right
  return joinOutputColumns(l, r, {
    how: plan.how === 'cross' ? 'inner' : plan.how,
    suffix: plan.suffix,
    ...(plan.coalesceKeys && { coalesce: { left: keys.left, right: keys.right } }),
  })
}

export function joinSchema(plan: JoinNode, left: Schema, right: Schema): Schema {
  return joinColumns(plan, left, right).map((c) => ({ name: c.name, dtype: c.dtype }))
}
