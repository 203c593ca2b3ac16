/**
 * The build side's rows grouped by key id, in compressed form: the rows of id `g` are
 * `rows[start[g] … start[g + 1])`, in build order. A counting sort makes it in two passes with no
 * per-key objects; rows whose key is null (id -1) are left out, since they never match.
 */
export interface BuildBuckets {
  /** `count + 1` offsets into `rows`. */
  readonly start: Int32Array
  readonly rows: Int32Array
}

export function bucketBuildRows(ids: Int32Array, count: number): BuildBuckets {
  const n = ids.length
  const start = new Int32Array(count + 1)
  for (let i = 0; i < n; i++) {
    const g = ids[i]!
    if (g >= 0) start[g + 1]!++
  }
  for (let g = 0; g < count; g++) start[g + 1]! += start[g]!
  const rows = new Int32Array(start[count]!)
  const next = start.slice(0, count)
  for (let i = 0; i < n; i++) {
    const g = ids[i]!
    if (g >= 0) rows[next[g]!++] = i
  }
  return { start, rows }
}
