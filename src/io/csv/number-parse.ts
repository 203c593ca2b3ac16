/**
 * Number, bool and temporal parsing straight from UTF-8 bytes, without making a JS string per cell.
 *
 * Floats are exactly rounded: the result always equals `Number(text)`. The Clinger fast path covers
 * almost every value in practice: a mantissa of at most 15 significant digits is an exact double,
 * and so is 10^k for |k| ≤ 22, so one IEEE multiply or divide rounds the true value once, correctly.
 * Anything else (long mantissas, big exponents) falls back to `Number()` on an ASCII string.
 *
 * Accepted grammars (after the caller trims spaces and tabs):
 * - integer: `[+-]?[0-9]+`
 * - float:   `[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?`, or `[+-]?(inf|infinity|nan)`
 *   in any case. Hex, `_` separators and thousands separators are not numbers.
 * - bool:    `true`/`false` in any case, `1`/`0`
 * - date32:  `YYYY-MM-DD` (a real calendar date), as days since 1970-01-01
 * - timestamp[ms]: `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM[:SS[.fraction]]`,
 *   optionally followed by `Z` or an offset `±HH:MM` / `±HHMM` / `±HH`. No offset means UTC.
 *   Fractions beyond milliseconds are truncated.
 */
import { MS_PER_DAY } from '../../types/dtype.js'

const PLUS = 43
const MINUS = 45
const DOT = 46
const ZERO = 48

/** 10^0 … 10^22, each an exact double. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`))

const TWO_32 = 4294967296
const INT32_MIN = -2147483648
const INT32_MAX = 2147483647
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/** Bytes [s, e) as a string, for the rare slow paths (bytes are ASCII there by construction). */
export function asciiString(buf: Uint8Array, s: number, e: number): string {
  let out = ''
  for (let i = s; i < e; i++) out += String.fromCharCode(buf[i]!)
  return out
}

/**
 * Reads an integer of at most 15 digits. Returns NaN when [s, e) is not integer syntax and
 * ±Infinity when it is an integer too long for exact double arithmetic (the caller then uses BigInt).
 */
export function parseSmallInteger(buf: Uint8Array, s: number, e: number): number {
  let i = s
  let negative = false
  const first = buf[i]
  if (first === MINUS || first === PLUS) {
    negative = first === MINUS
    i++
  }
  if (i >= e) return Number.NaN
  let value = 0
  let digits = 0
  for (; i < e; i++) {
    const d = buf[i]! - ZERO
    if (d < 0 || d > 9) return Number.NaN
    value = value * 10 + d
    // Leading zeros don't count toward the 15 exact digits.
    if (value !== 0) digits++
  }
  if (digits > 15) return negative ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY
  return negative ? -value : value
}

/** Writes an int32 into `out[index]`; false when the text is not an integer or does not fit. */
export function parseInt32Into(buf: Uint8Array, s: number, e: number, out: Int32Array, index: number): boolean {
  const v = parseSmallInteger(buf, s, e)
  if (!(v >= INT32_MIN && v <= INT32_MAX)) return false
  out[index] = v
  return true
}

/**
 * Writes an int64 into slot `index` of a BigInt64Array, given also as an Int32Array `words` view
 * over the same buffer: values within 15 digits go in as two 32-bit words (no BigInt allocated).
 * Assumes a little-endian host (checked once at module load).
 */
export function parseInt64Into(
  buf: Uint8Array,
  s: number,
  e: number,
  out: BigInt64Array,
  words: Int32Array,
  index: number,
): boolean {
  const v = parseSmallInteger(buf, s, e)
  if (Number.isNaN(v)) return false
  if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
    const big = BigInt(asciiString(buf, s, e))
    if (big < INT64_MIN || big > INT64_MAX) return false
    out[index] = big
    return true
  }
  writeInt64Words(words, index, v)
  return true
}

/** Stores a safe integer as the two little-endian words of an int64 slot. */
export function writeInt64Words(words: Int32Array, index: number, v: number): void {
  words[2 * index] = v >>> 0
  words[2 * index + 1] = Math.floor(v / TWO_32)
}

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  throw new Error('tsdask CSV parsing assumes a little-endian host')
}

/** Writes a float64 into `out[index]`; false when the text is not a number. Equal to `Number(text)`. */
export function parseFloat64Into(buf: Uint8Array, s: number, e: number, out: Float64Array, index: number): boolean {
  let i = s
  let negative = false
  const first = buf[i]
  if (first === MINUS || first === PLUS) {
    negative = first === MINUS
    i++
  }
  if (i >= e) return false
  const lead = buf[i]! | 0x20
  if (lead === 105 || lead === 110) {
    // 'i' or 'n': the spelled-out specials.
    if (matchWord(buf, i, e, 'nan')) out[index] = Number.NaN
    else if (matchWord(buf, i, e, 'inf') || matchWord(buf, i, e, 'infinity'))
      out[index] = negative ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY
    else return false
    return true
  }
  let mantissa = 0
  let significant = 0
  let exponent = 0
  let sawDigit = false
  let d = 0
  for (; i < e; i++) {
    d = buf[i]! - ZERO
    if (d < 0 || d > 9) break
    sawDigit = true
    if (mantissa !== 0 || d !== 0) {
      mantissa = mantissa * 10 + d
      significant++
    }
  }
  if (i < e && buf[i] === DOT) {
    for (i++; i < e; i++) {
      d = buf[i]! - ZERO
      if (d < 0 || d > 9) break
      sawDigit = true
      if (mantissa !== 0 || d !== 0) {
        mantissa = mantissa * 10 + d
        significant++
      }
      exponent--
    }
  }
  if (!sawDigit) return false
  if (i < e) {
    if ((buf[i]! | 0x20) !== 101) return false
    i++
    let expNegative = false
    const sign = buf[i]
    if (sign === MINUS || sign === PLUS) {
      expNegative = sign === MINUS
      i++
    }
    if (i >= e) return false
    let exp = 0
    for (; i < e; i++) {
      d = buf[i]! - ZERO
      if (d < 0 || d > 9) return false
      // Saturate: anything this large is 0 or Infinity, and the slow path decides which.
      if (exp < 100000) exp = exp * 10 + d
    }
    exponent += expNegative ? -exp : exp
  }
  if (mantissa === 0) out[index] = negative ? -0 : 0
  else if (significant <= 15 && exponent >= -22 && exponent <= 22) {
    const value = exponent === 0 ? mantissa : exponent > 0 ? mantissa * POW10[exponent]! : mantissa / POW10[-exponent]!
    out[index] = negative ? -value : value
  } else out[index] = Number(asciiString(buf, s, e))
  return true
}

function matchWord(buf: Uint8Array, s: number, e: number, word: string): boolean {
  if (e - s !== word.length) return false
  for (let k = 0; k < word.length; k++) if ((buf[s + k]! | 0x20) !== word.charCodeAt(k)) return false
  return true
}

/** 1 for true, 0 for false, -1 when not a bool. */
export function parseBool(buf: Uint8Array, s: number, e: number): number {
  const n = e - s
  if (n === 1) {
    const c = buf[s]
    return c === 49 ? 1 : c === ZERO ? 0 : -1
  }
  if (n === 4 && matchWord(buf, s, e, 'true')) return 1
  if (n === 5 && matchWord(buf, s, e, 'false')) return 0
  return -1
}

/** Like parseBool but only `true`/`false`: what inference calls a bool column. */
export function isBoolWord(buf: Uint8Array, s: number, e: number): boolean {
  return matchWord(buf, s, e, 'true') || matchWord(buf, s, e, 'false')
}

function digitsAt(buf: Uint8Array, i: number, n: number): number {
  let v = 0
  for (let k = 0; k < n; k++) {
    const d = buf[i + k]! - ZERO
    if (d < 0 || d > 9) return -1
    v = v * 10 + d
  }
  return v
}

/** Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const mp = (month + 9) % 12
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/** Days since the epoch of `YYYY-MM-DD` at [s, s+10), or NaN. Does not check what follows. */
function parseDatePrefix(buf: Uint8Array, s: number, e: number): number {
  if (e - s < 10 || buf[s + 4] !== MINUS || buf[s + 7] !== MINUS) return Number.NaN
  const year = digitsAt(buf, s, 4)
  const month = digitsAt(buf, s + 5, 2)
  const day = digitsAt(buf, s + 8, 2)
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN
  return daysFromCivil(year, month, day)
}

/** Days since the epoch of exactly `YYYY-MM-DD`, or NaN. */
export function parseDateDays(buf: Uint8Array, s: number, e: number): number {
  return e - s === 10 ? parseDatePrefix(buf, s, e) : Number.NaN
}

/** Milliseconds since the epoch (UTC) of an ISO 8601 timestamp (see the header), or NaN. */
export function parseTimestampMs(buf: Uint8Array, s: number, e: number): number {
  const days = parseDatePrefix(buf, s, e)
  if (Number.isNaN(days)) return Number.NaN
  let i = s + 10
  if (i === e) return days * MS_PER_DAY
  const sep = buf[i]
  if ((sep !== 84 && sep !== 116 && sep !== 32) || e - i < 6 || buf[i + 3] !== 58) return Number.NaN
  const hour = digitsAt(buf, i + 1, 2)
  const minute = digitsAt(buf, i + 4, 2)
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return Number.NaN
  i += 6
  let second = 0
  let millis = 0
  if (i < e && buf[i] === 58) {
    if (e - i < 3) return Number.NaN
    second = digitsAt(buf, i + 1, 2)
    if (second < 0 || second > 59) return Number.NaN
    i += 3
    if (i < e && buf[i] === DOT) {
      i++
      const fracStart = i
      let scale = 100
      for (; i < e; i++) {
        const d = buf[i]! - ZERO
        if (d < 0 || d > 9) break
        millis += d * scale
        // Digits past milliseconds are checked but truncated.
        scale = scale >= 10 ? scale / 10 : 0
      }
      if (i === fracStart) return Number.NaN
    }
  }
  let offsetMinutes = 0
  if (i < e) {
    const z = buf[i]
    if ((z === 90 || z === 122) && i + 1 === e) i++
    else if (z === PLUS || z === MINUS) {
      const n = e - i - 1
      const oh = digitsAt(buf, i + 1, 2)
      let om = 0
      if (n === 5 && buf[i + 3] === 58) om = digitsAt(buf, i + 4, 2)
      else if (n === 4) om = digitsAt(buf, i + 3, 2)
      else if (n !== 2) return Number.NaN
      if (oh < 0 || oh > 23 || om < 0 || om > 59) return Number.NaN
      offsetMinutes = (z === MINUS ? -1 : 1) * (oh * 60 + om)
      i = e
    } else return Number.NaN
  }
  return days * MS_PER_DAY + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis
}
