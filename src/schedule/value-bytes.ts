/**
 * How many bytes a task's value holds, so the scheduler can keep the values it stores (and the ones
 * in flight) under a memory budget. A record batch counts the memory its columns keep alive —
 * every distinct backing buffer (validity, offsets, values, dictionaries) once, whole — measured,
 * not estimated from the schema: a utf8 column's size depends on its strings, and a slice keeps
 * its parent's buffers alive. A batch that crossed threads lives in one SharedArrayBuffer, counted
 * once. JSON values (scalars, samples) count a nominal size from their text length.
 */
import type { Data } from 'apache-arrow'
import type { Value } from './registry.js'

export function valueBytes(value: Value): number {
  if (value === null || typeof value !== 'object') return 16
  if (isBatchLike(value)) {
    const buffers = new Set<ArrayBufferLike>()
    for (const data of value.data.children) collectBuffers(data, buffers)
    let bytes = 0
    for (const buffer of buffers) bytes += buffer.byteLength
    return bytes
  }
  return 16 + JSON.stringify(value).length * 2
}

function collectBuffers(data: Data, into: Set<ArrayBufferLike>): void {
  for (const view of [data.nullBitmap, data.valueOffsets, data.values] as (ArrayBufferView | undefined)[]) {
    if (view && view.byteLength > 0) into.add(view.buffer)
  }
  for (const child of data.children) collectBuffers(child, into)
  if (data.dictionary) for (const chunk of data.dictionary.data) collectBuffers(chunk, into)
}

/** Duck-typed so a batch built by another copy of apache-arrow still counts. */
function isBatchLike(value: object): value is { readonly data: Data; readonly numRows: number } {
  return !Array.isArray(value) && typeof (value as { numRows?: unknown }).numRows === 'number' && 'data' in value
}
