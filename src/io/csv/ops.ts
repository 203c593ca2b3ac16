/**
 * The CSV reader's task operations, by the names the scheduler registry looks them up with.
 * Arguments are JSON-safe (`ReadCsvChunkArgs`), so a task can be shipped to any worker.
 */
import type { RecordBatch } from 'apache-arrow'
import { type ReadCsvChunkArgs, readCsvChunk } from './read-chunk.js'

export const CsvOps = { readCsv: 'read-csv' } as const

export type CsvOpName = (typeof CsvOps)[keyof typeof CsvOps]

/** Runs one `read-csv` task: reads the chunk described by `args`. */
export function runReadCsv(args: ReadCsvChunkArgs): RecordBatch {
  return readCsvChunk(args)
}
