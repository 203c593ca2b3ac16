/**
 * Literal values from query text, typed as DuckDB types them: an integer is int32 when it fits,
 * else int64, else float64; a number with a point or an exponent is float64 (DuckDB would say
 * DECIMAL; tsdask has no decimal type). `CAST(<literal> AS type)` of an unparenthesized literal
 * folds into a typed literal, so `CAST(5 AS int64)` is the literal the printer writes for
 * `lit(5n)`; a parenthesized operand, `CAST((5) AS int64)`, stays a Cast node.
 */
import type { LiteralNode } from '../expr/expr-node.js'
import type { DType } from '../types/dtype.js'

const INT32_MIN = -2147483648n
const INT32_MAX = 2147483647n
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/** `/^\d+$/`, without a regex run on every number of a query. */
function allDigits(text: string): boolean {
  if (text.length === 0) return false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

export function numberLiteral(text: string, negative: boolean): LiteralNode {
  // Up to 9 digits always fits int32: no BigInt on the common path.
  const digits = allDigits(text)
  if (digits && text.length <= 9) {
    const n = Number(text)
    return { kind: 'Literal', value: negative && n !== 0 ? -n : n, dtype: 'int32' } // -0 is the integer 0
  }
  if (digits) {
    const big = negative ? -BigInt(text) : BigInt(text)
    if (big >= INT32_MIN && big <= INT32_MAX) return { kind: 'Literal', value: Number(big), dtype: 'int32' }
    if (big >= INT64_MIN && big <= INT64_MAX) return { kind: 'Literal', value: big, dtype: 'int64' }
  }
  const n = Number(text)
  return { kind: 'Literal', value: negative ? -n : n, dtype: 'float64' }
}

export function stringValue(image: string): string {
  return image.slice(1, -1).replaceAll("''", "'")
}

export function quotedName(image: string): string {
  return image.slice(1, -1).replaceAll('""', '"')
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?Z?$/

/** The UTC instant a DATE / TIMESTAMP literal names, or null when the text is not a valid one. */
export function temporalValue(text: string, dtype: 'date32' | 'timestamp[ms]'): Date | null {
  const m = (dtype === 'date32' ? DATE : TIMESTAMP).exec(text.trim())
  if (!m) return null
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = m.slice(1, 7).map((p) => (p === undefined ? 0 : Number(p)))
  const msText = m[7]
  const millis = msText === undefined ? 0 : Number(msText.padEnd(3, '0'))
  // setUTCFullYear, not Date.UTC, which maps years 0..99 to 1900..1999.
  const date = new Date(0)
  date.setUTCFullYear(y, mo - 1, d)
  date.setUTCHours(h, mi, s, millis)
  // A literal must name a real day and time: 2024-02-30 would roll over to March.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null
  if (h > 23 || mi > 59 || s > 59) return null
  return date
}

const FLOAT_WORDS: Record<string, number> = {
  nan: Number.NaN,
  infinity: Infinity,
  '-infinity': -Infinity,
  inf: Infinity,
}

/** The typed literal `CAST(lit AS dtype)` folds to, or null when the cast must stay a Cast node. */
export function foldCast(lit: LiteralNode, dtype: DType): LiteralNode | null {
  const v = lit.value
  if (v === null) return { kind: 'Literal', value: null, dtype }
  const integer = lit.dtype === 'int32' || lit.dtype === 'int64'
  switch (dtype) {
    case 'int32':
      return integer && BigInt(v as number | bigint) >= INT32_MIN && BigInt(v as number | bigint) <= INT32_MAX
        ? { kind: 'Literal', value: Number(v), dtype }
        : null
    case 'int64':
      return integer ? { kind: 'Literal', value: BigInt(v as number | bigint), dtype } : null
    case 'float64': {
      if (integer || lit.dtype === 'float64') return { kind: 'Literal', value: Number(v), dtype }
      const word = typeof v === 'string' ? FLOAT_WORDS[v.toLowerCase()] : undefined
      return word === undefined ? null : { kind: 'Literal', value: word, dtype }
    }
    default:
      return lit.dtype === dtype ? lit : null
  }
}
