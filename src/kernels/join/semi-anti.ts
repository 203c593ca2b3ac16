/**
 * Semi and anti joins: the left rows that have (semi) or lack (anti) a right row with an equal key,
 * each at most once, in left order. Only whether a key occurs on the right matters, so which side
 * was "built" changes nothing here. A left row with a null key matches nothing: anti keeps it, as
 * `NOT EXISTS` does (SQL's `NOT IN`, which returns no row when the right side holds a null, is a
 * different operator the plan layer must build from this one).
 */
export function semiAntiRows(leftIds: Int32Array, rightIds: Int32Array, count: number, anti: boolean): Int32Array {
  const present = new Uint8Array(count)
  for (let i = 0; i < rightIds.length; i++) {
    const g = rightIds[i]!
    if (g >= 0) present[g] = 1
  }
  const n = leftIds.length
  const keep = new Uint8Array(n)
  let total = 0
  for (let i = 0; i < n; i++) {
    const g = leftIds[i]!
    const has = g >= 0 && present[g] === 1
    if (has !== anti) {
      keep[i] = 1
      total++
    }
  }
  const out = new Int32Array(total)
  let o = 0
  for (let i = 0; i < n; i++) if (keep[i]) out[o++] = i
  return out
}
