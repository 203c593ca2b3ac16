/**
 * Logical `Expr` (names, implicit coercions) → `PhysicalExpr` (column indexes, explicit casts),
 * as DataFusion's `create_physical_expr`. After this step every operand has the dtype the kernel
 * expects, so kernels never decide types. Literals are converted at plan time instead of cast
 * at run time (`int_col > 2.5` compares against the float literal 2.5 after widening the column).
 */
import { comparisonType, inferType } from '../expr/dtype-of.js'
import type { ExprNode, LiteralJs, LiteralNode, ScalarFn } from '../expr/expr-node.js'
import { printExpr } from '../expr/print.js'
import type { LiteralValue, PhysicalExpr } from '../kernels/physical-expr.js'
import { type DType, isNumeric, MS_PER_DAY, type NumericDType, widenNumeric } from '../types/dtype.js'
import type { Schema } from '../types/schema.js'
import { TsdaskError } from '../util/errors.js'

/** `as` gives an untyped NULL the type its place needs (a filter predicate: bool). */
export function toPhysical(e: ExprNode, schema: Schema, as?: DType): PhysicalExpr {
  const t = inferType(e, schema) ?? as ?? 'int32'
  return lowerAs(e, schema, t)
}

/** Lowers `e` and makes sure the result has dtype `target` (casting or converting literals). */
function lowerAs(e: ExprNode, schema: Schema, target: DType): PhysicalExpr {
  if (e.kind === 'Literal') return literal(e, target)
  const p = lower(e, schema)
  return p.dtype === target ? p : { kind: 'cast', arg: p, dtype: target }
}

function lower(e: ExprNode, schema: Schema): PhysicalExpr {
  switch (e.kind) {
    case 'Column': {
      const index = schema.findIndex((f) => f.name === e.name)
      const field = schema[index]
      if (!field) throw new TsdaskError('INTERNAL', `column ${e.name} vanished before lowering`)
      return { kind: 'column', index, dtype: field.dtype }
    }
    case 'Literal':
      return literal(e, e.dtype ?? 'int32')
    case 'Binary': {
      const l = inferType(e.left, schema)
      const r = inferType(e.right, schema)
      switch (e.op) {
        case 'and':
        case 'or':
          return {
            kind: 'binary',
            op: e.op,
            left: lowerAs(e.left, schema, 'bool'),
            right: lowerAs(e.right, schema, 'bool'),
            dtype: 'bool',
          }
        case 'add':
        case 'sub':
        case 'mul':
        case 'mod':
        case 'div': {
          const common = numericCommon(l, r)
          const operand = e.op === 'div' ? 'float64' : common
          return {
            kind: 'binary',
            op: e.op,
            left: lowerAs(e.left, schema, operand),
            right: lowerAs(e.right, schema, operand),
            dtype: operand,
          }
        }
        default: {
          const common = comparisonType(e, l, r) ?? 'int32'
          return {
            kind: 'binary',
            op: e.op,
            left: lowerAs(e.left, schema, common),
            right: lowerAs(e.right, schema, common),
            dtype: 'bool',
          }
        }
      }
    }
    case 'Unary': {
      if (e.op === 'not') return { kind: 'unary', op: 'not', arg: lowerAs(e.arg, schema, 'bool'), dtype: 'bool' }
      if (e.op === 'negate') {
        const arg = toPhysical(e.arg, schema)
        return { kind: 'unary', op: 'negate', arg, dtype: arg.dtype }
      }
      return { kind: 'unary', op: e.op, arg: toPhysical(e.arg, schema), dtype: 'bool' }
    }
    case 'Cast': {
      if (e.arg.kind === 'Literal' && e.arg.value === null) return literal(e.arg, e.dtype)
      const arg = toPhysical(e.arg, schema)
      return arg.dtype === e.dtype ? arg : { kind: 'cast', arg, dtype: e.dtype }
    }
    case 'IsIn': {
      let common: DType | null = inferType(e.arg, schema)
      for (const v of e.values) common = comparisonType(e, common, v.dtype)
      const target = common ?? 'int32'
      return {
        kind: 'isIn',
        arg: lowerAs(e.arg, schema, target),
        values: e.values.map((v) => literalValue(v, target)),
        dtype: 'bool',
      }
    }
    case 'Coalesce': {
      let common: DType | null = null
      for (const a of e.args) common = comparisonType(e, common, inferType(a, schema))
      const target = common ?? 'int32'
      return { kind: 'coalesce', args: e.args.map((a) => lowerAs(a, schema, target)), dtype: target }
    }
    case 'String': {
      const arg = lowerAs(e.arg, schema, 'utf8')
      const dtype: DType = e.fn === 'lower' || e.fn === 'upper' ? 'utf8' : e.fn === 'length' ? 'int32' : 'bool'
      return e.pattern === undefined
        ? { kind: 'string', fn: e.fn, arg, dtype }
        : { kind: 'string', fn: e.fn, arg, pattern: e.pattern, dtype }
    }
    case 'Case': {
      const target = inferType(e, schema) ?? 'int32'
      return {
        kind: 'case',
        branches: e.branches.map((br) => ({
          condition: lowerAs(br.condition, schema, 'bool'),
          value: lowerAs(br.value, schema, target),
        })),
        otherwise: e.otherwise ? lowerAs(e.otherwise, schema, target) : null,
        dtype: target,
      }
    }
    case 'Call': {
      // Argument i is lowered to the type the kernel expects; `null` keeps the argument's own type.
      const want = CALL_ARGUMENT_TYPES[e.fn]
      const args = e.args.map((a, i) => {
        const t = want[i] ?? null
        return t === null ? toPhysical(a, schema, want.fallback) : lowerAs(a, schema, t)
      })
      const dtype = inferType(e, schema) ?? args[0]?.dtype ?? 'int32'
      return { kind: 'call', fn: e.fn, args, dtype }
    }
    case 'Agg':
      throw new TsdaskError(
        'INVALID_ARGUMENT',
        `aggregate \`${printExpr(e)}\` is only allowed inside groupBy(...).agg({...})`,
      )
  }
}

/** The dtype each call argument is lowered to (null: its own), and the type of an untyped NULL first argument. */
const CALL_ARGUMENT_TYPES: Record<ScalarFn, (DType | null)[] & { fallback?: DType }> = {
  abs: [null],
  floor: [null],
  ceil: [null],
  round: [null, 'int32'],
  substr: ['utf8', 'int32', 'int32'],
  year: Object.assign([null], { fallback: 'date32' as const }),
  month: Object.assign([null], { fallback: 'date32' as const }),
  day: Object.assign([null], { fallback: 'date32' as const }),
}

function numericCommon(l: DType | null, r: DType | null): NumericDType {
  const a = (l ?? r ?? 'int32') as NumericDType
  const b = (r ?? l ?? 'int32') as NumericDType
  return isNumeric(a) && isNumeric(b) ? widenNumeric(a, b) : 'float64'
}

function literal(e: LiteralNode, dtype: DType): PhysicalExpr {
  return { kind: 'literal', value: literalValue(e, dtype), dtype }
}

/** A JS literal as the JSON-safe value of `dtype` (see physical-expr.ts). */
export function literalValue(e: LiteralNode, dtype: DType): LiteralValue {
  const v: LiteralJs = e.value
  if (v === null) return null
  switch (dtype) {
    case 'bool':
      if (typeof v === 'boolean') return v
      break
    case 'int32':
      if (typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) return v
      if (typeof v === 'bigint' && v >= -2147483648n && v <= 2147483647n) return Number(v)
      if (typeof v === 'boolean') return v ? 1 : 0
      break
    case 'float64':
      if (typeof v === 'number') return v
      if (typeof v === 'bigint') return Number(v)
      if (typeof v === 'boolean') return v ? 1 : 0
      break
    case 'int64':
      if (typeof v === 'bigint') return v.toString()
      if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v).toString()
      break
    case 'utf8':
      if (typeof v === 'string') return v
      break
    case 'date32':
      if (v instanceof Date) return Math.floor(v.getTime() / MS_PER_DAY)
      break
    case 'timestamp[ms]':
      if (v instanceof Date) return v.getTime()
      break
  }
  throw new TsdaskError(
    'TYPE_MISMATCH',
    `the literal ${String(v)} cannot be used as ${dtype}; write it as a ${dtype} value or CAST it.`,
  )
}
