/**
 * Exact quantiles, as DuckDB computes them, over the sorted non-null values of a group (NaN sorts
 * above every number, as in DuckDB). A group with no values gives null.
 * - continuous (`quantile_cont(x, q)`; `median(x)` is q = 0.5): the position `rn = (n - 1) * q`,
 *   interpolated linearly between the values at `floor(rn)` and `ceil(rn)`: `lo + (hi - lo) * (rn - floor(rn))`.
 * - discrete (`quantile_disc(x, q)`): the value at 0-based position `max(ceil(n * q), 1) - 1`, the
 *   SQL standard's PERCENTILE_DISC (the first value whose cumulative share reaches q): no interpolation.
 *
 * State: every non-null value of the group as float64 (a value list, see value-lists.ts); combine
 * concatenates lists, final sorts each group's values once. Memory is 8 bytes per non-null input
 * value, held at once by the final step; there is no approximate (t-digest) mode.
 */
import type { Col, Float64Col } from '../column.js'
import { asFloat64 } from './float-input.js'
import { concatLists, decodeLists, encodeLists, listsOf } from './value-lists.js'

export type QuantileMethod = 'continuous' | 'discrete'

export function partialQuantile(input: Col, ids: Int32Array, groups: number, what: string): Col[] {
  return [encodeLists(asFloat64(input, what), ids, groups)]
}

export function mergeQuantile(states: readonly Col[], ids: Int32Array, groups: number): Col[] {
  return [concatLists(listsOf(states[0]!), ids, groups)]
}

export function finalQuantile(states: readonly Col[], q: number, method: QuantileMethod): Col {
  const lists = listsOf(states[0]!)
  const { values, counts } = decodeLists(lists, 'float64')
  const all = (values as Float64Col).values
  const out = new Float64Array(lists.length)
  const valid = new Uint8Array(lists.length)
  for (let g = 0, start = 0; g < lists.length; start += counts[g]!, g++) {
    const n = counts[g]!
    if (n === 0) continue
    // Typed-array sort is numeric with NaN last: DuckDB's order for doubles.
    const sorted = all.subarray(start, start + n).sort()
    out[g] = method === 'discrete' ? sorted[discreteIndex(n, q)]! : interpolate(sorted, q)
    valid[g] = 1
  }
  return { kind: 'float64', length: lists.length, values: out, valid }
}

/** DuckDB's form of `max(ceil(n * q), 1) - 1`, which `n * q` rounding up (10 * 0.3) does not push one too far. */
function discreteIndex(n: number, q: number): number {
  return Math.max(1, n - Math.floor(n - q * n)) - 1
}

function interpolate(sorted: Float64Array, q: number): number {
  const rn = (sorted.length - 1) * q
  const below = Math.floor(rn)
  const lo = sorted[below]!
  const hi = sorted[Math.ceil(rn)]!
  // Equal ends (including two equal infinities) need no interpolation, which would give NaN.
  return lo === hi ? lo : lo + (hi - lo) * (rn - below)
}
