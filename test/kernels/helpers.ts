/**
 * Test helpers: build batches from plain JS values (through Arrow's own builders, so the kernels
 * are tested against data they did not make) and read them back row by row (proxies are fine here).
 */
import {
  Bool,
  type Data,
  DateDay,
  Dictionary,
  Float64,
  Int32,
  Int64,
  type RecordBatch,
  TimestampMillisecond,
  Utf8,
  Vector,
  vectorFromArray,
} from 'apache-arrow'
import { columnData, makeBatch } from '../../src/types/arrow-types.js'
import type { DType } from '../../src/types/dtype.js'

export type Cell = null | boolean | number | bigint | string
export type ColumnSpec = readonly [DType | 'dict', readonly Cell[]]

export function dataOf(kind: DType | 'dict', values: readonly Cell[]): Data {
  const type = {
    bool: new Bool(),
    int32: new Int32(),
    int64: new Int64(),
    float64: new Float64(),
    utf8: new Utf8(),
    dict: new Dictionary(new Utf8(), new Int32()),
    date32: new DateDay(),
    'timestamp[ms]': new TimestampMillisecond(),
  }[kind]
  const input =
    kind === 'date32'
      ? values.map((v) => (v === null ? null : new Date(Number(v) * 86_400_000)))
      : kind === 'timestamp[ms]'
        ? values.map((v) => (v === null ? null : new Date(Number(v))))
        : values
  const vector = vectorFromArray(input as never[], type as never) as Vector
  return vector.data[0]!
}

export function batchOf(columns: Readonly<Record<string, ColumnSpec>>): RecordBatch {
  const names = Object.keys(columns)
  const datas = names.map((n) => dataOf(columns[n]![0], columns[n]![1]))
  const numRows = datas[0]?.length ?? 0
  return makeBatch(names, datas, numRows)
}

/** A JS value for a cell: dates as day numbers, timestamps as ms numbers, int64 as bigint. */
export function cellsOf(data: Data): Cell[] {
  const v = new Vector([data])
  const out: Cell[] = []
  const isDate = String(data.type) === 'Date32<DAY>' || data.type.toString().startsWith('Date')
  for (let i = 0; i < data.length; i++) {
    const x = v.get(i) as Cell | Date
    if (x === null || x === undefined) out.push(null)
    else if (x instanceof Date) out.push(x.getTime())
    else if (isDate && typeof x === 'number') out.push(x / 86_400_000)
    else out.push(x)
  }
  return out
}

export function columnsOf(batch: RecordBatch): Record<string, Cell[]> {
  const out: Record<string, Cell[]> = {}
  batch.schema.fields.forEach((f, i) => {
    out[f.name] = cellsOf(columnData(batch, i))
  })
  return out
}

export function rowsOf(batch: RecordBatch): Cell[][] {
  const cols = batch.schema.fields.map((_, i) => cellsOf(columnData(batch, i)))
  return Array.from({ length: batch.numRows }, (_, r) => cols.map((c) => c[r]!))
}

/** The same rows with offset-carrying `Data` chunks (`slice` keeps bitmaps at a non-zero offset). */
export function sliced(batch: RecordBatch, start: number, length: number): RecordBatch {
  const names = batch.schema.fields.map((f) => f.name)
  return makeBatch(
    names,
    names.map((_, i) => columnData(batch, i).slice(start, length)),
    length,
  )
}

/** A batch from rows, with per-column kinds. */
export function batchFromRows(
  names: readonly string[],
  kinds: readonly (DType | 'dict')[],
  rows: readonly (readonly Cell[])[],
): RecordBatch {
  const spec: Record<string, ColumnSpec> = {}
  names.forEach((n, i) => {
    spec[n] = [kinds[i]!, rows.map((r) => r[i]!)]
  })
  const b = batchOf(spec)
  return b.numRows === rows.length
    ? b
    : makeBatch(
        b.schema.fields.map((f) => f.name),
        b.data.children,
        rows.length,
      )
}
