/**
 * Per-group accumulators over `ids` (row → group). Each returns one value per group as a `Col`.
 * The same functions serve the partial step (over input columns) and the combine step (over state
 * columns): merging sums is summing sums, merging counts is summing counts, min of mins.
 *
 * Exact integer sums without a BigInt per row: an int64 value is read as two 32-bit words
 * (lo unsigned, hi signed) and each word is summed in a double. A chunk of 2^20 rows cannot push
 * either sum past 2^53. One chunk (a partition, a combine of partials) is written out straight from
 * the word sums; past one chunk the words are folded after each chunk into an exact total per
 * touched group: a double while it is a safe integer, a BigInt (where int64 overflow is checked)
 * beyond. int32 values are their own lo word.
 */
import { TsdaskError } from '../../util/errors.js'
import { bigInt64Output, float64Output } from '../../util/output-memory.js'
import { overflowError } from '../arith.js'
import type { Col, Float64Col, Int64Col } from '../column.js'
import { compareFloat } from '../compare.js'
import { dictionaryRanks } from '../row-compare.js'
import { takeCol } from '../take.js'
import { compareBytes } from '../utf8.js'

const CHUNK = 1 << 20
const I64_MAX = 0x7fffffffffffffffn
const I64_MIN = -0x8000000000000000n

// Kept tiny and separate so V8 optimises this loop on its own: it is the whole cost of the bench.
function addInt32(acc: Float64Array, ids: Int32Array, values: Int32Array, start: number, end: number): void {
  for (let i = start; i < end; i++) acc[ids[i]!]! += values[i]!
}

const TWO_32 = 4294967296

/**
 * int64 results from exact per-group word sums (`lo` of unsigned low words, `hi` of signed high
 * words, both below 2^53): carry the low sum into the high word in doubles, write both words.
 * The int64 column is written over `lo`'s own buffer (slot g's double is read before its 8 bytes
 * are rewritten), so a sum or a count allocates one array per group, not two; `lo` is garbage after.
 */
export function wordSumsToInt64(
  lo: Float64Array,
  hi: Float64Array | null,
  seen: Uint8Array | null,
  n: number,
  groups: number,
): Int64Col {
  const words = new Int32Array(lo.buffer, lo.byteOffset, 2 * groups)
  for (let g = 0; g < groups; g++) {
    const l = lo[g]!
    const carry = Math.floor(l / TWO_32)
    const high = (hi === null ? 0 : hi[g]!) + carry
    if (high >= 2147483648 || high < -2147483648) {
      const t = BigInt(high) * 4294967296n + BigInt(l - carry * TWO_32)
      throw overflowError('sum', 'int64', `the sum ${t} of a group`)
    }
    words[2 * g] = (l - carry * TWO_32) | 0
    words[2 * g + 1] = high
  }
  const out = new BigInt64Array(lo.buffer, lo.byteOffset, groups)
  return { kind: 'int64', length: groups, values: out, valid: n === 0 ? new Uint8Array(groups) : seen }
}

// The same for int64 values as two words each (low unsigned, high signed), e.g. merging counts.
function addInt64Words(
  lo: Float64Array,
  hi: Float64Array,
  ids: Int32Array,
  words: Int32Array,
  start: number,
  end: number,
) {
  for (let i = start; i < end; i++) {
    const g = ids[i]!
    lo[g]! += words[2 * i]! >>> 0
    hi[g]! += words[2 * i + 1]!
  }
}

/**
 * Below this Σ|value|, int64 values and every partial sum of them are exact doubles: counts and
 * sums of counts always are, and such a sum needs one accumulator per group, not two.
 */
export const EXACT_IN_DOUBLES = 2 ** 52

/** Σ|value| over rows [start, end) of int64 words, one sequential pass (see EXACT_IN_DOUBLES). */
export function int64AbsTotal(words: Int32Array, start: number, end: number): number {
  let total = 0
  for (let i = start; i < end; i++) {
    const v = words[2 * i + 1]! * TWO_32 + (words[2 * i]! >>> 0)
    total += v < 0 ? -v : v
  }
  return total
}

export function addInt64AsDoubles(acc: Float64Array, ids: Int32Array, words: Int32Array, start: number, end: number) {
  for (let i = start; i < end; i++) acc[ids[i]!]! += words[2 * i + 1]! * TWO_32 + (words[2 * i]! >>> 0)
}

/**
 * Writes safe integers into an int64 array through its 32-bit halves: a BigInt per group would
 * cost more than the whole aggregation when nearly every row is its own group (q10).
 */
function writeSafeIntegers(out: BigInt64Array, values: Float64Array): void {
  const halves = new Int32Array(out.buffer, out.byteOffset, 2 * out.length)
  for (let g = 0; g < values.length; g++) {
    const t = values[g]!
    halves[2 * g] = t >>> 0
    halves[2 * g + 1] = Math.floor(t / 4294967296) | 0
  }
}

/** Sum of an int32 or int64 column per group; null where a group saw no non-null value. */
export function sumIntegers(col: Col, ids: Int32Array, groups: number): Int64Col {
  if (col.kind !== 'int32' && col.kind !== 'int64') {
    throw new TsdaskError('INTERNAL', `integer sum over ${col.kind}`)
  }
  const n = col.length
  const valid = col.valid
  // One chunk returns its int64 sums written over `lo` itself (wordSumsToInt64): an output buffer.
  const lo = float64Output(groups)
  const hi = col.kind === 'int64' ? new Float64Array(groups) : null
  const seen = valid === null ? null : new Uint8Array(groups)
  // Exact totals across chunks, needed only past one chunk (and for the one group of an empty input).
  const exact = new Float64Array(n > CHUNK || n === 0 ? groups : 0)
  const big = new Map<number, bigint>()
  const words = col.kind === 'int64' ? new Int32Array(col.values.buffer, col.values.byteOffset, 2 * n) : null
  const v32 = col.kind === 'int32' ? col.values : null
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK)
    if (v32 !== null && valid === null) addInt32(lo, ids, v32, start, end)
    else if (v32 !== null) {
      for (let i = start; i < end; i++) {
        if (!valid![i]) continue
        const g = ids[i]!
        lo[g]! += v32[i]!
        seen![g] = 1
      }
    } else if (valid === null && int64AbsTotal(words!, start, end) < EXACT_IN_DOUBLES)
      addInt64AsDoubles(lo, ids, words!, start, end)
    else if (valid === null) addInt64Words(lo, hi!, ids, words!, start, end)
    else {
      for (let i = start; i < end; i++) {
        if (!valid[i]) continue
        const g = ids[i]!
        lo[g]! += words![2 * i]! >>> 0
        hi![g]! += words![2 * i + 1]!
        if (seen !== null) seen[g] = 1
      }
    }
    // One chunk (a partition, a combine of partials): the word sums are exact; write them out
    // without a BigInt per group, which was most of the cost when groups are many.
    if (end === n && start === 0) return wordSumsToInt64(lo, hi, seen, n, groups)
    // Fold the chunk into exact totals; only groups whose word sums moved need it. A total stays a
    // double while it is a safe integer (exact), and becomes a BigInt only once it leaves that range.
    for (let g = 0; g < groups; g++) {
      const l = lo[g]!
      const h = hi === null ? 0 : hi[g]!
      if (l === 0 && h === 0) continue
      const part = h * TWO_32 + l
      const t = exact[g]! + part
      if ((big.size === 0 || !big.has(g)) && Number.isSafeInteger(part) && Number.isSafeInteger(t)) exact[g] = t
      else big.set(g, (big.get(g) ?? BigInt(exact[g]!)) + BigInt(h) * 4294967296n + BigInt(l))
      lo[g] = 0
      if (hi !== null) hi[g] = 0
    }
  }
  const out = bigInt64Output(groups)
  writeSafeIntegers(out, exact)
  for (const [g, t] of big) {
    if (t > I64_MAX || t < I64_MIN) throw overflowError('sum', 'int64', `the sum ${t} of a group`)
    out[g] = t
  }
  // Without nulls every group saw a row, except the one group of a global aggregate over no rows.
  return { kind: 'int64', length: groups, values: out, valid: n === 0 ? new Uint8Array(groups) : seen }
}

export function sumFloats(col: Col, ids: Int32Array, groups: number): Float64Col {
  if (col.kind !== 'float64') throw new TsdaskError('INTERNAL', `float sum over ${col.kind}`)
  return sumFloatChunks([col], ids, groups)
}

/**
 * Float sums per group over the rows of several columns taken one after the other (a combine's
 * inputs, merge-chunks.ts): row i of chunk c belongs to group ids[offset_c + i], and the sums add
 * in that order, as over the concatenation. Null where a group saw no non-null value.
 */
export function sumFloatChunks(chunks: readonly Float64Col[], ids: Int32Array, groups: number): Float64Col {
  const acc = float64Output(groups)
  const seen = chunks.some((c) => c.valid !== null) ? new Uint8Array(groups) : null
  let at = 0
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
  }
  return { kind: 'float64', length: groups, values: acc, valid: seen ?? (at === 0 ? new Uint8Array(groups) : null) }
}

/** Non-null values per group (`col` null: rows per group). Never null. */
export function countPerGroup(col: Col | null, ids: Int32Array, n: number, groups: number): Int64Col {
  const counts = float64Output(groups)
  const valid = col?.valid ?? null
  if (valid === null) for (let i = 0; i < n; i++) counts[ids[i]!]!++
  else for (let i = 0; i < n; i++) counts[ids[i]!]! += valid[i]!
  return wordSumsToInt64(counts, null, null, 1, groups)
}

/** Row holding the min (or max) of each group, -1 when none; ties keep the first row. */
function bestRows(col: Col, ids: Int32Array, groups: number, max: boolean): Int32Array {
  const best = new Int32Array(groups).fill(-1)
  const valid = col.valid
  const sign = max ? -1 : 1
  let better: (i: number, b: number) => boolean
  switch (col.kind) {
    case 'float64': {
      const v = col.values
      better = (i, b) => sign * compareFloat(v[i]!, v[b]!) < 0
      break
    }
    case 'int64':
    case 'timestamp[ms]': {
      const v = col.values
      better = max ? (i, b) => v[i]! > v[b]! : (i, b) => v[i]! < v[b]!
      break
    }
    case 'dict': {
      const ranks = dictionaryRanks(col.dict)
      const c = col.codes
      better = (i, b) => sign * (ranks[c[i]!]! - ranks[c[b]!]!) < 0
      break
    }
    case 'utf8': {
      const { offsets: o, bytes } = col
      better = (i, b) => sign * compareBytes(bytes, o[i]!, o[i + 1]!, bytes, o[b]!, o[b + 1]!) < 0
      break
    }
    default: {
      const v = col.values
      better = max ? (i, b) => v[i]! > v[b]! : (i, b) => v[i]! < v[b]!
    }
  }
  for (let i = 0; i < col.length; i++) {
    if (valid !== null && !valid[i]) continue
    const g = ids[i]!
    const b = best[g]!
    if (b < 0 || better(i, b)) best[g] = i
  }
  return best
}

/**
 * Min or max of float64 columns without nulls, per group, taken one after the other as in
 * sumFloatChunks (one column for a partial, a combine's inputs in merge-chunks.ts): one monomorphic loop per direction
 * that keeps the best value itself (the closure call per row of the general path was a fifth of a
 * group-by's time, and gathering the values from the best rows afterwards cost a column). Same
 * order as compareFloat, NaN above every number, with no branch on "first row of its group":
 * - min starts each group at NaN and takes x when x < best or best is NaN;
 * - max starts each group at -Infinity and takes x when x > best or x is NaN.
 * A tie never replaces, so the first of -0 and 0 stays, as in the row-based path.
 */
export function minMaxFloatChunks(
  chunks: readonly Float64Col[],
  ids: Int32Array,
  groups: number,
  max: boolean,
): Float64Col {
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

/** Min or max per group, in the input's own storage (a dictionary column keeps its dictionary). */
export function minMaxPerGroup(col: Col, ids: Int32Array, groups: number, max: boolean): Col {
  if (col.kind === 'float64' && col.valid === null) return minMaxFloatChunks([col], ids, groups, max)
  return takeCol(col, bestRows(col, ids, groups, max))
}
