/**
 * UTF-8 helpers shared by the string kernels. Strings stay as bytes wherever possible: byte order
 * is code point order (what DuckDB compares by), and substring search on bytes is exact because
 * UTF-8 is self-synchronising. Decoding to JS strings happens only for case mapping of non-ASCII
 * text and for casts.
 */
import type { StringCol, Utf8Col } from './column.js'
import type { Validity } from './validity.js'

export const encoder = new TextEncoder()
export const decoder = new TextDecoder()

/** Compares two byte ranges: negative, zero or positive, like `a.localeCompare` but by bytes. */
export function compareBytes(
  a: Uint8Array,
  aStart: number,
  aEnd: number,
  b: Uint8Array,
  bStart: number,
  bEnd: number,
): number {
  const la = aEnd - aStart
  const lb = bEnd - bStart
  const n = Math.min(la, lb)
  for (let k = 0; k < n; k++) {
    const d = a[aStart + k]! - b[bStart + k]!
    if (d !== 0) return d
  }
  return la - lb
}

export function utf8String(col: Utf8Col, i: number): string {
  return decoder.decode(col.bytes.subarray(col.offsets[i]!, col.offsets[i + 1]!))
}

/** The string at row `i` of a plain or dictionary column (caller checks validity). */
export function stringAt(col: StringCol, i: number): string {
  return col.kind === 'dict' ? utf8String(col.dict, col.codes[i]!) : utf8String(col, i)
}

/** Grows a byte buffer and its offsets; `finish` hands back a `Utf8Col`. */
export class Utf8Builder {
  offsets: Int32Array
  bytes: Uint8Array
  length = 0
  #pos = 0

  constructor(rows: number, bytes = rows * 8) {
    this.offsets = new Int32Array(rows + 1)
    this.bytes = new Uint8Array(Math.max(16, bytes))
  }

  appendBytes(src: Uint8Array, start: number, end: number): void {
    const len = end - start
    this.#reserve(len)
    this.bytes.set(src.subarray(start, end), this.#pos)
    this.#pos += len
    this.offsets[++this.length] = this.#pos
  }

  appendString(s: string): void {
    this.#reserve(s.length * 3)
    const { written } = encoder.encodeInto(s, this.bytes.subarray(this.#pos))
    this.#pos += written
    this.offsets[++this.length] = this.#pos
  }

  /** An empty (null) slot. */
  appendEmpty(): void {
    this.offsets[++this.length] = this.#pos
  }

  #reserve(extra: number): void {
    if (this.#pos + extra <= this.bytes.length) return
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.#pos + extra))
    next.set(this.bytes.subarray(0, this.#pos))
    this.bytes = next
  }

  finish(valid: Validity): Utf8Col {
    return { kind: 'utf8', length: this.length, offsets: this.offsets, bytes: this.bytes.subarray(0, this.#pos), valid }
  }
}

/** A plain utf8 column from JS strings (null = null). */
export function utf8FromStrings(values: readonly (string | null)[]): Utf8Col {
  const b = new Utf8Builder(values.length)
  let valid: Uint8Array | null = null
  for (let i = 0; i < values.length; i++) {
    const s = values[i]
    if (s === null || s === undefined) {
      if (!valid) valid = new Uint8Array(values.length).fill(1)
      valid[i] = 0
      b.appendEmpty()
    } else b.appendString(s)
  }
  return b.finish(valid)
}

/** Decodes a dictionary column to plain utf8 (used where sources with different dictionaries meet). */
export function decodeToUtf8(col: StringCol): Utf8Col {
  if (col.kind === 'utf8') return col
  const { codes, dict, valid, length } = col
  const b = new Utf8Builder(length, dict.bytes.length)
  for (let i = 0; i < length; i++) {
    if (valid && !valid[i]) b.appendEmpty()
    else {
      const c = codes[i]!
      b.appendBytes(dict.bytes, dict.offsets[c]!, dict.offsets[c + 1]!)
    }
  }
  return b.finish(valid)
}
