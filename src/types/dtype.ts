/**
 * The logical data types of tsdask and their Arrow storage.
 *
 * | dtype          | Arrow type                    | buffer read by kernels        | JS value in rows |
 * |----------------|-------------------------------|-------------------------------|------------------|
 * | bool           | Bool                          | bit-packed Uint8Array         | boolean          |
 * | int32          | Int32                         | Int32Array                    | number           |
 * | int64          | Int64                         | BigInt64Array                 | bigint           |
 * | float64        | Float64                       | Float64Array                  | number           |
 * | utf8           | Utf8 or Dictionary<Utf8,Int32>| offsets + bytes, or codes     | string           |
 * | date32         | DateDay                       | Int32Array (days since epoch) | Date (UTC)       |
 * | timestamp[ms]  | TimestampMillisecond          | BigInt64Array (ms since epoch)| Date             |
 *
 * A `utf8` column may arrive in either Arrow form: readers dictionary-encode when it pays
 * (few distinct values), and every kernel accepts both.
 */
/** date32 counts days; timestamp[ms] counts milliseconds. */
export const MS_PER_DAY = 86_400_000

export const DTYPES = ['bool', 'int32', 'int64', 'float64', 'utf8', 'date32', 'timestamp[ms]'] as const

export type DType = (typeof DTYPES)[number]
export type IntegerDType = 'int32' | 'int64'
export type NumericDType = IntegerDType | 'float64'
export type TemporalDType = 'date32' | 'timestamp[ms]'
/** Types with a total order that `<`, `min`, `max` and `sort` accept. */
export type OrderedDType = NumericDType | TemporalDType | 'utf8' | 'bool'

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && (DTYPES as readonly string[]).includes(value)
}

export function isNumeric(dtype: DType): dtype is NumericDType {
  return dtype === 'int32' || dtype === 'int64' || dtype === 'float64'
}

export function isInteger(dtype: DType): dtype is IntegerDType {
  return dtype === 'int32' || dtype === 'int64'
}

export function isTemporal(dtype: DType): dtype is TemporalDType {
  return dtype === 'date32' || dtype === 'timestamp[ms]'
}

/**
 * The common type two numeric operands are widened to, following DuckDB: int32 < int64 < float64.
 */
export function widenNumeric(a: NumericDType, b: NumericDType): NumericDType {
  if (a === 'float64' || b === 'float64') return 'float64'
  if (a === 'int64' || b === 'int64') return 'int64'
  return 'int32'
}

/** The JS value a cell of each dtype becomes in `toRecords()`. */
export interface DTypeToJs {
  bool: boolean
  int32: number
  int64: bigint
  float64: number
  utf8: string
  date32: Date
  'timestamp[ms]': Date
}
