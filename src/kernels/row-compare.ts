/**
 * Row comparators for sort, top-k and merge. A comparator is a strict total order on row indices of
 * one batch: keys in turn (nulls last unless `nullsFirst`, `descending` flips values but never
 * moves nulls), then the row index, so any sort using it is stable and its result unique.
 * Value order: numbers with NaN after every number (DuckDB), false < true, strings by UTF-8 bytes.
 * Dictionary strings compare by a rank computed once per dictionary entry.
 */
import type { RecordBatch } from 'apache-arrow'
import { columnData } from '../types/arrow-types.js'
import { TsdaskError } from '../util/errors.js'
import { type Col, readColumn, type Utf8Col } from './column.js'
import { compareFloat } from './compare.js'
import type { SortKey } from './physical-expr.js'
import { compareBytes } from './utf8.js'

export type RowComparator = (a: number, b: number) => number

/** Dense ranks of dictionary entries in byte order; equal strings share a rank. */
export function dictionaryRanks(dict: Utf8Col): Int32Array {
  const { offsets, bytes } = dict
  const order = Array.from({ length: dict.length }, (_, k) => k)
  const cmp = (x: number, y: number): number =>
    compareBytes(bytes, offsets[x]!, offsets[x + 1]!, bytes, offsets[y]!, offsets[y + 1]!)
  order.sort(cmp)
  const ranks = new Int32Array(dict.length)
  let rank = 0
  for (let k = 0; k < order.length; k++) {
    if (k > 0 && cmp(order[k - 1]!, order[k]!) !== 0) rank++
    ranks[order[k]!] = rank
  }
  return ranks
}

/** Compares the values of two non-null rows of one column. */
export function valueComparator(col: Col): RowComparator {
  switch (col.kind) {
    case 'bool':
    case 'int32':
    case 'date32': {
      const v = col.values
      return (a, b) => v[a]! - v[b]!
    }
    case 'float64': {
      const v = col.values
      return (a, b) => compareFloat(v[a]!, v[b]!)
    }
    case 'int64':
    case 'timestamp[ms]': {
      const v = col.values
      return (a, b) => {
        const x = v[a]!
        const y = v[b]!
        return x < y ? -1 : x > y ? 1 : 0
      }
    }
    case 'dict': {
      const ranks = dictionaryRanks(col.dict)
      const codes = col.codes
      return (a, b) => ranks[codes[a]!]! - ranks[codes[b]!]!
    }
    case 'utf8': {
      const { offsets, bytes } = col
      return (a, b) => compareBytes(bytes, offsets[a]!, offsets[a + 1]!, bytes, offsets[b]!, offsets[b + 1]!)
    }
  }
}

function keyComparator(col: Col, key: SortKey): RowComparator {
  const values = valueComparator(col)
  const sign = key.descending ? -1 : 1
  const valid = col.valid
  if (valid === null) return key.descending ? (a, b) => -values(a, b) : values
  const nullSide = key.nullsFirst ? -1 : 1
  return (a, b) => {
    const va = valid[a]!
    const vb = valid[b]!
    if (va & vb) return sign * values(a, b)
    if (va === vb) return 0
    return va ? -nullSide : nullSide
  }
}

function keyComparators(batch: RecordBatch, keys: readonly SortKey[]): RowComparator[] {
  return keys.map((k) => {
    if (k.index < 0 || k.index >= batch.numCols) {
      throw new TsdaskError('INTERNAL', `sort key #${k.index} out of range (batch has ${batch.numCols} columns)`)
    }
    return keyComparator(readColumn(columnData(batch, k.index)), k)
  })
}

/** The total order of `keys` over rows of `batch`, ties broken by row index. */
export function rowComparator(batch: RecordBatch, keys: readonly SortKey[]): RowComparator {
  const parts = keyComparators(batch, keys)
  if (parts.length === 1) {
    const only = parts[0]!
    return (a, b) => only(a, b) || a - b
  }
  return (a, b) => {
    for (let k = 0; k < parts.length; k++) {
      const c = parts[k]!(a, b)
      if (c !== 0) return c
    }
    return a - b
  }
}

/**
 * Whether two rows tie on every key (nulls tie with nulls; -0 with 0 and NaN with NaN, as the
 * sort orders them): the rows a stable sort leaves in input order, e.g. the peers of a window.
 */
export function rowsTie(batch: RecordBatch, keys: readonly SortKey[]): (a: number, b: number) => boolean {
  const parts = keyComparators(batch, keys)
  return (a, b) => {
    for (let k = 0; k < parts.length; k++) if (parts[k]!(a, b) !== 0) return false
    return true
  }
}
