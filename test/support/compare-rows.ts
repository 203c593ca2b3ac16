/**
 * Comparing query results the way the property tests need: in order when the pipeline defines
 * one, as multisets otherwise; floats with relative tolerance 1e-9 (sums may be added in another
 * order), NaN equal to NaN, -0 equal to 0.
 */

export type Record_ = Record<string, unknown>

function sameValue(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b)
    if (a === b) return true
    if (!Number.isFinite(a) || !Number.isFinite(b)) return false
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime()
  return a === b
}

/** A sort key for multiset comparison that float rounding cannot reorder. */
function canonical(row: Record_): string {
  return JSON.stringify(Object.values(row), (_, v) =>
    typeof v === 'bigint'
      ? `${v}n`
      : typeof v === 'number'
        ? Number.isFinite(v)
          ? Number(v.toPrecision(7)) || 0
          : String(v)
        : v,
  )
}

function show(rows: readonly Record_[]): string {
  return rows
    .map((r) =>
      JSON.stringify(r, (_, v) =>
        typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
      ),
    )
    .join('\n')
}

/** Throws a readable error when the two results differ. */
export function expectSameRows(
  actual: readonly Record_[],
  expected: readonly Record_[],
  ordered: boolean,
  what: string,
): void {
  const sort = (rows: readonly Record_[]) =>
    ordered ? rows : [...rows].sort((x, y) => (canonical(x) < canonical(y) ? -1 : canonical(x) > canonical(y) ? 1 : 0))
  const a = sort(actual)
  const e = sort(expected)
  const fail = (why: string) => {
    throw new Error(
      `${what}: ${why}${ordered ? ' (ordered)' : ' (as multisets)'}\nactual:\n${show(a)}\nexpected:\n${show(e)}`,
    )
  }
  if (a.length !== e.length) fail(`${a.length} rows instead of ${e.length}`)
  a.forEach((row, i) => {
    const want = e[i] as Record_
    const keys = Object.keys(row)
    if (keys.join(',') !== Object.keys(want).join(',')) fail(`columns [${keys}] instead of [${Object.keys(want)}]`)
    for (const k of keys)
      if (!sameValue(row[k], want[k])) fail(`row ${i}, column ${k}: ${String(row[k])} vs ${String(want[k])}`)
  })
}
