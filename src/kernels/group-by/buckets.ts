/**
 * Buckets of a grouped aggregate's states, by a hash of the key values: the "split_out" of a
 * group-by (Dask's `split_out`). With B buckets, each partial state comes out ordered by bucket
 * (bucket 0's groups first), and the combine tree runs once per bucket over that bucket's slice of
 * every state, so the tail of the aggregation (the last combines, the final step, the sort by key)
 * is B tasks that run side by side instead of one on one worker.
 *
 * The partial task (parallel, and already holding one row per group) pays for the hashing: it
 * numbers its groups bucket-major before accumulating (inBucketOrder), so its state columns come
 * out in bucket order with no reordering copy; a bucket's combine finds its slice of a state by binary search, hashing ~log2(rows)
 * rows, and reads it without a copy.
 *
 * The hash depends only on key values, never on how a column is stored, so a group lands in the
 * same bucket from every partition: a dictionary entry hashes as its text does in a plain utf8
 * column, -0 as 0, every NaN alike, a null key as a constant.
 */
import type { RecordBatch } from 'apache-arrow'
import { columnData } from '../../types/arrow-types.js'
import { type Col, readColumn } from '../column.js'
import { type Grouping, mix } from './group-sink.js'
import { hashBytes } from './hash-utf8.js'

const NULL_HASH = 0x5bd1e995
const GOLDEN = 0x9e3779b1

const pair = (lo: number, hi: number): number => mix(lo ^ Math.imul(mix(hi), GOLDEN))

/** The hash of the word pair of each row in `rows`, from 32-bit words 2r (low) and 2r + 1 (high). */
function hashWordPairs(words: Int32Array, rows: Int32Array, out: Int32Array): void {
  for (let i = 0; i < rows.length; i++) out[i] = pair(words[2 * rows[i]!]!, words[2 * rows[i]! + 1]!)
}

/** A 32-bit hash of one key column at each row of `rows`. */
function hashColumn(col: Col, rows: Int32Array): Int32Array {
  const count = rows.length
  const out = new Int32Array(count)
  switch (col.kind) {
    case 'bool':
    case 'int32':
    case 'date32': {
      const v = col.values
      for (let i = 0; i < count; i++) out[i] = mix(v[rows[i]!]!)
      break
    }
    case 'int64':
    case 'timestamp[ms]':
      hashWordPairs(new Int32Array(col.values.buffer, col.values.byteOffset, 2 * col.length), rows, out)
      break
    case 'float64': {
      // By bit pattern, with -0 as 0 and every NaN as one value (as grouping does).
      const v = col.values
      const canon = new Float64Array(count)
      for (let i = 0; i < count; i++) {
        const x = v[rows[i]!]!
        canon[i] = x === 0 ? 0 : Number.isNaN(x) ? Number.NaN : x
      }
      const words = new Int32Array(canon.buffer)
      for (let i = 0; i < count; i++) out[i] = pair(words[2 * i]!, words[2 * i + 1]!)
      break
    }
    case 'utf8': {
      const { offsets, bytes } = col
      for (let i = 0; i < count; i++) out[i] = hashBytes(bytes, offsets[rows[i]!]!, offsets[rows[i]! + 1]!)
      break
    }
    case 'dict': {
      const { offsets, bytes } = col.dict
      const codes = col.codes
      for (let i = 0; i < count; i++) {
        const c = codes[rows[i]!]!
        out[i] = hashBytes(bytes, offsets[c]!, offsets[c + 1]!)
      }
      break
    }
  }
  const valid = col.valid
  if (valid !== null) for (let i = 0; i < count; i++) if (!valid[rows[i]!]) out[i] = NULL_HASH
  return out
}

/** The bucket (0 … buckets-1) of each row of `rows`, from the key columns. */
function rowBuckets(keys: readonly Col[], buckets: number, rows: Int32Array): Int32Array {
  let h: Int32Array | null = null
  for (const key of keys) {
    const hk = hashColumn(key, rows)
    if (h === null) h = hk
    else for (let i = 0; i < rows.length; i++) h[i] = mix(h[i]! ^ Math.imul(hk[i]!, GOLDEN))
  }
  const out = h ?? new Int32Array(rows.length)
  // The top 16 bits scaled to [0, buckets): no division in the loop.
  for (let i = 0; i < out.length; i++) out[i] = ((out[i]! >>> 16) * buckets) >>> 16
  return out
}

const keyColumns = (state: RecordBatch, nKeys: number): Col[] =>
  Array.from({ length: nKeys }, (_, k) => readColumn(columnData(state, k)))

/**
 * `grouping` renumbered bucket-major: the groups of bucket 0 first, then bucket 1's, …, each
 * bucket's in their old order, and slots no row uses (firstRow -1) after every bucket. Accumulating
 * over these ids yields state columns already in bucket order, so a partial state needs no
 * reordering copy. A group's bucket comes from its key values at its first row. `rows` is the
 * batch's row count (ids can be longer: padded buffers).
 *
 * @example
 * const ordered = inBucketOrder(groupRows(keys, n), keys, 2, n)
 */
export function inBucketOrder(grouping: Grouping, keys: readonly Col[], buckets: number, rows: number): Grouping {
  const { count, firstRow } = grouping
  let used = 0
  for (let g = 0; g < count; g++) if (firstRow[g]! >= 0) used++
  const usedRows = new Int32Array(used)
  for (let g = 0, k = 0; g < count; g++) if (firstRow[g]! >= 0) usedRows[k++] = firstRow[g]!
  const bucket = rowBuckets(keys, buckets, usedRows)
  const starts = new Int32Array(buckets + 1)
  for (let k = 0; k < used; k++) starts[bucket[k]! + 1]!++
  for (let b = 0; b < buckets; b++) starts[b + 1]! += starts[b]!
  const renumber = new Int32Array(count)
  let moved = false
  for (let g = 0, k = 0, tail = used; g < count; g++) {
    const r = firstRow[g]! >= 0 ? starts[bucket[k++]!]!++ : tail++
    renumber[g] = r
    if (r !== g) moved = true
  }
  if (!moved) return grouping
  // A dictionary key's codes can be the group ids themselves (hash.ts); never write into input data.
  const aliased = keys.some((k) => k.kind === 'dict' && k.codes === grouping.ids)
  const ids = aliased ? grouping.ids.slice() : grouping.ids
  for (let i = 0; i < rows; i++) ids[i] = renumber[ids[i]!]!
  const first = new Int32Array(count)
  for (let g = 0; g < count; g++) first[renumber[g]!] = firstRow[g]!
  return { ids, count, firstRow: first }
}

/**
 * Bucket `bucket`'s rows of a state batch that `orderByBucket` ordered, as a slice (no copy).
 *
 * @example
 * const second = bucketSlice(ordered, 1, 1, 2)
 */
export function bucketSlice(state: RecordBatch, nKeys: number, bucket: number, buckets: number): RecordBatch {
  const keys = keyColumns(state, nKeys)
  const bucketAt = (row: number): number => rowBuckets(keys, buckets, Int32Array.of(row))[0]!
  /** First row whose bucket is at least `b` (rows are in bucket order). */
  const firstFrom = (b: number): number => {
    let lo = 0
    let hi = state.numRows
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (bucketAt(mid) < b) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  const start = bucket === 0 ? 0 : firstFrom(bucket)
  const end = bucket === buckets - 1 ? state.numRows : firstFrom(bucket + 1)
  return start === 0 && end === state.numRows ? state : state.slice(start, end)
}
