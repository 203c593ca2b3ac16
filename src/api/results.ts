/**
 * Turning computed partitions into what users receive: one Arrow `Table`, or plain row objects.
 * Partitions may store a utf8 column differently (one chunk dictionary-encoded, another plain);
 * an Arrow Table needs one schema, so such results are concatenated into one batch.
 */
import { type RecordBatch, Table } from 'apache-arrow'
import { concatBatches } from '../kernels/concat.js'
import { arrowSchemaOf } from '../types/arrow-types.js'
import type { Schema } from '../types/schema.js'

export function toTable(batches: readonly RecordBatch[], schema: Schema): Table {
  const nonEmpty = batches.filter((b) => b.numRows > 0)
  if (nonEmpty.length === 0) return batches[0] ? new Table([batches[0]]) : new Table(arrowSchemaOf(schema))
  const signature = (b: RecordBatch) => b.schema.fields.map((f) => `${f.name}:${String(f.type)}`).join(',')
  const first = signature(nonEmpty[0] as RecordBatch)
  if (nonEmpty.every((b) => signature(b) === first)) return new Table(nonEmpty)
  return new Table([concatBatches(nonEmpty)])
}

/** Row objects, converting dates to `Date`; built column by column, not through row proxies. */
export function tableToRecords(table: Table, schema: Schema): Record<string, unknown>[] {
  const n = table.numRows
  const rows: Record<string, unknown>[] = Array.from({ length: n }, () => ({}))
  schema.forEach((field, c) => {
    const vector = table.getChildAt(c)
    if (!vector) return
    const temporal = field.dtype === 'date32' || field.dtype === 'timestamp[ms]'
    let i = 0
    for (const value of vector) {
      const row = rows[i++] as Record<string, unknown>
      row[field.name] = value === null || value === undefined ? null : temporal ? new Date(Number(value)) : value
    }
  })
  return rows
}
