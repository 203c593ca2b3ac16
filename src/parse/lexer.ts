/**
 * The query lexer: a hand-written scanner that dispatches on each token's first character. It
 * reads exactly what chevrotain's lexer would read from the token patterns in tokens.ts (the
 * patterns stay the specification: test/parse/lexer.test.ts runs both on random text and on the
 * test queries and compares), at a fraction of the cost: chevrotain tries candidate patterns by
 * regular expression for every token, which was a third of a query's parse time.
 *
 * Tokens carry offsets only (as chevrotain's `positionTracking: 'onlyOffset'` makes them);
 * `source.ts` turns an offset into a line and column when an error needs one. Keywords are
 * case-insensitive and reserved: a word is an `Identifier` unless it spells a keyword, so
 * `selected` is a name while `SELECT` is the keyword.
 */
import type { IToken, TokenType } from 'chevrotain'
import {
  Comma,
  Dot,
  DoubleEquals,
  Equals,
  Greater,
  GreaterEquals,
  Identifier,
  K,
  KEYWORDS,
  Less,
  LessEquals,
  LessGreater,
  LParen,
  Minus,
  NotEquals,
  NumberLiteral,
  Percent,
  Plus,
  QuotedIdentifier,
  RParen,
  Semicolon,
  Slash,
  Star,
  StringLiteral,
} from './tokens.js'

export interface LexedQuery {
  readonly tokens: IToken[]
  /** Where the first character no token starts with is; undefined when the whole text lexed. */
  readonly errorOffset: number | undefined
}

/** Keyword token types by spelling: upper and lower case directly, mixed case after lower-casing. */
const KEYWORD_TYPES = new Map<string, TokenType>()
for (const word of KEYWORDS) {
  KEYWORD_TYPES.set(word, K[word])
  KEYWORD_TYPES.set(word.toLowerCase(), K[word])
}
const LONGEST_KEYWORD = Math.max(...KEYWORDS.map((w) => w.length))

// The two patterns with backtracking (an unclosed quote can still end at an earlier doubled one)
// run as the regular expressions tokens.ts gives them, anchored at the current offset.
const STRING = new RegExp(StringLiteral.PATTERN as RegExp, 'y')
const QUOTED = new RegExp(QuotedIdentifier.PATTERN as RegExp, 'y')
/**
 * Each punctuation token's text, by token type index: its image is this one string rather than a
 * new one per token (less garbage per parse).
 */
const PUNCTUATION_TEXT: string[] = []
for (const [type, text] of [
  [LParen, '('],
  [RParen, ')'],
  [Comma, ','],
  [Dot, '.'],
  [Star, '*'],
  [Plus, '+'],
  [Minus, '-'],
  [Slash, '/'],
  [Percent, '%'],
  [Semicolon, ';'],
  [DoubleEquals, '=='],
  [Equals, '='],
  [NotEquals, '!='],
  [LessGreater, '<>'],
  [LessEquals, '<='],
  [GreaterEquals, '>='],
  [Less, '<'],
  [Greater, '>'],
] as const) {
  PUNCTUATION_TEXT[type.tokenTypeIdx!] = text
}
/** JavaScript's `\s` beyond ASCII (the WhiteSpace pattern is `/\s+/`). */
const WIDE_SPACE = /\s/

// Character codes.
const TAB = 9
const LINE_FEED = 10
const CARRIAGE_RETURN = 13
const SPACE = 32
const BANG = 33
const DOUBLE_QUOTE = 34
const PERCENT = 37
const QUOTE = 39
const L_PAREN = 40
const R_PAREN = 41
const STAR = 42
const PLUS = 43
const COMMA = 44
const MINUS = 45
const DOT = 46
const SLASH = 47
const ZERO = 48
const NINE = 57
const SEMICOLON = 59
const LESS = 60
const EQUALS = 61
const GREATER = 62
const UPPER_A = 65
const UPPER_E = 69
const UPPER_Z = 90
const UNDERSCORE = 95
const LOWER_A = 97
const LOWER_E = 101
const LOWER_Z = 122

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE
}

function isWordStart(c: number): boolean {
  return (c >= LOWER_A && c <= LOWER_Z) || (c >= UPPER_A && c <= UPPER_Z) || c === UNDERSCORE
}

function isWordPart(c: number): boolean {
  return isWordStart(c) || isDigit(c)
}

function isSpace(c: number, text: string, at: number): boolean {
  if (c < 128) return c === SPACE || (c >= TAB && c <= CARRIAGE_RETURN)
  return WIDE_SPACE.test(text[at]!)
}

function digitsEnd(text: string, from: number): number {
  let i = from
  while (isDigit(text.charCodeAt(i))) i++
  return i
}

/** The end of `(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?` starting at `start` (a digit, or a dot before one). */
function numberEnd(text: string, start: number): number {
  let i = digitsEnd(text, start)
  if (text.charCodeAt(i) === DOT) i = digitsEnd(text, i + 1)
  const e = text.charCodeAt(i)
  if (e === LOWER_E || e === UPPER_E) {
    const sign = text.charCodeAt(i + 1)
    const first = sign === PLUS || sign === MINUS ? i + 2 : i + 1
    if (isDigit(text.charCodeAt(first))) i = digitsEnd(text, first + 1)
  }
  return i
}

function token(text: string, start: number, end: number, type: TokenType): IToken {
  return { image: text.slice(start, end), startOffset: start, tokenTypeIdx: type.tokenTypeIdx!, tokenType: type }
}

/** Lexes a query; stops at the first character no token starts with. */
export function lexQuery(text: string): LexedQuery {
  const tokens: IToken[] = []
  const length = text.length
  let i = 0
  while (i < length) {
    const c = text.charCodeAt(i)
    const start = i
    let type: TokenType
    if (isWordStart(c)) {
      // Keywords are looked up as written (the map has upper and lower case), and once more
      // lower-cased only when the word mixes cases.
      let upper = 0
      let lower = 0
      for (let ch = c; isWordPart(ch); ch = text.charCodeAt(++i)) {
        if (ch >= LOWER_A) lower++
        else if (ch >= UPPER_A && ch <= UPPER_Z) upper++
      }
      const image = text.slice(start, i)
      const keyword =
        image.length > LONGEST_KEYWORD
          ? undefined
          : upper > 0 && lower > 0
            ? KEYWORD_TYPES.get(image.toLowerCase())
            : KEYWORD_TYPES.get(image)
      const t = keyword ?? Identifier
      tokens.push({ image, startOffset: start, tokenTypeIdx: t.tokenTypeIdx!, tokenType: t })
      continue
    }
    if (isDigit(c) || (c === DOT && isDigit(text.charCodeAt(i + 1)))) {
      i = numberEnd(text, i)
      tokens.push(token(text, start, i, NumberLiteral))
      continue
    }
    switch (c) {
      case QUOTE:
      case DOUBLE_QUOTE: {
        const pattern = c === QUOTE ? STRING : QUOTED
        pattern.lastIndex = i
        if (!pattern.test(text)) return { tokens, errorOffset: i }
        i = pattern.lastIndex
        tokens.push(token(text, start, i, c === QUOTE ? StringLiteral : QuotedIdentifier))
        continue
      }
      case MINUS:
        if (text.charCodeAt(i + 1) === MINUS) {
          // A line comment runs to the end of the line (the line break is whitespace).
          i += 2
          while (i < length) {
            const ch = text.charCodeAt(i)
            if (ch === LINE_FEED || ch === CARRIAGE_RETURN) break
            i++
          }
          continue
        }
        type = Minus
        break
      case SLASH:
        if (text.charCodeAt(i + 1) === STAR) {
          const end = text.indexOf('*/', i + 2)
          if (end !== -1) {
            i = end + 2
            continue
          }
        }
        type = Slash
        break
      case L_PAREN:
        type = LParen
        break
      case R_PAREN:
        type = RParen
        break
      case COMMA:
        type = Comma
        break
      case DOT:
        type = Dot
        break
      case STAR:
        type = Star
        break
      case PLUS:
        type = Plus
        break
      case PERCENT:
        type = Percent
        break
      case SEMICOLON:
        type = Semicolon
        break
      case EQUALS:
        type = text.charCodeAt(i + 1) === EQUALS ? DoubleEquals : Equals
        break
      case BANG:
        if (text.charCodeAt(i + 1) !== EQUALS) return { tokens, errorOffset: i }
        type = NotEquals
        break
      case LESS: {
        const next = text.charCodeAt(i + 1)
        type = next === GREATER ? LessGreater : next === EQUALS ? LessEquals : Less
        break
      }
      case GREATER:
        type = text.charCodeAt(i + 1) === EQUALS ? GreaterEquals : Greater
        break
      default:
        if (!isSpace(c, text, i)) return { tokens, errorOffset: i }
        i++
        while (i < length && isSpace(text.charCodeAt(i), text, i)) i++
        continue
    }
    // Punctuation: one character, or two for ==, !=, <>, <=, >=.
    const image = PUNCTUATION_TEXT[type.tokenTypeIdx!]!
    i += image.length
    tokens.push({ image, startOffset: start, tokenTypeIdx: type.tokenTypeIdx!, tokenType: type })
  }
  return { tokens, errorOffset: undefined }
}
