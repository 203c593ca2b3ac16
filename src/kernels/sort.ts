/**
 * Stable multi-key sort of one batch (see row-compare.ts for the order). The permutation is
 * computed over row indices, then applied once with `takeRows`. Small batches use the comparator;
 * larger ones a stable LSD radix sort over the keys' sortable words (sort-words.ts, packed densely by
 * sort-pack-words.ts), which gives the same permutation without a function call per comparison.
 */
import type { RecordBatch } from 'apache-arrow'
import { columnData } from '../types/arrow-types.js'
import { TsdaskError } from '../util/errors.js'
import { readColumn } from './column.js'
import type { SortKey } from './physical-expr.js'
import { rowComparator } from './row-compare.js'
import { packSortWords } from './sort-pack-words.js'
import { radixSortRows, sortWords } from './sort-words.js'
import { takeRows } from './take.js'

/** Below this many rows a comparator sort beats the radix sort's fixed cost. */
export const RADIX_THRESHOLD = 64

export function sortIndices(batch: RecordBatch, keys: readonly SortKey[]): Int32Array {
  const n = batch.numRows
  const indices = new Int32Array(n)
  for (let i = 0; i < n; i++) indices[i] = i
  if (keys.length === 0 || n < 2) return indices
  if (n <= RADIX_THRESHOLD) return indices.sort(rowComparator(batch, keys))
  const columns = keys.map((k) => {
    if (k.index < 0 || k.index >= batch.numCols) {
      throw new TsdaskError('INTERNAL', `sort key #${k.index} out of range (batch has ${batch.numCols} columns)`)
    }
    return readColumn(columnData(batch, k.index))
  })
  return radixSortRows(packSortWords(sortWords(columns, keys), n), n)
}

/**
 * The rows of `batch` ordered by `keys` (stable; nulls last unless `nullsFirst`).
 *
 * @example
 * const byPriceDesc = sortBatch(batch, [{ index: 2, descending: true, nullsFirst: false }])
 */
export function sortBatch(batch: RecordBatch, keys: readonly SortKey[]): RecordBatch {
  if (keys.length === 0 || batch.numRows < 2 || isSorted(batch, keys)) return batch
  return takeRows(batch, sortIndices(batch, keys))
}

/**
 * Whether the rows are already in order (ties included, so the stable sort would not move them):
 * e.g. a group-by result sorted by its keys, then sorted by them again. Unsorted input usually
 * shows an inversion within its first rows, so the check costs little when it fails.
 */
function isSorted(batch: RecordBatch, keys: readonly SortKey[]): boolean {
  const cmp = rowComparator(batch, keys)
  for (let i = 1; i < batch.numRows; i++) if (cmp(i - 1, i) > 0) return false
  return true
}
