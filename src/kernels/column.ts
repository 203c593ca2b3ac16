/**
 * The kernels' working form of a column (`Col`): typed arrays indexed from 0, byte-per-row
 * validity and byte-per-row booleans. `readColumn` turns any supported Arrow `Data` (sliced or
 * not, plain or dictionary utf8, narrower ints, other time units) into it; `toData` turns it back
 * into the canonical Arrow layout of its dtype (src/types/dtype.ts).
 *
 * Invariants: fixed-width `values` hold at least `length` slots starting at row 0 (Arrow JS
 * pre-slices them; bitmaps it does not, hence `data.offset` is applied to bits only). Utf8
 * `offsets` has `length + 1` entries that index `bytes` absolutely (they need not start at 0).
 * A dictionary column's `dict` has no nulls: null dictionary entries are folded into row validity.
 */

import {
  Bool,
  type Data,
  DateDay,
  Dictionary,
  Float64,
  Int32,
  Int64,
  makeData,
  TimestampMillisecond,
  Type,
  Utf8,
  type Vector,
} from 'apache-arrow'
import { dtypeOfArrow, makeDictionaryData } from '../types/arrow-types.js'
import type { DType } from '../types/dtype.js'
import { MS_PER_DAY } from '../types/dtype.js'
import { TsdaskError } from '../util/errors.js'
import { countValid, packBits, unpackBits, type Validity } from './validity.js'

export interface BoolCol {
  readonly kind: 'bool'
  readonly length: number
  readonly values: Uint8Array
  readonly valid: Validity
}
export interface Int32Col {
  readonly kind: 'int32' | 'date32'
  readonly length: number
  readonly values: Int32Array
  readonly valid: Validity
}
export interface Int64Col {
  readonly kind: 'int64' | 'timestamp[ms]'
  readonly length: number
  readonly values: BigInt64Array
  readonly valid: Validity
}
export interface Float64Col {
  readonly kind: 'float64'
  readonly length: number
  readonly values: Float64Array
  readonly valid: Validity
}
export interface Utf8Col {
  readonly kind: 'utf8'
  readonly length: number
  readonly offsets: Int32Array
  readonly bytes: Uint8Array
  readonly valid: Validity
}
export interface DictCol {
  readonly kind: 'dict'
  readonly length: number
  readonly codes: Int32Array
  /** The dictionary entries, never null. */
  readonly dict: Utf8Col
  /** The Arrow dictionary it came from, reused on output so dictionaries are shared, not copied. */
  readonly source: Vector<Utf8> | null
  readonly valid: Validity
}

export type Col = BoolCol | Int32Col | Int64Col | Float64Col | Utf8Col | DictCol
export type NumericCol = Int32Col | Int64Col | Float64Col
export type StringCol = Utf8Col | DictCol

export function dtypeOfCol(col: Col): DType {
  return col.kind === 'dict' ? 'utf8' : col.kind
}

export function readValidity(data: Data): Validity {
  const bitmap = data.nullBitmap
  if (!bitmap || bitmap.length === 0 || data.nullCount === 0) return null
  return unpackBits(bitmap, data.offset, data.length)
}

export function readColumn(data: Data): Col {
  const length = data.length
  const valid = readValidity(data)
  const type = data.type
  switch (type.typeId) {
    case Type.Bool:
      return { kind: 'bool', length, values: unpackBits(data.values as Uint8Array, data.offset, length), valid }
    case Type.Int: {
      const v = data.values as ArrayLike<number | bigint> & { constructor: unknown }
      if (v instanceof Int32Array) return { kind: 'int32', length, values: v, valid }
      if (v instanceof BigInt64Array) return { kind: 'int64', length, values: v, valid }
      if (v instanceof BigUint64Array)
        return { kind: 'int64', length, values: BigInt64Array.from(v.subarray(0, length)), valid }
      const src = v as unknown as ArrayLike<number>
      if (dtypeOfArrow(type) === 'int32')
        return { kind: 'int32', length, values: Int32Array.from(toNumbers(src, length)), valid }
      return { kind: 'int64', length, values: BigInt64Array.from(toNumbers(src, length), (x) => BigInt(x)), valid }
    }
    case Type.Float: {
      const v = data.values as Float64Array | Float32Array | Uint16Array
      if (v instanceof Float64Array) return { kind: 'float64', length, values: v, valid }
      if (v instanceof Float32Array)
        return { kind: 'float64', length, values: Float64Array.from(v.subarray(0, length)), valid }
      break
    }
    case Type.Utf8: {
      // Arrow JS gives an empty string array no offsets at all; kernels read offsets[0] and
      // offsets[length] (fuzz seed 10005 path 371). A fresh array: results may be transferred.
      const offsets = data.valueOffsets.length === 0 ? new Int32Array(1) : (data.valueOffsets as Int32Array)
      return { kind: 'utf8', length, offsets, bytes: data.values as Uint8Array, valid }
    }
    case Type.Dictionary:
      return readDictionary(data as Data<Dictionary>, valid)
    case Type.Date: {
      const v = data.values as Int32Array | BigInt64Array
      if (v instanceof Int32Array) return { kind: 'date32', length, values: v, valid }
      const days = new Int32Array(length)
      for (let i = 0; i < length; i++) days[i] = Math.floor(Number(v[i]!) / MS_PER_DAY)
      return { kind: 'date32', length, values: days, valid }
    }
    case Type.Timestamp: {
      const v = data.values as BigInt64Array
      const unit = (type as TimestampMillisecond).unit
      if (unit === 1) return { kind: 'timestamp[ms]', length, values: v, valid }
      const out = new BigInt64Array(length)
      for (let i = 0; i < length; i++) {
        const x = v[i]!
        out[i] = unit === 0 ? x * 1000n : unit === 2 ? floorDiv(x, 1000n) : floorDiv(x, 1_000_000n)
      }
      return { kind: 'timestamp[ms]', length, values: out, valid }
    }
  }
  throw new TsdaskError(
    'TYPE_MISMATCH',
    `kernels cannot read Arrow type ${String(type)} (read as ${dtypeOfArrow(type)}). Cast the column to a canonical tsdask type first.`,
  )
}

function toNumbers(src: ArrayLike<number>, length: number): number[] {
  const out = new Array<number>(length)
  for (let i = 0; i < length; i++) out[i] = src[i]!
  return out
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b
  return a % b !== 0n && a < 0n ? q - 1n : q
}

function readDictionary(data: Data<Dictionary>, rowValid: Validity): DictCol {
  const vector = data.dictionary as Vector<Utf8> | undefined
  if (!vector || vector.data.length === 0) {
    throw new TsdaskError('INTERNAL', 'dictionary-encoded column has no dictionary')
  }
  if (vector.type.typeId !== Type.Utf8) dtypeOfArrow(data.type)
  const length = data.length
  let codes = data.values as Int32Array
  if (!(codes instanceof Int32Array)) codes = Int32Array.from(toNumbers(codes as ArrayLike<number>, length))
  let dict: Utf8Col
  let source: Vector<Utf8> | null = vector
  if (vector.data.length === 1) {
    dict = readColumn(vector.data[0]!) as Utf8Col
  } else {
    dict = concatUtf8(vector.data.map((d) => readColumn(d) as Utf8Col))
    source = null
  }
  let valid = rowValid
  if (dict.valid !== null) {
    // Null dictionary entries are rare; fold them into the rows so `dict` never holds nulls.
    const dv = dict.valid
    const out = valid ? valid.slice() : new Uint8Array(length).fill(1)
    for (let i = 0; i < length; i++) if (out[i] && !dv[codes[i]!]) out[i] = 0
    valid = out
    dict = { ...dict, valid: null }
    source = null
  }
  return { kind: 'dict', length, codes, dict, source, valid }
}

function concatUtf8(parts: readonly Utf8Col[]): Utf8Col {
  let n = 0
  let nb = 0
  for (const p of parts) {
    n += p.length
    nb += p.offsets[p.length]! - p.offsets[0]!
  }
  const offsets = new Int32Array(n + 1)
  const bytes = new Uint8Array(nb)
  const valid = new Uint8Array(n)
  let row = 0
  let pos = 0
  for (const p of parts) {
    const start = p.offsets[0]!
    bytes.set(p.bytes.subarray(start, p.offsets[p.length]!), pos)
    for (let i = 0; i < p.length; i++) {
      offsets[row + 1] = pos + p.offsets[i + 1]! - start
      valid[row] = p.valid ? p.valid[i]! : 1
      row++
    }
    pos = offsets[row]!
  }
  return { kind: 'utf8', length: n, offsets, bytes, valid: countValid(valid, n) === n ? null : valid }
}

function bitmapOf(valid: Validity, length: number): { nullBitmap: Uint8Array | undefined; nullCount: number } {
  if (valid === null) return { nullBitmap: undefined, nullCount: 0 }
  const nullCount = length - countValid(valid, length)
  return nullCount === 0 ? { nullBitmap: undefined, nullCount: 0 } : { nullBitmap: packBits(valid), nullCount }
}

/** The canonical Arrow `Data` for a column; typed arrays are shared, not copied. */
export function toData(col: Col): Data {
  const length = col.length
  const { nullBitmap, nullCount } = bitmapOf(col.valid, length)
  switch (col.kind) {
    case 'bool':
      return makeData({ type: new Bool(), length, nullCount, nullBitmap, data: packBits(col.values) })
    case 'int32':
      return makeData({ type: new Int32(), length, nullCount, nullBitmap, data: col.values })
    case 'date32':
      return makeData({ type: new DateDay(), length, nullCount, nullBitmap, data: col.values })
    case 'int64':
      return makeData({ type: new Int64(), length, nullCount, nullBitmap, data: col.values })
    case 'timestamp[ms]':
      return makeData({ type: new TimestampMillisecond(), length, nullCount, nullBitmap, data: col.values })
    case 'float64':
      return makeData({ type: new Float64(), length, nullCount, nullBitmap, data: col.values })
    case 'utf8':
      return makeData({ type: new Utf8(), length, nullCount, nullBitmap, valueOffsets: col.offsets, data: col.bytes })
    case 'dict': {
      const codes = col.codes.length === length ? col.codes : col.codes.subarray(0, length)
      if (col.source) {
        // Reuse the very dictionary Vector, so consumers can tell that dictionaries are shared.
        return makeData({
          type: new Dictionary(new Utf8(), new Int32()),
          length,
          nullCount,
          nullBitmap,
          data: codes,
          dictionary: col.source,
        } as Parameters<typeof makeData>[0]) as Data
      }
      const dictData = toData(col.dict) as Data<Utf8>
      return makeDictionaryData(codes, dictData, nullBitmap ?? null, nullCount)
    }
  }
}
