/**
 * Constant folding and boolean simplification of one expression, null-aware (SQL three-valued
 * logic, as the kernels implement it). Folds only what it can compute exactly as the kernels
 * would; everything else (casts, strings, dates, NaN, a result that would overflow and so raise
 * an error at run time) is left for the kernels.
 *
 *   1 + 2 → 3            x AND true → x        x OR false → x        NOT NOT x → x
 *   x + NULL → NULL      NULL AND false → false                      x > NULL → NULL
 *
 * Safe default: a node whose kind is not known here (or any tree containing one) is not touched.
 */
import { inferType } from '../../expr/dtype-of.js'
import type { BinaryNode, ExprNode, LiteralJs, LiteralNode, UnaryNode } from '../../expr/expr-node.js'
import { transformExpr } from '../../expr/visit.js'
import type { DType } from '../../types/dtype.js'
import type { Schema } from '../../types/schema.js'
import { isDeterministic } from '../expr-facts.js'

const INT32_MIN = -2147483648
const INT32_MAX = 2147483647
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

export function foldExpr(e: ExprNode, schema: Schema): ExprNode {
  if (!isDeterministic(e)) return e
  return transformExpr(e, (node) => {
    try {
      if (node.kind === 'Binary') return foldBinary(node, schema)
      if (node.kind === 'Unary') return foldUnary(node, schema)
    } catch {
      // A type error is the schema check's to report, with its own message; folding leaves it be.
    }
    return node
  })
}

const lit = (value: LiteralJs, dtype: DType | null): LiteralNode => ({ kind: 'Literal', value, dtype })
const isLit = (e: ExprNode): e is LiteralNode => e.kind === 'Literal'
const isNullLit = (e: ExprNode) => isLit(e) && e.value === null
const isBool = (e: ExprNode, v: boolean) => isLit(e) && e.value === v

function foldBinary(e: BinaryNode, schema: Schema): ExprNode {
  const { left: l, right: r } = e
  if (e.op === 'and') {
    if (isBool(l, false) || isBool(r, false)) return lit(false, 'bool')
    if (isBool(l, true)) return r
    if (isBool(r, true)) return l
    if (isNullLit(l) && isNullLit(r)) return lit(null, 'bool')
    return e
  }
  if (e.op === 'or') {
    if (isBool(l, true) || isBool(r, true)) return lit(true, 'bool')
    if (isBool(l, false)) return r
    if (isBool(r, false)) return l
    if (isNullLit(l) && isNullLit(r)) return lit(null, 'bool')
    return e
  }
  if (!isLit(l) && !isLit(r)) return e
  const dtype = inferType(e, schema)
  // Every other binary operator is null when either side is.
  if (isNullLit(l) || isNullLit(r)) return dtype === null ? e : lit(null, dtype)
  if (!isLit(l) || !isLit(r) || dtype === null) return e
  const value = computeBinary(e.op, l.value, r.value, dtype)
  return value === undefined ? e : lit(value, dtype)
}

type Num = number | bigint

function numeric(v: LiteralJs): v is Num {
  return (typeof v === 'number' && !Number.isNaN(v)) || typeof v === 'bigint'
}

/** The folded value, or undefined when it must be left to the kernels. */
function computeBinary(op: BinaryNode['op'], a: LiteralJs, b: LiteralJs, dtype: DType): LiteralJs | undefined {
  if (op === 'eq' || op === 'neq' || op === 'lt' || op === 'lte' || op === 'gt' || op === 'gte') {
    const c = compare(a, b)
    if (c === undefined) return undefined
    return { eq: c === 0, neq: c !== 0, lt: c < 0, lte: c <= 0, gt: c > 0, gte: c >= 0 }[op]
  }
  if (!numeric(a) || !numeric(b)) return undefined
  if (dtype === 'float64') {
    const x = Number(a)
    const y = Number(b)
    const out = { add: x + y, sub: x - y, mul: x * y, div: y === 0 ? null : x / y, mod: y === 0 ? null : x % y }[
      op as 'add'
    ]
    return out === null ? null : Number.isFinite(out) ? out : undefined
  }
  if (dtype !== 'int32' && dtype !== 'int64') return undefined
  const x = BigInt(a)
  const y = BigInt(b)
  let out: bigint | null
  switch (op) {
    case 'add':
      out = x + y
      break
    case 'sub':
      out = x - y
      break
    case 'mul':
      out = x * y
      break
    case 'mod':
      out = y === 0n ? null : x % y
      break
    default:
      return undefined
  }
  if (out === null) return null
  return inRange(out, dtype) ? (dtype === 'int64' ? out : Number(out)) : undefined
}

function inRange(v: bigint, dtype: 'int32' | 'int64'): boolean {
  return dtype === 'int32' ? v >= INT32_MIN && v <= INT32_MAX : v >= INT64_MIN && v <= INT64_MAX
}

/** -1 / 0 / 1, or undefined when the kernels' order is not plain JS order (NaN, dates, mixed kinds). */
function compare(a: LiteralJs, b: LiteralJs): number | undefined {
  if (numeric(a) && numeric(b)) return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  // Strings compare by UTF-8 bytes (code point order), as the kernels do.
  if (typeof a === 'string' && typeof b === 'string') return Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)))
  return undefined
}

function foldUnary(e: UnaryNode, schema: Schema): ExprNode {
  const a = e.arg
  if (e.op === 'not' && a.kind === 'Unary' && a.op === 'not') return a.arg
  if (!isLit(a)) return e
  switch (e.op) {
    case 'isNull':
      return lit(a.value === null, 'bool')
    case 'isNotNull':
      return lit(a.value !== null, 'bool')
    case 'not':
      return typeof a.value === 'boolean' ? lit(!a.value, 'bool') : a.value === null ? lit(null, 'bool') : e
    case 'negate': {
      const dtype = inferType(e, schema)
      if (a.value === null) return dtype === null ? e : lit(null, dtype)
      if (dtype === 'float64' && typeof a.value === 'number') return lit(-a.value, dtype)
      if ((dtype === 'int32' || dtype === 'int64') && numeric(a.value)) {
        const v = -BigInt(a.value)
        return inRange(v, dtype) ? lit(dtype === 'int64' ? v : Number(v), dtype) : e
      }
      return e
    }
  }
}
