/**
 * Float sums over forward-moving windows [start[k], end[k]) in O(n), without subtracting.
 *
 * A prefix-sum difference P[end] - P[start] is wrong for floats: after 1e20 the prefix no longer
 * sees a 1, and ∞ - ∞ is NaN where the frame holds no ∞ at all. This is the "two stacks" queue of
 * sliding-window aggregation instead: values enter at the back, where `back` sums them; when the
 * window's start passes the front, the values still in the window move to the front, where
 * `front[j]` holds the sum from j to the front's end. A window's sum is front[start] + back, each
 * a sum of the frame's own values, so it is exact whenever summing the frame in some order is.
 * Each value moves to the front at most once.
 */

/** Per position k, the sum of `values[start[k] … end[k] - 1]` (0 for an empty window). */
export function slidingSums(values: Float64Array, start: Int32Array, end: Int32Array): Float64Array {
  const n = start.length
  const out = new Float64Array(n)
  const front = new Float64Array(values.length)
  let mid = 0 // the front holds [start, mid), the back [mid, hi)
  let hi = 0
  let back = 0
  for (let k = 0; k < n; k++) {
    const s = start[k]!
    const e = end[k]!
    while (hi < e) back += values[hi++]!
    if (s >= mid) {
      let acc = 0
      for (let j = hi - 1; j >= s; j--) {
        acc += values[j]!
        front[j] = acc
      }
      mid = hi
      back = 0
    }
    out[k] = (s < mid ? front[s]! : 0) + back
  }
  return out
}
