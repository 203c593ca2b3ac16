/** Shared test helpers: temp files, whole-file reads through the public chunk API, row dumps. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RecordBatch } from 'apache-arrow'
import { afterAll } from 'vitest'
import {
  type CsvOptions,
  DEFAULT_NULL_VALUES,
  inferCsvSchema,
  planCsvChunks,
  readCsvChunk,
} from '../../../src/io/csv/index.js'
import type { Schema } from '../../../src/types/schema.js'

/** A fresh temp directory, removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsdask-csv-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

export function writeFile(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

export type Cell = null | boolean | number | bigint | string

/** Rows of plain JS values (dates as epoch numbers), for deep equality. */
export function rowsOf(batch: RecordBatch): Cell[][] {
  const rows: Cell[][] = []
  for (let r = 0; r < batch.numRows; r++) {
    const row: Cell[] = []
    for (let c = 0; c < batch.numCols; c++) {
      const v = batch.getChildAt(c)!.get(r) as unknown
      row.push(v instanceof Date ? v.getTime() : (v as Cell))
    }
    rows.push(row)
  }
  return rows
}

export interface ReadOptions extends CsvOptions {
  blocksize?: number
  columns?: readonly string[]
  fileSchema?: Schema
  limit?: number
}

/** Reads files the way the engine will: infer, plan chunks, read each chunk, concatenate. */
export function readRows(
  paths: string | readonly string[],
  options: ReadOptions = {},
): { schema: Schema; rows: Cell[][] } {
  const files = typeof paths === 'string' ? [paths] : paths
  const schema = options.fileSchema ?? inferCsvSchema(files, options).schema
  const columns = options.columns
    ? options.columns.map((name) => schema.findIndex((f) => f.name === name))
    : schema.map((_, i) => i)
  const rows: Cell[][] = []
  for (const chunk of planCsvChunks(files, options.blocksize ?? Number.POSITIVE_INFINITY)) {
    const batch = readCsvChunk({
      path: chunk.path,
      start: chunk.start,
      end: chunk.end,
      fileSchema: schema,
      columns,
      delimiter: options.delimiter ?? ',',
      quote: options.quote ?? '"',
      header: options.header ?? true,
      nullValues: [...(options.nullValues ?? DEFAULT_NULL_VALUES)],
      allowQuotedNulls: options.allowQuotedNulls ?? false,
      limit: options.limit ?? null,
    })
    rows.push(...rowsOf(batch))
  }
  return { schema, rows }
}

/** The error a function throws (fails the test when it does not throw). */
export function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn()
  } catch (error) {
    return error as Error & { code?: string }
  }
  throw new Error('expected an error')
}
