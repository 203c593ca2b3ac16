/**
 * SQL LIKE over UTF-8 bytes: `%` matches any run of characters (also none), `_` exactly one
 * character (one code point, whatever its byte length), everything else itself, case-sensitively.
 * There is no escape character (DuckDB's LIKE without an ESCAPE clause): a backslash is literal,
 * so `%` and `_` cannot be matched literally; use contains / startsWith for such text.
 *
 * The matcher is the classic wildcard walk with one backtrack point (the last `%`): linear for
 * typical patterns, O(text · pattern) at worst, no regex and no decoding.
 */
import { encoder } from '../utf8.js'

const PERCENT = 0x25
const UNDERSCORE = 0x5f

/** Bytes in the UTF-8 sequence that starts with `lead`. */
function sequenceLength(lead: number): number {
  return lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4
}

export type ByteMatcher = (bytes: Uint8Array, start: number, end: number) => boolean

export function likeMatcher(pattern: string): ByteMatcher {
  const p = encoder.encode(pattern)
  const m = p.length
  return (b, s, e) => {
    let i = s
    let j = 0
    let starJ = -1
    let starI = s
    while (i < e) {
      const c = j < m ? p[j]! : -1
      if (c === PERCENT) {
        starJ = j++
        starI = i
      } else if (c === UNDERSCORE) {
        i += sequenceLength(b[i]!)
        j++
      } else if (c === b[i]) {
        i++
        j++
      } else if (starJ >= 0) {
        // Let the last % swallow one more character and retry from there.
        starI += sequenceLength(b[starI]!)
        i = starI
        j = starJ + 1
      } else return false
    }
    if (i > e) return false
    while (j < m && p[j] === PERCENT) j++
    return j === m
  }
}
