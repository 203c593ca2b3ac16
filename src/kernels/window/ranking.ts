/**
 * Functions of a row's position in its partition and among its peers (frames do not apply):
 * row_number (1, 2, … in window order, ties in input order), rank (1 + rows before the first
 * peer), dense_rank (1 + peer groups before), percent_rank ((rank - 1) / (rows - 1), 0 for one
 * row), cume_dist (rows up to the last peer / rows) and ntile. Positions are int64 and fractions
 * float64, never null, as in DuckDB.
 */
import { float64Output } from '../../util/output-memory.js'
import type { Col } from '../column.js'
import { int64Col, int64Slots, setSafeInteger } from './int64-slots.js'
import type { WindowLayout } from './layout.js'
import type { NtileSpec, RankingSpec } from './spec.js'

/** Calls `visit` for every peer group [gs, ge) with its partition [ps, pe). */
function forEachPeerGroup(
  layout: WindowLayout,
  visit: (gs: number, ge: number, ps: number, pe: number, first: boolean) => void,
): void {
  const { partitions, peers } = layout
  let p = 0
  for (let g = 0; g + 1 < peers.length; g++) {
    const gs = peers[g]!
    while (partitions[p + 1]! <= gs) p++
    visit(gs, peers[g + 1]!, partitions[p]!, partitions[p + 1]!, gs === partitions[p])
  }
}

function positions(layout: WindowLayout, spec: RankingSpec | NtileSpec): Col {
  const { dest, partitions, n } = layout
  const slots = int64Slots(n)
  const h = slots.halves
  switch (spec.fn) {
    case 'rowNumber':
      for (let p = 0; p + 1 < partitions.length; p++) {
        const ps = partitions[p]!
        for (let k = ps; k < partitions[p + 1]!; k++) setSafeInteger(h, dest[k]!, k - ps + 1)
      }
      break
    case 'ntile':
      for (let p = 0; p + 1 < partitions.length; p++) ntile(h, dest, partitions[p]!, partitions[p + 1]!, spec.buckets)
      break
    case 'rank':
      forEachPeerGroup(layout, (gs, ge, ps) => {
        for (let k = gs; k < ge; k++) setSafeInteger(h, dest[k]!, gs - ps + 1)
      })
      break
    case 'denseRank': {
      let rank = 0
      forEachPeerGroup(layout, (gs, ge, _ps, _pe, first) => {
        rank = first ? 1 : rank + 1
        for (let k = gs; k < ge; k++) setSafeInteger(h, dest[k]!, rank)
      })
      break
    }
  }
  return int64Col(slots, null)
}

/**
 * DuckDB's (and PostgreSQL's) ntile: with `rows` rows and b = min(buckets, rows) buckets of
 * rows / b rows each, the first rows % b buckets take one row more.
 */
function ntile(halves: Int32Array, dest: Int32Array, ps: number, pe: number, buckets: number): void {
  const rows = pe - ps
  const b = Math.min(buckets, rows)
  const size = Math.floor(rows / b)
  const large = rows - b * size
  const inLarge = large * (size + 1)
  for (let k = ps; k < pe; k++) {
    const i = k - ps
    const tile = i < inLarge ? 1 + Math.floor(i / (size + 1)) : 1 + large + Math.floor((i - inLarge) / size)
    setSafeInteger(halves, dest[k]!, tile)
  }
}

function fractions(layout: WindowLayout, fn: 'percentRank' | 'cumeDist'): Col {
  const { dest, n } = layout
  const out = float64Output(n)
  forEachPeerGroup(layout, (gs, ge, ps, pe) => {
    const rows = pe - ps
    const x = fn === 'cumeDist' ? (ge - ps) / rows : rows === 1 ? 0 : (gs - ps) / (rows - 1)
    for (let k = gs; k < ge; k++) out[dest[k]!] = x
  })
  return { kind: 'float64', length: n, values: out, valid: null }
}

export function rankingColumn(layout: WindowLayout, spec: RankingSpec | NtileSpec): Col {
  return spec.fn === 'percentRank' || spec.fn === 'cumeDist' ? fractions(layout, spec.fn) : positions(layout, spec)
}
