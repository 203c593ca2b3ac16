/**
 * The parser's speed-ups that lean on chevrotain's internals (pinned to ~11.2 in package.json):
 * if an upgrade renames what they override, these fail instead of the speed-up silently vanishing.
 */
import { describe, expect, it } from 'vitest'
import { parseCst } from '../../src/parse/parser.js'
import { K, lexQuery } from '../../src/parse/tokens.js'

describe('parser internals', () => {
  it('builds CST children as plain objects (ExpressionGrammar.cstInvocationStateUpdate is in effect)', () => {
    const cst = parseCst({ text: 'SELECT fare FROM trips', what: 'SQL query' }, 'statement')
    expect(Object.getPrototypeOf(cst.children)).toBe(Object.prototype)
    expect(Object.keys(cst.children)).toEqual(['query'])
  })

  it('retypes keywords in any case and leaves longer words as names', () => {
    const types = lexQuery('select Selected FROM fRoM_x NuLl').tokens.map((t) => t.tokenType.name)
    expect(types).toEqual(['SELECT', 'Identifier', 'FROM', 'Identifier', 'NULL'])
    expect(lexQuery('sElEcT').tokens[0]?.tokenTypeIdx).toBe(K.SELECT.tokenTypeIdx)
  })
})
