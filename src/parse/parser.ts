/**
 * The one lexer and the one parser, built once at first use and reused for every string
 * (chevrotain's performance guidance: building a parser runs its grammar analysis; parsing only
 * resets its input). Turns lexing and parsing errors into `TsdaskError`s with a caret; recovery is
 * off, so the first error is reported and a partly read text is never planned.
 */

import { EOF } from 'chevrotain'
import type { ParsedExpr, QueryAst } from './ast.js'
import { errorMessages, lexError, type QueryText, syntaxError, TooDeepInQuery, tooDeep } from './errors.js'
import { MAX_LOOKAHEAD } from './expr-grammar.js'
import { lexQuery } from './lexer.js'
import { LOOKAHEAD_PATHS } from './lookahead-paths.js'
import { precomputedLookahead } from './precomputed-lookahead.js'
import { positionAt } from './source.js'
import { QueryGrammar } from './sql-grammar.js'
import { ALL_TOKENS } from './tokens.js'

let shared: QueryGrammar | undefined

/**
 * The shared parser (exported for the railroad-diagram script and the grammar tests). chevrotain's
 * grammar validations (ambiguities, left recursion, …) take half of the parser's construction
 * (~30–50 of 60–100 ms, the largest single cost of a first query): they are skipped here and run
 * once by test/parse/grammar-validations.test.ts instead, so a grammar change that breaks them still
 * fails the suite. Its lookahead comes precomputed (precomputed-lookahead.ts), which took most of
 * the rest.
 */
export function queryGrammar(): QueryGrammar {
  shared ??= new QueryGrammar({
    errorMessageProvider: errorMessages,
    skipValidations: true,
    lookaheadStrategy: precomputedLookahead(LOOKAHEAD_PATHS, [...ALL_TOKENS, EOF], MAX_LOOKAHEAD),
  })
  return shared
}

/** Lexes and parses `source.text` with `rule`; throws SYNTAX_ERROR on the first problem. */
function parseWith<T>(source: QueryText, rule: (parser: QueryGrammar) => T): T {
  const lexed = lexQuery(source.text)
  if (lexed.errorOffset !== undefined) throw lexError(source, positionAt(source.text, lexed.errorOffset))
  const parser = queryGrammar()
  parser.input = lexed.tokens
  parser.resetNesting()
  let result: T
  try {
    result = rule(parser)
  } catch (error) {
    if (error instanceof TooDeepInQuery) throw tooDeep(source, error)
    throw error
  }
  const problem = parser.errors[0]
  if (problem) throw syntaxError(source, problem.token, problem.message)
  return result
}

/** A SQL statement's clause tree (names and semantics unchecked: to-plan.ts does that). */
export function parseStatement(source: QueryText): QueryAst {
  return parseWith(source, (parser) => parser.statement())
}

/** An expression string, its checks still to run (to-expr.ts `resolveExpr`). */
export function parseStandaloneExpression(source: QueryText): ParsedExpr {
  return parseWith(source, (parser) => parser.standaloneExpression())
}
