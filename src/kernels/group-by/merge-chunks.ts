/**
 * A combine's state columns merged straight from each input state, without concatenating them
 * first. The rows of input c carry the group ids `ids[offset_c …]` of the grouping over the
 * concatenated keys, so each accumulator walks the inputs one after the other, in the order a
 * concatenation would have (float sums add in the same order, bit for bit).
 *
 * Concatenating every state column was 68 of the 221 MB the scheduler bench's query allocated.
 * Handled here: float64 sums, float64 min/max without nulls, int64 counts and sums without nulls
 * whose values add exactly as doubles (Σ|v| < 2^52). Anything else returns null, and the caller
 * merges that column from its concatenation as before.
 */
import { float64Output } from '../../util/output-memory.js'
import type { Col, Float64Col, Int64Col } from '../column.js'
import {
  addInt64AsDoubles,
  EXACT_IN_DOUBLES,
  int64AbsTotal,
  minMaxFloatChunks,
  sumFloatChunks,
  wordSumsToInt64,
} from './accumulate.js'

const wordsOf = (c: Int64Col): Int32Array => new Int32Array(c.values.buffer, c.values.byteOffset, 2 * c.length)

/** Int64 sums per group over the inputs one after the other, when they add exactly as doubles. */
function sumSmallInt64Chunks(chunks: readonly Int64Col[], ids: Int32Array, groups: number): Int64Col | null {
  if (chunks.reduce((total, c) => total + int64AbsTotal(wordsOf(c), 0, c.length), 0) >= EXACT_IN_DOUBLES) return null
  const acc = float64Output(groups)
  let at = 0
  for (const c of chunks) {
    addInt64AsDoubles(acc, ids.subarray(at, at + c.length), wordsOf(c), 0, c.length)
    at += c.length
  }
  return wordSumsToInt64(acc, null, null, at, groups)
}

/**
 * State column `suffix` (state.ts: 'min', 'max', 'count', or a sum) of every input merged per
 * group, or null when these inputs need the concatenated path.
 *
 * @example
 * const sums = mergeChunks([stateA.sum, stateB.sum], 'sum', grouping.ids, grouping.count)
 */
export function mergeChunks(chunks: readonly Col[], suffix: string, ids: Int32Array, groups: number): Col | null {
  if (chunks.every((c) => c.kind === 'float64')) {
    const floats = chunks as readonly Float64Col[]
    if (suffix === 'count') return null
    if (suffix === 'min' || suffix === 'max') {
      return floats.every((c) => c.valid === null) ? minMaxFloatChunks(floats, ids, groups, suffix === 'max') : null
    }
    return sumFloatChunks(floats, ids, groups)
  }
  if (chunks.every((c) => c.kind === 'int64') && suffix !== 'min' && suffix !== 'max') {
    const ints = chunks as readonly Int64Col[]
    const sums = ints.some((c) => c.valid !== null) ? null : sumSmallInt64Chunks(ints, ids, groups)
    return sums !== null && suffix === 'count' ? { ...sums, valid: null } : sums
  }
  return null
}
