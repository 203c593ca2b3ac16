/**
 * Public surface of the kernels: columnar compute over Arrow record batches, plus the op names
 * and argument types the task graph uses to call them.
 */
export type { Col } from './column.js'
export { readColumn, toData } from './column.js'
export { concatBatches } from './concat.js'
export { evaluate, evaluateCol } from './evaluate.js'
export { filterBatch } from './filter.js'
export { aggregateCombine } from './group-by/combine.js'
export { aggregateFinal } from './group-by/final.js'
export { aggregatePartial, aggregatePartialBuckets } from './group-by/partial.js'
export { stateColumns, stateNames } from './group-by/state.js'
export { mergeSorted } from './merge-sorted.js'
export * from './ops.js'
export { partitionByHash } from './partition-by-hash.js'
export type * from './physical-expr.js'
export { projectBatch } from './project.js'
export { limitBatches, sliceBatch } from './slice.js'
export { sortBatch, sortIndices } from './sort.js'
export { takeRows } from './take.js'
export { topK } from './top-k.js'
