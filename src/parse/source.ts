/**
 * Positions in a query string and the caret snippet every query error shows:
 *
 *   line 1, column 14:
 *     SELECT fare, FROM trips
 *                  ^
 */
import type { IToken } from 'chevrotain'

export interface Position {
  /** 0-based character offset. */
  readonly offset: number
  /** 1-based. */
  readonly line: number
  /** 1-based. */
  readonly column: number
}

/**
 * A token's start; the end of the text for chevrotain's EOF token (which has no position). The
 * lexer tracks offsets only (line and column tracking slows every token down); lines and columns
 * are counted here, on the error path.
 */
export function positionOf(token: IToken, text: string): Position {
  return positionAt(text, Number.isFinite(token.startOffset) ? token.startOffset : text.length)
}

/** Lines end at \n, \r\n or a lone \r, as in `caretSnippet`. */
export function positionAt(text: string, offset: number): Position {
  let line = 1
  let lineStart = 0
  const end = Math.min(offset, text.length)
  // Every SQL plan node records where it was written, so this runs several times on each parse:
  // without a \r, native indexOf jumps from line to line; else one pass over the char codes.
  if (!text.includes('\r')) {
    for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
      line++
      lineStart = i + 1
    }
    return { offset, line, column: offset - lineStart + 1 }
  }
  for (let i = 0; i < end; i++) {
    const ch = text.charCodeAt(i)
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++
      lineStart = i + 1
    }
  }
  return { offset, line, column: offset - lineStart + 1 }
}

/** `line L, column C:` then the line and a caret under the column (tabs kept so the caret lines up). */
export function caretSnippet(text: string, at: Position): string {
  const lines = text.split(/\r?\n|\r/)
  const line = lines[at.line - 1] ?? ''
  const pad = Array.from(line.slice(0, at.column - 1), (ch) => (ch === '\t' ? '\t' : ' ')).join('')
  return `  ${line}\n  ${pad}^`
}

export function describePosition(at: Position): string {
  return `line ${at.line}, column ${at.column}`
}
