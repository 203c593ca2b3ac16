/**
 * Moving task values between threads without per-row serialization.
 *
 * A RecordBatch crosses as a small descriptor — field names, and per column its type, length,
 * offset, null count and buffers (validity, value offsets, values; for a dictionary column the
 * dictionary's Data, recursively) — whose buffers live in SharedArrayBuffers. Structured clone
 * shares a SAB instead of copying it, so only the descriptor is copied; the receiver rebuilds each
 * column with `makeData` over the same memory (NOTES-libraries §2: ~1 ms for 1M rows, against
 * 19–130 ms for copying IPC bytes; `bench/transfer.bench.ts` measures it again).
 *
 * Why SAB rather than transfer lists: the scheduler's store keeps a value until its LAST dependent
 * has run, and several dependents (on different workers, possibly at once) read the same batch. A
 * transferred ArrayBuffer is detached from the sender, so the store's copy would be dead after the
 * first hand-off. SAB-backed buffers pass zero-copy in both directions, any number of times; a
 * buffer a worker produced in plain memory (builders, kernels) is copied into one SAB per batch,
 * once, when it leaves that worker.
 *
 * The parts of a multi-part task's output cross in one reply (`encodeOutput`). Each part's plain
 * buffers are copied into a SharedArrayBuffer of that part's own, so the main thread can free the
 * parts one by one as their readers finish; a buffer that several parts share (a dictionary, or
 * the bitmap of slices of one batch) is copied once, into one more SharedArrayBuffer that they all
 * point at, never once per part.
 *
 * Assumption: nobody mutates a batch's buffers after producing it (Arrow data is immutable by
 * convention; kernels write only into buffers they allocated). Sharing makes that a hard rule.
 *
 * Supported columns: exactly tsdask's dtypes (bool, int32, int64, float64, utf8 plain or
 * dictionary-encoded, date32, timestamp[ms]) and zero-column batches; anything else is
 * TsdaskError('TYPE_MISMATCH') naming the column. JSON values cross as they are.
 */
import {
  Int as ArrowInt,
  Bool,
  type Data,
  type DataType,
  DateDay,
  DateUnit,
  Dictionary,
  Float64,
  Int32,
  Int64,
  makeData,
  Precision,
  RecordBatch,
  TimestampMillisecond,
  TimeUnit,
  Type,
  Utf8,
  Vector,
} from 'apache-arrow'
import type { JsonValue } from '../../graph/task-graph.js'
import { makeBatch } from '../../types/arrow-types.js'
import { TsdaskError } from '../../util/errors.js'
import type { OpOutput, Value } from '../registry.js'

export type EncodedValue = { readonly kind: 'json'; readonly value: JsonValue } | EncodedBatch

/** An op's output as it leaves a worker: one value, or the parts of a multi-part task. */
export type EncodedOutput = EncodedValue | EncodedParts

export interface EncodedParts {
  readonly kind: 'parts'
  readonly parts: readonly EncodedValue[]
}

export interface EncodedBatch {
  readonly kind: 'batch'
  readonly numRows: number
  readonly names: readonly string[]
  readonly columns: readonly EncodedData[]
}

export type EncodedType =
  | { readonly id: 'bool' | 'int32' | 'int64' | 'float64' | 'utf8' | 'date32' }
  | { readonly id: 'timestamp[ms]'; readonly timezone: string | null }
  | { readonly id: 'dictionary'; readonly indexBits: 8 | 16 | 32; readonly isOrdered: boolean }

type Buffer = Uint8Array | Int8Array | Int16Array | Int32Array | BigInt64Array | Float64Array

export interface EncodedData {
  readonly type: EncodedType
  readonly offset: number
  readonly length: number
  readonly nullCount: number
  readonly validity: Uint8Array | null
  readonly offsets: Int32Array | null
  readonly values: Buffer | null
  /** Dictionary columns: the chunks of the dictionary vector (plain utf8). */
  readonly dictionary: readonly EncodedData[] | null
}

export function encodeValue(value: Value): EncodedValue {
  if (value instanceof RecordBatch) return encodeBatch(value)
  return { kind: 'json', value }
}

export function decodeValue(encoded: EncodedValue): Value {
  return encoded.kind === 'batch' ? decodeBatch(encoded) : encoded.value
}

/**
 * An op's output for the trip back to the main thread. `multiPart` (the task declares parts)
 * makes an array the parts; an array holding record batches is taken as parts too, so that a task
 * that forgot to declare its parts reaches the scheduler's check (task-output.ts) as it is, not as
 * a JSON value that cannot be cloned.
 */
export function encodeOutput(output: OpOutput, multiPart: boolean): EncodedOutput {
  if (Array.isArray(output) && (multiPart || output.some((v) => v instanceof RecordBatch))) {
    return encodeParts(output as readonly Value[])
  }
  return encodeValue(output as Value)
}

export function decodeOutput(encoded: EncodedOutput): OpOutput {
  return encoded.kind === 'parts' ? encoded.parts.map(decodeValue) : decodeValue(encoded)
}

/** Parts in shared memory: a part's own plain buffers in its own SAB, buffers shared by parts in one more. */
export function encodeParts(values: readonly Value[]): EncodedParts {
  const described = values.map((value) => {
    if (!(value instanceof RecordBatch)) return { value, plain: [] as Buffer[], columns: null, names: [] }
    const plain: Buffer[] = []
    const names = value.schema.fields.map((f) => f.name)
    const columns = value.data.children.map((data, i) => describe(data, names[i] ?? `column ${i}`, plain))
    return { value, plain, columns, names }
  })
  const partsHolding = new Map<Buffer, number>()
  for (const d of described) for (const b of new Set(d.plain)) partsHolding.set(b, (partsHolding.get(b) ?? 0) + 1)
  const copies = shareAll([...partsHolding].filter(([, n]) => n > 1).map(([b]) => b))
  for (const d of described) {
    const own = shareAll(d.plain.filter((b) => !copies.has(b)))
    for (const [b, copy] of own) copies.set(b, copy)
  }
  const parts = described.map(({ value, columns, names }): EncodedValue => {
    if (columns === null) return { kind: 'json', value: value as JsonValue }
    const numRows = (value as RecordBatch).numRows
    return { kind: 'batch', numRows, names, columns: columns.map((c) => swapBuffers(c, copies)) }
  })
  return { kind: 'parts', parts }
}

export function encodeBatch(batch: RecordBatch): EncodedBatch {
  return encode(batch).encoded
}

/**
 * `batch` with every buffer in shared memory: the batch itself when they all are already, else a
 * batch over one SharedArrayBuffer holding a copy of the others. In-memory sources (fromRecords,
 * fromArrow, persist) are made so once, when they are built, so that sending their partitions to
 * workers copies nothing later; otherwise each send would hold a shared copy beside the original
 * for as long as the batch lives.
 */
export function sharedBatch(batch: RecordBatch): RecordBatch {
  const { encoded, copied } = encode(batch)
  return copied ? decodeBatch(encoded) : batch
}

function encode(batch: RecordBatch): { encoded: EncodedBatch; copied: boolean } {
  const names = batch.schema.fields.map((f) => f.name)
  const children = batch.data.children
  const plain: Buffer[] = []
  const described = children.map((data, i) => describe(data, names[i] ?? `column ${i}`, plain))
  const shared = shareAll(plain)
  const columns = described.map((d) => swapBuffers(d, shared))
  return { encoded: { kind: 'batch', numRows: batch.numRows, names, columns }, copied: plain.length > 0 }
}

export function decodeBatch(encoded: EncodedBatch): RecordBatch {
  return makeBatch(encoded.names, encoded.columns.map(rebuild), encoded.numRows)
}

/** The descriptor of one column, still pointing at the original buffers; collects the non-shared ones. */
function describe(data: Data, where: string, plain: Buffer[]): EncodedData {
  const type = encodeType(data.type, where)
  const keep = <B extends Buffer>(buffer: B | null | undefined): B | null => {
    if (!buffer) return null
    if (!(buffer.buffer instanceof SharedArrayBuffer)) plain.push(buffer)
    return buffer
  }
  const dictionary =
    type.id === 'dictionary'
      ? (data.dictionary?.data ?? []).map((d: Data) => describe(d, `${where} (dictionary)`, plain))
      : null
  return {
    type,
    offset: data.offset,
    length: data.length,
    nullCount: data.nullCount,
    validity: keep(data.nullCount > 0 ? (data.nullBitmap as Uint8Array | undefined) : null),
    offsets: keep(type.id === 'utf8' ? (data.valueOffsets as Int32Array) : null),
    values: keep(data.values as Buffer),
    dictionary,
  }
}

/** Copies every plain buffer into one SharedArrayBuffer (8-byte aligned slots), once. */
function shareAll(buffers: readonly Buffer[]): Map<Buffer, Buffer> {
  const shared = new Map<Buffer, Buffer>()
  const plain = [...new Set(buffers)]
  if (plain.length === 0) return shared
  let total = 0
  for (const b of plain) total += align8(b.byteLength)
  const sab = new SharedArrayBuffer(total)
  let at = 0
  for (const b of plain) {
    const Ctor = b.constructor as new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => Buffer
    const copy = new Ctor(sab, at, b.length)
    ;(copy as Uint8Array).set(b as Uint8Array)
    shared.set(b, copy)
    at += align8(b.byteLength)
  }
  return shared
}

function swapBuffers(d: EncodedData, shared: ReadonlyMap<Buffer, Buffer>): EncodedData {
  const swap = <B extends Buffer>(b: B | null): B | null => (b ? ((shared.get(b) as B | undefined) ?? b) : null)
  return {
    ...d,
    validity: swap(d.validity),
    offsets: swap(d.offsets),
    values: swap(d.values),
    dictionary: d.dictionary ? d.dictionary.map((x) => swapBuffers(x, shared)) : null,
  }
}

function rebuild(d: EncodedData): Data {
  const common = {
    offset: d.offset,
    length: d.length,
    nullCount: d.nullCount,
    nullBitmap: d.validity ?? undefined,
  }
  const values = d.values ?? undefined
  switch (d.type.id) {
    case 'bool':
      return makeData({ ...common, type: new Bool(), data: values as Uint8Array })
    case 'int32':
      return makeData({ ...common, type: new Int32(), data: values as Int32Array })
    case 'int64':
      return makeData({ ...common, type: new Int64(), data: values as BigInt64Array })
    case 'float64':
      return makeData({ ...common, type: new Float64(), data: values as Float64Array })
    case 'date32':
      return makeData({ ...common, type: new DateDay(), data: values as Int32Array })
    case 'timestamp[ms]':
      return makeData({ ...common, type: new TimestampMillisecond(d.type.timezone), data: values as BigInt64Array })
    case 'utf8':
      return makeData({
        ...common,
        type: new Utf8(),
        valueOffsets: d.offsets ?? new Int32Array(1),
        data: values as Uint8Array,
      })
    case 'dictionary': {
      const indices = new ArrowInt(true, d.type.indexBits as 32) as Int32
      const type = new Dictionary(new Utf8(), indices, null, d.type.isOrdered)
      const dictionary = new Vector((d.dictionary ?? []).map(rebuild))
      return makeData({ ...common, type, data: values as Int32Array, dictionary } as Parameters<typeof makeData>[0])
    }
  }
}

function encodeType(type: DataType, where: string): EncodedType {
  switch (type.typeId) {
    case Type.Bool:
      return { id: 'bool' }
    case Type.Int: {
      const t = type as Int32 | Int64
      if (t.isSigned && t.bitWidth === 32) return { id: 'int32' }
      if (t.isSigned && t.bitWidth === 64) return { id: 'int64' }
      break
    }
    case Type.Float:
      if ((type as Float64).precision === Precision.DOUBLE) return { id: 'float64' }
      break
    case Type.Utf8:
      return { id: 'utf8' }
    case Type.Date:
      if ((type as DateDay).unit === DateUnit.DAY) return { id: 'date32' }
      break
    case Type.Timestamp: {
      const t = type as TimestampMillisecond
      if (t.unit === TimeUnit.MILLISECOND) return { id: 'timestamp[ms]', timezone: t.timezone ?? null }
      break
    }
    case Type.Dictionary: {
      const t = type as Dictionary
      const bits = t.indices.bitWidth
      if (t.dictionary.typeId === Type.Utf8 && t.indices.isSigned && (bits === 8 || bits === 16 || bits === 32)) {
        return { id: 'dictionary', indexBits: bits, isOrdered: t.isOrdered }
      }
      break
    }
  }
  throw new TsdaskError(
    'TYPE_MISMATCH',
    `cannot pass ${where} of Arrow type ${String(type)} between threads: tsdask moves only its own dtypes ` +
      '(bool, int32, int64, float64, utf8 plain or dictionary<int8|16|32, utf8>, date32, timestamp[ms]). ' +
      'Cast the column to one of them inside the op that produced it.',
    { column: where },
  )
}

function align8(n: number): number {
  return (n + 7) & ~7
}
