/**
 * Compares tsdask's result with DuckDB's the way DuckDB's own tests do (sqllogictest's
 * `rowsort` / `nosort`):
 *
 * - types: each column's dtype must match (integers by width, after print-sql.ts's casts);
 * - values: floats within a relative 1e-9 (sums and moments add in another order), NaN equal to
 *   NaN, integers exactly as bigint, dates and timestamps as epoch milliseconds, NULL only equal
 *   to NULL;
 * - order: without ORDER BY the rows compare as multisets. With ORDER BY, the sort keys must come
 *   in DuckDB's order, and the rows of each run of equal keys compare as multisets (a sort need
 *   not keep any order among ties). A top-level LIMIT / OFFSET may cut a run of ties anywhere:
 *   the rows of a cut run (the first when there is an OFFSET, the last when there is a LIMIT)
 *   need only be rows DuckDB has for those keys without the LIMIT. Without ORDER BY, a LIMIT's
 *   rows need only be a sub-multiset of the unlimited result.
 */
import { type Result, type ResultType, showRow, type Value } from './result.js'

export interface Ordering {
  /** Output column indexes of the ORDER BY keys. */
  readonly keys: readonly number[]
}

export interface Expected {
  /** DuckDB's answer to the query as written. */
  readonly limited: Result
  /**
   * DuckDB's answer without the top-level LIMIT / OFFSET (the same object when there is none);
   * undefined when DuckDB fails without the LIMIT (rows past it fail): then cut runs go unchecked.
   */
  readonly full?: Result
  readonly ordering?: Ordering
  readonly hasLimit: boolean
  readonly hasOffset: boolean
  /** The CLI's CSV output cannot tell '' from NULL. */
  readonly emptyIsNull?: boolean
}

const REL_TOLERANCE = 1e-9

export function sameValue(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b)
    if (a === b) return true
    if (!Number.isFinite(a) || !Number.isFinite(b)) return false
    return Math.abs(a - b) <= REL_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b))
  }
  return a === b
}

function sameRow(a: readonly Value[], b: readonly Value[]): boolean {
  return a.length === b.length && a.every((v, i) => sameValue(v, b[i]!))
}

function identicalValue(a: Value, b: Value): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b))
}

function identicalRow(a: readonly Value[], b: readonly Value[]): boolean {
  return a.length === b.length && a.every((v, i) => identicalValue(v, b[i]!))
}

/**
 * Greedy matching of rows: what is left on each side (empty both: equal multisets). Identical rows
 * pair first, then rows equal within the tolerance: first-fit within the tolerance alone would pair
 * 2999999997.25 with 2999999999.25 (1e-9 relative is 3 at that size) and leave two rows unpaired
 * that each have an identical partner (fuzz seed 9001 path 410).
 */
function unmatched(
  actual: readonly (readonly Value[])[],
  expected: readonly (readonly Value[])[],
): { extra: (readonly Value[])[]; missing: (readonly Value[])[] } {
  const missing = [...expected]
  const pair = (rows: readonly (readonly Value[])[], same: typeof sameRow) => {
    const left: (readonly Value[])[] = []
    for (const row of rows) {
      const at = missing.findIndex((e) => same(row, e))
      if (at >= 0) missing.splice(at, 1)
      else left.push(row)
    }
    return left
  }
  return { extra: pair(pair(actual, identicalRow), sameRow), missing }
}

function emptyToNull(result: Result): Result {
  return {
    ...result,
    rows: result.rows.map((row) => row.map((v, i) => (result.types[i] === 'utf8' && v === '' ? null : v))),
  }
}

/** A description of the first difference, or undefined when the results agree. */
export function compareResults(actualIn: Result, expected: Expected): string | undefined {
  const actual = expected.emptyIsNull ? emptyToNull(actualIn) : actualIn
  const limited = expected.emptyIsNull ? emptyToNull(expected.limited) : expected.limited
  const full = expected.full && expected.emptyIsNull ? emptyToNull(expected.full) : expected.full
  const types = limited.types
  if (actual.types.length !== types.length) {
    return `${actual.types.length} columns, DuckDB has ${types.length} (${limited.names.join(', ')})`
  }
  const typeDiff = actual.types.findIndex((t, i) => !sameType(t, types[i]!))
  if (typeDiff >= 0) {
    return `column ${typeDiff + 1} (${limited.names[typeDiff]}): tsdask gives ${actual.types[typeDiff]}, DuckDB ${types[typeDiff]}`
  }
  const show = (rows: readonly (readonly Value[])[]) => rows.map((r) => `  ${showRow(r, types)}`).join('\n')
  if (actual.rows.length !== limited.rows.length) {
    const { extra, missing } = unmatched(actual.rows, limited.rows)
    return [
      `${actual.rows.length} rows, DuckDB ${limited.rows.length}`,
      ...(extra.length > 0 ? [`only in tsdask:\n${show(extra.slice(0, 8))}`] : []),
      ...(missing.length > 0 ? [`only in DuckDB:\n${show(missing.slice(0, 8))}`] : []),
    ].join('\n')
  }
  if (!expected.ordering) {
    const cut = expected.hasLimit || expected.hasOffset
    if (cut && !full) return undefined
    const { extra, missing } = unmatched(actual.rows, cut ? full!.rows : limited.rows)
    if (extra.length === 0 && (cut || missing.length === 0)) return undefined
    return [
      cut
        ? 'rows that DuckDB does not have (LIMIT without ORDER BY: any rows may be kept)'
        : 'rows differ (as multisets)',
      ...(extra.length > 0 ? [`only in tsdask:\n${show(extra.slice(0, 8))}`] : []),
      ...(missing.length > 0 && !cut ? [`only in DuckDB:\n${show(missing.slice(0, 8))}`] : []),
    ].join('\n')
  }
  return compareOrdered(actual.rows, limited.rows, full?.rows, expected, show)
}

function sameType(a: ResultType, b: ResultType): boolean {
  return a === b
}

function compareOrdered(
  actual: readonly (readonly Value[])[],
  limited: readonly (readonly Value[])[],
  full: readonly (readonly Value[])[] | undefined,
  expected: Expected,
  show: (rows: readonly (readonly Value[])[]) => string,
): string | undefined {
  const keys = expected.ordering!.keys
  const keyOf = (row: readonly Value[]) => keys.map((k) => row[k]!)
  for (let i = 0; i < actual.length; i++) {
    if (!sameRow(keyOf(actual[i]!), keyOf(limited[i]!))) {
      return [
        `sort keys differ at row ${i + 1} (ORDER BY columns ${keys.map((k) => k + 1).join(', ')})`,
        `tsdask rows ${Math.max(0, i - 2) + 1}…:\n${show(actual.slice(Math.max(0, i - 2), i + 3))}`,
        `DuckDB rows ${Math.max(0, i - 2) + 1}…:\n${show(limited.slice(Math.max(0, i - 2), i + 3))}`,
      ].join('\n')
    }
  }
  let start = 0
  while (start < actual.length) {
    let end = start + 1
    const key = keyOf(limited[start]!)
    while (end < actual.length && sameRow(keyOf(limited[end]!), key)) end++
    const cut = (start === 0 && expected.hasOffset) || (end === actual.length && expected.hasLimit)
    if (cut && !full) {
      start = end
      continue
    }
    const candidates = cut ? full!.filter((row) => sameRow(keyOf(row), key)) : limited.slice(start, end)
    const { extra, missing } = unmatched(actual.slice(start, end), candidates)
    if (extra.length > 0 || (!cut && missing.length > 0)) {
      return [
        `rows ${start + 1}–${end} (equal sort keys ${showRow(key)}) differ${cut ? ' (run cut by LIMIT/OFFSET)' : ''}`,
        ...(extra.length > 0 ? [`only in tsdask:\n${show(extra.slice(0, 8))}`] : []),
        ...(missing.length > 0 && !cut ? [`only in DuckDB:\n${show(missing.slice(0, 8))}`] : []),
      ].join('\n')
    }
    start = end
  }
  return undefined
}
