/**
 * Arithmetic on two columns of the same numeric dtype (lowering coerces operands). Results:
 * the operand dtype, except `div`, always float64 (DuckDB). `x / 0` and `x % 0` are null.
 * Integer overflow throws `OVERFLOW` naming the values; overflow in a null slot is ignored
 * because null slots hold arbitrary values.
 *
 * int32 uses float arithmetic: a result inside the int32 range is exact in a double, and one
 * outside stays outside after rounding, so the range check is exact.
 */
import { TsdaskError } from '../util/errors.js'
import { asFloat64 } from './aggregates/float-input.js'
import type { Col, Float64Col, Int32Col, Int64Col, NumericCol } from './column.js'
import type { ArithmeticOp } from './physical-expr.js'
import { andValidity, type Validity } from './validity.js'

const I64_MAX = 0x7fffffffffffffffn
const I64_MIN = -0x8000000000000000n
const SYMBOL: Record<ArithmeticOp, string> = { add: '+', sub: '-', mul: '*', div: '/', mod: '%' }

export function overflowError(op: string, dtype: string, detail: string): TsdaskError {
  return new TsdaskError(
    'OVERFLOW',
    `${dtype} overflow in ${op}: ${detail} does not fit in ${dtype}. ` +
      `Cast the operands to ${dtype === 'int32' ? 'int64 or float64' : 'float64'} before the ${op}.`,
    { op, dtype },
  )
}

function asNumeric(c: Col, op: string): NumericCol {
  if (c.kind === 'int32' || c.kind === 'int64' || c.kind === 'float64') return c
  throw new TsdaskError('INTERNAL', `arithmetic ${op} on ${c.kind}: lowering must coerce operands to a numeric dtype`)
}

export function arithmetic(op: ArithmeticOp, left: Col, right: Col): Col {
  const a = asNumeric(left, op)
  const b = asNumeric(right, op)
  if (a.kind !== b.kind) throw new TsdaskError('INTERNAL', `arithmetic ${op} on ${a.kind} and ${b.kind}: dtypes differ`)
  const valid = andValidity(a.valid, b.valid, a.length)
  if (op === 'div') return divide(a, b, valid)
  if (a.kind === 'int32') return int32Op(op, a, b as Int32Col, valid)
  if (a.kind === 'int64') return int64Op(op, a, b as Int64Col, valid)
  return float64Op(op, a as Float64Col, b as Float64Col, valid)
}

function int32Op(op: ArithmeticOp, a: Int32Col, b: Int32Col, valid: Validity): Int32Col {
  const n = a.length
  const x = a.values
  const y = b.values
  const out = new Int32Array(n)
  let outValid = valid
  if (op === 'mod') {
    for (let i = 0; i < n; i++) {
      const d = y[i]!
      if (d === 0) {
        if (outValid === valid) outValid = valid ? valid.slice() : new Uint8Array(n).fill(1)
        outValid![i] = 0
      } else out[i] = x[i]! % d
    }
    return { kind: 'int32', length: n, values: out, valid: outValid }
  }
  for (let i = 0; i < n; i++) {
    const p = x[i]!
    const q = y[i]!
    const r = op === 'add' ? p + q : op === 'sub' ? p - q : p * q
    if (r > 2147483647 || r < -2147483648) {
      if (valid === null || valid[i]) throw overflowError(op, 'int32', `${p} ${SYMBOL[op]} ${q}`)
    } else out[i] = r
  }
  return { kind: 'int32', length: n, values: out, valid }
}

function int64Op(op: ArithmeticOp, a: Int64Col, b: Int64Col, valid: Validity): Int64Col {
  const n = a.length
  const x = a.values
  const y = b.values
  const out = new BigInt64Array(n)
  let outValid = valid
  for (let i = 0; i < n; i++) {
    const p = x[i]!
    const q = y[i]!
    if (op === 'mod') {
      if (q === 0n) {
        if (outValid === valid) outValid = valid ? valid.slice() : new Uint8Array(n).fill(1)
        outValid![i] = 0
      } else out[i] = p % q
      continue
    }
    const r = op === 'add' ? p + q : op === 'sub' ? p - q : p * q
    if (r > I64_MAX || r < I64_MIN) {
      if (valid === null || valid[i]) throw overflowError(op, 'int64', `${p} ${SYMBOL[op]} ${q}`)
    } else out[i] = r
  }
  return { kind: 'int64', length: n, values: out, valid: outValid }
}

function float64Op(op: ArithmeticOp, a: Float64Col, b: Float64Col, valid: Validity): Float64Col {
  const n = a.length
  const x = a.values
  const y = b.values
  const out = new Float64Array(n)
  if (op === 'add') for (let i = 0; i < n; i++) out[i] = x[i]! + y[i]!
  else if (op === 'sub') for (let i = 0; i < n; i++) out[i] = x[i]! - y[i]!
  else if (op === 'mul') for (let i = 0; i < n; i++) out[i] = x[i]! * y[i]!
  else {
    let outValid = valid
    for (let i = 0; i < n; i++) {
      const d = y[i]!
      if (d === 0) {
        if (outValid === valid) outValid = valid ? valid.slice() : new Uint8Array(n).fill(1)
        outValid![i] = 0
      } else out[i] = x[i]! % d
    }
    return { kind: 'float64', length: n, values: out, valid: outValid }
  }
  return { kind: 'float64', length: n, values: out, valid }
}

/** In doubles: int64 operands are read as two words each, not as a BigInt per row (a mean's sum / count). */
function divide(a: NumericCol, b: NumericCol, valid: Validity): Float64Col {
  const n = a.length
  const out = new Float64Array(n)
  let outValid = valid
  const x = asFloat64(a, 'division').values
  const y = asFloat64(b, 'division').values
  for (let i = 0; i < n; i++) {
    const d = y[i]!
    if (d === 0) {
      if (outValid === valid) outValid = valid ? valid.slice() : new Uint8Array(n).fill(1)
      outValid![i] = 0
    } else out[i] = x[i]! / d
  }
  return { kind: 'float64', length: n, values: out, valid: outValid }
}

export function negate(c: Col): Col {
  const a = asNumeric(c, 'negate')
  const n = a.length
  if (a.kind === 'float64') return { ...a, values: a.values.map((v) => -v) }
  if (a.kind === 'int32' || a.kind === 'date32') {
    const out = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      const v = a.values[i]!
      if (v === -2147483648 && (a.valid === null || a.valid[i])) throw overflowError('negate', 'int32', `-(${v})`)
      out[i] = -v
    }
    return { ...a, values: out }
  }
  const out = new BigInt64Array(n)
  const values = a.values as BigInt64Array
  for (let i = 0; i < n; i++) {
    const v = values[i]!
    if (v === I64_MIN && (a.valid === null || a.valid[i])) throw overflowError('negate', 'int64', `-(${v})`)
    out[i] = -v
  }
  return { kind: 'int64', length: n, values: out, valid: a.valid }
}
