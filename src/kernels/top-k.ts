/**
 * Top-k: the first `k` rows of the stable sort, found with a bounded max-heap (O(n log k)) instead
 * of sorting everything. The comparator is a strict total order (ties by row index), so the heap
 * keeps exactly the rows the full sort would put first.
 */
import type { RecordBatch } from 'apache-arrow'
import type { SortKey } from './physical-expr.js'
import { type RowComparator, rowComparator } from './row-compare.js'
import { sliceBatch } from './slice.js'
import { sortBatch } from './sort.js'
import { takeRows } from './take.js'

function siftDown(heap: Int32Array, size: number, cmp: RowComparator): void {
  let i = 0
  const top = heap[0]!
  for (;;) {
    const l = 2 * i + 1
    if (l >= size) break
    const r = l + 1
    const worse = r < size && cmp(heap[r]!, heap[l]!) > 0 ? r : l
    if (cmp(heap[worse]!, top) <= 0) break
    heap[i] = heap[worse]!
    i = worse
  }
  heap[i] = top
}

function siftUp(heap: Int32Array, at: number, cmp: RowComparator): void {
  let i = at
  const item = heap[i]!
  while (i > 0) {
    const p = (i - 1) >> 1
    if (cmp(heap[p]!, item) >= 0) break
    heap[i] = heap[p]!
    i = p
  }
  heap[i] = item
}

/**
 * The first `k` rows of `sortBatch(batch, keys)`, computed without a full sort.
 *
 * @example
 * const cheapest3 = topK(batch, [{ index: 0, descending: false, nullsFirst: false }], 3)
 */
export function topK(batch: RecordBatch, keys: readonly SortKey[], k: number): RecordBatch {
  const n = batch.numRows
  const want = Math.max(0, Math.floor(k))
  if (keys.length === 0) return sliceBatch(batch, 0, want)
  if (want >= n / 2) return sliceBatch(sortBatch(batch, keys), 0, want)
  const cmp = rowComparator(batch, keys)
  // A max-heap: the worst kept row sits on top and is the one a better row evicts.
  const heap = new Int32Array(want)
  let size = 0
  for (let i = 0; i < n; i++) {
    if (size < want) {
      heap[size] = i
      siftUp(heap, size++, cmp)
    } else if (want > 0 && cmp(i, heap[0]!) < 0) {
      heap[0] = i
      siftDown(heap, size, cmp)
    }
  }
  return takeRows(batch, heap.subarray(0, size).sort(cmp))
}
