/**
 * Casts, following DuckDB: float → int rounds half to even (2.5 → 2, 3.5 → 4), while text → int
 * rounds half away from zero ('2.5' → 3), as DuckDB 1.5 does; an out-of-range or unparsable
 * value is an error naming it (never a silent null or wrap); anything → utf8 formats; bool ↔
 * numbers as 0/1; date32 ↔ timestamp[ms] by whole days. Null slots are never checked, since they
 * hold arbitrary values. On a dictionary column each entry is cast once and mapped through the
 * codes; an entry that fails to cast is an error only if some non-null row uses it.
 */
import type { DType } from '../types/dtype.js'
import { MS_PER_DAY } from '../types/dtype.js'
import { TsdaskError } from '../util/errors.js'
import { type Col, dtypeOfCol, type Utf8Col } from './column.js'
import {
  formatDate32,
  formatFloat64,
  formatTimestampMs,
  parseBoolean,
  parseDate32,
  parseFloat64,
  parseInteger,
  parseTimestampMs,
  roundHalfEven,
} from './parse-format.js'
import { utf8FromStrings, utf8String } from './utf8.js'

const MS_PER_DAY_BIG = BigInt(MS_PER_DAY)

const I32 = { min: -2147483648, max: 2147483647 }
const TWO_63 = 2 ** 63
const I64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n }

function outOfRange(value: unknown, to: DType): TsdaskError {
  const wider = to === 'int32' ? 'int64 or float64' : 'float64'
  return new TsdaskError(
    'OVERFLOW',
    `cannot cast ${String(value)} to ${to}: the value is out of range. Cast to ${wider} instead, or filter the value out first.`,
    { value: String(value), to },
  )
}

function unparsable(text: string, to: DType): TsdaskError {
  const hint: Partial<Record<DType, string>> = {
    date32: ' (expected YYYY-MM-DD)',
    'timestamp[ms]': ' (expected ISO 8601, e.g. 2024-01-31 12:00:00 or 2024-01-31T12:00:00Z)',
    bool: ' (expected true/false/t/f/1/0)',
  }
  return new TsdaskError(
    'TYPE_MISMATCH',
    `cannot cast ${JSON.stringify(text)} to ${to}${hint[to] ?? ''}. Clean or filter the value before casting.`,
    { value: text, to },
  )
}

function unsupported(from: DType, to: DType): TsdaskError {
  return new TsdaskError(
    'TYPE_MISMATCH',
    `cannot cast ${from} to ${to}: no such conversion. Cast through utf8 or another type.`,
  )
}

export function castCol(col: Col, to: DType): Col {
  const from = dtypeOfCol(col)
  if (from === to) return col
  if (col.kind === 'dict') return castDictionary(col.codes, col.dict, col.valid, to, col.length)
  if (col.kind === 'utf8') return fromText(col, to, null).col
  if (to === 'utf8') return toText(col)
  const n = col.length
  const valid = col.valid
  const live = (i: number): boolean => valid === null || valid[i] === 1
  const fail = (i: number, e: (v: unknown) => TsdaskError, v: unknown): void => {
    if (live(i)) throw e(v)
  }
  const asNumber = (i: number): number =>
    col.kind === 'int64' || col.kind === 'timestamp[ms]' ? Number(col.values[i]!) : Number(col.values[i]!)
  switch (to) {
    case 'bool': {
      if (col.kind !== 'int32' && col.kind !== 'int64' && col.kind !== 'float64') throw unsupported(from, to)
      const out = new Uint8Array(n)
      for (let i = 0; i < n; i++) out[i] = col.values[i] ? 1 : 0
      return { kind: 'bool', length: n, values: out, valid }
    }
    case 'int32': {
      if (col.kind !== 'bool' && col.kind !== 'int64' && col.kind !== 'float64') throw unsupported(from, to)
      const out = new Int32Array(n)
      for (let i = 0; i < n; i++) {
        const raw = col.kind === 'float64' ? col.values[i]! : asNumber(i)
        const v = col.kind === 'float64' ? roundHalfEven(raw) : raw
        if (!(v >= I32.min && v <= I32.max)) fail(i, (x) => outOfRange(x, to), col.values[i])
        else out[i] = v
      }
      return { kind: 'int32', length: n, values: out, valid }
    }
    case 'int64': {
      if (col.kind !== 'bool' && col.kind !== 'int32' && col.kind !== 'float64') throw unsupported(from, to)
      const out = new BigInt64Array(n)
      for (let i = 0; i < n; i++) {
        if (col.kind !== 'float64') out[i] = BigInt(col.values[i]!)
        else {
          const v = roundHalfEven(col.values[i]!)
          // 2^63 is exact in a double; every double below it converts exactly.
          if (!(v >= -TWO_63 && v < TWO_63)) fail(i, (x) => outOfRange(x, to), col.values[i])
          else out[i] = BigInt(v)
        }
      }
      return { kind: 'int64', length: n, values: out, valid }
    }
    case 'float64': {
      if (col.kind !== 'bool' && col.kind !== 'int32' && col.kind !== 'int64') throw unsupported(from, to)
      const out = new Float64Array(n)
      for (let i = 0; i < n; i++) out[i] = Number(col.values[i]!)
      return { kind: 'float64', length: n, values: out, valid }
    }
    case 'date32': {
      if (col.kind !== 'timestamp[ms]') throw unsupported(from, to)
      const out = new Int32Array(n)
      for (let i = 0; i < n; i++) out[i] = Math.floor(Number(col.values[i]!) / MS_PER_DAY)
      return { kind: 'date32', length: n, values: out, valid }
    }
    case 'timestamp[ms]': {
      if (col.kind !== 'date32') throw unsupported(from, to)
      const out = new BigInt64Array(n)
      for (let i = 0; i < n; i++) out[i] = BigInt(col.values[i]!) * MS_PER_DAY_BIG
      return { kind: 'timestamp[ms]', length: n, values: out, valid }
    }
  }
  throw unsupported(from, to)
}

function toText(col: Exclude<Col, Utf8Col | { kind: 'dict' }>): Utf8Col {
  const n = col.length
  const strings = new Array<string | null>(n)
  for (let i = 0; i < n; i++) {
    if (col.valid && !col.valid[i]) {
      strings[i] = null
      continue
    }
    switch (col.kind) {
      case 'bool':
        strings[i] = col.values[i] ? 'true' : 'false'
        break
      case 'int32':
      case 'int64':
        strings[i] = String(col.values[i]!)
        break
      case 'float64':
        strings[i] = formatFloat64(col.values[i]!)
        break
      case 'date32':
        strings[i] = formatDate32(col.values[i]!)
        break
      case 'timestamp[ms]':
        strings[i] = formatTimestampMs(col.values[i]!)
        break
    }
  }
  return utf8FromStrings(strings)
}

/**
 * Parses text into `to`. With `failures` given, bad values are recorded (entry → error) instead
 * of thrown: used for dictionaries, whose unused entries must not fail the cast.
 */
function fromText(col: Utf8Col, to: DType, failures: Map<number, TsdaskError> | null): { col: Col } {
  const n = col.length
  const valid = col.valid
  const reject = (i: number, e: TsdaskError): void => {
    if (failures) failures.set(i, e)
    else throw e
  }
  const textAt = (i: number): string => utf8String(col, i)
  const live = (i: number): boolean => valid === null || valid[i] === 1
  switch (to) {
    case 'bool': {
      const out = new Uint8Array(n)
      for (let i = 0; i < n; i++) {
        if (!live(i)) continue
        const v = parseBoolean(textAt(i))
        if (v === undefined) reject(i, unparsable(textAt(i), to))
        else out[i] = v ? 1 : 0
      }
      return { col: { kind: 'bool', length: n, values: out, valid } }
    }
    case 'int32':
    case 'date32': {
      const out = new Int32Array(n)
      for (let i = 0; i < n; i++) {
        if (!live(i)) continue
        const t = textAt(i)
        const v = to === 'date32' ? parseDate32(t) : parseInteger(t)
        if (v === undefined) reject(i, unparsable(t, to))
        else if (typeof v === 'bigint' && (v < BigInt(I32.min) || v > BigInt(I32.max)))
          reject(i, outOfRange(t.trim(), to))
        else out[i] = Number(v)
      }
      return { col: { kind: to, length: n, values: out, valid } }
    }
    case 'int64':
    case 'timestamp[ms]': {
      const out = new BigInt64Array(n)
      for (let i = 0; i < n; i++) {
        if (!live(i)) continue
        const t = textAt(i)
        const v = to === 'int64' ? parseInteger(t) : parseTimestampMs(t)
        if (v === undefined) reject(i, unparsable(t, to))
        else if (v < I64.min || v > I64.max) reject(i, outOfRange(t.trim(), to))
        else out[i] = v
      }
      return { col: { kind: to, length: n, values: out, valid } }
    }
    case 'float64': {
      const out = new Float64Array(n)
      for (let i = 0; i < n; i++) {
        if (!live(i)) continue
        const v = parseFloat64(textAt(i))
        if (v === undefined) reject(i, unparsable(textAt(i), to))
        else out[i] = v
      }
      return { col: { kind: 'float64', length: n, values: out, valid } }
    }
    case 'utf8':
      return { col }
  }
}

function castDictionary(codes: Int32Array, dict: Utf8Col, valid: Uint8Array | null, to: DType, n: number): Col {
  const failures = new Map<number, TsdaskError>()
  const per = fromText(dict, to, failures).col
  if (failures.size > 0) {
    for (let i = 0; i < n; i++) {
      if (valid && !valid[i]) continue
      const e = failures.get(codes[i]!)
      if (e) throw e
    }
  }
  switch (per.kind) {
    case 'bool': {
      const out = new Uint8Array(n)
      for (let i = 0; i < n; i++) out[i] = per.values[codes[i]!] ?? 0
      return { kind: 'bool', length: n, values: out, valid }
    }
    case 'int32':
    case 'date32': {
      const out = new Int32Array(n)
      for (let i = 0; i < n; i++) out[i] = per.values[codes[i]!] ?? 0
      return { kind: per.kind, length: n, values: out, valid }
    }
    case 'int64':
    case 'timestamp[ms]': {
      const out = new BigInt64Array(n)
      for (let i = 0; i < n; i++) out[i] = per.values[codes[i]!] ?? 0n
      return { kind: per.kind, length: n, values: out, valid }
    }
    case 'float64': {
      const out = new Float64Array(n)
      for (let i = 0; i < n; i++) out[i] = per.values[codes[i]!] ?? 0
      return { kind: 'float64', length: n, values: out, valid }
    }
    default:
      throw new TsdaskError('INTERNAL', `dictionary cast to ${to} produced ${per.kind}`)
  }
}
