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
  /** `expected`: how many groups the caller foresees (a dense table's slots), so firstRow seldom grows. */
  constructor(n: number, expected = 1024) {
    this.ids = new Int32Array(n)
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

export function mix(x: number): number {
  let h = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return h ^ (h >>> 16)
}
