/**
 * Literals: JSON-safe `LiteralValue`s (int64 as decimal strings, dates as day numbers, timestamps
 * as epoch milliseconds) turned into the JS value a kernel compares with, and broadcast into a
 * column when an operation needs one operand per row.
 */
import type { DType } from '../types/dtype.js'
import { TsdaskError } from '../util/errors.js'
import type { Col } from './column.js'
import type { LiteralValue } from './physical-expr.js'
import { Utf8Builder } from './utf8.js'

export type ScalarValue = null | boolean | number | bigint | string

function bad(value: LiteralValue, dtype: DType): TsdaskError {
  return new TsdaskError(
    'TYPE_MISMATCH',
    `literal ${JSON.stringify(value)} is not a valid ${dtype} value in a physical expression. ` +
      'Lowering must coerce literals to their dtype (int64 as a decimal string, date32 as days, timestamp[ms] as ms).',
  )
}

export function literalScalar(value: LiteralValue, dtype: DType): ScalarValue {
  if (value === null) return null
  switch (dtype) {
    case 'bool':
      if (typeof value === 'boolean') return value
      break
    case 'int32':
    case 'date32':
      if (typeof value === 'number' && Number.isInteger(value) && value === (value | 0)) return value
      break
    case 'int64':
    case 'timestamp[ms]':
      if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) return BigInt(value.trim())
      if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value)
      break
    case 'float64':
      if (typeof value === 'number') return value
      if (typeof value === 'string') {
        const v = Number(value)
        if (!Number.isNaN(v) || value === 'NaN') return v
      }
      break
    case 'utf8':
      if (typeof value === 'string') return value
      break
  }
  throw bad(value, dtype)
}

/** A column of `length` copies of `value` (all null when `value` is null). */
export function broadcast(value: ScalarValue, dtype: DType, length: number): Col {
  const valid = value === null ? new Uint8Array(length) : null
  switch (dtype) {
    case 'bool':
      return { kind: 'bool', length, values: new Uint8Array(length).fill(value === true ? 1 : 0), valid }
    case 'int32':
    case 'date32':
      return { kind: dtype, length, values: new Int32Array(length).fill(value === null ? 0 : Number(value)), valid }
    case 'int64':
    case 'timestamp[ms]':
      return { kind: dtype, length, values: new BigInt64Array(length).fill(value === null ? 0n : BigInt(value)), valid }
    case 'float64':
      return {
        kind: 'float64',
        length,
        values: new Float64Array(length).fill(value === null ? 0 : Number(value)),
        valid,
      }
    case 'utf8': {
      // One dictionary entry shared by every row: broadcasting a string costs 4 bytes a row.
      const b = new Utf8Builder(1)
      b.appendString(value === null ? '' : String(value))
      return { kind: 'dict', length, codes: new Int32Array(length), dict: b.finish(null), source: null, valid }
    }
  }
}
