/**
 * count(DISTINCT x): the number of distinct non-null values per group, any dtype. Equality is the
 * group-by's (floats: -0 = 0 and all NaNs are one value; strings by bytes, dictionary or plain).
 *
 * State: each group's distinct values (a value list, see value-lists.ts), deduplicated in the
 * partial step and again after every combine, so a state never holds a value twice. Memory is
 * the number of distinct values per group (times partitions in flight), not a fixed-size sketch;
 * there is no approximate (HyperLogLog) mode.
 */
import type { DType } from '../../types/dtype.js'
import type { Col, Int32Col, Int64Col, Utf8Col } from '../column.js'
import { groupRows } from '../group-by/hash.js'
import { takeCol } from '../take.js'
import { concatLists, decodeLists, encodeLists, type ListElement, listCounts, listsOf } from './value-lists.js'

/** The list element that holds values of `dtype`. */
export function listElementOf(dtype: DType): ListElement {
  return dtype
}

/** Encodes, per group, each distinct non-null value once (first occurrence order). */
function distinctLists(values: Col, ids: Int32Array, groups: number): Utf8Col {
  const n = values.length
  const owners: Int32Col = { kind: 'int32', length: n, values: ids, valid: null }
  const pairs = groupRows([owners, values], n)
  const valid = values.valid
  const keep: number[] = []
  for (let p = 0; p < pairs.count; p++) {
    const r = pairs.firstRow[p]!
    if (r >= 0 && (valid === null || valid[r])) keep.push(r)
  }
  const rows = Int32Array.from(keep)
  return encodeLists(
    takeCol(values, rows),
    rows.map((r) => ids[r]!),
    groups,
  )
}

export function partialCountDistinct(input: Col, ids: Int32Array, groups: number): Col[] {
  return [distinctLists(input, ids, groups)]
}

export function mergeCountDistinct(states: readonly Col[], ids: Int32Array, groups: number, dtype: DType): Col[] {
  const merged = concatLists(listsOf(states[0]!), ids, groups)
  const { values, owner } = decodeLists(merged, listElementOf(dtype))
  return [distinctLists(values, owner, groups)]
}

export function finalCountDistinct(states: readonly Col[], dtype: DType): Col {
  const counts = listCounts(listsOf(states[0]!), listElementOf(dtype))
  const out: Int64Col = {
    kind: 'int64',
    length: counts.length,
    values: BigInt64Array.from(counts, (c) => BigInt(c)),
    valid: null,
  }
  return out
}
