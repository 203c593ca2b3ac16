/**
 * Comparisons on every dtype, result bool. Order: numbers numerically with NaN equal to itself and
 * greater than every other number (DuckDB); false < true; strings by UTF-8 bytes.
 * A string column compared with a literal is the hot case: the literal is encoded once, and on a
 * dictionary column each dictionary entry is compared once and the answer mapped through codes.
 */
import { TsdaskError } from '../util/errors.js'
import type { BoolCol, Col, StringCol } from './column.js'
import type { ComparisonOp } from './physical-expr.js'
import { compareBytes, encoder } from './utf8.js'
import { andValidity } from './validity.js'

/** Flips an operator so `lit op col` can run as `col op' lit`. */
export const FLIPPED: Record<ComparisonOp, ComparisonOp> = {
  eq: 'eq',
  neq: 'neq',
  lt: 'gt',
  lte: 'gte',
  gt: 'lt',
  gte: 'lte',
}

/** Total order on doubles used everywhere (compare, sort, min/max): NaN after all numbers. */
export function compareFloat(x: number, y: number): number {
  if (x < y) return -1
  if (x > y) return 1
  if (x === y) return 0
  const yn = Number.isNaN(y)
  return Number.isNaN(x) ? (yn ? 0 : 1) : -1
}

function test(op: ComparisonOp, c: number): number {
  switch (op) {
    case 'eq':
      return c === 0 ? 1 : 0
    case 'neq':
      return c !== 0 ? 1 : 0
    case 'lt':
      return c < 0 ? 1 : 0
    case 'lte':
      return c <= 0 ? 1 : 0
    case 'gt':
      return c > 0 ? 1 : 0
    case 'gte':
      return c >= 0 ? 1 : 0
  }
}

type Plain = ArrayLike<number> | ArrayLike<bigint>

// One loop per operator so the comparison is not re-dispatched per row.
function comparePlain(op: ComparisonOp, x: Plain, y: Plain, n: number, out: Uint8Array): void {
  const a = x as ArrayLike<number>
  const b = y as ArrayLike<number>
  switch (op) {
    case 'eq':
      for (let i = 0; i < n; i++) out[i] = a[i] === b[i] ? 1 : 0
      return
    case 'neq':
      for (let i = 0; i < n; i++) out[i] = a[i] !== b[i] ? 1 : 0
      return
    case 'lt':
      for (let i = 0; i < n; i++) out[i] = a[i]! < b[i]! ? 1 : 0
      return
    case 'lte':
      for (let i = 0; i < n; i++) out[i] = a[i]! <= b[i]! ? 1 : 0
      return
    case 'gt':
      for (let i = 0; i < n; i++) out[i] = a[i]! > b[i]! ? 1 : 0
      return
    case 'gte':
      for (let i = 0; i < n; i++) out[i] = a[i]! >= b[i]! ? 1 : 0
      return
  }
}

// The same loops against one value: a column compared with a literal (the usual filter) reads one
// array and allocates nothing but the mask, where broadcasting the literal cost a full column.
function comparePlainScalar(op: ComparisonOp, x: Plain, value: number | bigint, n: number, out: Uint8Array): void {
  const a = x as ArrayLike<number>
  const s = value as number
  switch (op) {
    case 'eq':
      for (let i = 0; i < n; i++) out[i] = a[i] === s ? 1 : 0
      return
    case 'neq':
      for (let i = 0; i < n; i++) out[i] = a[i] !== s ? 1 : 0
      return
    case 'lt':
      for (let i = 0; i < n; i++) out[i] = a[i]! < s ? 1 : 0
      return
    case 'lte':
      for (let i = 0; i < n; i++) out[i] = a[i]! <= s ? 1 : 0
      return
    case 'gt':
      for (let i = 0; i < n; i++) out[i] = a[i]! > s ? 1 : 0
      return
    case 'gte':
      for (let i = 0; i < n; i++) out[i] = a[i]! >= s ? 1 : 0
      return
  }
}

function hasNaN(v: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (Number.isNaN(v[i]!)) return true
  return false
}

export function compareCols(op: ComparisonOp, a: Col, b: Col): BoolCol {
  const n = a.length
  const valid = andValidity(a.valid, b.valid, n)
  const out = new Uint8Array(n)
  if ((a.kind === 'utf8' || a.kind === 'dict') && (b.kind === 'utf8' || b.kind === 'dict')) {
    if (b.kind === 'dict' && b.dict.length === 1) return compareStringScalar(op, a, b.dict, valid)
    if (a.kind === 'dict' && a.dict.length === 1) return compareStringScalar(FLIPPED[op], b, a.dict, valid)
    compareStrings(op, a, b, out)
    return { kind: 'bool', length: n, values: out, valid }
  }
  if (a.kind === 'utf8' || a.kind === 'dict' || b.kind === 'utf8' || b.kind === 'dict' || a.kind !== b.kind) {
    throw new TsdaskError('INTERNAL', `comparison ${op} on ${a.kind} and ${b.kind}: lowering must coerce operands`)
  }
  if (a.kind === 'float64' && b.kind === 'float64' && (hasNaN(a.values, n) || hasNaN(b.values, n))) {
    for (let i = 0; i < n; i++) out[i] = test(op, compareFloat(a.values[i]!, b.values[i]!))
  } else {
    comparePlain(op, a.values, (b as typeof a).values, n, out)
  }
  return { kind: 'bool', length: n, values: out, valid }
}

/**
 * `a op value` for a non-null number, bigint or boolean `value` of `a`'s dtype, as
 * compareCols(op, a, broadcast(value)) computes it, without the broadcast column. Strings and null
 * values take the general path (a string literal is already a one-entry dictionary there).
 */
export function compareWithScalar(op: ComparisonOp, a: Col, value: number | bigint | boolean): BoolCol {
  const n = a.length
  const out = new Uint8Array(n)
  switch (a.kind) {
    case 'float64': {
      const s = Number(value)
      if (Number.isNaN(s) || hasNaN(a.values, n))
        for (let i = 0; i < n; i++) out[i] = test(op, compareFloat(a.values[i]!, s))
      else comparePlainScalar(op, a.values, s, n, out)
      break
    }
    case 'int64':
    case 'timestamp[ms]':
      comparePlainScalar(op, a.values, BigInt(value), n, out)
      break
    case 'int32':
    case 'date32':
      comparePlainScalar(op, a.values, Number(value), n, out)
      break
    case 'bool':
      comparePlainScalar(op, a.values, value === true || value === 1 ? 1 : 0, n, out)
      break
    default:
      throw new TsdaskError('INTERNAL', `comparison ${op} of ${a.kind} with a number: lowering must coerce operands`)
  }
  return { kind: 'bool', length: n, values: out, valid: a.valid }
}

function compareStrings(op: ComparisonOp, a: StringCol, b: StringCol, out: Uint8Array): void {
  const ao = a.kind === 'dict' ? a.dict.offsets : a.offsets
  const ab = a.kind === 'dict' ? a.dict.bytes : a.bytes
  const ac = a.kind === 'dict' ? a.codes : null
  const bo = b.kind === 'dict' ? b.dict.offsets : b.offsets
  const bb = b.kind === 'dict' ? b.dict.bytes : b.bytes
  const bc = b.kind === 'dict' ? b.codes : null
  for (let i = 0; i < a.length; i++) {
    const ia = ac ? ac[i]! : i
    const ib = bc ? bc[i]! : i
    out[i] = test(op, compareBytes(ab, ao[ia]!, ao[ia + 1]!, bb, bo[ib]!, bo[ib + 1]!))
  }
}

/** `a op s` where `s` is a one-entry dictionary (a broadcast literal). */
function compareStringScalar(
  op: ComparisonOp,
  a: StringCol,
  lit: { offsets: Int32Array; bytes: Uint8Array },
  valid: Uint8Array | null,
): BoolCol {
  const lb = lit.bytes
  const ls = lit.offsets[0]!
  const le = lit.offsets[1]!
  const n = a.length
  const out = new Uint8Array(n)
  if (a.kind === 'dict') {
    const d = a.dict
    const perEntry = new Uint8Array(d.length)
    for (let k = 0; k < d.length; k++) {
      perEntry[k] = test(op, compareBytes(d.bytes, d.offsets[k]!, d.offsets[k + 1]!, lb, ls, le))
    }
    const codes = a.codes
    for (let i = 0; i < n; i++) out[i] = perEntry[codes[i]!]!
  } else {
    const { offsets, bytes } = a
    for (let i = 0; i < n; i++) out[i] = test(op, compareBytes(bytes, offsets[i]!, offsets[i + 1]!, lb, ls, le))
  }
  return { kind: 'bool', length: n, values: out, valid }
}

export function encodeLiteral(s: string): { offsets: Int32Array; bytes: Uint8Array } {
  const bytes = encoder.encode(s)
  return { offsets: Int32Array.of(0, bytes.length), bytes }
}
