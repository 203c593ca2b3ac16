/**
 * How many bytes a task's value holds, so the scheduler can keep the values it stores (and the ones
 * in flight) under a memory budget. A record batch counts the memory its columns keep alive —
 * every distinct backing buffer (validity, offsets, values, dictionaries) once, whole — measured,
 * not estimated from the schema: a utf8 column's size depends on its strings, and a slice keeps
 * its parent's buffers alive. A batch that crossed threads lives in one SharedArrayBuffer, counted
 * once. JSON values (scalars, samples) count a nominal size from their text length.
 *
 * Several values counted together (the parts of a multi-part task) count a buffer they share once:
 * the parts of a bucketed aggregate state are slices of one batch, and hold its memory once, not
 * once per part. `HeldBytes` (held-bytes.ts) keeps the same rule across everything the scheduler
 * stores.
 */
import type { Data } from 'apache-arrow'
import type { Value } from './registry.js'

export function valueBytes(value: Value): number {
  return valuesBytes([value])
}

/** Bytes of `values` together: each distinct buffer once, plus each JSON value's nominal size. */
export function valuesBytes(values: readonly Value[]): number {
  const buffers = new Set<ArrayBufferLike>()
  let bytes = 0
  for (const value of values) {
    if (isBatchLike(value)) collectBatchBuffers(value, buffers)
    else bytes += jsonBytes(value)
  }
  for (const buffer of buffers) bytes += buffer.byteLength
  return bytes
}

/** The distinct buffers a record batch keeps alive, or null for a JSON value. */
export function batchBuffers(value: Value): Set<ArrayBufferLike> | null {
  if (!isBatchLike(value)) return null
  const buffers = new Set<ArrayBufferLike>()
  collectBatchBuffers(value, buffers)
  return buffers
}

/** The nominal size of a value that is not a batch. */
export function jsonBytes(value: Value): number {
  if (value === null || typeof value !== 'object') return 16
  return 16 + JSON.stringify(value).length * 2
}

function collectBatchBuffers(batch: { readonly data: Data }, into: Set<ArrayBufferLike>): void {
  for (const data of batch.data.children) collectBuffers(data, into)
}

function collectBuffers(data: Data, into: Set<ArrayBufferLike>): void {
  for (const view of [data.nullBitmap, data.valueOffsets, data.values] as (ArrayBufferView | undefined)[]) {
    if (view && view.byteLength > 0) into.add(view.buffer)
  }
  for (const child of data.children) collectBuffers(child, into)
  if (data.dictionary) for (const chunk of data.dictionary.data) collectBuffers(chunk, into)
}

/** Whether a value is a record batch; duck-typed so a batch built by another copy of apache-arrow still counts. */
export function isBatchLike(value: Value): value is Value & { readonly data: Data; readonly numRows: number } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { numRows?: unknown }).numRows === 'number' &&
    'data' in value
  )
}
