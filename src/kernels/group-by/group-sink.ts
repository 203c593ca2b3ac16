/**
 * The shape every grouping strategy returns, the growable sink that assigns dense group ids in
 * order of first appearance, and the integer mixer the hash tables share.
 */

export interface Grouping {
  readonly ids: Int32Array
  /** Number of group slots; `ids` are in [0, count). */
  readonly count: number
  /** First row of each group, by group id; -1 marks a slot no row uses (dropped from results). */
  readonly firstRow: Int32Array
}

export class GroupSink {
  readonly ids: Int32Array
  firstRow: Int32Array
  count = 0
  /**
   * `expected`: how many groups the caller foresees (a dense table's slots), so firstRow seldom
   * grows. `rowIds`: a scratch buffer of at least n ids to write into instead of a new array
   * (see scratchRowIds); every id is written, so it needs no clearing.
   */
  constructor(n: number, expected = 1024, rowIds?: Int32Array) {
    this.ids = rowIds === undefined ? new Int32Array(n) : rowIds.subarray(0, n)
    this.firstRow = new Int32Array(Math.min(Math.max(n, 1), Math.max(expected, 16)))
  }
  newGroup(row: number): number {
    const g = this.count++
    if (g >= this.firstRow.length) {
      const next = new Int32Array(this.firstRow.length * 2)
      next.set(this.firstRow)
      this.firstRow = next
    }
    this.firstRow[g] = row
    return g
  }
  finish(): Grouping {
    return { ids: this.ids, count: this.count, firstRow: this.firstRow.subarray(0, this.count) }
  }
}

let rowIdsScratch = new Int32Array(0)
/** Above this many rows (16 MiB of ids) a grouping gets a fresh array, so no thread holds more. */
const SCRATCH_MAX_ROWS = 1 << 22

/**
 * This thread's reusable row → group ids buffer for the one grouping of a partial aggregate or a
 * combine, whose ids never outlive the call (the state built from them holds only keys and
 * accumulators). A partition's ids were a fresh 4-bytes-per-row array each time: 40 of the 268 MB
 * the scheduler bench's query allocated, and as much for V8 to count towards its next collection.
 * The buffer stays at the largest size asked for, up to SCRATCH_MAX_ROWS; nested groupings (count
 * distinct's) allocate their own.
 */
export function scratchRowIds(n: number): Int32Array {
  if (n > SCRATCH_MAX_ROWS) return new Int32Array(n)
  if (rowIdsScratch.length < n)
    rowIdsScratch = new Int32Array(Math.min(SCRATCH_MAX_ROWS, Math.max(n, Math.ceil(rowIdsScratch.length * 1.5))))
  return rowIdsScratch
}

export function mix(x: number): number {
  let h = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return h ^ (h >>> 16)
}
