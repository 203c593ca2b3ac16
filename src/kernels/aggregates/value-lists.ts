/**
 * Exact aggregates (median, count distinct) need every value of a group in their state, not a
 * fixed-size summary. The kernels' column form has no list type, so a group's values travel as
 * one *byte string* per group in a plain utf8 state column: the values' little-endian bytes, back
 * to back (strings as a 4-byte length, then their UTF-8 bytes). Concatenation, gathering and
 * thread transfer already treat utf8 as opaque bytes, so the state batch needs nothing new; only
 * the codec below reads it. A null or empty byte string is an empty list.
 *
 * Cost: a state is as large as the values it holds (8 bytes per number), and the final step holds
 * every group's values at once on one worker.
 */
import { TsdaskError } from '../../util/errors.js'
import type { Col, Utf8Col } from '../column.js'
import { decodeToUtf8, Utf8Builder } from '../utf8.js'

/** Element kinds a list can hold: a `Col` kind, with dictionary strings stored as plain ones. */
export type ListElement = Exclude<Col['kind'], 'dict'>

function widthOf(kind: ListElement): number {
  switch (kind) {
    case 'bool':
      return 1
    case 'int32':
    case 'date32':
      return 4
    case 'utf8':
      return 0
    default:
      return 8
  }
}

function entrySize(values: Col, i: number, width: number): number {
  if (width > 0) return width
  if (values.kind === 'dict') {
    const c = values.codes[i]!
    return 4 + values.dict.offsets[c + 1]! - values.dict.offsets[c]!
  }
  const o = (values as Utf8Col).offsets
  return 4 + o[i + 1]! - o[i]!
}

/** The non-null `values`, each appended to the list of group `groupOf[i]`, in row order. */
export function encodeLists(values: Col, groupOf: Int32Array, groups: number): Utf8Col {
  const element: ListElement = values.kind === 'dict' ? 'utf8' : values.kind
  const width = widthOf(element)
  const valid = values.valid
  const offsets = new Int32Array(groups + 1)
  for (let i = 0; i < values.length; i++) {
    if (valid !== null && !valid[i]) continue
    offsets[groupOf[i]! + 1]! += entrySize(values, i, width)
  }
  for (let g = 0; g < groups; g++) offsets[g + 1]! += offsets[g]!
  const bytes = new Uint8Array(offsets[groups]!)
  if (width > 1) {
    scatterFixed(values as FixedCol, groupOf, offsets, width, bytes)
    return { kind: 'utf8', length: groups, offsets, bytes, valid: null }
  }
  const view = new DataView(bytes.buffer)
  const cursor = offsets.slice(0, groups)
  const write = writer(values, bytes, view)
  for (let i = 0; i < values.length; i++) {
    if (valid !== null && !valid[i]) continue
    const g = groupOf[i]!
    cursor[g] = write(i, cursor[g]!)
  }
  return { kind: 'utf8', length: groups, offsets, bytes, valid: null }
}

type FixedCol = Extract<Col, { kind: 'int32' | 'date32' | 'int64' | 'timestamp[ms]' | 'float64' }>

/**
 * Fixed-width values (4 or 8 bytes) go straight through a typed view of the fresh output buffer:
 * every list starts at a multiple of the width, so element slots are aligned (platform byte
 * order, little-endian wherever Node runs, which is what the DataView paths write too).
 */
function scatterFixed(
  values: FixedCol,
  groupOf: Int32Array,
  offsets: Int32Array,
  width: number,
  bytes: Uint8Array,
): void {
  const cursor = new Int32Array(offsets.length - 1)
  for (let g = 0; g < cursor.length; g++) cursor[g] = offsets[g]! / width
  const valid = values.valid
  const src = values.values
  const out =
    src instanceof Float64Array
      ? new Float64Array(bytes.buffer)
      : src instanceof BigInt64Array
        ? new BigInt64Array(bytes.buffer)
        : new Int32Array(bytes.buffer)
  for (let i = 0; i < values.length; i++) {
    if (valid !== null && !valid[i]) continue
    out[cursor[groupOf[i]!]!++] = src[i]! as never
  }
}

/** Writes row i (a bool, or a string with its length) at byte `at`, returns the next free byte. */
function writer(values: Col, bytes: Uint8Array, view: DataView): (i: number, at: number) => number {
  if (values.kind === 'bool') {
    const v = values.values
    return (i, at) => {
      bytes[at] = v[i]!
      return at + 1
    }
  }
  if (values.kind !== 'utf8' && values.kind !== 'dict') {
    throw new TsdaskError('INTERNAL', `value list writer for ${values.kind}`)
  }
  const plain = values.kind === 'dict' ? values.dict : values
  const codes = values.kind === 'dict' ? values.codes : null
  return (i, at) => {
    const r = codes === null ? i : codes[i]!
    const s = plain.offsets[r]!
    const e = plain.offsets[r + 1]!
    view.setUint32(at, e - s, true)
    bytes.set(plain.bytes.subarray(s, e), at + 4)
    return at + 4 + e - s
  }
}

export interface DecodedLists {
  /** Every element of every list, list after list; never null. */
  readonly values: Col
  /** The list (state row) each element came from. */
  readonly owner: Int32Array
  /** Elements per list. */
  readonly counts: Int32Array
}

/** All elements of all lists, with the row of the list each came from. */
export function decodeLists(lists: Utf8Col, element: ListElement): DecodedLists {
  const { offsets, bytes, valid, length } = lists
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const width = widthOf(element)
  const counts = new Int32Array(length)
  let total = 0
  for (let r = 0; r < length; r++) {
    if (valid !== null && !valid[r]) continue
    let c = 0
    if (width > 0) c = (offsets[r + 1]! - offsets[r]!) / width
    else for (let at = offsets[r]!; at < offsets[r + 1]!; at += 4 + view.getUint32(at, true)) c++
    counts[r] = c
    total += c
  }
  const owner = new Int32Array(total)
  for (let r = 0, k = 0; r < length; r++) {
    owner.fill(r, k, k + counts[r]!)
    k += counts[r]!
  }
  const starts = (r: number) => (valid !== null && !valid[r] ? -1 : offsets[r]!)
  return { values: readElements(element, view, bytes, lists, counts, total, starts), owner, counts }
}

function readElements(
  element: ListElement,
  view: DataView,
  bytes: Uint8Array,
  lists: Utf8Col,
  counts: Int32Array,
  total: number,
  starts: (r: number) => number,
): Col {
  const width = widthOf(element)
  const rows = lists.length
  if (element === 'utf8') {
    const b = new Utf8Builder(total, bytes.length)
    for (let r = 0; r < rows; r++) {
      let at = starts(r)
      for (let k = 0; k < counts[r]!; k++) {
        const len = view.getUint32(at, true)
        b.appendBytes(bytes, at + 4, at + 4 + len)
        at += 4 + len
      }
    }
    return b.finish(null)
  }
  // Fixed width: copy each list's bytes into one aligned buffer and view it as the typed array.
  const aligned = new Uint8Array(total * width)
  for (let r = 0, at = 0; r < rows; r++) {
    const s = starts(r)
    const len = counts[r]! * width
    if (len > 0) aligned.set(bytes.subarray(s, s + len), at)
    at += len
  }
  switch (element) {
    case 'bool':
      return { kind: 'bool', length: total, values: aligned, valid: null }
    case 'int32':
    case 'date32':
      return { kind: element, length: total, values: new Int32Array(aligned.buffer, 0, total), valid: null }
    case 'int64':
    case 'timestamp[ms]':
      return { kind: element, length: total, values: new BigInt64Array(aligned.buffer, 0, total), valid: null }
    case 'float64':
      return { kind: 'float64', length: total, values: new Float64Array(aligned.buffer, 0, total), valid: null }
  }
  throw new TsdaskError('INTERNAL', `list element ${String(element)}`)
}

/** Concatenates the lists of rows that share a group (`ids[row]`), in row order. */
export function concatLists(lists: Utf8Col, ids: Int32Array, groups: number): Utf8Col {
  const { offsets, bytes, valid } = lists
  const out = new Int32Array(groups + 1)
  const size = (r: number) => (valid !== null && !valid[r] ? 0 : offsets[r + 1]! - offsets[r]!)
  for (let r = 0; r < lists.length; r++) out[ids[r]! + 1]! += size(r)
  for (let g = 0; g < groups; g++) out[g + 1]! += out[g]!
  const merged = new Uint8Array(out[groups]!)
  const cursor = out.slice(0, groups)
  for (let r = 0; r < lists.length; r++) {
    const len = size(r)
    if (len === 0) continue
    const g = ids[r]!
    merged.set(bytes.subarray(offsets[r]!, offsets[r]! + len), cursor[g]!)
    cursor[g]! += len
  }
  return { kind: 'utf8', length: groups, offsets: out, bytes: merged, valid: null }
}

/** A list state column as read back from a batch (an empty global state arrives as a broadcast null). */
export function listsOf(col: Col): Utf8Col {
  if (col.kind === 'utf8') return col
  if (col.kind === 'dict') return decodeToUtf8(col)
  throw new TsdaskError('INTERNAL', `a value-list state column holds ${col.kind}`)
}

/** Elements per list (fixed-width elements without decoding them). */
export function listCounts(lists: Utf8Col, element: ListElement): Int32Array {
  const width = widthOf(element)
  if (width === 0) return decodeLists(lists, element).counts
  const counts = new Int32Array(lists.length)
  for (let r = 0; r < lists.length; r++) {
    if (lists.valid !== null && !lists.valid[r]) continue
    counts[r] = (lists.offsets[r + 1]! - lists.offsets[r]!) / width
  }
  return counts
}
