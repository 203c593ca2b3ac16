/**
 * The parser's own contracts: the grammar's embedded actions read a query straight into its clause
 * tree (no CST), relying on one chevrotain internal, and the scanner types keywords in any case.
 */
import { describe, expect, it } from 'vitest'
import { lexQuery } from '../../src/parse/lexer.js'
import { parseStandaloneExpression, parseStatement, queryGrammar } from '../../src/parse/parser.js'
import { K } from '../../src/parse/tokens.js'

describe('parser internals', () => {
  it('reads a query straight into its clause tree, with finished expressions', () => {
    const ast = parseStatement({ text: 'SELECT fare + 1 AS f FROM trips ORDER BY 2 DESC', what: 'SQL query' })
    const item = ast.core.items[0]
    expect(item && 'expr' in item && item.expr.node).toEqual({
      kind: 'Binary',
      op: 'add',
      left: { kind: 'Column', name: 'fare' },
      right: { kind: 'Literal', value: 1, dtype: 'int32' },
    })
    expect(item && 'expr' in item && item.alias?.image).toBe('f')
    const order = ast.order?.items[0]
    expect([order?.expr.shape, order?.expr.shapeToken?.image, order?.descending]).toEqual(['number', '2', true])
  })

  it('records column references and semantic errors in reading order, to be raised only when used', () => {
    const parsed = parseStandaloneExpression({ text: "a + nosuch(b) + DATE '2024-02-30'", what: 'expression' })
    expect(
      parsed.checks.map((c) => (typeof c === 'function' ? 'error' : 'qualifier' in c ? 'qualified' : c.image)),
    ).toEqual(['a', 'error', 'b', 'error'])
    expect(parsed.first.image).toBe('a')
    expect(parsed.shape).toBe('compound')
  })

  it("relies on chevrotain's RECORDING_PHASE flag (not in its typings): it exists, and is off after recording", () => {
    expect(queryGrammar().RECORDING_PHASE).toBe(false)
  })

  it('retypes keywords in any case and leaves longer words as names', () => {
    const types = lexQuery('select Selected FROM fRoM_x NuLl').tokens.map((t) => t.tokenType.name)
    expect(types).toEqual(['SELECT', 'Identifier', 'FROM', 'Identifier', 'NULL'])
    expect(lexQuery('sElEcT').tokens[0]?.tokenTypeIdx).toBe(K.SELECT.tokenTypeIdx)
  })
})
