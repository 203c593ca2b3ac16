/**
 * Gather: row `i` of the output is row `indices[i]` of the input. Filter, sort, top-k and group-by
 * all end here. A negative index gives a null row (used by group-by for groups without a value).
 * Dictionary columns keep their dictionary and gather only codes.
 */
import { type Data, makeData, Null, type RecordBatch, Type } from 'apache-arrow'
import { columnData, makeBatch } from '../types/arrow-types.js'
import { bigInt64Output, float64Output, int32Output } from '../util/output-memory.js'
import { type Col, readColumn, toData } from './column.js'
import { Utf8Builder } from './utf8.js'
import type { Validity } from './validity.js'

function takeValidity(valid: Validity, indices: Int32Array, anyNegative: boolean): Validity {
  const n = indices.length
  if (valid === null && !anyNegative) return null
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const j = indices[i]!
    out[i] = j < 0 ? 0 : valid === null ? 1 : valid[j]!
  }
  return out
}

// One monomorphic loop per element type: a shared generic loop is megamorphic and several times slower.
function gather32(src: Int32Array, indices: Int32Array): Int32Array {
  const n = indices.length
  const out = int32Output(n)
  for (let i = 0; i < n; i++) {
    const j = indices[i]!
    if (j >= 0) out[i] = src[j]!
  }
  return out
}

function gatherF64(src: Float64Array, indices: Int32Array): Float64Array {
  const n = indices.length
  const out = float64Output(n)
  for (let i = 0; i < n; i++) {
    const j = indices[i]!
    if (j >= 0) out[i] = src[j]!
  }
  return out
}

function gatherU8(src: Uint8Array, indices: Int32Array): Uint8Array {
  const n = indices.length
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const j = indices[i]!
    if (j >= 0) out[i] = src[j]!
  }
  return out
}

/** int64 moves as two int32 halves: reading a BigInt64Array element allocates a BigInt. */
function gather64(src: BigInt64Array, indices: Int32Array): BigInt64Array {
  const n = indices.length
  const out = bigInt64Output(n)
  const from = new Int32Array(
    src.buffer,
    src.byteOffset,
    2 * Math.min(src.length, Math.floor((src.buffer.byteLength - src.byteOffset) / 8)),
  )
  const to = new Int32Array(out.buffer)
  for (let i = 0; i < n; i++) {
    const j = indices[i]!
    if (j >= 0) {
      to[2 * i] = from[2 * j]!
      to[2 * i + 1] = from[2 * j + 1]!
    }
  }
  return out
}

function hasNegative(indices: Int32Array): boolean {
  for (let i = 0; i < indices.length; i++) if (indices[i]! < 0) return true
  return false
}

/** `anyNegative`: whether `indices` holds a negative (null row), when the caller already knows. */
export function takeCol(col: Col, indices: Int32Array, anyNegative?: boolean): Col {
  const n = indices.length
  const neg = anyNegative ?? hasNegative(indices)
  const valid = takeValidity(col.valid, indices, neg)
  switch (col.kind) {
    case 'bool':
      return { kind: 'bool', length: n, values: gatherU8(col.values, indices), valid }
    case 'int32':
    case 'date32':
      return { kind: col.kind, length: n, values: gather32(col.values, indices), valid }
    case 'int64':
    case 'timestamp[ms]':
      return { kind: col.kind, length: n, values: gather64(col.values, indices), valid }
    case 'float64':
      return { kind: 'float64', length: n, values: gatherF64(col.values, indices), valid }
    case 'dict': {
      const codes = gather32(col.codes, indices)
      return { ...col, length: n, codes, valid }
    }
    case 'utf8': {
      const { offsets, bytes } = col
      let total = 0
      for (let i = 0; i < n; i++) {
        const j = indices[i]!
        if (j >= 0) total += offsets[j + 1]! - offsets[j]!
      }
      const b = new Utf8Builder(n, total)
      for (let i = 0; i < n; i++) {
        const j = indices[i]!
        if (j < 0) b.appendEmpty()
        else b.appendBytes(bytes, offsets[j]!, offsets[j + 1]!)
      }
      return b.finish(valid)
    }
  }
}

export function takeData(data: Data, indices: Int32Array, anyNegative?: boolean): Data {
  return toData(takeCol(readColumn(data), indices, anyNegative))
}

/**
 * The rows of `batch` at `indices`, in that order (indices must be in range).
 *
 * @example
 * const firstAndLast = takeRows(batch, Int32Array.of(0, batch.numRows - 1))
 */
export function takeRows(batch: RecordBatch, indices: Int32Array): RecordBatch {
  return takeRowsOf(batch, indices, null)
}

/**
 * `takeRows` for a reader of only the columns in `used` (null: all): the others become all-null
 * placeholders (Arrow's Null type, no buffers), so their positions stay valid and only what is
 * read is gathered. A placeholder gathered again stays a placeholder.
 */
export function takeRowsOf(batch: RecordBatch, indices: Int32Array, used: ReadonlySet<number> | null): RecordBatch {
  const names = batch.schema.fields.map((f) => f.name)
  const neg = hasNegative(indices)
  const n = indices.length
  const columns = names.map((_, i) => {
    const data = columnData(batch, i)
    const placeholder = data.typeId === Type.Null || (used !== null && !used.has(i))
    return placeholder ? makeData({ type: new Null(), length: n }) : takeData(data, indices, neg)
  })
  return makeBatch(names, columns, n)
}
