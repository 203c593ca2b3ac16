/**
 * A deterministic Bernoulli sample: row `r` of partition `p` is kept when a hash of
 * (seed, p, r), read as a number in [0, 1), is below `fraction`. The same seed, data and
 * partitioning keep the same rows on any scheduler and any number of workers, and each row's
 * draw is independent of every other row's (no shared random stream to advance).
 */
import type { RecordBatch } from 'apache-arrow'
import { makeBatch } from '../types/arrow-types.js'
import { takeRows } from './take.js'

export interface SampleArgs {
  /** Expected share of rows kept, in [0, 1]. */
  readonly fraction: number
  /** A 32-bit integer. */
  readonly seed: number
  /** The index of the input partition, given by the lowering (a kernel cannot know it otherwise). */
  readonly partition: number
}

/** murmur3's 32-bit finalizer: every input bit affects every output bit. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** Row `row` of partition `partition`'s draw in [0, 1). Exported for the tests' reference. */
export function sampleDraw(seed: number, partition: number, row: number): number {
  const h = mix((mix((mix(seed | 0) ^ partition) + 0x9e3779b9) ^ row) + 0x7f4a7c15)
  return h / 4294967296
}

export function sampleBatch(batch: RecordBatch, args: SampleArgs): RecordBatch {
  const { fraction, seed, partition } = args
  const n = batch.numRows
  const kept = new Int32Array(n)
  let count = 0
  for (let r = 0; r < n; r++) if (sampleDraw(seed, partition, r) < fraction) kept[count++] = r
  if (count === n) return batch
  if (batch.numCols === 0) return makeBatch([], [], count)
  return takeRows(batch, kept.subarray(0, count))
}
