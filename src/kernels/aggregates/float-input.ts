/**
 * Aggregates that compute in doubles (mean's int64 sum, stddev, variance, corr, median) read their
 * numeric input as float64 through this one conversion, without a BigInt per row.
 */
import { TsdaskError } from '../../util/errors.js'
import type { Col, Float64Col, Int64Col } from '../column.js'

/** int64 values as float64, read as two 32-bit words (no BigInt per row). */
export function int64AsFloat64(col: Int64Col): Float64Col {
  const n = col.length
  const words = new Int32Array(col.values.buffer, col.values.byteOffset, 2 * n)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = words[2 * i + 1]! * 4294967296 + (words[2 * i]! >>> 0)
  return { kind: 'float64', length: n, values: out, valid: col.valid }
}

/** A numeric column (int32, int64, float64) as float64; float64 is returned as is. */
export function asFloat64(col: Col, what: string): Float64Col {
  switch (col.kind) {
    case 'float64':
      return col
    case 'int64':
      return int64AsFloat64(col)
    case 'int32':
      return { kind: 'float64', length: col.length, values: Float64Array.from(col.values), valid: col.valid }
    default:
      throw new TsdaskError('INTERNAL', `${what} over ${col.kind}: lowering must give a numeric input`)
  }
}
