/**
 * The bridge between tsdask dtypes and Apache Arrow types, plus the few constructors every layer
 * that produces Arrow data shares (readers and kernels), so buffers are laid out one way only.
 */
import {
  Field as ArrowField,
  Schema as ArrowSchema,
  Bool,
  type Data,
  type DataType,
  DateDay,
  Dictionary,
  Float64,
  Int32,
  Int64,
  makeData,
  RecordBatch,
  Struct,
  TimestampMillisecond,
  Type,
  Utf8,
  Vector,
} from 'apache-arrow'
import { TsdaskError } from '../util/errors.js'
import type { DType } from './dtype.js'
import type { Schema } from './schema.js'

export function arrowTypeOf(dtype: DType): DataType {
  switch (dtype) {
    case 'bool':
      return new Bool()
    case 'int32':
      return new Int32()
    case 'int64':
      return new Int64()
    case 'float64':
      return new Float64()
    case 'utf8':
      return new Utf8()
    case 'date32':
      return new DateDay()
    case 'timestamp[ms]':
      return new TimestampMillisecond()
  }
}

/** The tsdask dtype an Arrow type is read as; dictionary-encoded strings read as utf8. */
export function dtypeOfArrow(type: DataType, where = 'column'): DType {
  switch (type.typeId) {
    case Type.Bool:
      return 'bool'
    case Type.Int: {
      const t = type as Int32 | Int64
      if (t.isSigned && t.bitWidth === 32) return 'int32'
      if (t.isSigned && t.bitWidth === 64) return 'int64'
      if (t.bitWidth < 32) return 'int32'
      return t.bitWidth === 32 ? 'int64' : 'int64'
    }
    case Type.Float:
      return 'float64'
    case Type.Utf8:
      return 'utf8'
    case Type.Dictionary: {
      const d = type as Dictionary
      if (d.dictionary.typeId === Type.Utf8) return 'utf8'
      break
    }
    case Type.Date:
      return 'date32'
    case Type.Timestamp:
      return 'timestamp[ms]'
  }
  throw new TsdaskError(
    'TYPE_MISMATCH',
    `${where} has Arrow type ${String(type)}, which tsdask does not support yet. ` +
      'Supported: bool, int8-64, float, utf8 (plain or dictionary), date, timestamp. Cast it before handing the table to tsdask.',
  )
}

export function arrowSchemaOf(schema: Schema): ArrowSchema {
  return new ArrowSchema(schema.map((f) => new ArrowField(f.name, arrowTypeOf(f.dtype), true)))
}

/** A record batch with the given columns (one `Data` each) and row count; zero columns allowed. */
export function makeBatch(names: readonly string[], columns: readonly Data[], numRows: number): RecordBatch {
  const fields = columns.map((c, i) => new ArrowField(names[i] ?? `column_${i}`, c.type, true))
  const struct = new Struct(fields)
  const data = makeData({ type: struct, length: numRows, nullCount: 0, children: [...columns] })
  return new RecordBatch(new ArrowSchema(fields), data)
}

/** The single `Data` chunk of column `i` (tsdask batches always hold one chunk per column). */
export function columnData(batch: RecordBatch, i: number): Data {
  const child = batch.data.children[i]
  if (!child) throw new TsdaskError('INTERNAL', `batch has no column ${i} (it has ${batch.numCols})`)
  return child
}

/** A dictionary-encoded utf8 column from codes and a plain utf8 dictionary. */
export function makeDictionaryData(
  codes: Int32Array,
  dictionary: Data<Utf8>,
  nullBitmap: Uint8Array | null,
  nullCount: number,
): Data {
  return makeData({
    type: new Dictionary(new Utf8(), new Int32()),
    length: codes.length,
    nullCount,
    nullBitmap: nullBitmap ?? undefined,
    data: codes,
    dictionary: new Vector([dictionary]),
  } as Parameters<typeof makeData>[0]) as Data
}

/**
 * Whether a column may hold a null value. Arrow's `nullCount` counts null rows only: a
 * dictionary-encoded row whose index is valid but whose dictionary entry is null reads as null
 * too, and is not counted. A null entry anywhere in the dictionary therefore answers yes (whether
 * or not a row uses it: "maybe" is the safe answer for every caller).
 */
export function mayHoldNulls(column: Data | Vector): boolean {
  const chunks: readonly Data[] = column instanceof Vector ? column.data : [column]
  return chunks.some((d) => d.nullCount > 0 || (d.dictionary?.nullCount ?? 0) > 0)
}
