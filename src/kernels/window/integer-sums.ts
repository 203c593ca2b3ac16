/**
 * Exact sums of an int32 or int64 column over every frame, from prefix sums over positions:
 * frame [s, e) sums to P[e] - P[s]. Integers subtract exactly, so one pass serves any frame.
 *
 * The prefixes are doubles when the column's Σ|value| stays below 2^52 (then every prefix and
 * every difference is an exact safe integer: the usual case, no BigInt at all), and BigInts
 * otherwise, where a frame's sum may exceed int64 even though no single value does. Nulls add 0.
 */
import type { Int32Col, Int64Col } from '../column.js'
import { EXACT_IN_DOUBLES } from '../group-by/accumulate.js'

const TWO_32 = 4294967296

/** Per position, the exact sum of the frame's values: as doubles, or as BigInts when larger. */
export type FrameIntegerSums =
  | { readonly exact: 'double'; readonly sums: Float64Array }
  | { readonly exact: 'bigint'; readonly sums: readonly bigint[] }

/** The column's values in position order as doubles (0 under nulls), and Σ|value|. */
function valuesByPosition(col: Int32Col | Int64Col, order: Int32Array): { values: Float64Array; absTotal: number } {
  const n = order.length
  const values = new Float64Array(n)
  const valid = col.valid
  let absTotal = 0
  if (col.kind === 'int32') {
    const v = col.values
    for (let k = 0; k < n; k++) {
      const i = order[k]!
      const x = valid === null || valid[i] ? v[i]! : 0
      values[k] = x
      absTotal += x < 0 ? -x : x
    }
  } else {
    const words = new Int32Array(col.values.buffer, col.values.byteOffset, 2 * col.length)
    for (let k = 0; k < n; k++) {
      const i = order[k]!
      const x = valid === null || valid[i] ? words[2 * i + 1]! * TWO_32 + (words[2 * i]! >>> 0) : 0
      values[k] = x
      absTotal += x < 0 ? -x : x
    }
  }
  return { values, absTotal }
}

export function integerFrameSums(
  col: Int32Col | Int64Col,
  order: Int32Array,
  start: Int32Array,
  end: Int32Array,
): FrameIntegerSums {
  const n = order.length
  const { values, absTotal } = valuesByPosition(col, order)
  if (absTotal < EXACT_IN_DOUBLES) {
    const prefix = new Float64Array(n + 1)
    for (let k = 0; k < n; k++) prefix[k + 1] = prefix[k]! + values[k]!
    const sums = new Float64Array(n)
    for (let k = 0; k < n; k++) sums[k] = prefix[end[k]!]! - prefix[start[k]!]!
    return { exact: 'double', sums }
  }
  // Rare: huge values. BigInt prefixes from the exact values (the doubles above may have rounded).
  const valid = col.valid
  const prefix: bigint[] = new Array(n + 1)
  prefix[0] = 0n
  for (let k = 0; k < n; k++) {
    const i = order[k]!
    const x: bigint = valid !== null && !valid[i] ? 0n : BigInt(col.values[i]!)
    prefix[k + 1] = prefix[k]! + x
  }
  const sums: bigint[] = new Array(n)
  for (let k = 0; k < n; k++) sums[k] = prefix[end[k]!]! - prefix[start[k]!]!
  return { exact: 'bigint', sums }
}
