/**
 * Prints an expression as a string query (SQL expression syntax, DuckDB flavour) that the
 * string parser reads back to an equal node. Parentheses appear only where precedence needs them.
 *
 *   col('fare').gt(10).and(col('vendor').eq('CMT'))   →   fare > 10 AND vendor = 'CMT'
 */
import type { DType } from '../types/dtype.js'
import type { AggFn, BinaryOp, ExprNode, LiteralNode, StringFn } from './expr-node.js'

const BINARY_SYMBOL: Record<BinaryOp, string> = {
  add: '+',
  sub: '-',
  mul: '*',
  div: '/',
  mod: '%',
  eq: '=',
  neq: '!=',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
  and: 'AND',
  or: 'OR',
}

// Higher binds tighter. Comparisons do not chain, so both their operands need a higher level.
const PRECEDENCE: Record<BinaryOp, number> = {
  or: 1,
  and: 2,
  eq: 4,
  neq: 4,
  lt: 4,
  lte: 4,
  gt: 4,
  gte: 4,
  add: 5,
  sub: 5,
  mul: 6,
  div: 6,
  mod: 6,
}
const NOT_LEVEL = 3
const POSTFIX_LEVEL = 4
const NEGATE_LEVEL = 7
const ATOM_LEVEL = 8

const STRING_FN_NAME: Record<StringFn, string> = {
  startsWith: 'starts_with',
  endsWith: 'ends_with',
  contains: 'contains',
  lower: 'lower',
  upper: 'upper',
  length: 'length',
  like: 'like',
}

/** DuckDB's names for the aggregates (count(DISTINCT x) adds its keyword to the argument). */
export const AGG_NAME: Record<AggFn, string> = {
  sum: 'sum',
  mean: 'avg',
  count: 'count',
  countAll: 'count',
  min: 'min',
  max: 'max',
  stddev: 'stddev_samp',
  variance: 'var_samp',
  median: 'median',
  quantile: 'quantile_cont',
  quantileDisc: 'quantile_disc',
  countDistinct: 'count',
  corr: 'corr',
}

export function printExpr(e: ExprNode): string {
  return print(e).text
}

interface Printed {
  readonly text: string
  readonly level: number
}

function wrap(p: Printed, min: number): string {
  return p.level < min ? `(${p.text})` : p.text
}

function print(e: ExprNode): Printed {
  switch (e.kind) {
    case 'Column':
      return { text: printIdentifier(e.name), level: ATOM_LEVEL }
    case 'Literal':
      return { text: printLiteral(e), level: ATOM_LEVEL }
    case 'Binary': {
      const level = PRECEDENCE[e.op]
      // Left-associative: the right operand of an equal-level operator needs parentheses.
      const chain = level === 4 ? level + 1 : level
      const text = `${wrap(print(e.left), chain)} ${BINARY_SYMBOL[e.op]} ${wrap(print(e.right), level + 1)}`
      return { text, level }
    }
    case 'Unary':
      switch (e.op) {
        case 'not':
          return { text: `NOT ${wrap(print(e.arg), NOT_LEVEL)}`, level: NOT_LEVEL }
        case 'negate': {
          // `--5` would start an SQL line comment: a negative operand gets parentheses.
          // `-5` reads back as the literal -5, so the negation of a literal 5 is written `-(5)`.
          const inner = wrap(print(e.arg), NEGATE_LEVEL + 1)
          return { text: /^[-\d.]/.test(inner) ? `-(${inner})` : `-${inner}`, level: NEGATE_LEVEL }
        }
        case 'isNull':
          return { text: `${wrap(print(e.arg), POSTFIX_LEVEL + 1)} IS NULL`, level: POSTFIX_LEVEL }
        case 'isNotNull':
          return { text: `${wrap(print(e.arg), POSTFIX_LEVEL + 1)} IS NOT NULL`, level: POSTFIX_LEVEL }
      }
      break
    case 'Cast': {
      // `CAST(5 AS int64)` reads back as a typed literal; a cast of a literal keeps its parentheses.
      const arg = e.arg.kind === 'Literal' ? `(${printExpr(e.arg)})` : printExpr(e.arg)
      return { text: `CAST(${arg} AS ${printDType(e.dtype)})`, level: ATOM_LEVEL }
    }
    case 'IsIn':
      return {
        text: `${wrap(print(e.arg), POSTFIX_LEVEL + 1)} IN (${e.values.map(printLiteral).join(', ')})`,
        level: POSTFIX_LEVEL,
      }
    case 'Coalesce':
      return { text: `coalesce(${e.args.map(printExpr).join(', ')})`, level: ATOM_LEVEL }
    case 'String': {
      if (e.fn === 'like') {
        return {
          text: `${wrap(print(e.arg), POSTFIX_LEVEL + 1)} LIKE ${quoteString(e.pattern ?? '')}`,
          level: POSTFIX_LEVEL,
        }
      }
      const args = e.pattern === undefined ? '' : `, ${quoteString(e.pattern)}`
      return { text: `${STRING_FN_NAME[e.fn]}(${printExpr(e.arg)}${args})`, level: ATOM_LEVEL }
    }
    case 'Case': {
      const branches = e.branches.map((b) => ` WHEN ${printExpr(b.condition)} THEN ${printExpr(b.value)}`).join('')
      const otherwise = e.otherwise ? ` ELSE ${printExpr(e.otherwise)}` : ''
      return { text: `CASE${branches}${otherwise} END`, level: ATOM_LEVEL }
    }
    case 'Call':
      return { text: `${e.fn}(${e.args.map(printExpr).join(', ')})`, level: ATOM_LEVEL }
    case 'Agg': {
      if (e.fn === 'countAll') return { text: 'count(*)', level: ATOM_LEVEL }
      const args = [e.arg, e.arg2].flatMap((a) => (a ? [printExpr(a)] : []))
      if (e.q !== undefined) args.push(String(e.q))
      const distinct = e.fn === 'countDistinct' ? 'DISTINCT ' : ''
      return { text: `${AGG_NAME[e.fn]}(${distinct}${args.join(', ') || '*'})`, level: ATOM_LEVEL }
    }
  }
}

const SIMPLE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/
const RESERVED = new Set([
  'and',
  'or',
  'not',
  'is',
  'null',
  'in',
  'between',
  'like',
  'case',
  'when',
  'then',
  'else',
  'end',
  'cast',
  'as',
  'true',
  'false',
  'select',
  'from',
  'where',
  'group',
  'by',
  'order',
  'limit',
  'date',
  'timestamp',
  'distinct',
  // The rest of the query language's keywords (src/parse/tokens.ts).
  'having',
  'asc',
  'desc',
  'nulls',
  'first',
  'last',
  'offset',
  'all',
  'join',
  'inner',
  'left',
  'right',
  'full',
  'outer',
  'on',
  'using',
  'union',
  'with',
])

export function printIdentifier(name: string): string {
  if (SIMPLE_IDENTIFIER.test(name) && !RESERVED.has(name.toLowerCase())) return name
  return `"${name.replaceAll('"', '""')}"`
}

function quoteString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`
}

export function printDType(dtype: DType): string {
  return dtype === 'timestamp[ms]' ? 'timestamp' : dtype
}

export function printLiteral(l: LiteralNode): string {
  const v = l.value
  if (v === null) return l.dtype ? `CAST(NULL AS ${printDType(l.dtype)})` : 'NULL'
  switch (l.dtype) {
    case 'bool':
      return v ? 'TRUE' : 'FALSE'
    case 'utf8':
      return quoteString(String(v))
    case 'int64':
      return `CAST(${String(v)} AS int64)`
    case 'float64': {
      const n = Number(v)
      if (Number.isNaN(n)) return "CAST('NaN' AS float64)"
      if (!Number.isFinite(n)) return `CAST('${n > 0 ? 'Infinity' : '-Infinity'}' AS float64)`
      const text = Object.is(n, -0) ? '-0' : String(n)
      // A float literal must not read back as an integer.
      return /[.eE]/.test(text) ? text : `${text}.0`
    }
    case 'date32':
      return `DATE '${(v as Date).toISOString().slice(0, 10)}'`
    case 'timestamp[ms]':
      return `TIMESTAMP '${(v as Date).toISOString().replace('T', ' ').replace('Z', '')}'`
    default:
      return String(v)
  }
}
