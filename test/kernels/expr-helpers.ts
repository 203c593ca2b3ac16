import type { BinaryOp, LiteralValue, PhysicalExpr, StringFn, UnaryOp } from '../../src/kernels/physical-expr.js'
import type { DType } from '../../src/types/dtype.js'

export const c = (index: number, dtype: DType): PhysicalExpr => ({ kind: 'column', index, dtype })
export const l = (value: LiteralValue, dtype: DType): PhysicalExpr => ({ kind: 'literal', value, dtype })
const COMPARE = new Set(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'and', 'or'])
export const bin = (op: BinaryOp, left: PhysicalExpr, right: PhysicalExpr): PhysicalExpr => ({
  kind: 'binary',
  op,
  left,
  right,
  dtype: COMPARE.has(op) ? 'bool' : op === 'div' ? 'float64' : left.dtype,
})
export const un = (op: UnaryOp, arg: PhysicalExpr): PhysicalExpr => ({
  kind: 'unary',
  op,
  arg,
  dtype: op === 'negate' ? arg.dtype : 'bool',
})
export const cast = (arg: PhysicalExpr, dtype: DType): PhysicalExpr => ({ kind: 'cast', arg, dtype })
export const str = (fn: StringFn, arg: PhysicalExpr, pattern?: string, dtype: DType = 'bool'): PhysicalExpr =>
  pattern === undefined ? { kind: 'string', fn, arg, dtype } : { kind: 'string', fn, arg, pattern, dtype }
