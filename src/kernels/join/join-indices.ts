/**
 * The row pairs of a hash join on key columns: `joinIndices(leftKeys, rightKeys, how, { build })`.
 *
 * Order (deterministic, documented because callers and tests rely on it):
 * - inner/left/right/full: probe rows in order, and for each the matching build rows in build
 *   order; a probe row without a match appears once beside -1 when its side keeps unmatched rows;
 *   then, when the build side keeps unmatched rows, its rows that matched nothing, in build order.
 *   So with the default `build: 'right'`, an inner or left join lists left rows in left order.
 * - semi/anti: left rows in left order, each at most once, whichever side is built.
 */

import {
  checkJoinHow,
  DEFAULT_JOIN_MAX_ROWS,
  type JoinHow,
  type JoinIndices,
  type JoinSide,
  keepsUnmatched,
} from '../../types/join-how.js'
import type { Col } from '../column.js'
import { bucketBuildRows } from './build-buckets.js'
import { checkJoinKeys, type KeyNames } from './check-keys.js'
import { joinKeyIds } from './key-ids.js'
import { matchPairs } from './match-pairs.js'
import { semiAntiRows } from './semi-anti.js'

export interface JoinIndicesOptions {
  /** The side the hash table is built on (the smaller or broadcast side); default 'right'. */
  readonly build?: JoinSide
  /** Above this many output rows the join throws instead of allocating (default 2^28). */
  readonly maxRows?: number
  /** Names of the key columns, for error messages. */
  readonly keyNames?: KeyNames
}

export function joinIndices(
  leftKeys: readonly Col[],
  rightKeys: readonly Col[],
  how: JoinHow,
  options: JoinIndicesOptions = {},
): JoinIndices {
  checkJoinHow(how)
  checkJoinKeys(leftKeys, rightKeys, options.keyNames)
  const build = options.build ?? 'right'
  const probe: JoinSide = build === 'left' ? 'right' : 'left'
  const ids = build === 'left' ? joinKeyIds(leftKeys, rightKeys) : joinKeyIds(rightKeys, leftKeys)
  if (how === 'semi' || how === 'anti') {
    const leftIds = build === 'left' ? ids.build : ids.probe
    const rightIds = build === 'left' ? ids.probe : ids.build
    return { left: semiAntiRows(leftIds, rightIds, ids.count, how === 'anti'), right: null }
  }
  const pairs = matchPairs(ids, bucketBuildRows(ids.build, ids.count), {
    probeKeepsUnmatched: keepsUnmatched(how, probe),
    buildKeepsUnmatched: keepsUnmatched(how, build),
    maxRows: options.maxRows ?? DEFAULT_JOIN_MAX_ROWS,
  })
  return build === 'left' ? { left: pairs.build, right: pairs.probe } : { left: pairs.probe, right: pairs.build }
}
