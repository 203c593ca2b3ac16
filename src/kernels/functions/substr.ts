/**
 * substr(s, start[, length]) in characters (code points), 1-based, exactly DuckDB 1.5's rules
 * (`SubstringStartEnd`): start > 0 counts from the front; start < 0 counts from the end; start 0
 * is the position before the first character (so it eats one of `length`); a negative length takes
 * characters before `start`; without a length, the rest of the string. The range is cut to the
 * string only after `length` is applied: positions before the first character count, so
 * substr('hello', -9, 3) is '' and substr('hello', 9, -6) is 'llo'. Null in any argument → null.
 *
 * Works on UTF-8 bytes (no decoding); over a dictionary column with literal positions it runs once
 * per dictionary entry and keeps the codes.
 */
import { TsdaskError } from '../../util/errors.js'
import type { Col, Int32Col, StringCol, Utf8Col } from '../column.js'
import { Utf8Builder } from '../utf8.js'
import { andValidity } from '../validity.js'

/** Byte offset of code point `k` (0-based) within [s, e), or e when past the end. */
function byteOfChar(bytes: Uint8Array, s: number, e: number, k: number): number {
  let at = s
  for (let c = 0; c < k && at < e; c++) {
    const lead = bytes[at]!
    at += lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4
  }
  return Math.min(at, e)
}

function charCount(bytes: Uint8Array, s: number, e: number): number {
  let c = 0
  for (let k = s; k < e; k++) if ((bytes[k]! & 0xc0) !== 0x80) c++
  return c
}

/** [first, end) character positions of the substring, or null for the empty string. */
export function substringRange(size: number, offset: number, length: number): [number, number] | null {
  if (length === 0) return null
  let start: number
  let len = length
  if (offset > 0) start = offset - 1
  else if (offset < 0) start = size + offset
  else {
    start = 0
    len--
    if (len <= 0) return null
  }
  let end = start + len
  if (len < 0) {
    end = start
    start += len
  }
  start = Math.min(size, Math.max(0, start))
  end = Math.min(size, Math.max(0, end))
  return start >= end ? null : [start, end]
}

function appendSubstring(out: Utf8Builder, src: Utf8Col, r: number, offset: number, length: number): void {
  const s = src.offsets[r]!
  const e = src.offsets[r + 1]!
  const ascii = src.bytes.subarray(s, e).every((b) => b < 0x80)
  const size = ascii ? e - s : charCount(src.bytes, s, e)
  const range = substringRange(size, offset, length)
  if (range === null) {
    out.appendEmpty()
    return
  }
  const from = ascii ? s + range[0] : byteOfChar(src.bytes, s, e, range[0])
  const to = ascii ? s + range[1] : byteOfChar(src.bytes, from, e, range[1] - range[0])
  out.appendBytes(src.bytes, from, to)
}

const NO_LENGTH = Number.MAX_SAFE_INTEGER

/** `start` / `length` are int32 columns (broadcast literals are dictionary-friendly: see below). */
export function substr(input: Col, start: Col, length: Col | null, literalPositions: boolean): Col {
  if (input.kind !== 'utf8' && input.kind !== 'dict') throw new TsdaskError('INTERNAL', `substr over ${input.kind}`)
  const starts = (start as Int32Col).values
  const lengths = length === null ? null : (length as Int32Col).values
  const valid = andValidity(andValidity(input.valid, start.valid, input.length), length?.valid ?? null, input.length)
  if (input.kind === 'dict' && literalPositions) {
    const dict = perRow(
      input.dict,
      () => starts[0] ?? 1,
      () => (lengths === null ? NO_LENGTH : (lengths[0] ?? 0)),
    )
    return { ...input, dict, source: null, valid }
  }
  const plain: StringCol = input
  const rows = plain.kind === 'dict' ? plain.dict : plain
  const codes = plain.kind === 'dict' ? plain.codes : null
  const b = new Utf8Builder(input.length, rows.bytes.length)
  for (let i = 0; i < input.length; i++) {
    if (valid !== null && !valid[i]) b.appendEmpty()
    else
      appendSubstring(b, rows, codes === null ? i : codes[i]!, starts[i]!, lengths === null ? NO_LENGTH : lengths[i]!)
  }
  return b.finish(valid)
}

function perRow(col: Utf8Col, start: (i: number) => number, length: (i: number) => number): Utf8Col {
  const b = new Utf8Builder(col.length, col.bytes.length)
  for (let i = 0; i < col.length; i++) appendSubstring(b, col, i, start(i), length(i))
  return b.finish(null)
}
