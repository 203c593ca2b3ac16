/**
 * CSV reading options, their defaults, and their compiled byte-level form.
 *
 * Nulls follow DuckDB's default: only an empty unquoted field is null (`a,,b`). Every other field
 * is a value, so a country code `NA` or the word `null` survives. `nullValues: ['', 'NA']` opts in
 * to more null spellings (an empty list reads every field as a value; an empty field in a utf8
 * column is then the empty string, and in any other column an error). `NaN` is never a null
 * spelling by default: in a float column it reads as the float NaN, as `Number('NaN')` does.
 *
 * A quoted field is never null (`""` is the empty string, `"NA"` the text NA), so quoting is how a
 * file tells an empty string or a literal `NA` from a missing value, as PostgreSQL's COPY reads it.
 * Files that quote every field, missing ones as `""` (pandas' QUOTE_ALL), read right with
 * `allowQuotedNulls: true` (DuckDB's `allow_quoted_nulls`, which DuckDB turns on by default):
 * quoted fields are then matched against `nullValues` too.
 */
import type { DType } from '../../types/dtype.js'
import { TsdaskError } from '../../util/errors.js'

export const DEFAULT_NULL_VALUES: readonly string[] = ['']
export const DEFAULT_SAMPLE_BYTES = 256 * 1024

export interface CsvOptions {
  /** One ASCII character; default ','. */
  readonly delimiter?: string
  /** One ASCII character, or '' to turn quoting off; default '"'. */
  readonly quote?: string
  /** Whether the first record holds column names; default true. */
  readonly header?: boolean
  /** Field contents read as null; default DEFAULT_NULL_VALUES (only the empty field). */
  readonly nullValues?: readonly string[]
  /** Whether a quoted field matching `nullValues` is null too; default false (quoted fields are values). */
  readonly allowQuotedNulls?: boolean
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
 * Tests fields against the null values without making strings: values are grouped by byte length,
 * so most fields are rejected by one length lookup.
 *
 * Whether a field was quoted is read from the byte before its content: field bounds exclude the
 * quotes, so a quoted field's content follows its opening quote, while an unquoted field starts
 * after a delimiter, a line break, or at the start of the buffer (a quote there would have made
 * it quoted; the scanner rejects a quote inside an unquoted field). Unescaping `""` in place keeps
 * the content's start, so the rule holds after it too.
 */
export class NullMatcher {
  private readonly byLength: (Uint8Array[] | undefined)[] = []
  private readonly maxLength: number
  /** 1 for bytes that begin some non-empty null value. */
  private readonly firstBytes = new Uint8Array(256)
  /** Whether an empty field (unquoted) is null. */
  readonly emptyIsNull: boolean

  constructor(
    nullValues: readonly string[],
    /** The dialect's quote byte, -1 when quoting is off. */
    private readonly quote: number,
    private readonly allowQuotedNulls: boolean,
  ) {
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

  /** Whether the field with content `buf[s, e)` is null; its quoting is read from `buf[s - 1]`. */
  matches(buf: Uint8Array, s: number, e: number): boolean {
    return this.matchesContent(buf, s, e) && (this.allowQuotedNulls || s === 0 || buf[s - 1] !== this.quote)
  }

  /** `matches` for content that no longer sits after its opening quote (unescaped into a scratch buffer). */
  matchesField(bytes: Uint8Array, s: number, e: number, quoted: boolean): boolean {
    return this.matchesContent(bytes, s, e) && (this.allowQuotedNulls || !quoted)
  }

  /** Whether `buf[s, e)` is one of the null values, quoted or not. */
  matchesContent(buf: Uint8Array, s: number, e: number): boolean {
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
