/**
 * abs, floor, ceil and round over numeric columns, DuckDB's semantics: the result keeps the
 * input's dtype; floor / ceil / round of an integer with digits ≥ 0 is the integer itself; round
 * is half away from zero (round(2.5) = 3, round(-2.5) = -3), and round(x, d) with d < 0 rounds to
 * tens, hundreds… (round(1250, -2) = 1300). abs of the smallest integer overflows (an error, as
 * in DuckDB). Null in, null out; NaN and ±Infinity pass through.
 */
import { TsdaskError } from '../../util/errors.js'
import { overflowError } from '../arith.js'
import type { Col, Int32Col, NumericCol } from '../column.js'
import { roundHalfAway } from '../parse-format.js'

const I64_MIN = -0x8000000000000000n

function numeric(col: Col, fn: string): NumericCol {
  if (col.kind === 'int32' || col.kind === 'int64' || col.kind === 'float64') return col
  throw new TsdaskError('INTERNAL', `${fn} over ${col.kind}: lowering must give a numeric input`)
}

export function abs(input: Col): Col {
  const col = numeric(input, 'abs')
  const valid = col.valid
  switch (col.kind) {
    case 'float64':
      return { ...col, values: col.values.map(Math.abs) }
    case 'int32':
    case 'date32': {
      const out = new Int32Array(col.length)
      for (let i = 0; i < col.length; i++) {
        const v = col.values[i]!
        if (v === -2147483648 && (valid === null || valid[i])) throw overflowError('abs', 'int32', `abs(${v})`)
        out[i] = v < 0 ? -v : v
      }
      return { ...col, values: out }
    }
    default: {
      const out = new BigInt64Array(col.length)
      const v64 = col.values as BigInt64Array
      for (let i = 0; i < col.length; i++) {
        const v = v64[i]!
        if (v === I64_MIN && (valid === null || valid[i])) throw overflowError('abs', 'int64', `abs(${v})`)
        out[i] = v < 0n ? -v : v
      }
      return { ...col, values: out }
    }
  }
}

export function floorOrCeil(input: Col, ceil: boolean): Col {
  const col = numeric(input, ceil ? 'ceil' : 'floor')
  if (col.kind !== 'float64') return col
  return { ...col, values: col.values.map(ceil ? Math.ceil : Math.floor) }
}

/** DuckDB's round(double, digits): scale, round half away from zero, scale back. */
function roundFloat(x: number, digits: number): number {
  if (digits === 0) return roundHalfAway(x)
  if (digits < 0) {
    const modifier = 10 ** -digits
    const r = roundHalfAway(x / modifier) * modifier
    return Number.isFinite(r) ? r : 0
  }
  const modifier = 10 ** digits
  const r = roundHalfAway(x * modifier) / modifier
  return Number.isFinite(r) ? r : x
}

function roundBigInt(v: bigint, unit: bigint): bigint {
  const half = unit / 2n
  const r = v % unit
  const down = v - r
  if (v >= 0n) return r >= half ? down + unit : down
  return -r >= half ? down - unit : down
}

/** round(x, digits): `digits` per row (an int32 column; a literal is broadcast). */
export function round(input: Col, digitsCol: Col | null): Col {
  const col = numeric(input, 'round')
  const digits = digitsCol as Int32Col | null
  const n = col.length
  let valid = col.valid
  if (digits?.valid) {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = (valid === null || valid[i] ? 1 : 0) & digits.valid[i]!
    valid = out
  }
  const d = (i: number) => (digits === null ? 0 : digits.values[i]!)
  switch (col.kind) {
    case 'float64': {
      const out = new Float64Array(n)
      for (let i = 0; i < n; i++) out[i] = roundFloat(col.values[i]!, d(i))
      return { kind: 'float64', length: n, values: out, valid }
    }
    case 'int32':
    case 'date32': {
      const out = new Int32Array(n)
      for (let i = 0; i < n; i++) {
        const di = d(i)
        const v = (col.values as Int32Array)[i]!
        const r = di >= 0 ? v : di < -10 ? 0 : Number(roundBigInt(BigInt(v), 10n ** BigInt(-di)))
        if (r > 2147483647 || r < -2147483648) {
          if (valid === null || valid[i]) throw overflowError('round', 'int32', `round(${v}, ${di})`)
        }
        out[i] = r
      }
      return { kind: col.kind, length: n, values: out, valid }
    }
    default: {
      const out = new BigInt64Array(n)
      const v64 = col.values as BigInt64Array
      for (let i = 0; i < n; i++) {
        const di = d(i)
        const v = v64[i]!
        if (di >= 0) out[i] = v
        else if (di < -19) out[i] = 0n
        else {
          const r = roundBigInt(v, 10n ** BigInt(-di))
          if (BigInt.asIntN(64, r) !== r && (valid === null || valid[i])) {
            throw overflowError('round', 'int64', `round(${v}, ${di})`)
          }
          out[i] = BigInt.asIntN(64, r)
        }
      }
      return { kind: col.kind as 'int64', length: n, values: out, valid }
    }
  }
}
