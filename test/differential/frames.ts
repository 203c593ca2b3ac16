/**
 * The same table as each kind of tsdask input: `fromRecords`, `fromArrow` with dictionary-encoded
 * strings (as CSV chunks often are), `fromArrow` whose dictionaries hold a null entry that rows
 * point at (valid Arrow: such rows are null), and `readCsv` over a file written here, cut into
 * byte-range partitions.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import {
  Table as ArrowTable,
  Dictionary,
  Int32,
  makeData,
  makeVector,
  type RecordBatch,
  Utf8,
  type Vector,
  vectorFromArray,
} from 'apache-arrow'
import { type DataFrame, fromArrow, fromRecords, readCsv, type SchemaShape } from './engine.js'
import { dateText, floatText, timestampText } from './print-sql.js'
import type { Cell, Table } from './tables.js'

export type SourceKind = 'records' | 'arrow-dictionary' | 'arrow-null-dictionary-entries' | 'csv'

export type AnyFrame = DataFrame<SchemaShape>

function schemaOf(table: Table): SchemaShape {
  return Object.fromEntries(table.columns.map((c) => [c.name, c.dtype])) as SchemaShape
}

function records(table: Table): Record<string, Cell>[] {
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c.name, row[i] ?? null])))
}

export function recordsFrame(table: Table, npartitions: number): AnyFrame {
  return fromRecords(records(table), { schema: schemaOf(table), npartitions }) as AnyFrame
}

/** utf8 columns dictionary-encoded; with `nullEntries`, nulls are codes of a null dictionary entry. */
export function arrowFrame(table: Table, npartitions: number, nullEntries: boolean): AnyFrame {
  const plain = fromRecords(records(table), { schema: schemaOf(table) }).plan
  const batch = (plain as unknown as { source: { batches: readonly RecordBatch[] } }).source.batches[0]!
  const columns = Object.fromEntries(
    table.columns.map((c, i) => {
      const vector = batch.getChildAt(i) as Vector
      if (c.dtype !== 'utf8') return [c.name, vector]
      const values = table.rows.map((r) => r[i] as string | null)
      return [
        c.name,
        nullEntries ? withNullEntry(values) : vectorFromArray(values, new Dictionary(new Utf8(), new Int32())),
      ]
    }),
  )
  return fromArrow(new ArrowTable(columns), { npartitions }) as AnyFrame
}

function withNullEntry(values: readonly (string | null)[]): Vector {
  const distinct = [...new Set(values.filter((v): v is string => v !== null))]
  const dictionary = vectorFromArray([...distinct, null], new Utf8())
  const nullCode = distinct.length
  const codes = Int32Array.from(values, (v) => (v === null ? nullCode : distinct.indexOf(v)))
  const type = new Dictionary(new Utf8(), new Int32())
  return makeVector(makeData({ type, length: values.length, nullCount: 0, data: codes, dictionary }))
}

// CSV ---------------------------------------------------------------------------------------------

function csvField(v: Cell): string {
  if (v === null) return ''
  if (typeof v === 'string') return `"${v.replaceAll('"', '""')}"`
  return String(v)
}

/** The table as CSV text: strings always quoted, nulls as empty unquoted fields. */
export function csvText(table: Table): string {
  const header = table.columns.map((c) => `"${c.name.replaceAll('"', '""')}"`).join(',')
  const lines = table.rows.map((row) =>
    row
      .map((v, i) => {
        const dtype = table.columns[i]!.dtype
        if (v instanceof Date) return dtype === 'date32' ? dateText(v) : timestampText(v)
        // Floats always carry a point, so inference without a schema reads float64.
        if (dtype === 'float64' && typeof v === 'number' && Number.isFinite(v)) return floatText(v)
        return csvField(v)
      })
      .join(','),
  )
  return `${[header, ...lines].join('\n')}\n`
}

export function writeCsv(dir: string, table: Table): string {
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `${table.name}.csv`)
  writeFileSync(file, csvText(table))
  return file
}

/** readCsv with the table's dtypes, cut into partitions of about `blocksize` bytes. */
export function csvFrame(file: string, table: Table, blocksize: number): AnyFrame {
  return readCsv(file, { schema: schemaOf(table), blocksize }) as AnyFrame
}
