/**
 * Cuts files into byte ranges of about `blocksize` bytes, one task each. Raw offsets: nothing is
 * read here, alignment to records happens in the task (see align.ts), so planning a large dataset
 * costs one `stat` per file. An empty file still gets one (empty) chunk, so every file is
 * represented; a blocksize of Infinity gives one chunk per file, which needs no alignment at all.
 */
import { statSync } from 'node:fs'
import { TsdaskError } from '../../util/errors.js'

export interface CsvChunk {
  readonly path: string
  readonly fileIndex: number
  /** Raw byte range [start, end); the chunk owns the records that start in it. */
  readonly start: number
  readonly end: number
}

export function planCsvChunks(paths: readonly string[], blocksize: number): CsvChunk[] {
  if (!(blocksize > 0)) {
    throw new TsdaskError(
      'INVALID_ARGUMENT',
      `blocksize must be a positive number of bytes, got ${blocksize}. Use e.g. '64MB', or Infinity for one chunk per file.`,
    )
  }
  const chunks: CsvChunk[] = []
  paths.forEach((path, fileIndex) => {
    let size: number
    try {
      size = statSync(path).size
    } catch (cause) {
      throw new TsdaskError('IO', `cannot read ${path}: ${(cause as Error).message}`, { path }, { cause })
    }
    const count = Number.isFinite(blocksize) ? Math.max(1, Math.ceil(size / blocksize)) : 1
    for (let k = 0; k < count; k++) {
      const start = k === 0 ? 0 : k * blocksize
      const end = k === count - 1 ? size : (k + 1) * blocksize
      chunks.push({ path, fileIndex, start, end })
    }
  })
  return chunks
}
