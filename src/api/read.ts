/**
 * Entry points that make DataFrames: `readCsv` (lazy, partitioned by byte ranges), and
 * `fromRecords` / `fromArrow` (data already in memory, split into partitions).
 *
 * A schema given as an option types the frame (`readCsv<…>` infers it from the literal); without
 * one the frame is untyped at compile time and the schema is inferred at run time.
 */
import { randomUUID } from 'node:crypto'
import { type RecordBatch, type Table, type Vector, vectorFromArray } from 'apache-arrow'
import type { SchemaShape } from '../expr/typing.js'
import { expandPaths } from '../io/csv/glob.js'
import { inferCsvSchema } from '../io/csv/infer.js'
import { DEFAULT_NULL_VALUES } from '../io/csv/options.js'
import { planCsvChunks } from '../io/csv/plan-chunks.js'
import { parseSize } from '../io/csv/size.js'
import { concatBatches } from '../kernels/concat.js'
import { sliceBatch } from '../kernels/slice.js'
import { sharedBatch } from '../schedule/pool/transfer.js'
import { arrowTypeOf, dtypeOfArrow, makeBatch } from '../types/arrow-types.js'
import { type DType, isDType, MS_PER_DAY } from '../types/dtype.js'
import type { Field, Schema } from '../types/schema.js'
import { callSite } from '../util/call-site.js'
import { TsdaskError } from '../util/errors.js'
import { DataFrame } from './data-frame.js'

export interface ReadCsvOptions<S extends SchemaShape> {
  /** Column dtypes; named columns override inference, and the frame is typed by them. */
  readonly schema?: S
  /** Target partition size: a number of bytes or a string like "64MB" (default). */
  readonly blocksize?: string | number
  readonly delimiter?: string
  readonly quote?: string
  readonly header?: boolean
  /**
   * Field contents read as null. Default `['']`: only an empty unquoted field is null, as in
   * DuckDB; add spellings such as `'NA'` or `'NULL'` to opt in.
   */
  readonly nullValues?: readonly string[]
  /** Whether a quoted field (`""`, `"NA"`) matching `nullValues` is null too; default false: quoted fields are values. */
  readonly allowQuotedNulls?: boolean
  /** Bytes sampled for type inference (default 256 KiB). */
  readonly sampleBytes?: number
}

/**
 * A lazy DataFrame over one CSV file, a glob (`data/*.csv`, `**` too) or a list of paths.
 * @example
 * const df = readCsv('trips.csv', { schema: { vendor: 'utf8', fare: 'float64' } })
 */
export function readCsv<const S extends SchemaShape = SchemaShape>(
  pathOrGlob: string | readonly string[],
  options: ReadCsvOptions<S> = {},
): DataFrame<S> {
  const origin = callSite()
  const paths = expandPaths(pathOrGlob)
  if (options.schema) checkSchemaOption(options.schema)
  const inferred = inferCsvSchema(paths, {
    ...(options.delimiter !== undefined && { delimiter: options.delimiter }),
    ...(options.quote !== undefined && { quote: options.quote }),
    ...(options.header !== undefined && { header: options.header }),
    ...(options.nullValues !== undefined && { nullValues: options.nullValues }),
    ...(options.allowQuotedNulls !== undefined && { allowQuotedNulls: options.allowQuotedNulls }),
    ...(options.schema !== undefined && { schema: options.schema }),
    ...(options.sampleBytes !== undefined && { sampleBytes: options.sampleBytes }),
  })
  const blocksize = parseSize(options.blocksize ?? '64MB')
  const chunks = planCsvChunks(paths, blocksize)
  const name = typeof pathOrGlob === 'string' ? pathOrGlob : `${paths.length} files`
  return new DataFrame<S>({
    kind: 'Scan',
    source: {
      kind: 'csv',
      name,
      paths,
      chunks,
      fileSchema: inferred.schema,
      delimiter: options.delimiter ?? ',',
      quote: options.quote ?? '"',
      header: options.header ?? true,
      nullValues: options.nullValues ?? DEFAULT_NULL_VALUES,
      allowQuotedNulls: options.allowQuotedNulls ?? false,
    },
    columns: null,
    origin,
  })
}

export interface FromRecordsOptions<S extends SchemaShape> {
  /** Column dtypes; otherwise inferred from the values (integers → int32 when they fit, else float64). */
  readonly schema?: S
  /** Number of partitions to split the rows into (default 1). */
  readonly npartitions?: number
}

type InferRecordSchema<T> = { readonly [K in keyof T & string]: JsToDType<Exclude<T[K], null | undefined>> }
type JsToDType<V> = [V] extends [boolean]
  ? 'bool'
  : [V] extends [number]
    ? 'int32' | 'float64'
    : [V] extends [bigint]
      ? 'int64'
      : [V] extends [string]
        ? 'utf8'
        : [V] extends [Date]
          ? 'timestamp[ms]'
          : DType

/**
 * A DataFrame from plain objects.
 * @example
 * const df = fromRecords([{ city: 'Oslo', temp: 3.5 }, { city: 'Rome', temp: 14 }])
 */
export function fromRecords<T extends object, const S extends SchemaShape = InferRecordSchema<T>>(
  rows: readonly T[],
  options: FromRecordsOptions<S> = {},
): DataFrame<S> {
  if (!Array.isArray(rows)) throw new TsdaskError('INVALID_ARGUMENT', 'fromRecords() expects an array of objects')
  if (options.schema) checkSchemaOption(options.schema)
  const names: string[] = options.schema ? Object.keys(options.schema) : []
  if (!options.schema) {
    for (const row of rows) for (const k of Object.keys(row as object)) if (!names.includes(k)) names.push(k)
  }
  const columns = names.map((name) => {
    const values = rows.map((r) => normalizeValue((r as Record<string, unknown>)[name]))
    const dtype: DType = (options.schema as Record<string, DType> | undefined)?.[name] ?? inferDType(name, values)
    return { name, dtype, vector: buildVector(name, dtype, values) }
  })
  const batch = makeBatch(
    names,
    columns.map((c) => c.vector.data[0] ?? vectorFromArray([], arrowTypeOf(c.dtype)).data[0]!),
    rows.length,
  )
  const schema: Schema = columns.map((c): Field => ({ name: c.name, dtype: c.dtype }))
  return memoryFrame<S>('records', schema, split(batch, options.npartitions ?? 1))
}

/**
 * A DataFrame over an Arrow table, one partition per record batch unless `npartitions` is given.
 * Narrow integer and float types widen to int32 / float64; dictionary strings stay dictionary-encoded.
 * Buffers not already in shared memory are copied there once (the frame does not keep the table).
 */
export function fromArrow<const S extends SchemaShape = SchemaShape>(
  table: Table,
  options: { readonly npartitions?: number } = {},
): DataFrame<S> {
  const schema: Schema = table.schema.fields.map((f) => ({
    name: f.name,
    dtype: dtypeOfArrow(f.type, `column "${f.name}"`),
  }))
  const direct = table.batches.every((b) => b.schema.fields.every((f, i) => isNative(f.type, schema[i]?.dtype)))
  let batches: RecordBatch[]
  if (direct) {
    batches = table.batches.filter((b) => b.numRows > 0)
  } else {
    const cols = schema.map((f, i) => {
      const v = table.getChildAt(i)
      const values = v
        ? Array.from(v, (x) =>
            (f.dtype === 'date32' || f.dtype === 'timestamp[ms]') && x !== null
              ? new Date(Number(x))
              : normalizeValue(x),
          )
        : []
      return buildVector(f.name, f.dtype, values).data[0]!
    })
    batches = [
      makeBatch(
        schema.map((f) => f.name),
        cols,
        table.numRows,
      ),
    ]
  }
  if (batches.length === 0)
    batches = [
      makeBatch(
        schema.map((f) => f.name),
        schema.map((f) => vectorFromArray([], arrowTypeOf(f.dtype)).data[0]!),
        0,
      ),
    ]
  if (options.npartitions !== undefined) {
    const merged = batches.length === 1 ? batches[0]! : concatBatches(batches)
    batches = split(merged, options.npartitions)
  }
  return memoryFrame<S>('arrow', schema, batches)
}

/** Partitions go to shared memory now, once, so workers read them later without a copy of their own. */
function memoryFrame<S extends SchemaShape>(name: string, schema: Schema, batches: RecordBatch[]): DataFrame<S> {
  return new DataFrame<S>({
    kind: 'Scan',
    source: { kind: 'memory', name, id: randomUUID(), schema, batches: batches.map(sharedBatch) },
    columns: null,
    origin: callSite(),
  })
}

function isNative(type: { typeId: number; toString(): string }, dtype: DType | undefined): boolean {
  if (!dtype) return false
  const native = String(arrowTypeOf(dtype))
  const t = String(type)
  // Workers move dictionary columns with Int32 indices; other index widths are re-encoded.
  return t === native || (dtype === 'utf8' && t === 'Dictionary<Int32, Utf8>')
}

function split(batch: RecordBatch, n: number): RecordBatch[] {
  if (!Number.isInteger(n) || n < 1)
    throw new TsdaskError('INVALID_ARGUMENT', `npartitions must be a positive integer, got ${n}`)
  const parts = Math.min(n, Math.max(1, batch.numRows))
  if (parts === 1) return [batch]
  // Sizes differ by at most one row, so exactly `parts` partitions come out.
  const out: RecordBatch[] = []
  for (let i = 0; i < parts; i++) {
    const start = Math.floor((i * batch.numRows) / parts)
    const end = Math.floor(((i + 1) * batch.numRows) / parts)
    out.push(sliceBatch(batch, start, end - start))
  }
  return out
}

function normalizeValue(v: unknown): unknown {
  return v === undefined ? null : v
}

function inferDType(name: string, values: readonly unknown[]): DType {
  let dtype: DType | null = null
  for (const v of values) {
    if (v === null) continue
    const t = jsDType(name, v)
    if (dtype === null || dtype === t) dtype = t
    else if ((dtype === 'int32' && t === 'float64') || (dtype === 'float64' && t === 'int32')) dtype = 'float64'
    else
      throw new TsdaskError(
        'TYPE_MISMATCH',
        `fromRecords: column "${name}" mixes ${dtype} and ${t} values (e.g. ${JSON.stringify(String(v))}). Pass a schema, or make the values one type.`,
      )
  }
  return dtype ?? 'utf8'
}

function jsDType(name: string, v: unknown): DType {
  switch (typeof v) {
    case 'boolean':
      return 'bool'
    case 'number':
      return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? 'int32' : 'float64'
    case 'bigint':
      return 'int64'
    case 'string':
      return 'utf8'
  }
  if (v instanceof Date) return 'timestamp[ms]'
  throw new TsdaskError(
    'TYPE_MISMATCH',
    `fromRecords: column "${name}" holds ${typeof v} values, which tsdask cannot store. Use numbers, bigints, strings, booleans, Dates or null.`,
  )
}

function buildVector(name: string, dtype: DType, values: readonly unknown[]): Vector {
  const converted = values.map((v) => convert(name, dtype, v))
  return vectorFromArray(converted as unknown[], arrowTypeOf(dtype))
}

function convert(name: string, dtype: DType, v: unknown): unknown {
  if (v === null) return null
  const bad = () =>
    new TsdaskError(
      'TYPE_MISMATCH',
      `column "${name}" is ${dtype}, but holds the value ${String(v)} (${typeof v}). Fix the value or the schema.`,
    )
  switch (dtype) {
    case 'bool':
      if (typeof v !== 'boolean') throw bad()
      return v
    case 'int32':
      if (typeof v !== 'number' || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw bad()
      return v
    case 'int64':
      if (typeof v === 'bigint') {
        // A Uint64 above 2^63 - 1 would wrap to a negative int64: refuse it instead.
        if (BigInt.asIntN(64, v) !== v) throw bad()
        return v
      }
      if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v)
      throw bad()
    case 'float64':
      if (typeof v === 'number') return v
      if (typeof v === 'bigint') return Number(v)
      throw bad()
    case 'utf8':
      if (typeof v !== 'string') throw bad()
      return v
    case 'date32':
      if (!(v instanceof Date)) throw bad()
      return new Date(Math.floor(v.getTime() / MS_PER_DAY) * MS_PER_DAY)
    case 'timestamp[ms]':
      if (!(v instanceof Date)) throw bad()
      return v
  }
}

function checkSchemaOption(schema: object): void {
  for (const [name, dtype] of Object.entries(schema)) {
    if (!isDType(dtype)) {
      throw new TsdaskError(
        'INVALID_ARGUMENT',
        `schema: column "${name}" has dtype ${JSON.stringify(dtype)}; use one of bool, int32, int64, float64, utf8, date32, timestamp[ms].`,
      )
    }
  }
}
