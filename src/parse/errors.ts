/**
 * Every error the query front end raises, with its message text kept here: what is wrong, where
 * (line, column and a caret under the query line), and what to do.
 *
 *   Syntax error at line 1, column 14: expected an expression but found FROM.
 *     SELECT fare, FROM trips
 *                  ^
 */
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain'
import { expressionTooDeep, FLATTER_QUERY, MAX_QUERY_NESTING, planTooDeep } from '../util/depth-limits.js'
import { closestNames, TsdaskError } from '../util/errors.js'
import { caretSnippet, describePosition, type Position, positionOf } from './source.js'

/** What a parse or compile step needs to point at the query text. */
export interface QueryText {
  readonly text: string
  /** "filter expression", "SQL query": how messages name the string. */
  readonly what: string
}

function located(source: QueryText, at: Position, message: string): string {
  return `${message}\n${caretSnippet(source.text, at)}`
}

export function syntaxError(source: QueryText, token: IToken, message: string): TsdaskError {
  const at = positionOf(token, source.text)
  return new TsdaskError(
    'SYNTAX_ERROR',
    located(source, at, `Syntax error in ${source.what} at ${describePosition(at)}: ${message}`),
    { position: at },
  )
}

export function lexError(source: QueryText, at: Position): TsdaskError {
  const ch = source.text[at.offset] ?? ''
  const hint =
    ch === '"' || ch === "'"
      ? ` The ${ch === '"' ? 'quoted name' : 'string'} is not closed; add the closing ${ch}.`
      : ' Strings go in single quotes, names with special characters in double quotes.'
  return new TsdaskError(
    'SYNTAX_ERROR',
    located(
      source,
      at,
      `Syntax error in ${source.what} at ${describePosition(at)}: unexpected character ${JSON.stringify(ch)}.${hint}`,
    ),
    { position: at },
  )
}

/** A construct the grammar reads but the engine cannot run in this release. */
export function notSupportedYet(source: QueryText, token: IToken, construct: string, instead?: string): TsdaskError {
  const at = positionOf(token, source.text)
  return new TsdaskError(
    'NOT_SUPPORTED',
    located(
      source,
      at,
      `${construct} is not supported yet (${source.what}, ${describePosition(at)}).${instead ? ` ${instead}` : ''}`,
    ),
    { position: at, construct },
  )
}

export function unknownName(
  source: QueryText,
  token: IToken,
  kind: 'column' | 'table' | 'function' | 'type',
  name: string,
  candidates: readonly string[],
): TsdaskError {
  const at = positionOf(token, source.text)
  const hint = closestNames(name, candidates)
  const suggestion = hint.length > 0 ? ` Did you mean ${hint.map((h) => `"${h}"`).join(' or ')}?` : ''
  const available =
    kind === 'column' || kind === 'table'
      ? ` Available ${kind}s: ${candidates.map((c) => `"${c}"`).join(', ') || '(none)'}.`
      : ''
  const code = kind === 'column' ? 'UNKNOWN_COLUMN' : kind === 'table' ? 'UNKNOWN_TABLE' : 'INVALID_ARGUMENT'
  return new TsdaskError(
    code,
    located(
      source,
      at,
      `Unknown ${kind} "${name}" in ${source.what} at ${describePosition(at)}.${suggestion}${available}`,
    ),
    { position: at, [kind]: name, available: [...candidates] },
  )
}

export function invalidQuery(source: QueryText, token: IToken, message: string): TsdaskError {
  const at = positionOf(token, source.text)
  return new TsdaskError(
    'INVALID_ARGUMENT',
    located(source, at, `${message} (${source.what}, ${describePosition(at)})`),
    { position: at },
  )
}

/**
 * Thrown by the grammar where the text nests past MAX_QUERY_NESTING, or builds an expression past
 * MAX_EXPRESSION_DEPTH, at once (reading on would overflow); parser.ts turns it into `tooDeep`.
 */
export class TooDeepInQuery {
  constructor(
    readonly token: IToken,
    readonly limit: 'nesting' | 'expression',
    readonly depth: number,
  ) {}
}

/** TOO_DEEP at the token that opened one level too many, or built one operator too many. */
export function tooDeep(source: QueryText, signal: TooDeepInQuery): TsdaskError {
  const at = positionOf(signal.token, source.text)
  const where = `in ${source.what} at ${describePosition(at)}`
  if (signal.limit === 'expression') return locatedCopy(source, at, expressionTooDeep(signal.depth, ` ${where}`))
  return new TsdaskError(
    'TOO_DEEP',
    located(
      source,
      at,
      `Query nested too deep ${where}: more than ${MAX_QUERY_NESTING} levels of parentheses, subqueries, ` +
        `function calls, CASE, CAST, NOT or signs inside each other. ${FLATTER_QUERY}`,
    ),
    { position: at, limit: MAX_QUERY_NESTING },
  )
}

/** TOO_DEEP for a query whose plan, once built, stacks more operators than MAX_PLAN_DEPTH. */
export function planTooDeepInQuery(source: QueryText, token: IToken, depth: number): TsdaskError {
  const at = positionOf(token, source.text)
  return locatedCopy(source, at, planTooDeep(depth, ` in ${source.what} at ${describePosition(at)}`))
}

function locatedCopy(source: QueryText, at: Position, error: TsdaskError): TsdaskError {
  return new TsdaskError(error.code, located(source, at, error.message), { ...error.details, position: at })
}

// Messages chevrotain builds; the caller adds position and caret. -------------------------------

function labelOf(t: TokenType): string {
  return t.LABEL ?? t.name
}

function found(token: IToken): string {
  return token.tokenType.name === 'EOF' ? 'the end of the text' : `'${token.image}'`
}

function listExpected(paths: readonly (readonly TokenType[])[]): string {
  const firsts = [...new Set(paths.map((p) => (p[0] ? labelOf(p[0]) : 'the end of the text')))]
  if (firsts.length <= 1) return firsts[0] ?? 'something else'
  if (firsts.length > 8) return `${firsts.slice(0, 8).join(', ')}, …`
  return `${firsts.slice(0, -1).join(', ')} or ${firsts[firsts.length - 1]}`
}

export const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${labelOf(expected)} but found ${found(actual)}.`
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${found(firstRedundant)}; expected the end of the text. Check for a missing operator or comma before it.`
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const what = RULE_NOUNS[ruleName] ?? listExpected(expectedPathsPerAlt.flat())
    const token = actual[0]
    return `expected ${what} but found ${token ? found(token) : 'the end of the text'}.${
      RULE_NOUNS[ruleName] ? ` Expected one of: ${listExpected(expectedPathsPerAlt.flat())}.` : ''
    }`
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const token = actual[0]
    return `expected ${RULE_NOUNS[ruleName] ?? listExpected(expectedIterationPaths)} but found ${token ? found(token) : 'the end of the text'}.`
  },
}

/** How a rule reads in "expected …" when no single token is missing. */
const RULE_NOUNS: Record<string, string> = {
  primary: 'an expression',
  unary: 'an expression',
  notExpr: 'an expression',
  name: 'a name',
  typeName: 'a type name (int32, int64, float64, utf8, bool, date, timestamp)',
  selectItem: 'a column, an expression or *',
  tableRef: 'a table name or a (subquery)',
}
