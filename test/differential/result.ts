/**
 * A query result in one normal form for both engines: each column's dtype family and each cell as
 * a comparable value — integers of any width as bigint (so int64 compares exactly), floats as
 * numbers, dates and timestamps as epoch milliseconds, strings, booleans, null.
 */
import type { DType } from '../../src/index.js'

/** The type of a result column; `other` is any DuckDB type tsdask has no dtype for. */
export type ResultType = DType | 'other'

export type Value = null | boolean | bigint | number | string

export interface Result {
  readonly names: readonly string[]
  readonly types: readonly ResultType[]
  readonly rows: readonly (readonly Value[])[]
}

/** What an engine answered: rows, or an error. */
export type Outcome =
  | { readonly ok: true; readonly result: Result }
  | {
      readonly ok: false
      readonly message: string
      /** tsdask's error was internal (a bug whatever DuckDB says): not a TsdaskError, or code INTERNAL. */
      readonly internal: boolean
    }

export function isInteger(t: ResultType): boolean {
  return t === 'int32' || t === 'int64'
}

/** A JS cell (as toRecords or DuckDB's getRowsJS give it) in the normal form. */
export function normalizeCell(v: unknown, t: ResultType): Value {
  if (v === null || v === undefined) return null
  if (v instanceof Date) return v.getTime()
  if (isInteger(t) && (typeof v === 'number' || typeof v === 'bigint')) return BigInt(v)
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string' || typeof v === 'bigint') return v
  return String(v)
}

export function showValue(v: Value, t?: ResultType): string {
  if (v === null) return 'NULL'
  if (typeof v === 'bigint') return `${v}`
  if (typeof v === 'number' && (t === 'date32' || t === 'timestamp[ms]')) {
    const iso = new Date(v).toISOString()
    return t === 'date32' ? iso.slice(0, 10) : iso
  }
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v)
  if (typeof v === 'string') return JSON.stringify(v)
  return String(v)
}

export function showRow(row: readonly Value[], types?: readonly ResultType[]): string {
  return `(${row.map((v, i) => showValue(v, types?.[i])).join(', ')})`
}
