/**
 * Columns whose null slots hold garbage. Arrow leaves the value under a null unspecified, and data
 * made by kernels (a sum over a null, a row taken from another batch) carries whatever sat there;
 * Arrow's own builders write zeros, which hides any kernel that reads a value under a null. These
 * helpers rebuild a column with random non-zero values (random bytes for strings, other codes for
 * dictionaries) under every null, keeping the validity bitmap.
 */
import { type Data, makeData, type RecordBatch, Type } from 'apache-arrow'
import { columnData, makeBatch } from '../../src/types/arrow-types.js'
import type { DType } from '../../src/types/dtype.js'
import { batchFromRows, type Cell } from './helpers.js'

const int32 = (random: () => number): number => (random() * 2 ** 32) | 0 || 1
const SPECIAL_FLOATS = [Number.NaN, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e300]

/** A random non-zero value for a slot of `values`. */
function garbageValue(values: Int32Array | BigInt64Array | Float64Array, random: () => number): number | bigint {
  if (values instanceof BigInt64Array) return (BigInt(int32(random)) << 20n) | BigInt(int32(random) & 0xfffff) || 1n
  if (values instanceof Int32Array) return int32(random)
  return random() < 0.3 ? SPECIAL_FLOATS[Math.floor(random() * SPECIAL_FLOATS.length)]! : int32(random) / 7
}

function isNull(data: Data, i: number): boolean {
  const bitmap = data.nullBitmap
  if (!bitmap || bitmap.length === 0) return false
  const bit = data.offset + i
  return ((bitmap[bit >> 3]! >> (bit & 7)) & 1) === 0
}

/** `data` (not sliced) with random values under its nulls. */
export function withGarbageUnderNulls(data: Data, random: () => number): Data {
  const n = data.length
  const nulls = Array.from({ length: n }, (_, i) => isNull(data, i))
  const common = { type: data.type, length: n, nullCount: data.nullCount, nullBitmap: data.nullBitmap }
  switch (data.type.typeId) {
    case Type.Bool: {
      const bits = Uint8Array.from(data.values as Uint8Array)
      nulls.forEach((isNullSlot, i) => {
        if (isNullSlot && random() < 0.7) bits[i >> 3]! |= 1 << (i & 7)
      })
      return makeData({ ...common, data: bits } as never)
    }
    case Type.Int:
    case Type.Date:
    case Type.Timestamp:
    case Type.Float: {
      const values = (data.values as Int32Array | BigInt64Array | Float64Array).slice(0, n)
      nulls.forEach((isNullSlot, i) => {
        if (isNullSlot) values[i] = garbageValue(values, random) as never
      })
      return makeData({ ...common, data: values } as never)
    }
    case Type.Utf8: {
      const offsets = data.valueOffsets as Int32Array
      const bytes = data.values as Uint8Array
      const out: number[] = []
      const newOffsets = new Int32Array(n + 1)
      for (let i = 0; i < n; i++) {
        if (nulls[i]) for (let k = Math.floor(random() * 4) + 1; k > 0; k--) out.push(97 + Math.floor(random() * 26))
        else for (let b = offsets[i]!; b < offsets[i + 1]!; b++) out.push(bytes[b]!)
        newOffsets[i + 1] = out.length
      }
      return makeData({ ...common, valueOffsets: newOffsets, data: Uint8Array.from(out) } as never)
    }
    case Type.Dictionary: {
      const codes = Int32Array.from(data.values as Int32Array)
      const entries = data.dictionary?.length ?? 0
      nulls.forEach((isNullSlot, i) => {
        if (isNullSlot && entries > 0) codes[i] = Math.floor(random() * entries)
      })
      return makeData({ ...common, data: codes, dictionary: data.dictionary } as never)
    }
  }
  throw new Error(`no garbage for ${String(data.type)}`)
}

/** `batchFromRows`, then garbage under every null of every column. */
export function garbageBatch(
  names: readonly string[],
  kinds: readonly (DType | 'dict')[],
  rows: readonly (readonly Cell[])[],
  random: () => number,
): RecordBatch {
  const clean = batchFromRows(names, kinds, rows)
  const columns = names.map((_, i) => withGarbageUnderNulls(columnData(clean, i), random))
  return makeBatch(names, columns, rows.length)
}
