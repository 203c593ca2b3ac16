import { EOF } from 'chevrotain'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { printExpr } from '../../src/expr/print.js'
import { errorMessages } from '../../src/parse/errors.js'
import { MAX_LOOKAHEAD } from '../../src/parse/expr-grammar.js'
import { lexQuery } from '../../src/parse/lexer.js'
import { LOOKAHEAD_PATHS } from '../../src/parse/lookahead-paths.js'
import { recordLookaheadTable } from '../../src/parse/lookahead-record.js'
import { precomputedLookahead } from '../../src/parse/precomputed-lookahead.js'
import { QueryGrammar } from '../../src/parse/sql-grammar.js'
import { ALL_TOKENS } from '../../src/parse/tokens.js'
import { expr } from './arbitraries.js'

const precomputed = (onComputed?: (key: string) => void) =>
  new QueryGrammar({
    errorMessageProvider: errorMessages,
    skipValidations: true,
    lookaheadStrategy: precomputedLookahead(LOOKAHEAD_PATHS, [...ALL_TOKENS, EOF], MAX_LOOKAHEAD, onComputed),
  })

/** A clause tree as text: its deferred checks hold closures, which equal only themselves. */
function comparable(ast: unknown): string {
  return JSON.stringify(ast, (key, value: unknown) =>
    typeof value === 'function'
      ? `[function ${value.name}]`
      : key === 'tokenType'
        ? (value as { name: string }).name
        : value,
  )
}

/** What a grammar makes of a text: the clause tree, or the first error's message and token offset. */
function outcome(grammar: QueryGrammar, text: string): unknown {
  const lexed = lexQuery(text)
  if (lexed.errorOffset !== undefined) return 'lex error'
  grammar.input = lexed.tokens
  grammar.resetNesting()
  try {
    const ast = grammar.statement()
    const error = grammar.errors[0]
    return error ? { error: error.message, at: error.token.startOffset } : { ast: comparable(ast) }
  } catch (error) {
    return { thrown: String(error) }
  }
}

describe('precomputed lookahead', () => {
  it('is current: the grammar yields exactly the committed table (after a grammar change: npm run gen:lookahead)', () => {
    expect(LOOKAHEAD_PATHS).toEqual(recordLookaheadTable())
  })

  it('covers every production, so building the parser computes none', () => {
    const computed: string[] = []
    precomputed((key) => computed.push(key))
    expect(computed).toEqual([])
  })

  it("chooses every branch as chevrotain's own lookahead does, on valid and broken queries", () => {
    const withTable = precomputed()
    const computedEachTime = new QueryGrammar({ errorMessageProvider: errorMessages, skipValidations: true })
    const fragment = fc.oneof(
      expr.map((e) => printExpr(e)),
      fc.constantFrom(
        'SELECT',
        'FROM t',
        'WHERE',
        'GROUP BY',
        'HAVING',
        'ORDER BY',
        'LIMIT 3',
        'OFFSET 1',
        'UNION ALL',
        'UNION',
        'DISTINCT',
        ',',
        '*',
        't.*',
        'AS x',
        'x',
        '(',
        ')',
        'JOIN u ON',
        'LEFT JOIN',
        'USING (a)',
        'WITH c AS (',
        'DESC',
        'NULLS LAST',
        'CASE WHEN',
        'THEN',
        'ELSE',
        'END',
        'CAST(',
        'AS INT',
        'NOT',
        'IN (',
        'BETWEEN',
        'AND',
        'LIKE',
        'IS NULL',
        ';',
        'DATE',
        "'2024-01-01'",
        'count(*)',
        'sum(DISTINCT',
      ),
    )
    const query = fc.oneof(
      fc.array(fragment, { maxLength: 14 }).map((parts) => parts.join(' ')),
      fc
        .tuple(fc.array(expr, { minLength: 1, maxLength: 3 }), fc.option(expr), fc.array(fragment, { maxLength: 4 }))
        .map(
          ([items, where, tail]) =>
            `SELECT ${items.map((e) => printExpr(e)).join(', ')} FROM t` +
            (where ? ` WHERE ${printExpr(where)}` : '') +
            ` ${tail.join(' ')}`,
        ),
    )
    fc.assert(
      fc.property(query, (text) => {
        expect(outcome(withTable, text)).toEqual(outcome(computedEachTime, text))
      }),
      { numRuns: 400 },
    )
  })
})
