/**
 * Turning computed partitions into what users receive: one Arrow `Table`, or plain row objects.
 * Partitions may store a utf8 column differently (one chunk dictionary-encoded, another plain);
 * an Arrow Table needs one schema, so such results are concatenated into one batch.
 */
import { type RecordBatch, Table } from 'apache-arrow'
import { concatBatches } from '../kernels/concat.js'
import { arrowSchemaOf, makeBatch } from '../types/arrow-types.js'
import type { Schema } from '../types/schema.js'

export function toTable(batches: readonly RecordBatch[], schema: Schema): Table {
  const nonEmpty = batches.filter((b) => b.numRows > 0)
  const first = nonEmpty[0]
  if (!first) return batches[0] ? new Table([batches[0]]) : new Table(arrowSchemaOf(schema))
  // Partitions dictionary-encode independently, each with its own dictionary id. Arrow allows one
  // dictionary type per field in a table, with a different dictionary in every chunk: so retype
  // every chunk's dictionary column to the first chunk's type (no data is copied). The same goes
  // for types that print alike but differ in an unset detail (a timestamp's timezone undefined in
  // a main-thread batch, null after a worker round trip), which a union's partitions can mix.
  const signature = (b: RecordBatch) => b.schema.fields.map((f) => `${f.name}:${String(f.type)}`).join(',')
  if (!nonEmpty.every((b) => signature(b) === signature(first))) return new Table([concatBatches(nonEmpty)])
  const types = first.schema.fields.map((f) => f.type)
  const retyped = nonEmpty.map((b) =>
    b === first || b.data.children.every((d, i) => d.type === types[i])
      ? b
      : makeBatch(
          b.schema.fields.map((f) => f.name),
          b.data.children.map((d, i) => (d.type === types[i] ? d : d.clone(types[i]))),
          b.numRows,
        ),
  )
  return new Table(retyped)
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
    // `row[name] = v` would set the prototype for a column named __proto__: define it instead.
    const special = field.name === '__proto__'
    for (const value of vector) {
      const row = rows[i++] as Record<string, unknown>
      const cell = value === null || value === undefined ? null : temporal ? new Date(Number(value)) : value
      if (special)
        Object.defineProperty(row, field.name, { value: cell, enumerable: true, writable: true, configurable: true })
      else row[field.name] = cell
    }
  })
  return rows
}
