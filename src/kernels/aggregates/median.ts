/**
 * median(x): exact, as DuckDB's `median` = `quantile_cont(x, 0.5)`: the middle value of the sorted
 * non-null values, or the interpolation `lo + (hi - lo) / 2` of the middle two for an even count.
 * NaN sorts above every number (as in DuckDB). A group with no values gives null.
 *
 * State: every non-null value of the group as float64 (a value list, see value-lists.ts); combine
 * concatenates lists, final sorts each group's values once. Memory is 8 bytes per non-null input
 * value, held at once by the final step; there is no approximate (t-digest) mode.
 */
import type { Col, Float64Col } from '../column.js'
import { asFloat64 } from './float-input.js'
import { concatLists, decodeLists, encodeLists, listsOf } from './value-lists.js'

export function partialMedian(input: Col, ids: Int32Array, groups: number): Col[] {
  return [encodeLists(asFloat64(input, 'median'), ids, groups)]
}

export function mergeMedian(states: readonly Col[], ids: Int32Array, groups: number): Col[] {
  return [concatLists(listsOf(states[0]!), ids, groups)]
}

export function finalMedian(states: readonly Col[]): Col {
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
    const lo = sorted[(n - 1) >> 1]!
    const hi = sorted[n >> 1]!
    out[g] = lo === hi ? lo : lo + (hi - lo) * 0.5
    valid[g] = 1
  }
  return { kind: 'float64', length: lists.length, values: out, valid }
}
