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
import { wordSumsToInt64 } from './accumulate.js'

const TWO_32 = 4294967296

function sumFloatChunks(chunks: readonly Float64Col[], ids: Int32Array, groups: number): Float64Col {
  const acc = float64Output(groups)
  const anyNull = chunks.some((c) => c.valid !== null)
  const seen = anyNull ? new Uint8Array(groups) : null
  let at = 0
  let rows = 0
  for (const { values, valid, length } of chunks) {
    if (valid === null) {
      for (let i = 0; i < length; i++) acc[ids[at + i]!]! += values[i]!
      if (seen !== null) for (let i = 0; i < length; i++) seen[ids[at + i]!] = 1
    } else {
      for (let i = 0; i < length; i++) {
        if (!valid[i]) continue
        const g = ids[at + i]!
        acc[g]! += values[i]!
        seen![g] = 1
      }
    }
    at += length
    rows += length
  }
  return { kind: 'float64', length: groups, values: acc, valid: seen ?? (rows === 0 ? new Uint8Array(groups) : null) }
}

/** The same order as minMaxPerGroup's float path: NaN above every number, ties keep the first. */
function minMaxFloatChunks(chunks: readonly Float64Col[], ids: Int32Array, groups: number, max: boolean): Float64Col {
  const seen = new Uint8Array(groups)
  const best = float64Output(groups).fill(max ? Number.NEGATIVE_INFINITY : Number.NaN)
  let at = 0
  for (const { values, length } of chunks) {
    if (max) {
      for (let i = 0; i < length; i++) {
        const g = ids[at + i]!
        const x = values[i]!
        if (x > best[g]! || Number.isNaN(x)) best[g] = x
        seen[g] = 1
      }
    } else {
      for (let i = 0; i < length; i++) {
        const g = ids[at + i]!
        const x = values[i]!
        const y = best[g]!
        if (x < y || Number.isNaN(y)) best[g] = x
        seen[g] = 1
      }
    }
    at += length
  }
  let fresh = 0
  for (let g = 0; g < groups; g++) fresh += seen[g]!
  return { kind: 'float64', length: groups, values: best, valid: fresh === groups ? null : seen }
}

const wordsOf = (c: Int64Col): Int32Array => new Int32Array(c.values.buffer, c.values.byteOffset, 2 * c.length)

/** Σ|v| over every chunk below 2^52: each value and each partial sum is then an exact double. */
function smallTotal(chunks: readonly Int64Col[]): boolean {
  let total = 0
  for (const c of chunks) {
    const words = wordsOf(c)
    for (let i = 0; i < c.length; i++) {
      const v = words[2 * i + 1]! * TWO_32 + (words[2 * i]! >>> 0)
      total += v < 0 ? -v : v
    }
  }
  return total < 2 ** 52
}

function sumSmallInt64Chunks(chunks: readonly Int64Col[], ids: Int32Array, groups: number): Int64Col {
  const acc = float64Output(groups)
  let at = 0
  let rows = 0
  for (const c of chunks) {
    const words = wordsOf(c)
    for (let i = 0; i < c.length; i++) acc[ids[at + i]!]! += words[2 * i + 1]! * TWO_32 + (words[2 * i]! >>> 0)
    at += c.length
    rows += c.length
  }
  return wordSumsToInt64(acc, null, null, rows, groups)
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
    if (ints.some((c) => c.valid !== null) || !smallTotal(ints)) return null
    const sums = sumSmallInt64Chunks(ints, ids, groups)
    return suffix === 'count' ? { ...sums, valid: null } : sums
  }
  return null
}
