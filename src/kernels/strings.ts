/**
 * String functions over plain or dictionary utf8. On a dictionary the function runs once per
 * dictionary entry and the answer is mapped through the codes (that is why readers dictionary-encode):
 * `lower`/`upper` even keep the codes and swap only the dictionary. Matching works on bytes
 * (exact for UTF-8); `length` counts code points (bytes that are not continuation bytes);
 * case mapping takes an ASCII fast path and decodes only non-ASCII strings.
 */
import type { DType } from '../types/dtype.js'
import { TsdaskError } from '../util/errors.js'
import type { Col, StringCol, Utf8Col } from './column.js'
import { likeMatcher } from './functions/like.js'
import type { StringFn } from './physical-expr.js'
import { decoder, encoder, Utf8Builder } from './utf8.js'

export function stringFunction(fn: StringFn, col: Col, pattern: string | undefined, dtype: DType): Col {
  if (col.kind !== 'utf8' && col.kind !== 'dict') {
    throw new TsdaskError('INTERNAL', `${fn} on ${col.kind}: lowering must give a utf8 operand`)
  }
  if (fn === 'lower' || fn === 'upper') return mapCase(col, fn === 'upper')
  if (fn === 'length') return lengths(col, dtype)
  if (pattern === undefined) throw new TsdaskError('INTERNAL', `${fn} needs a pattern`)
  const pat = encoder.encode(pattern)
  const like = fn === 'like' ? likeMatcher(pattern) : null
  const match =
    like !== null
      ? (b: Uint8Array, s: number, e: number) => like(b, s, e)
      : fn === 'startsWith'
        ? startsWith
        : fn === 'endsWith'
          ? endsWith
          : contains
  const out = new Uint8Array(col.length)
  const plain = col.kind === 'dict' ? col.dict : col
  const perRow = new Uint8Array(plain.length)
  const { offsets, bytes } = plain
  for (let i = 0; i < plain.length; i++) perRow[i] = match(bytes, offsets[i]!, offsets[i + 1]!, pat) ? 1 : 0
  if (col.kind === 'dict') {
    const codes = col.codes
    for (let i = 0; i < col.length; i++) out[i] = perRow[codes[i]!]!
    return { kind: 'bool', length: col.length, values: out, valid: col.valid }
  }
  return { kind: 'bool', length: col.length, values: perRow, valid: col.valid }
}

function startsWith(b: Uint8Array, s: number, e: number, p: Uint8Array): boolean {
  if (e - s < p.length) return false
  for (let k = 0; k < p.length; k++) if (b[s + k] !== p[k]) return false
  return true
}

function endsWith(b: Uint8Array, s: number, e: number, p: Uint8Array): boolean {
  if (e - s < p.length) return false
  const from = e - p.length
  for (let k = 0; k < p.length; k++) if (b[from + k] !== p[k]) return false
  return true
}

function contains(b: Uint8Array, s: number, e: number, p: Uint8Array): boolean {
  const m = p.length
  if (m === 0) return true
  const first = p[0]!
  const last = e - m
  outer: for (let i = s; i <= last; i++) {
    if (b[i] !== first) continue
    for (let k = 1; k < m; k++) if (b[i + k] !== p[k]) continue outer
    return true
  }
  return false
}

function lengths(col: StringCol, dtype: DType): Col {
  const plain = col.kind === 'dict' ? col.dict : col
  const per = new Int32Array(plain.length)
  const { offsets, bytes } = plain
  for (let i = 0; i < plain.length; i++) {
    let c = 0
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) if ((bytes[k]! & 0xc0) !== 0x80) c++
    per[i] = c
  }
  let counts = per
  if (col.kind === 'dict') {
    counts = new Int32Array(col.length)
    const codes = col.codes
    for (let i = 0; i < col.length; i++) counts[i] = per[codes[i]!] ?? 0
  }
  if (dtype === 'int64') {
    return { kind: 'int64', length: col.length, values: BigInt64Array.from(counts, (x) => BigInt(x)), valid: col.valid }
  }
  return { kind: 'int32', length: col.length, values: counts, valid: col.valid }
}

function mapCase(col: StringCol, upper: boolean): Col {
  if (col.kind === 'dict') return { ...col, dict: mapCasePlain(col.dict, upper), source: null }
  return mapCasePlain(col, upper)
}

function mapCasePlain(col: Utf8Col, upper: boolean): Utf8Col {
  const { offsets, bytes, length } = col
  const b = new Utf8Builder(length, offsets[length]! - offsets[0]!)
  const lo = upper ? 97 : 65
  const delta = upper ? -32 : 32
  for (let i = 0; i < length; i++) {
    const s = offsets[i]!
    const e = offsets[i + 1]!
    let ascii = true
    for (let k = s; k < e; k++) {
      if (bytes[k]! >= 0x80) {
        ascii = false
        break
      }
    }
    if (ascii) {
      b.appendBytes(bytes, s, e)
      const out = b.bytes
      const end = b.offsets[b.length]!
      for (let k = end - (e - s); k < end; k++) {
        const c = out[k]!
        if (c >= lo && c < lo + 26) out[k] = c + delta
      }
    } else {
      b.appendString(mapCodePoints(decoder.decode(bytes.subarray(s, e)), upper))
    }
  }
  return b.finish(col.valid)
}

/**
 * Case mapping code point by code point, as DuckDB does (Unicode simple mappings): one code point
 * in, one out. JavaScript's whole-string mapping differs in three ways this undoes: it expands
 * (ß → SS), it is context-sensitive (a word-final Σ becomes ς), and İ lowers to i + U+0307.
 */
function mapCodePoints(text: string, upper: boolean): string {
  let out = ''
  for (const ch of text) {
    const mapped = upper ? ch.toUpperCase() : ch.toLowerCase()
    const first = mapped.codePointAt(0) ?? 0
    const oneCodePoint = mapped.length === (first > 0xffff ? 2 : 1)
    // Several code points: the simple mapping keeps the character, except İ, whose simple lowercase is i.
    out += oneCodePoint ? mapped : !upper && ch === '\u0130' ? 'i' : ch
  }
  return out
}
