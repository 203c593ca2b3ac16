/**
 * Merges batches that are each sorted by `keys` into one sorted batch, then applies offset/limit.
 * Equal keys keep batch order, then row order, so the result equals a stable sort of the
 * concatenation. Only the first `offset + limit` rows of each input can appear in the output, so
 * inputs are trimmed to that before they are concatenated; the merge itself is a k-way heap merge.
 */
import type { RecordBatch } from 'apache-arrow'
import { columnData } from '../types/arrow-types.js'
import { readColumn } from './column.js'
import { concatBatches } from './concat.js'
import type { SortKey } from './physical-expr.js'
import { rowComparator } from './row-compare.js'
import { limitBatches } from './slice.js'
import { takeRows } from './take.js'

/**
 * @example
 * // the global top 100 after each partition was sorted
 * const page = mergeSorted(sortedParts, [{ index: 0, descending: false, nullsFirst: false }], 0, 100)
 */
export function mergeSorted(
  batches: readonly RecordBatch[],
  keys: readonly SortKey[],
  offset: number,
  limit: number | null,
): RecordBatch {
  const skip = Math.max(0, offset)
  const keep = limit === null ? null : skip + Math.max(0, limit)
  const trimmed = keep === null ? batches : batches.map((b) => (b.numRows > keep ? limitBatches([b], 0, keep) : b))
  const all = concatBatches(trimmed)
  if (keys.length === 0 || trimmed.length <= 1) return limitBatches([all], skip, limit)
  // Cursors into each input's row range of the concatenation.
  const pos: number[] = []
  const end: number[] = []
  let at = 0
  for (const b of trimmed) {
    if (b.numRows > 0) {
      pos.push(at)
      end.push(at + b.numRows)
    }
    at += b.numRows
  }
  const total = keep === null ? all.numRows : Math.min(all.numRows, keep)
  const plain = plainKey(all, keys)
  if (plain !== null && pos.length <= SCAN_INPUTS) {
    return takeRows(all, scanMerge(plain, keys[0]!.descending, Int32Array.from(pos), Int32Array.from(end), skip, total))
  }
  const cmp = rowComparator(all, keys)
  // A binary heap orders the cursors.
  const heap = pos.map((_, i) => i)
  const less = (x: number, y: number): boolean => cmp(pos[x]!, pos[y]!) < 0
  const sift = (start: number): void => {
    let i = start
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < heap.length && less(heap[l]!, heap[m]!)) m = l
      if (r < heap.length && less(heap[r]!, heap[m]!)) m = r
      if (m === i) return
      const t = heap[i]!
      heap[i] = heap[m]!
      heap[m] = t
      i = m
    }
  }
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) sift(i)
  const order = new Int32Array(Math.max(0, total - skip))
  for (let k = 0; k < total; k++) {
    const c = heap[0]!
    if (k >= skip) order[k - skip] = pos[c]!
    pos[c] = pos[c]! + 1
    if (pos[c]! >= end[c]!) {
      heap[0] = heap[heap.length - 1]!
      heap.pop()
    }
    if (heap.length > 0) sift(0)
  }
  return takeRows(all, order)
}

/** Up to this many inputs, the next row is found by comparing every input's head (no heap). */
const SCAN_INPUTS = 8

/**
 * The values of the one sort key when they order as plain numbers: int32 or date32, or float64
 * without NaN, and no nulls. Such a key merges with `<` on a typed array instead of a row
 * comparator (the merge of an aggregate's sorted buckets is the serial end of a split group-by).
 */
function plainKey(all: RecordBatch, keys: readonly SortKey[]): Int32Array | Float64Array | null {
  if (keys.length !== 1) return null
  const col = readColumn(columnData(all, keys[0]!.index))
  if (col.valid !== null) return null
  if (col.kind === 'int32' || col.kind === 'date32') return col.values
  if (col.kind !== 'float64') return null
  for (let i = 0; i < col.length; i++) if (Number.isNaN(col.values[i]!)) return null
  return col.values
}

/**
 * The merged order of rows skip … total-1: each step takes the smallest head (largest when
 * descending) over the inputs' cursors; a tie goes to the earlier input, so equal keys keep input
 * order, then row order (stable).
 */
function scanMerge(
  values: Int32Array | Float64Array,
  descending: boolean,
  pos: Int32Array,
  end: Int32Array,
  skip: number,
  total: number,
): Int32Array {
  const order = new Int32Array(Math.max(0, total - skip))
  const inputs = pos.length
  for (let k = 0; k < total; k++) {
    let best = -1
    let head = 0
    for (let c = 0; c < inputs; c++) {
      const p = pos[c]!
      if (p >= end[c]!) continue
      const v = values[p]!
      if (best < 0 || (descending ? v > head : v < head)) {
        best = c
        head = v
      }
    }
    if (k >= skip) order[k - skip] = pos[best]!
    pos[best]!++
  }
  return order
}
