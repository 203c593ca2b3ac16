/**
 * The tokens of tsdask's query language (SQL and expression strings). Their patterns are the
 * lexical grammar: `lexer.ts` scans by hand exactly what chevrotain's lexer would read with them
 * (a test runs both). Keywords are case-insensitive and reserved: a word is an `Identifier` unless
 * it spells a keyword, so `selected` is one identifier while `SELECT` is the keyword. Whitespace
 * and `--` / `/* … *\/` comments are skipped. Tokens carry a `label` so syntax errors read
 * "expected ')'" rather than "RParen".
 */
import { createToken, Lexer, type TokenType } from 'chevrotain'

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'a name' })

/** AND and OR: one CONSUME in the expression rule matches either (the parser applies AND before OR). */
export const LogicalOperator = createToken({ name: 'LogicalOperator', pattern: Lexer.NA, label: 'AND or OR' })

/**
 * Keywords have no pattern of their own: a word is read by the `Identifier` pattern and then
 * typed by one map lookup (`lexQuery`). Trying each keyword's regex before `Identifier`
 * (longer_alt) cost several failed matches per word.
 */
function keyword(word: string): TokenType {
  return createToken({
    name: word,
    pattern: Lexer.NA,
    label: word,
    categories: word === 'AND' || word === 'OR' ? [LogicalOperator] : [],
  })
}

/** Every keyword, by its upper-case spelling. Also the printer's reserved words. */
export const KEYWORDS = [
  'SELECT',
  'FROM',
  'WHERE',
  'GROUP',
  'BY',
  'HAVING',
  'ORDER',
  'ASC',
  'DESC',
  'NULLS',
  'FIRST',
  'LAST',
  'LIMIT',
  'OFFSET',
  'AS',
  'DISTINCT',
  'ALL',
  'JOIN',
  'INNER',
  'LEFT',
  'RIGHT',
  'FULL',
  'OUTER',
  'ON',
  'USING',
  'UNION',
  'WITH',
  'AND',
  'OR',
  'NOT',
  'IS',
  'NULL',
  'IN',
  'BETWEEN',
  'LIKE',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'CAST',
  'TRUE',
  'FALSE',
  'DATE',
  'TIMESTAMP',
] as const
export type Keyword = (typeof KEYWORDS)[number]

export const K = Object.fromEntries(KEYWORDS.map((w) => [w, keyword(w)])) as Record<Keyword, TokenType>

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED })
export const LineComment = createToken({ name: 'LineComment', pattern: /--[^\n\r]*/, group: Lexer.SKIPPED })
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED })

export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/,
  label: 'a number',
})
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /'(?:[^']|'')*'/, label: 'a string' })
export const QuotedIdentifier = createToken({
  name: 'QuotedIdentifier',
  pattern: /"(?:[^"]|"")*"/,
  label: 'a "quoted name"',
})

/**
 * Categories let one CONSUME match any operator of a kind: the expression rule reads a flat
 * `operand (operator operand)*` list and the parser applies precedence (fewer rule levels per
 * operand is most of the parser's speed).
 */
export const ComparisonOperator = createToken({ name: 'ComparisonOperator', pattern: Lexer.NA, label: 'a comparison' })
export const ArithmeticOperator = createToken({
  name: 'ArithmeticOperator',
  pattern: Lexer.NA,
  label: "'+', '-', '*', '/' or '%'",
})

function punctuation(name: string, text: string, categories: TokenType[] = []): TokenType {
  const escaped = text.replace(/[|\\{}()[\]^$+*?.]/g, '\\$&')
  return createToken({ name, pattern: new RegExp(escaped), label: `'${text}'`, categories })
}

export const LParen = punctuation('LParen', '(')
export const RParen = punctuation('RParen', ')')
export const Comma = punctuation('Comma', ',')
export const Dot = punctuation('Dot', '.')
export const Star = punctuation('Star', '*', [ArithmeticOperator])
export const Plus = punctuation('Plus', '+', [ArithmeticOperator])
export const Minus = punctuation('Minus', '-', [ArithmeticOperator])
export const Slash = punctuation('Slash', '/', [ArithmeticOperator])
export const Percent = punctuation('Percent', '%', [ArithmeticOperator])
export const DoubleEquals = punctuation('DoubleEquals', '==', [ComparisonOperator])
export const Equals = punctuation('Equals', '=', [ComparisonOperator])
export const NotEquals = punctuation('NotEquals', '!=', [ComparisonOperator])
export const LessGreater = punctuation('LessGreater', '<>', [ComparisonOperator])
export const LessEquals = punctuation('LessEquals', '<=', [ComparisonOperator])
export const GreaterEquals = punctuation('GreaterEquals', '>=', [ComparisonOperator])
export const Less = punctuation('Less', '<', [ComparisonOperator])
export const Greater = punctuation('Greater', '>', [ComparisonOperator])
export const Semicolon = punctuation('Semicolon', ';')

/** Lexing order matters: comments before `-` and `/`, two-character operators before one-character ones. */
export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  ...KEYWORDS.map((w) => K[w]),
  Identifier,
  QuotedIdentifier,
  NumberLiteral,
  StringLiteral,
  LParen,
  RParen,
  Comma,
  Dot,
  Star,
  Plus,
  Minus,
  Slash,
  Percent,
  DoubleEquals,
  Equals,
  NotEquals,
  LessGreater,
  LessEquals,
  GreaterEquals,
  Less,
  Greater,
  Semicolon,
  ComparisonOperator,
  ArithmeticOperator,
  LogicalOperator,
]
