/**
 * `arg IN (values)` with SQL null semantics: a null arg gives null; a match gives true; no match
 * gives null when the list holds a null, else false. Floats use SameValueZero (NaN matches NaN,
 * as DuckDB's NaN = NaN). Strings: on a dictionary each entry is looked up once; on plain utf8 the
 * candidates are bucketed by byte length and compared as bytes, so rows are never decoded.
 */
import type { DType } from '../types/dtype.js'
import type { BoolCol, Col } from './column.js'
import type { LiteralValue } from './physical-expr.js'
import { literalScalar } from './scalar.js'
import { encoder, utf8String } from './utf8.js'

export function isIn(col: Col, values: readonly LiteralValue[], dtype: DType): BoolCol {
  const n = col.length
  const hasNull = values.some((v) => v === null)
  const scalars = values.filter((v) => v !== null).map((v) => literalScalar(v, dtype))
  const hit = new Uint8Array(n)
  switch (col.kind) {
    case 'dict': {
      const set = new Set(scalars as string[])
      const per = new Uint8Array(col.dict.length)
      for (let k = 0; k < per.length; k++) per[k] = set.has(utf8String(col.dict, k)) ? 1 : 0
      const codes = col.codes
      for (let i = 0; i < n; i++) hit[i] = per[codes[i]!] ?? 0
      break
    }
    case 'utf8': {
      const byLength = new Map<number, Uint8Array[]>()
      for (const s of scalars as string[]) {
        const b = encoder.encode(s)
        const list = byLength.get(b.length) ?? []
        list.push(b)
        byLength.set(b.length, list)
      }
      const { offsets, bytes } = col
      for (let i = 0; i < n; i++) {
        const s = offsets[i]!
        const cands = byLength.get(offsets[i + 1]! - s)
        if (!cands) continue
        for (const c of cands) {
          let k = 0
          while (k < c.length && bytes[s + k] === c[k]) k++
          if (k === c.length) {
            hit[i] = 1
            break
          }
        }
      }
      break
    }
    case 'bool': {
      const set = new Set<number>((scalars as boolean[]).map((b) => (b ? 1 : 0)))
      for (let i = 0; i < n; i++) hit[i] = set.has(col.values[i]!) ? 1 : 0
      break
    }
    default: {
      const set = new Set<number | bigint>(scalars as (number | bigint)[])
      const v = col.values
      for (let i = 0; i < n; i++) hit[i] = set.has(v[i]!) ? 1 : 0
    }
  }
  let valid = col.valid
  if (hasNull) {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = (valid ? valid[i]! : 1) & hit[i]!
    valid = out
  }
  return { kind: 'bool', length: n, values: hit, valid }
}
