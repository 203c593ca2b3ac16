/**
 * The expression half of the CST visitor: expression CST → `ExprNode`, the same nodes the fluent
 * builder makes (`x BETWEEN a AND b` is `x >= a AND x <= b`, as `between()` builds it; `-5` is the
 * literal -5, as `lit(-5)`). With a scope, every column name is checked where it is written, so an
 * unknown column error points at it and suggests the closest name.
 *
 * `CASE x WHEN v THEN r …` is `CASE WHEN x = v THEN r …`; `x NOT LIKE p` is `NOT (x LIKE p)`, as
 * `notLike()` builds it. Functions come from the one table in `functions.ts`. IN with non-literal
 * values (which the engine lacks) throws "not supported yet" at its position.
 */
import type { CstNode, IToken } from 'chevrotain'
import type { BinaryOp, ExprNode, LiteralNode } from '../expr/expr-node.js'
import { DTYPES, type DType } from '../types/dtype.js'
import type { TsdaskError } from '../util/errors.js'
import { child, children, firstToken, maybeChild, maybeToken, soleOperand, tokens } from './cst.js'
import { invalidQuery, notSupportedYet, type QueryText, unknownName } from './errors.js'
import { FUNCTION_NAMES, FUNCTIONS } from './functions.js'
import { foldCast, numberLiteral, quotedName, stringValue, temporalValue } from './literals.js'
import { K } from './tokens.js'

/** The columns an expression may name, and the table names that may qualify them (`t.fare`). */
export interface Scope {
  readonly columns: readonly string[]
  readonly qualifiers: readonly string[]
}

export interface ExprContext {
  readonly source: QueryText
  /** Undefined: names are not checked (the plan's schema check will catch unknown columns). */
  readonly scope?: Scope | undefined
}

const COMPARISON: Record<string, BinaryOp> = {
  '=': 'eq',
  '==': 'eq',
  '!=': 'neq',
  '<>': 'neq',
  '<': 'lt',
  '<=': 'lte',
  '>': 'gt',
  '>=': 'gte',
}
const ARITHMETIC: Record<string, BinaryOp> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'mod' }

/** SQL type names (DuckDB's and tsdask's) accepted by CAST. */
const TYPE_NAMES: Record<string, DType> = {
  ...Object.fromEntries(DTYPES.map((d) => [d, d])),
  int: 'int32',
  integer: 'int32',
  int4: 'int32',
  bigint: 'int64',
  int8: 'int64',
  long: 'int64',
  double: 'float64',
  float: 'float64',
  float8: 'float64',
  real: 'float64',
  varchar: 'utf8',
  text: 'utf8',
  string: 'utf8',
  boolean: 'bool',
  date: 'date32',
  timestamp: 'timestamp[ms]',
  datetime: 'timestamp[ms]',
}

export function toExpr(cst: CstNode, ctx: ExprContext): ExprNode {
  return logical(children(cst, 'notExpr'), tokens(cst, 'LogicalOperator'), ctx)
}

function binary(op: BinaryOp, left: ExprNode, right: ExprNode): ExprNode {
  return { kind: 'Binary', op, left, right }
}

/** `a OR b AND c OR d` → `(a OR (b AND c)) OR d`: AND binds tighter, both associate to the left. */
function logical(operands: readonly CstNode[], operators: readonly IToken[], ctx: ExprContext): ExprNode {
  let ors: ExprNode | undefined
  let ands = notExpr(operands[0]!, ctx)
  for (let i = 1; i < operands.length; i++) {
    const right = notExpr(operands[i]!, ctx)
    if (operators[i - 1]!.tokenType === K.AND) ands = binary('and', ands, right)
    else {
      ors = ors ? binary('or', ors, ands) : ands
      ands = right
    }
  }
  return ors ? binary('or', ors, ands) : ands
}

/** `a - b * c + d` → `(a - (b * c)) + d`: `* / %` bind tighter than `+ -`, all associate to the left. */
function arithmetic(operands: readonly CstNode[], operators: readonly IToken[], ctx: ExprContext): ExprNode {
  let sum: ExprNode | undefined
  let sumOp: BinaryOp = 'add'
  let term = primary(operands[0]!, ctx)
  for (let i = 1; i < operands.length; i++) {
    const op = ARITHMETIC[operators[i - 1]!.image]!
    const right = primary(operands[i]!, ctx)
    if (op === 'mul' || op === 'div' || op === 'mod') term = binary(op, term, right)
    else {
      sum = sum ? binary(sumOp, sum, term) : term
      sumOp = op
      term = right
    }
  }
  return sum ? binary(sumOp, sum, term) : term
}

function additive(n: CstNode, ctx: ExprContext): ExprNode {
  return arithmetic(children(n, 'primary'), tokens(n, 'ArithmeticOperator'), ctx)
}

function notExpr(n: CstNode, ctx: ExprContext): ExprNode {
  if (n.children.NOT !== undefined) return { kind: 'Unary', op: 'not', arg: notExpr(child(n, 'notExpr'), ctx) }
  return predicate(n, ctx)
}

/**
 * The tail a predicate took (comparison, IS NULL, IN, BETWEEN, LIKE), if any. chevrotain's CST
 * children are dictionary-mode objects (`Object.create(null)`): a few keyed lookups are cheaper
 * than enumerating their keys with for-in (which was a tenth of the visitor's time).
 */
function tailKey(c: CstNode['children']): string | undefined {
  if (c.comparisonTail !== undefined) return 'comparisonTail'
  if (c.isNullTail !== undefined) return 'isNullTail'
  if (c.inTail !== undefined) return 'inTail'
  if (c.betweenTail !== undefined) return 'betweenTail'
  return c.likeTail !== undefined ? 'likeTail' : undefined
}

/** The arithmetic operands of a notExpr and its tail (comparison, IS NULL, IN, BETWEEN, LIKE), if any. */
function predicate(n: CstNode, ctx: ExprContext): ExprNode {
  const left = additive(n, ctx)
  const key = tailKey(n.children)
  if (key === undefined) return left
  const tail = child(n, key)
  switch (key) {
    case 'comparisonTail': {
      const op = COMPARISON[tokens(tail, 'ComparisonOperator')[0]!.image]!
      return binary(op, left, additive(child(tail, 'additive'), ctx))
    }
    case 'isNullTail':
      return { kind: 'Unary', op: maybeToken(tail, 'NOT') ? 'isNotNull' : 'isNull', arg: left }
    case 'inTail':
      return negatable(tail, { kind: 'IsIn', arg: left, values: inValues(tail, ctx) })
    case 'betweenTail': {
      const low = additive(child(tail, 'additive', 0), ctx)
      const high = additive(child(tail, 'additive', 1), ctx)
      return negatable(tail, binary('and', binary('gte', left, low), binary('lte', left, high)))
    }
    default:
      return negatable(tail, likeExpr(left, tail, ctx))
  }
}

function likeExpr(arg: ExprNode, n: CstNode, ctx: ExprContext): ExprNode {
  const operand = child(n, 'additive')
  const pattern = additive(operand, ctx)
  if (pattern.kind !== 'Literal' || typeof pattern.value !== 'string') {
    throw invalidQuery(
      ctx.source,
      firstToken(operand),
      "the pattern of LIKE must be a 'string' literal (% matches any run of characters, _ one character)",
    )
  }
  return { kind: 'String', fn: 'like', arg, pattern: pattern.value }
}

function negatable(tail: CstNode, e: ExprNode): ExprNode {
  return maybeToken(tail, 'NOT') ? { kind: 'Unary', op: 'not', arg: e } : e
}

function inValues(n: CstNode, ctx: ExprContext): LiteralNode[] {
  return children(n, 'expression').map((item) => {
    const v = toExpr(item, ctx)
    if (v.kind !== 'Literal') {
      throw notSupportedYet(
        ctx.source,
        firstToken(item),
        'IN with a value that is not a literal',
        'List constants only.',
      )
    }
    return v
  })
}

/** A signed operand: `+x` is x, `-5` the literal -5 (what lit(-5) prints as), `-(5)` a negation. */
function signed(n: CstNode, operand: CstNode, ctx: ExprContext): ExprNode {
  if (maybeToken(n, 'Plus')) return primary(operand, ctx)
  const digits = maybeToken(operand, 'NumberLiteral')
  if (digits) return numberLiteral(digits.image, true)
  return { kind: 'Unary', op: 'negate', arg: primary(operand, ctx) }
}

/**
 * The alternative a primary took: keyed lookups, most frequent first (see `tailKey` for why not
 * for-in over the children).
 */
function alternativeOf(c: CstNode['children']): string {
  for (const key of PRIMARY_ALTERNATIVES) if (c[key] !== undefined) return key
  return 'columnRef'
}

const PRIMARY_ALTERNATIVES = [
  'columnRef',
  'NumberLiteral',
  'functionCall',
  'StringLiteral',
  'parenthesized',
  'Minus',
  'Plus',
  'NULL',
  'TRUE',
  'FALSE',
  'typedLiteral',
  'castExpr',
  'caseExpr',
] as const

/** One switch on the alternative the primary took. */
function primary(n: CstNode, ctx: ExprContext): ExprNode {
  const alternative = alternativeOf(n.children)
  switch (alternative) {
    case 'Minus':
    case 'Plus':
      return signed(n, child(n, 'primary'), ctx)
    case 'NumberLiteral':
      return numberLiteral(tokens(n, alternative)[0]!.image, false)
    case 'StringLiteral':
      return { kind: 'Literal', value: stringValue(tokens(n, alternative)[0]!.image), dtype: 'utf8' }
    case 'TRUE':
      return { kind: 'Literal', value: true, dtype: 'bool' }
    case 'FALSE':
      return { kind: 'Literal', value: false, dtype: 'bool' }
    case 'NULL':
      return { kind: 'Literal', value: null, dtype: null }
    case 'typedLiteral':
      return typedLiteral(child(n, alternative), ctx)
    case 'parenthesized':
      return toExpr(child(child(n, alternative), 'expression'), ctx)
    case 'castExpr':
      return castExpr(child(n, alternative), ctx)
    case 'caseExpr':
      return caseOf(child(n, alternative), ctx)
    case 'functionCall':
      return functionCall(child(n, alternative), ctx)
    default:
      return columnRef(child(n, 'columnRef'), ctx)
  }
}

function caseOf(n: CstNode, ctx: ExprContext): ExprNode {
  const operandCst = maybeChild(n, 'operand')
  const operand = operandCst ? toExpr(operandCst, ctx) : undefined
  const values = children(n, 'then')
  const branches = children(n, 'when').map((w, i) => {
    const when = toExpr(w, ctx)
    const condition: ExprNode = operand ? { kind: 'Binary', op: 'eq', left: operand, right: when } : when
    return { condition, value: toExpr(values[i]!, ctx) }
  })
  const otherwise = maybeChild(n, 'else')
  return { kind: 'Case', branches, otherwise: otherwise ? toExpr(otherwise, ctx) : null }
}

function typedLiteral(n: CstNode, ctx: ExprContext): ExprNode {
  const dtype = maybeToken(n, 'DATE') ? 'date32' : 'timestamp[ms]'
  const token = maybeToken(n, 'StringLiteral')!
  const value = temporalValue(stringValue(token.image), dtype)
  if (!value) {
    const form = dtype === 'date32' ? "DATE 'YYYY-MM-DD'" : "TIMESTAMP 'YYYY-MM-DD HH:MM:SS.mmm'"
    throw invalidQuery(
      ctx.source,
      token,
      `${token.image} is not a valid ${dtype === 'date32' ? 'date' : 'timestamp'}; write ${form}`,
    )
  }
  return { kind: 'Literal', value, dtype }
}

function castExpr(n: CstNode, ctx: ExprContext): ExprNode {
  const operand = child(n, 'expression')
  const arg = toExpr(operand, ctx)
  const dtype = typeName(child(n, 'typeName'), ctx)
  if (arg.kind === 'Literal' && isBareLiteral(operand)) {
    const folded = foldCast(arg, dtype)
    if (folded) return folded
  }
  return { kind: 'Cast', arg, dtype }
}

/** An expression written as just a literal (`5`, `-5`, `'x'`, `NULL`), without parentheses. */
function isBareLiteral(expression: CstNode): boolean {
  const operand = soleOperand(expression)
  if (!operand) return false
  const inner = maybeChild(operand, 'primary')
  const p = inner ? (maybeChild(inner, 'primary') ? undefined : inner) : operand
  return p !== undefined && !maybeChild(p, 'parenthesized') && !maybeChild(p, 'castExpr')
}

function typeName(n: CstNode, ctx: ExprContext): DType {
  const token = (maybeToken(n, 'Identifier') ?? maybeToken(n, 'DATE') ?? maybeToken(n, 'TIMESTAMP'))!
  const dtype = TYPE_NAMES[token.image.toLowerCase()]
  if (!dtype) throw unknownName(ctx.source, token, 'type', token.image, Object.keys(TYPE_NAMES))
  return dtype
}

function functionCall(n: CstNode, ctx: ExprContext): ExprNode {
  const nameToken = nameTokenOf(child(n, 'name'))
  const name = nameOf(child(n, 'name'), ctx).toLowerCase()
  const entry = FUNCTIONS[name]
  if (!entry) throw unknownName(ctx.source, nameToken, 'function', name, FUNCTION_NAMES)
  const args = children(n, 'expression').map((a) => toExpr(a, ctx))
  const star = maybeToken(n, 'Star') !== undefined
  const distinct = maybeToken(n, 'DISTINCT') !== undefined
  if (star && name !== 'count')
    throw invalidQuery(ctx.source, maybeToken(n, 'Star')!, `only count(*) takes *; write ${entry.signature}`)
  if (distinct && entry.kind === 'scalar') {
    throw invalidQuery(ctx.source, maybeToken(n, 'DISTINCT')!, `DISTINCT applies to aggregates only, not ${name}()`)
  }
  const count = star ? 0 : args.length
  if (count < entry.minArgs || count > entry.maxArgs) {
    throw invalidQuery(
      ctx.source,
      nameToken,
      `${name}() got ${count} argument${count === 1 ? '' : 's'}; write ${entry.signature}`,
    )
  }
  const built = entry.build({ args, star, distinct })
  if ('notSupported' in built)
    throw notSupportedYet(ctx.source, maybeToken(n, 'DISTINCT') ?? nameToken, built.notSupported)
  if ('invalid' in built) throw invalidQuery(ctx.source, nameToken, built.invalid)
  return built
}

function columnRef(n: CstNode, ctx: ExprContext): ExprNode {
  const parts = children(n, 'name')
  const last = parts[parts.length - 1]!
  const name = nameOf(last, ctx)
  const scope = ctx.scope
  if (!scope) return { kind: 'Column', name }
  if (parts.length === 2) resolveQualifier(parts[0]!, scope, ctx)
  return {
    kind: 'Column',
    name: resolveName(name, scope.columns, () =>
      unknownName(ctx.source, nameTokenOf(last), 'column', name, scope.columns),
    ),
  }
}

function resolveQualifier(n: CstNode, scope: Scope, ctx: ExprContext): void {
  const q = nameOf(n, ctx)
  resolveName(q, scope.qualifiers, () => unknownName(ctx.source, nameTokenOf(n), 'table', q, scope.qualifiers))
}

/** Exact match first; else the one name equal ignoring case (DuckDB resolves names case-insensitively). */
export function resolveName(name: string, candidates: readonly string[], unknown: () => TsdaskError): string {
  if (candidates.includes(name)) return name
  const lower = name.toLowerCase()
  const folded = candidates.filter((c) => c.toLowerCase() === lower)
  if (folded.length === 1) return folded[0]!
  throw unknown()
}

export function nameTokenOf(n: CstNode): IToken {
  return (maybeToken(n, 'Identifier') ??
    maybeToken(n, 'QuotedIdentifier') ??
    maybeToken(n, 'DATE') ??
    maybeToken(n, 'TIMESTAMP'))!
}

export function nameOf(n: CstNode, ctx: ExprContext): string {
  const token = nameTokenOf(n)
  if (token.tokenType.name !== 'QuotedIdentifier') return token.image
  const name = quotedName(token.image)
  if (name.length === 0) throw invalidQuery(ctx.source, token, 'a quoted name cannot be empty')
  return name
}
