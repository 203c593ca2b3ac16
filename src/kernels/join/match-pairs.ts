/**
 * The row pairs of an inner or outer hash join, in build/probe terms. Order: probe rows in order,
 * and for each the build rows with its key in build order (a probe row without a match appears
 * once, beside -1, when the probe side keeps unmatched rows); then, when the build side keeps
 * unmatched rows, every build row that matched nothing (null keys included), in build order.
 *
 * Two passes over the probe side: the first counts the output (and marks matched keys), so the
 * row guard fires before anything large is allocated and the output arrays are allocated once.
 */

import { checkOutputRows } from '../../types/join-how.js'
import type { BuildBuckets } from './build-buckets.js'
import type { KeyIds } from './key-ids.js'

export interface BuildProbePairs {
  readonly build: Int32Array
  readonly probe: Int32Array
}

export interface PairOptions {
  readonly probeKeepsUnmatched: boolean
  readonly buildKeepsUnmatched: boolean
  readonly maxRows: number
}

export function matchPairs(ids: KeyIds, buckets: BuildBuckets, options: PairOptions): BuildProbePairs {
  const { start, rows } = buckets
  const probeIds = ids.probe
  const np = probeIds.length
  const probeOuter = options.probeKeepsUnmatched
  const matched = options.buildKeepsUnmatched ? new Uint8Array(ids.count) : null
  let total = 0
  for (let i = 0; i < np; i++) {
    const g = probeIds[i]!
    const c = g < 0 ? 0 : start[g + 1]! - start[g]!
    if (c > 0) {
      total += c
      if (matched !== null) matched[g] = 1
    } else if (probeOuter) total++
  }
  const unmatchedBuild = matched === null ? 0 : countUnmatched(ids.build, matched)
  checkOutputRows(
    'this join',
    total + unmatchedBuild,
    options.maxRows,
    'Keys that repeat on both sides multiply rows; deduplicate or filter a side first',
  )
  const outBuild = new Int32Array(total + unmatchedBuild)
  const outProbe = new Int32Array(total + unmatchedBuild)
  let o = 0
  for (let i = 0; i < np; i++) {
    const g = probeIds[i]!
    const s = g < 0 ? 0 : start[g]!
    const e = g < 0 ? 0 : start[g + 1]!
    if (s < e) {
      for (let k = s; k < e; k++) {
        outProbe[o] = i
        outBuild[o++] = rows[k]!
      }
    } else if (probeOuter) {
      outProbe[o] = i
      outBuild[o++] = -1
    }
  }
  if (matched !== null) {
    const buildIds = ids.build
    for (let i = 0; i < buildIds.length; i++) {
      const g = buildIds[i]!
      if (g < 0 || !matched[g]) {
        outProbe[o] = -1
        outBuild[o++] = i
      }
    }
  }
  return { build: outBuild, probe: outProbe }
}

function countUnmatched(buildIds: Int32Array, matched: Uint8Array): number {
  let c = 0
  for (let i = 0; i < buildIds.length; i++) {
    const g = buildIds[i]!
    if (g < 0 || !matched[g]) c++
  }
  return c
}
