/**
 * A naive row-by-row reference for the kernels' property tests: plain JS values, no typed arrays.
 * Order matches the engine: numbers with NaN after every number, strings by UTF-8 bytes, nulls last.
 */
import type { AggSpec, SortKey } from '../../src/kernels/physical-expr.js'
import type { Cell } from './helpers.js'

export function compareCells(a: Cell, b: Cell): number {
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b))
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1
    return a < b ? -1 : a > b ? 1 : 0
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  throw new Error(`cannot compare ${String(a)} and ${String(b)}`)
}

export function compareRowsBy(keys: readonly SortKey[]): (a: Cell[], b: Cell[]) => number {
  return (ra, rb) => {
    for (const k of keys) {
      const a = ra[k.index]!
      const b = rb[k.index]!
      if (a === null && b === null) continue
      if (a === null) return k.nullsFirst ? -1 : 1
      if (b === null) return k.nullsFirst ? 1 : -1
      const c = compareCells(a, b)
      if (c !== 0) return k.descending ? -c : c
    }
    return 0
  }
}

/** Stable sort (Array.prototype.sort is stable). */
export function naiveSort(rows: Cell[][], keys: readonly SortKey[]): Cell[][] {
  return [...rows].sort(compareRowsBy(keys))
}

function keyOf(cells: Cell[]): string {
  return JSON.stringify(cells.map((c) => (typeof c === 'bigint' ? `${c}n` : Number.isNaN(c) ? 'NaN' : c === 0 ? 0 : c)))
}

export function naiveAggregate(rows: Cell[][], keyIndexes: number[], aggs: readonly AggSpec[]): Cell[][] {
  const groups = new Map<string, { key: Cell[]; rows: Cell[][] }>()
  for (const r of rows) {
    const key = keyIndexes.map((k) => r[k]!)
    const id = keyOf(key)
    const g = groups.get(id) ?? { key, rows: [] }
    g.rows.push(r)
    groups.set(id, g)
  }
  if (keyIndexes.length === 0 && groups.size === 0) groups.set('[]', { key: [], rows: [] })
  const out = [...groups.values()].map(({ key, rows: rs }) => [
    ...key,
    ...aggs.map((a) => {
      if (a.fn === 'countAll') return BigInt(rs.length)
      const vals = rs.map((r) => r[a.input!]!).filter((v) => v !== null)
      switch (a.fn) {
        case 'count':
          return BigInt(vals.length)
        case 'sum':
          if (vals.length === 0) return null
          if (a.inputDType === 'float64') return (vals as number[]).reduce((s, v) => s + v, 0)
          return vals.reduce<bigint>((s, v) => s + BigInt(v as number | bigint), 0n)
        case 'mean':
          if (vals.length === 0) return null
          return vals.reduce<number>((s, v) => s + Number(v), 0) / vals.length
        case 'min':
        case 'max': {
          if (vals.length === 0) return null
          let best = vals[0]!
          for (const v of vals) {
            const c = compareCells(v, best)
            if (a.fn === 'min' ? c < 0 : c > 0) best = v
          }
          return best
        }
      }
      throw new Error('unreachable')
    }),
  ])
  const sortKeys = keyIndexes.map((_, index) => ({ index, descending: false, nullsFirst: false }))
  return naiveSort(out, sortKeys)
}
