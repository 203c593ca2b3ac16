/**
 * Type checking: the dtype an expression produces over a schema, or a `TsdaskError` that names
 * the offending expression, says what was expected and how to fix it. The coercion rules here
 * are the single source of truth; lowering asks `coercedOperandType` where to insert casts.
 *
 * Rules (DuckDB's): int32 < int64 < float64 widen for arithmetic and comparison; `/` is always
 * float64; date32 compares with timestamp[ms] as timestamp; an untyped NULL takes its type from
 * the other operand.
 */
import { type DType, isNumeric, isTemporal, type NumericDType, widenNumeric } from '../types/dtype.js'
import { fieldNames, type Schema } from '../types/schema.js'
import { closestNames, TsdaskError } from '../util/errors.js'
import { callType } from './call-types.js'
import type { ExprNode } from './expr-node.js'
import { AGG_NAME, printExpr } from './print.js'

export function dtypeOf(e: ExprNode, schema: Schema): DType {
  return inferType(e, schema) ?? 'int32'
}

/** The type, or null for an expression that is an untyped NULL. */
export function inferType(e: ExprNode, schema: Schema): DType | null {
  switch (e.kind) {
    case 'Column':
      return lookupColumn(e.name, schema)
    case 'Literal':
      return e.dtype
    case 'Binary': {
      const l = inferType(e.left, schema)
      const r = inferType(e.right, schema)
      switch (e.op) {
        case 'add':
        case 'sub':
        case 'mul':
        case 'mod': {
          return arithmeticType(e, l, r)
        }
        case 'div':
          arithmeticType(e, l, r)
          return 'float64'
        case 'and':
        case 'or':
          expectBool(e, e.left, l)
          expectBool(e, e.right, r)
          return 'bool'
        default:
          comparisonType(e, l, r)
          return 'bool'
      }
    }
    case 'Unary': {
      const t = inferType(e.arg, schema)
      switch (e.op) {
        case 'not':
          expectBool(e, e.arg, t)
          return 'bool'
        case 'negate':
          if (t !== null && !isNumeric(t)) throw mismatch(e, `negation needs a numeric operand, got ${t}`)
          return t
        default:
          return 'bool'
      }
    }
    case 'Cast': {
      const t = inferType(e.arg, schema)
      if (t !== null && !canCast(t, e.dtype)) {
        throw mismatch(e, `cannot cast ${t} to ${e.dtype}`, 'Cast through utf8, or compute the value differently.')
      }
      return e.dtype
    }
    case 'IsIn': {
      const t = inferType(e.arg, schema)
      for (const v of e.values) comparisonType(e, t, v.dtype)
      return 'bool'
    }
    case 'Coalesce': {
      let t: DType | null = null
      for (const a of e.args) t = commonType(e, t, inferType(a, schema))
      return t
    }
    case 'String': {
      const t = inferType(e.arg, schema)
      if (t !== null && t !== 'utf8') {
        throw mismatch(e, `${e.fn} needs a utf8 operand, got ${t}`, `Cast it first: CAST(x AS utf8).`)
      }
      if (e.fn === 'like' && typeof e.pattern !== 'string') throw mismatch(e, 'LIKE needs a string pattern')
      if (e.fn === 'lower' || e.fn === 'upper') return 'utf8'
      return e.fn === 'length' ? 'int32' : 'bool'
    }
    case 'Case': {
      if (e.branches.length === 0) throw mismatch(e, 'CASE needs at least one WHEN … THEN branch')
      let t: DType | null = null
      for (const b of e.branches) {
        const w = inferType(b.condition, schema)
        if (w !== null && w !== 'bool') {
          throw mismatch(e, `a WHEN condition must be bool, got ${w}`, 'Compare the value, e.g. `WHEN x > 0`.')
        }
        t = branchType(e, t, inferType(b.value, schema))
      }
      return e.otherwise ? branchType(e, t, inferType(e.otherwise, schema)) : t
    }
    case 'Call': {
      const result = callType(
        e,
        e.args.map((a) => inferType(a, schema)),
      )
      if ('error' in result) throw mismatch(e, result.error)
      return result.type
    }
    case 'Agg': {
      const t = aggType(e, e.arg ? inferType(e.arg, schema) : null)
      if (e.arg2 !== undefined) numericAggInput(e, inferType(e.arg2, schema))
      return t
    }
  }
}

function aggType(e: Extract<ExprNode, { kind: 'Agg' }>, t: DType | null): DType {
  switch (e.fn) {
    case 'countAll':
    case 'count':
      return 'int64'
    case 'mean':
      if (t !== null && !isNumeric(t)) throw mismatch(e, `avg needs a numeric input, got ${t}`)
      return 'float64'
    case 'sum':
      if (t !== null && !isNumeric(t)) throw mismatch(e, `sum needs a numeric input, got ${t}`)
      return t === 'float64' ? 'float64' : 'int64'
    case 'min':
    case 'max':
      return t ?? 'int32'
    case 'countDistinct':
      return 'int64'
    case 'stddev':
    case 'variance':
    case 'median':
    case 'corr':
      numericAggInput(e, t)
      return 'float64'
    case 'quantile':
    case 'quantileDisc':
      numericAggInput(e, t)
      checkQuantileFraction(e.q, AGG_NAME[e.fn])
      return 'float64'
  }
}

function numericAggInput(e: Extract<ExprNode, { kind: 'Agg' }>, t: DType | null): void {
  if (t !== null && !isNumeric(t)) {
    throw mismatch(e, `${AGG_NAME[e.fn]} needs a numeric input, got ${t}`, 'Cast it first, e.g. CAST(x AS float64).')
  }
}

export function lookupColumn(name: string, schema: Schema): DType {
  const field = schema.find((f) => f.name === name)
  if (field) return field.dtype
  throw unknownColumn(name, schema)
}

export function unknownColumn(name: string, schema: Schema, where?: string): TsdaskError {
  const names = fieldNames(schema)
  const hint = closestNames(name, names)
  const suggestion = hint.length > 0 ? ` Did you mean ${hint.map((h) => `"${h}"`).join(' or ')}?` : ''
  return new TsdaskError(
    'UNKNOWN_COLUMN',
    `Unknown column "${name}"${where ? ` in ${where}` : ''}.${suggestion} Available columns: ${names.map((n) => `"${n}"`).join(', ') || '(none)'}.`,
    { column: name, available: names },
  )
}

function mismatch(e: ExprNode, what: string, fix?: string): TsdaskError {
  return new TsdaskError('TYPE_MISMATCH', `Type error in \`${printExpr(e)}\`: ${what}.${fix ? ` ${fix}` : ''}`, {
    expression: printExpr(e),
  })
}

function expectBool(parent: ExprNode, _operand: ExprNode, t: DType | null): void {
  if (t !== null && t !== 'bool') {
    throw mismatch(parent, `AND / OR / NOT need bool operands, got ${t}`, 'Compare the value first, e.g. `x > 0`.')
  }
}

function arithmeticType(e: ExprNode, l: DType | null, r: DType | null): NumericDType | null {
  for (const t of [l, r]) {
    if (t !== null && !isNumeric(t)) {
      throw mismatch(
        e,
        `arithmetic needs numeric operands, got ${l ?? 'NULL'} and ${r ?? 'NULL'}`,
        'Cast with CAST(x AS float64) if the text holds numbers.',
      )
    }
  }
  if (l === null) return r as NumericDType | null
  if (r === null) return l as NumericDType
  return widenNumeric(l as NumericDType, r as NumericDType)
}

/** The dtype both sides of a comparison are brought to, or an error if they cannot be compared. */
export function comparisonType(e: ExprNode, l: DType | null, r: DType | null): DType | null {
  if (l === null) return r
  if (r === null) return l
  if (l === r) return l
  if (isNumeric(l) && isNumeric(r)) return widenNumeric(l, r)
  if (isTemporal(l) && isTemporal(r)) return 'timestamp[ms]'
  throw mismatch(e, `cannot compare ${l} with ${r}`, compareFix(l, r))
}

function compareFix(l: DType, r: DType): string {
  if (l === 'utf8' || r === 'utf8') return 'Compare with a value of the same type, or CAST one side.'
  return 'CAST one side to the type of the other.'
}

function commonType(e: ExprNode, a: DType | null, b: DType | null): DType | null {
  return comparisonType(e, a, b)
}

/** CASE values meet at a common type, as comparison operands do. */
function branchType(e: ExprNode, a: DType | null, b: DType | null): DType | null {
  if (a === null || b === null || a === b) return a ?? b
  if ((isNumeric(a) && isNumeric(b)) || (isTemporal(a) && isTemporal(b))) return comparisonType(e, a, b)
  throw mismatch(e, `THEN / ELSE values have no common type: ${a} and ${b}`, 'CAST the values to one type.')
}

export function canCast(from: DType, to: DType): boolean {
  if (from === to || to === 'utf8' || from === 'utf8') return true
  const numericLike = (t: DType) => isNumeric(t) || t === 'bool'
  if (numericLike(from) && numericLike(to)) return true
  return isTemporal(from) && isTemporal(to)
}

/** A quantile's fraction: a number in [0, 1] (0 the minimum, 0.5 the median, 1 the maximum). */
export function checkQuantileFraction(q: unknown, where: string): asserts q is number {
  if (typeof q !== 'number' || !(q >= 0 && q <= 1)) {
    throw new TsdaskError(
      'INVALID_ARGUMENT',
      `${where}: the quantile must be a number between 0 and 1 (0.5 is the median), got ${String(q)}`,
    )
  }
}
