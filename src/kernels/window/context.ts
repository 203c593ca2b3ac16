/**
 * What the window functions of one call share: the layout, the input columns read once, each
 * distinct frame's ranges, and per input column where its non-null values sit. Several specs over
 * one OVER clause (`sum(x)`, `avg(x)`, `count(x)` over the same frame) compute each of these once.
 */
import type { RecordBatch } from 'apache-arrow'
import { columnData } from '../../types/arrow-types.js'
import { TsdaskError } from '../../util/errors.js'
import { type Col, readColumn } from '../column.js'
import { type FrameRanges, frameKey, frameRanges } from './frame-bounds.js'
import type { WindowLayout } from './layout.js'
import type { WindowFrame } from './spec.js'

/** Non-null inputs over positions: `prefix[k]` of them before position k; `positions` in order. */
export interface NonNullIndex {
  readonly prefix: Int32Array
  readonly positions: Int32Array
}

export class WindowContext {
  readonly #columns = new Map<number, Col>()
  readonly #frames = new Map<string, FrameRanges>()
  readonly #nonNull = new Map<number, NonNullIndex>()

  constructor(
    readonly batch: RecordBatch,
    readonly layout: WindowLayout,
  ) {}

  column(index: number): Col {
    let col = this.#columns.get(index)
    if (col === undefined) {
      if (index < 0 || index >= this.batch.numCols) {
        throw new TsdaskError(
          'INTERNAL',
          `window input column #${index} out of range (batch has ${this.batch.numCols} columns)`,
        )
      }
      col = readColumn(columnData(this.batch, index))
      this.#columns.set(index, col)
    }
    return col
  }

  frame(frame: WindowFrame): FrameRanges {
    const key = frameKey(frame)
    let ranges = this.#frames.get(key)
    if (ranges === undefined) {
      ranges = frameRanges(this.layout, frame)
      this.#frames.set(key, ranges)
    }
    return ranges
  }

  nonNull(index: number): NonNullIndex {
    let found = this.#nonNull.get(index)
    if (found === undefined) {
      found = nonNullIndex(this.column(index).valid, this.layout.order)
      this.#nonNull.set(index, found)
    }
    return found
  }
}

function nonNullIndex(valid: Uint8Array | null, order: Int32Array): NonNullIndex {
  const n = order.length
  const prefix = new Int32Array(n + 1)
  if (valid === null) {
    for (let k = 0; k < n; k++) prefix[k + 1] = k + 1
    return { prefix, positions: prefix.subarray(0, n) }
  }
  let count = 0
  for (let k = 0; k < n; k++) {
    count += valid[order[k]!]!
    prefix[k + 1] = count
  }
  const positions = new Int32Array(count)
  for (let k = 0, c = 0; k < n; k++) if (valid[order[k]!]) positions[c++] = k
  return { prefix, positions }
}
