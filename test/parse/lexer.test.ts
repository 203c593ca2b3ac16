/**
 * The hand-written scanner reads what chevrotain's lexer reads from the token patterns in
 * tokens.ts (the lexical grammar's specification), keywords retyped: the same tokens at the same
 * offsets, and the same first unexpected character.
 */
import { type IToken, Lexer } from 'chevrotain'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { lexQuery } from '../../src/parse/lexer.js'
import { ALL_TOKENS, Identifier, KEYWORDS } from '../../src/parse/tokens.js'

const reference = new Lexer(ALL_TOKENS, { positionTracking: 'onlyOffset' })
const KEYWORD_SET = new Set<string>(KEYWORDS)

interface Lexed {
  readonly tokens: readonly (readonly [string, number, string])[]
  readonly errorOffset: number | undefined
}

function shown(tokens: readonly IToken[]): Lexed['tokens'] {
  return tokens.map((t) => [t.image, t.startOffset, t.tokenType.name] as const)
}

/** chevrotain's reading, up to its first error (the scanner stops there), keywords retyped. */
function byChevrotain(text: string): Lexed {
  const lexed = reference.tokenize(text)
  const errorOffset = lexed.errors[0]?.offset
  const tokens = lexed.tokens
    .filter((t) => errorOffset === undefined || t.startOffset < errorOffset)
    .map((t) => {
      const upper = t.image.toUpperCase()
      return t.tokenType === Identifier && KEYWORD_SET.has(upper) ? { ...t, tokenType: { name: upper } } : t
    })
  return { tokens: shown(tokens as IToken[]), errorOffset }
}

function byScanner(text: string): Lexed {
  const lexed = lexQuery(text)
  return { tokens: shown(lexed.tokens), errorOffset: lexed.errorOffset }
}

const PIECES = [
  'a',
  'Z',
  '_',
  'e',
  'E',
  'x9',
  'select',
  'Select',
  'AND',
  'or',
  'null',
  'date',
  'selected',
  '0',
  '1',
  '42',
  '.',
  '.5',
  '1.',
  '1e5',
  '2E-3',
  'e+',
  '+',
  '-',
  '--',
  '*',
  '/',
  '/*',
  '*/',
  '%',
  '(',
  ')',
  ',',
  ';',
  '=',
  '==',
  '!',
  '!=',
  '<',
  '<>',
  '<=',
  '>',
  '>=',
  "'",
  "''",
  "'abc'",
  '"',
  '""',
  '"q"',
  ' ',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\u00a0',
  '\u2028',
  '\ufeff',
  'é',
  '#',
  '\\',
  '`',
  '😀',
]

describe('query lexer', () => {
  it('reads random text exactly as chevrotain reads the token patterns', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }), (pieces) => {
        const text = pieces.join('')
        expect(byScanner(text)).toEqual(byChevrotain(text))
      }),
      { numRuns: 3000 },
    )
  })

  it('reads queries exactly as chevrotain does', () => {
    for (const text of [
      "-- a comment\nSELECT vendor, sum(fare * 2 + tip / 3) AS total_0 FROM trips WHERE fare BETWEEN 1 AND 10 OR passengers IN (1, 2) AND day >= DATE '2024-01-01' GROUP BY vendor ORDER BY total_0 DESC NULLS FIRST LIMIT 100",
      'SELECT "my col", t.* FROM "t""x" AS t /* block\ncomment */ WHERE a <> b AND c != d AND e == f;',
      "x = 'it''s' and y <= .5e10 or z >= 1.e-3 % 2",
      "SELECT 'unclosed FROM t",
      'SELECT a FROM t WHERE b = 1 /* unclosed',
    ]) {
      expect(byScanner(text)).toEqual(byChevrotain(text))
    }
  })
})
