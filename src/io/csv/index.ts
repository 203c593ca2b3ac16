/**
 * The CSV reader: plan byte-range chunks (cheap, on the main thread), infer a schema from a sample,
 * and read each chunk in a worker into one Arrow RecordBatch of only the requested columns.
 */

export { expandPaths } from './glob.js'
export { type InferredCsvSchema, inferCsvSchema } from './infer.js'
export { type CsvOpName, CsvOps, runReadCsv } from './ops.js'
export { type CsvOptions, DEFAULT_NULL_VALUES, DEFAULT_SAMPLE_BYTES } from './options.js'
export { type CsvChunk, planCsvChunks } from './plan-chunks.js'
export { type ReadCsvChunkArgs, readCsvChunk } from './read-chunk.js'
export { parseSize } from './size.js'
