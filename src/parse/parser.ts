/**
 * The one lexer and the one parser, built once at first use and reused for every string
 * (chevrotain's performance guidance: building a parser runs its grammar analysis; parsing only
 * resets its input). Turns lexing and parsing errors into `TsdaskError`s with a caret; recovery is
 * off, so the first error is reported and no partial tree is ever visited.
 */
import type { CstNode } from 'chevrotain'
import { errorMessages, lexError, type QueryText, syntaxError } from './errors.js'
import { positionAt } from './source.js'
import { QueryGrammar } from './sql-grammar.js'
import { lexQuery } from './tokens.js'

let shared: QueryGrammar | undefined

/** The shared parser (exported for the railroad-diagram script and the grammar tests). */
export function queryGrammar(): QueryGrammar {
  shared ??= new QueryGrammar({ errorMessageProvider: errorMessages })
  return shared
}

export type EntryRule = 'statement' | 'standaloneExpression'

/** Lexes and parses `source.text` from `entry`; throws SYNTAX_ERROR on the first problem. */
export function parseCst(source: QueryText, entry: EntryRule): CstNode {
  const lexed = lexQuery(source.text)
  const lexProblem = lexed.errors[0]
  if (lexProblem) throw lexError(source, positionAt(source.text, lexProblem.offset))
  const parser = queryGrammar()
  parser.input = lexed.tokens
  const cst = parser[entry]()
  const problem = parser.errors[0]
  if (problem) throw syntaxError(source, problem.token, problem.message)
  return cst
}
