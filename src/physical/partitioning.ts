/**
 * How a physical operator's rows are spread over its output partitions, and what an operator
 * needs of its input's spread (DataFusion's `Partitioning` / `Distribution`, dask-expr's
 * partitioning-aware lowering). The planner compares the two and inserts an exchange (a shuffle,
 * a gather or a broadcast) only when the input does not already satisfy the need: an aggregate
 * over data already hash-partitioned on its keys, or a join of two inputs partitioned alike, moves
 * no rows.
 */
import type { SortKeySpec } from '../plan/plan.js'

export type Partitioning =
  /** `n` partitions, nothing known about which rows are where (a scan's chunks). */
  | { readonly kind: 'unknown'; readonly n: number }
  /** One partition holds every row. */
  | { readonly kind: 'single' }
  /** Rows with equal values of `keys` (nulls equal) are in the same one of `n` partitions. */
  | { readonly kind: 'hash'; readonly keys: readonly string[]; readonly n: number }
  /** Partition i's rows all sort before partition i+1's, by `keys`. */
  | { readonly kind: 'range'; readonly keys: readonly SortKeySpec[]; readonly n: number }

/** What an operator needs of its input. */
export type Distribution =
  /** Anything: the operator works partition by partition. */
  | { readonly kind: 'any' }
  /** All rows in one partition. */
  | { readonly kind: 'single' }
  /** Rows with equal `keys` together (any hash or a single partition will do). */
  | { readonly kind: 'clustered'; readonly keys: readonly string[] }

export function partitionCount(p: Partitioning): number {
  return p.kind === 'single' ? 1 : p.n
}

/** One partition of anything is `single`, whatever produced it: it satisfies every need. */
export function normalized(p: Partitioning): Partitioning {
  return p.kind !== 'single' && p.n === 1 ? { kind: 'single' } : p
}

/**
 * Whether rows spread as `p` already meet `need`. Hash partitioning on keys K clusters any
 * superset of K (rows equal on the superset are equal on K); a range partitioning does too, on
 * its keys, but only for exactly those columns (ranges may split equal prefixes otherwise).
 */
export function satisfies(p: Partitioning, need: Distribution): boolean {
  if (need.kind === 'any' || p.kind === 'single') return true
  if (need.kind === 'single') return false
  if (p.kind === 'hash') return p.keys.length > 0 && p.keys.every((k) => need.keys.includes(k))
  if (p.kind === 'range') {
    const columns = p.keys.map((k) => k.column)
    return columns.length > 0 && columns.every((k) => need.keys.includes(k))
  }
  return false
}

/**
 * The partitioning after columns are renamed or dropped (`rename` maps an input column to its
 * output name, or undefined when the column does not survive): a key that does not survive makes
 * the partitioning unknown.
 */
export function renamePartitioning(p: Partitioning, rename: (column: string) => string | undefined): Partitioning {
  if (p.kind === 'hash') {
    const keys = p.keys.map(rename)
    return keys.every((k) => k !== undefined) ? { ...p, keys: keys as string[] } : { kind: 'unknown', n: p.n }
  }
  if (p.kind === 'range') {
    const keys = p.keys.map((k) => {
      const column = rename(k.column)
      return column === undefined ? undefined : { ...k, column }
    })
    return keys.every((k) => k !== undefined) ? { ...p, keys: keys as SortKeySpec[] } : { kind: 'unknown', n: p.n }
  }
  return p
}

/** The longest prefix of `ordering` whose columns survive, renamed. */
export function renameOrdering(
  ordering: readonly SortKeySpec[],
  rename: (column: string) => string | undefined,
): SortKeySpec[] {
  const out: SortKeySpec[] = []
  for (const k of ordering) {
    const column = rename(k.column)
    if (column === undefined) break
    out.push({ ...k, column })
  }
  return out
}

export function describePartitioning(p: Partitioning): string {
  switch (p.kind) {
    case 'unknown':
      return `${p.n} partition${p.n === 1 ? '' : 's'}`
    case 'single':
      return '1 partition'
    case 'hash':
      return `hash(${p.keys.join(', ')}) × ${p.n}`
    case 'range':
      return `range(${p.keys.map(describeSortKey).join(', ')}) × ${p.n}`
  }
}

export function describeSortKey(k: SortKeySpec): string {
  return `${k.column} ${k.descending ? 'DESC' : 'ASC'}${k.nullsFirst ? ' NULLS FIRST' : ''}`
}
