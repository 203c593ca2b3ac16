/**
 * Join kernels: hash joins (inner, left, right, full, semi, anti) on one or many keys, with either
 * side built, and cross joins for small sides. `hashJoin`/`crossJoin` take batches and JSON-safe
 * arguments (what a task runs); `joinIndices`, `joinOutputColumns` and `assembleJoin` are the steps
 * inside, for callers that need the row pairs or the output schema alone.
 */

export {
  DEFAULT_JOIN_SUFFIX,
  type JoinColumnSource,
  type JoinOutputColumn,
  type JoinOutputOptions,
  joinOutputColumns,
} from '../../types/join-columns.js'
export {
  checkJoinHow,
  DEFAULT_CROSS_JOIN_MAX_ROWS,
  DEFAULT_JOIN_MAX_ROWS,
  JOIN_HOWS,
  type JoinHow,
  type JoinIndices,
  type JoinSide,
  keepsUnmatched,
  outputsRight,
} from '../../types/join-how.js'
export { assembleJoin } from './assemble.js'
export { checkJoinKeys, type KeyNames } from './check-keys.js'
export { crossJoinIndices } from './cross.js'
export {
  type CrossJoinArgs,
  crossJoin,
  type HashJoinArgs,
  hashJoin,
  type JoinInput,
  joinSideBatch,
  schemaOfBatch,
} from './hash-join.js'
export { type JoinIndicesOptions, joinIndices } from './join-indices.js'
