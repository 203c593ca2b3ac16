/**
 * The rows of a batch in window order: sorted by (PARTITION BY keys ascending with nulls last,
 * then the ORDER BY keys), stably, with the boundaries of partitions and of peer groups (rows
 * tying on every ORDER BY key) in that order. Every window function is computed over these
 * *positions*; `dest` says where a position's result is written, so one computation serves both
 * the input-aligned output (dest = the permutation) and the sorted one (dest = identity).
 *
 * Sorting on the partition keys' values (not on group ids) makes each partition one run of
 * positions and orders the partitions as a sorted output should be. Equal keys are found by
 * comparing neighbours with the sort's own order, so partitions agree with the sort: nulls form
 * one partition, -0 and 0 one, NaNs one, and dictionary strings are equal by text, as in GROUP BY.
 */
import type { RecordBatch } from 'apache-arrow'
import type { SortKey } from '../physical-expr.js'
import { rowsTie } from '../row-compare.js'
import { sortIndices } from '../sort.js'
import type { WindowClause } from './spec.js'

/** Positions where runs of tying rows start, then `n`: run r is [bounds[r], bounds[r + 1]). */
function runBounds(order: Int32Array, within: Int32Array, tie: ((a: number, b: number) => boolean) | null): Int32Array {
  if (tie === null) return within
  const out: number[] = [0]
  for (let p = 0; p + 1 < within.length; p++) {
    const end = within[p + 1]!
    for (let k = within[p]! + 1; k < end; k++) if (!tie(order[k - 1]!, order[k]!)) out.push(k)
    out.push(end)
  }
  return Int32Array.from(out)
}

const ascending = (index: number): SortKey => ({ index, descending: false, nullsFirst: false })

export class WindowLayout {
  readonly n: number
  /** Sorted position → input row. */
  readonly order: Int32Array
  /** Position → where its result goes in an output column (`order`, or identity when sorted). */
  readonly dest: Int32Array
  /** Partition boundaries over positions: 0, …, n (just [0] when there are no rows). */
  readonly partitions: Int32Array
  #peers: Int32Array | null = null

  constructor(
    private readonly batch: RecordBatch,
    private readonly clause: WindowClause,
    output: 'input-order' | 'sorted',
  ) {
    const n = batch.numRows
    this.n = n
    const keys = [...clause.partitionBy.map(ascending), ...clause.orderBy]
    this.order = keys.length === 0 ? identity(n) : sortIndices(batch, keys)
    this.dest = output === 'sorted' ? identity(n) : this.order
    const whole = n === 0 ? Int32Array.of(0) : Int32Array.of(0, n)
    this.partitions =
      clause.partitionBy.length === 0
        ? whole
        : runBounds(this.order, whole, rowsTie(batch, keys.slice(0, clause.partitionBy.length)))
  }

  /** Peer group boundaries, a refinement of `partitions` (equal to it without ORDER BY). */
  get peers(): Int32Array {
    if (this.#peers === null) {
      const orderBy = this.clause.orderBy
      this.#peers = runBounds(this.order, this.partitions, orderBy.length === 0 ? null : rowsTie(this.batch, orderBy))
    }
    return this.#peers
  }
}

export function identity(n: number): Int32Array {
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) out[i] = i
  return out
}
