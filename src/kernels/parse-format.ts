/**
 * Text ↔ value conversions used by casts (DuckDB's rules): integers and floats trimmed, with an
 * optional sign; a decimal string cast to an integer rounds half away from zero; booleans accept
 * true/false/t/f/1/0 in any case; dates are YYYY-MM-DD, read as leniently as DuckDB reads them
 * (parseDate32); timestamps are ISO 8601, UTC unless a zone is given. Parsers return `undefined`
 * on bad input so callers can name the value in their error.
 */
import { MS_PER_DAY } from '../types/dtype.js'

/**
 * Rounds half away from zero, exactly (`x - trunc(x)` is exact in doubles). A negative value that
 * rounds to zero gives -0, as C's round and DuckDB's (round(-0.4) is -0.0; fuzz seed 6008 path 300).
 */
export function roundHalfAway(x: number): number {
  const t = Math.trunc(x)
  const f = x - t
  if (f >= 0.5) return t + 1
  if (f <= -0.5) return t - 1
  return t
}

/**
 * Rounds half to even, exactly, as DuckDB casts a DOUBLE to an integer (C's nearbyint):
 * 2.5 → 2, 3.5 → 4, -4.5 → -4. (Text cast to an integer rounds half away from zero instead.)
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x)
  // Math.round takes halves up; a half whose upward neighbour is odd goes down instead.
  const down = r - x === 0.5 && r % 2 !== 0 ? r - 1 : r
  return down === 0 ? 0 : down
}

const INT_RE = /^[+-]?\d+$/
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

export function parseInteger(text: string): bigint | undefined {
  const s = text.trim()
  if (INT_RE.test(s)) return BigInt(s)
  if (FLOAT_RE.test(s)) {
    const x = Number(s)
    if (Number.isFinite(x)) return BigInt(roundHalfAway(x))
  }
  return undefined
}

/** A NaN with its sign bit set, as `-nan` reads in DuckDB (JavaScript keeps NaN bits through typed arrays). */
const NEGATIVE_NAN = new Float64Array(new BigUint64Array([0xfff8000000000000n]).buffer)[0]!
const signProbe = new DataView(new ArrayBuffer(8))

/** Whether a NaN's sign bit is set: DuckDB prints such a NaN (-x of a NaN x) as `-nan`. */
function negativeNaN(x: number): boolean {
  signProbe.setFloat64(0, x)
  return (signProbe.getUint8(0) & 0x80) !== 0
}

export function parseFloat64(text: string): number | undefined {
  const s = text.trim()
  if (FLOAT_RE.test(s)) return Number(s)
  const l = s.toLowerCase()
  if (l === 'nan' || l === '+nan') return Number.NaN
  if (l === '-nan') return NEGATIVE_NAN
  if (l === 'inf' || l === 'infinity' || l === '+inf' || l === '+infinity') return Number.POSITIVE_INFINITY
  if (l === '-inf' || l === '-infinity') return Number.NEGATIVE_INFINITY
  return undefined
}

export function parseBoolean(text: string): boolean | undefined {
  const l = text.trim().toLowerCase()
  if (l === 'true' || l === 't' || l === '1') return true
  if (l === 'false' || l === 'f' || l === '0') return false
  return undefined
}

const TS_RE =
  /^(-?\d{4,})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i

function utcMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined
  const date = new Date(0)
  date.setUTCFullYear(y, mo - 1, d)
  date.setUTCHours(h, mi, s, ms)
  // Date rolls 2023-02-30 over to March; a real date survives the round trip (and a year past
  // JavaScript's range gives NaN).
  if (date.getUTCDate() !== d || date.getUTCMonth() !== mo - 1) return undefined
  return date.getTime()
}

/**
 * DuckDB's CAST(text AS DATE): after leading spaces, a year of any digits (a '-' before it for
 * years before 1), then month and day of one or two digits, separated by one of '-', '/', ' ' or
 * '\\' used twice; an optional ' (BC)'; then anything that does not start with a digit, which is
 * ignored: '2024-01-28 20:18:34.22' is 2024-01-28 (a timestamp's text casts to its date; fuzz seed
 * 8003 path 177), '2024-01-281' is no date.
 */
const CAST_DATE_RE = /^\s*(-?)(\d+)([-/ \\])(\d{1,2})\3(\d{1,2})(?!\d)(\s\(bc\))?(?!\d)/i

export function parseDate32(text: string): number | undefined {
  const m = CAST_DATE_RE.exec(text)
  if (!m) return undefined
  const digits = Number(m[2])
  if (m[6] !== undefined && (m[1] === '-' || digits === 0)) return undefined
  const year = m[6] !== undefined ? 1 - digits : m[1] === '-' ? -digits : digits
  const ms = utcMs(year, Number(m[4]), Number(m[5]))
  return ms === undefined ? undefined : Math.floor(ms / MS_PER_DAY)
}

export function parseTimestampMs(text: string): bigint | undefined {
  const m = TS_RE.exec(text.trim())
  if (!m) return undefined
  const frac = (m[7] ?? '').padEnd(3, '0').slice(0, 3)
  const ms = utcMs(
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
    Number(frac),
  )
  if (ms === undefined) return undefined
  let offsetMin = 0
  const zone = m[8]
  if (zone && zone.toUpperCase() !== 'Z' && zone.toUpperCase() !== 'UTC') {
    const digits = zone.slice(1).replace(':', '')
    offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)
    if (zone[0] === '-') offsetMin = -offsetMin
  }
  return BigInt(ms - offsetMin * 60_000)
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0')

export function formatDate32(days: number): string {
  const d = new Date(days * MS_PER_DAY)
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`
}

export function formatTimestampMs(ms: bigint): string {
  const d = new Date(Number(ms))
  const base =
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`
  const milli = d.getUTCMilliseconds()
  // DuckDB prints the fraction without trailing zeros: .5, .12, .001.
  return milli === 0 ? base : `${base}.${pad(milli, 3).replace(/0+$/, '')}`
}

/**
 * A double as DuckDB prints it: the shortest digits that read back as the same double, in fixed
 * notation with a fraction (`1.0`, `0.0001`, `1000000000000000.0`) for decimal exponents -4 to 15,
 * else in exponent notation with at least two exponent digits (`1e-05`, `1.5e+16`); `nan` (`-nan`
 * with the sign bit set: fuzz seed 8000 path 274) / `inf` / `-inf`.
 */
export function formatFloat64(x: number): string {
  if (Number.isNaN(x)) return negativeNaN(x) ? '-nan' : 'nan'
  if (x === Number.POSITIVE_INFINITY) return 'inf'
  if (x === Number.NEGATIVE_INFINITY) return '-inf'
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0'
  // toExponential() without digits gives the shortest round-trip mantissa.
  const [mantissa, exponentText] = x.toExponential().split('e') as [string, string]
  const exponent = Number(exponentText)
  if (exponent < -4 || exponent >= 16) {
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`
  }
  // In this range String() is fixed notation with the same shortest digits.
  return Number.isInteger(x) ? `${x}.0` : String(x)
}
