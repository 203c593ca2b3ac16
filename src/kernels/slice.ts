/**
 * Row ranges. `sliceBatch` copies (buffers of the result are its own, so it can be transferred to
 * another thread without detaching the source); `limitBatches` takes the first rows after an
 * offset across batches in order, copying only the rows it keeps.
 */
import type { RecordBatch } from 'apache-arrow'
import { columnData, makeBatch } from '../types/arrow-types.js'
import { type Col, readColumn, toData } from './column.js'
import { concatBatches } from './concat.js'
import { Utf8Builder } from './utf8.js'

function sliceCol(col: Col, start: number, length: number): Col {
  const end = start + length
  const valid = col.valid ? col.valid.slice(start, end) : null
  switch (col.kind) {
    case 'utf8': {
      const b = new Utf8Builder(length, col.offsets[end]! - col.offsets[start]!)
      for (let i = start; i < end; i++) b.appendBytes(col.bytes, col.offsets[i]!, col.offsets[i + 1]!)
      return b.finish(valid)
    }
    case 'dict': {
      const d = col.dict
      const dict = { ...d, offsets: d.offsets.slice(0, d.length + 1), bytes: d.bytes.slice() }
      return { kind: 'dict', length, codes: col.codes.slice(start, end), dict, source: null, valid }
    }
    case 'bool':
      return { kind: 'bool', length, values: col.values.slice(start, end), valid }
    case 'int32':
    case 'date32':
      return { kind: col.kind, length, values: col.values.slice(start, end), valid }
    case 'int64':
    case 'timestamp[ms]':
      return { kind: col.kind, length, values: col.values.slice(start, end), valid }
    case 'float64':
      return { kind: 'float64', length, values: col.values.slice(start, end), valid }
  }
}

/**
 * A copy of rows `[offset, offset + length)` (clamped to the batch).
 *
 * @example
 * const page = sliceBatch(batch, 100, 50)
 */
export function sliceBatch(batch: RecordBatch, offset: number, length: number): RecordBatch {
  const start = Math.max(0, Math.min(offset, batch.numRows))
  const len = Math.max(0, Math.min(length, batch.numRows - start))
  const names = batch.schema.fields.map((f) => f.name)
  const columns = names.map((_, i) => toData(sliceCol(readColumn(columnData(batch, i)), start, len)))
  return makeBatch(names, columns, len)
}

/** Zero-copy view of a row range (Arrow slices value buffers, we keep bitmaps at their offset). */
function viewRows(batch: RecordBatch, start: number, length: number): RecordBatch {
  if (start === 0 && length === batch.numRows) return batch
  const names = batch.schema.fields.map((f) => f.name)
  const columns = names.map((_, i) => columnData(batch, i).slice(start, length))
  return makeBatch(names, columns, length)
}

/**
 * The first `limit` rows (all when null) after skipping `offset` rows, across `batches` in order.
 *
 * @example
 * const top10 = limitBatches(partitions, 0, 10)
 */
export function limitBatches(batches: readonly RecordBatch[], offset: number, limit: number | null): RecordBatch {
  let skip = Math.max(0, offset)
  let remaining = limit === null ? Number.POSITIVE_INFINITY : Math.max(0, limit)
  const pieces: RecordBatch[] = []
  for (const b of batches) {
    if (remaining <= 0) break
    if (skip >= b.numRows) {
      skip -= b.numRows
      continue
    }
    const take = Math.min(b.numRows - skip, remaining)
    pieces.push(viewRows(b, skip, take))
    remaining -= take
    skip = 0
  }
  if (pieces.length === 0) {
    const first = batches[0]
    return first ? sliceBatch(first, 0, 0) : makeBatch([], [], 0)
  }
  if (pieces.length === 1) return sliceBatch(pieces[0]!, 0, pieces[0]!.numRows)
  return concatBatches(pieces)
}
