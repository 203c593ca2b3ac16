/**
 * CSV reading options, their defaults, and their compiled byte-level form.
 *
 * Null values default to `['', 'NA', 'N/A', 'null', 'NULL']`, a subset of the pandas defaults
 * that DuckDB users also expect (DuckDB's default is only ''). `NaN` is deliberately not a null:
 * in a float column it reads as the float NaN, as `Number('NaN')` does. A field is null when its
 * content equals a null value whether or not it was quoted (DuckDB's `allow_quoted_nulls`), so
 * pandas' `QUOTE_ALL` output (`""` for missing) reads back as nulls. Pass `nullValues: []` to read
 * every field as a value (then an empty field in a utf8 column is the empty string).
 */
import type { DType } from '../../types/dtype.js'
import { TsdaskError } from '../../util/errors.js'

export const DEFAULT_NULL_VALUES: readonly string[] = ['', 'NA', 'N/A', 'null', 'NULL']
export const DEFAULT_SAMPLE_BYTES = 256 * 1024

export interface CsvOptions {
  /** One ASCII character; default ','. */
  readonly delimiter?: string
  /** One ASCII character, or '' to turn quoting off; default '"'. */
  readonly quote?: string
  /** Whether the first record holds column names; default true. */
  readonly header?: boolean
  /** Field contents read as null; default DEFAULT_NULL_VALUES. */
  readonly nullValues?: readonly string[]
  /** Dtypes for named columns, overriding inference. */
  readonly schema?: Partial<Record<string, DType>>
  /** How many bytes of the first file inference reads; default 256 KiB. */
  readonly sampleBytes?: number
}

/** The dialect as bytes, shared by inference and chunk reading. */
export interface Dialect {
  readonly delimiter: number
  /** -1 when quoting is off. */
  readonly quote: number
}

export function compileDialect(delimiter = ',', quote = '"'): Dialect {
  const d = asciiByte(delimiter, 'delimiter')
  const q = quote === '' ? -1 : asciiByte(quote, 'quote')
  if (d === q) throw optionError(`delimiter and quote are both ${JSON.stringify(delimiter)}; they must differ.`)
  return { delimiter: d, quote: q }
}

function asciiByte(value: string, name: string): number {
  const c = value.charCodeAt(0)
  if (value.length !== 1 || c > 127 || c === 10 || c === 13) {
    throw optionError(
      `${name} must be a single ASCII character other than a line break, got ${JSON.stringify(value)}.` +
        (name === 'delimiter' ? " For tab-separated files pass delimiter: '\\t'." : ''),
    )
  }
  return c
}

function optionError(message: string): TsdaskError {
  return new TsdaskError('INVALID_ARGUMENT', `readCsv: ${message}`)
}

/**
 * Tests field contents against the null values without making strings: values are grouped by
 * byte length, so most fields are rejected by one length lookup.
 */
export class NullMatcher {
  private readonly byLength: (Uint8Array[] | undefined)[] = []
  private readonly maxLength: number
  /** 1 for bytes that begin some non-empty null value. */
  private readonly firstBytes = new Uint8Array(256)
  private readonly emptyIsNull: boolean

  constructor(nullValues: readonly string[]) {
    const encoder = new TextEncoder()
    let max = -1
    for (const v of nullValues) {
      const bytes = encoder.encode(v)
      const sameLength = this.byLength[bytes.length] ?? []
      sameLength.push(bytes)
      this.byLength[bytes.length] = sameLength
      if (bytes.length > max) max = bytes.length
    }
    this.maxLength = max
    this.emptyIsNull = this.byLength[0] !== undefined
    for (const group of this.byLength)
      for (const bytes of group ?? []) if (bytes.length > 0) this.firstBytes[bytes[0]!] = 1
  }

  matches(buf: Uint8Array, s: number, e: number): boolean {
    const n = e - s
    if (n === 0) return this.emptyIsNull
    if (n > this.maxLength || this.firstBytes[buf[s]!] === 0) return false
    const candidates = this.byLength[n]
    if (candidates === undefined) return false
    for (const c of candidates) {
      let k = 0
      while (k < n && buf[s + k] === c[k]) k++
      if (k === n) return true
    }
    return false
  }
}
