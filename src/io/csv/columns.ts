/**
 * Typed column builders: each appends cells parsed from bytes straight into a growable typed array
 * plus an LSB-first validity bitmap, and finishes into one Arrow `Data` (no Arrow builders, no
 * per-cell JS values). Capacity starts at the chunk's estimated row count and doubles if short;
 * `finish` trims by copying only when more than a quarter of the buffer would be wasted.
 *
 * Each class has its own copy of `appendBatch`: a shared base-class loop would call `append` on
 * several classes from one site (megamorphic, not inlined); per-class copies keep it monomorphic.
 *
 * Utf8 cells go into a per-chunk dictionary (an open-addressing hash over the bytes) while that
 * pays, and become plain offsets + bytes otherwise; see Utf8Builder.
 */
import { Bool, type Data, DateDay, Float64, Int32, Int64, makeData, TimestampMillisecond } from 'apache-arrow'
import type { DType } from '../../types/dtype.js'
import {
  parseBool,
  parseDateDays,
  parseFloat64Into,
  parseInt32Into,
  parseInt64Into,
  parseTimestampMs,
  writeInt64Words,
} from './number-parse.js'
import type { NullMatcher } from './options.js'
import { Utf8Builder } from './utf8-builder.js'
import { markAllValid } from './validity.js'

export interface ColumnBuilder {
  readonly length: number
  /** Appends the value in bytes [s, e); false (appending nothing) when it cannot be read as this type. */
  append(buf: Uint8Array, s: number, e: number): boolean
  appendNull(): void
  /**
   * Appends cells [starts[r], ends[r]) for r in [base, base + count), nulls per `nulls`.
   * Returns the first r whose value cannot be read as this type (cells before it are appended), or -1.
   */
  appendBatch(
    buf: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    base: number,
    count: number,
    nulls: NullMatcher,
  ): number
  finish(): Data
}

export function makeColumnBuilder(dtype: DType, initialCapacity: number): ColumnBuilder {
  const capacity = Math.max(16, initialCapacity)
  switch (dtype) {
    case 'bool':
      return new BoolBuilder(capacity)
    case 'int32':
      return new Int32Builder(capacity)
    case 'int64':
      return new Int64Builder(capacity, false)
    case 'float64':
      return new Float64Builder(capacity)
    case 'utf8':
      return new Utf8Builder(capacity)
    case 'date32':
      return new Date32Builder(capacity)
    case 'timestamp[ms]':
      return new Int64Builder(capacity, true)
  }
}

const SPACE = 32
const TAB = 9

/** Non-string values may be padded with spaces or tabs (`a, 1, 2`); strings keep theirs. */
function trimStart(buf: Uint8Array, s: number, e: number): number {
  while (s < e && (buf[s] === SPACE || buf[s] === TAB)) s++
  return s
}
function trimEnd(buf: Uint8Array, s: number, e: number): number {
  while (e > s && (buf[e - 1] === SPACE || buf[e - 1] === TAB)) e--
  return e
}

/** Validity bookkeeping shared by the fixed-width builders. */
abstract class FixedWidthBuilder {
  length = 0
  nullCount = 0
  capacity: number
  validity: Uint8Array

  constructor(capacity: number) {
    this.capacity = capacity
    this.validity = new Uint8Array((capacity + 7) >> 3)
  }

  protected abstract growValues(capacity: number): void

  protected grow(): void {
    const capacity = this.capacity * 2
    const validity = new Uint8Array((capacity + 7) >> 3)
    validity.set(this.validity)
    this.validity = validity
    this.growValues(capacity)
    this.capacity = capacity
  }

  /** Marks slot `length` valid and advances. */
  protected commit(): boolean {
    const i = this.length
    // Until the first null the bitmap is not maintained (see appendNull): a store saved per cell.
    if (this.nullCount !== 0) this.validity[i >> 3]! |= 1 << (i & 7)
    this.length = i + 1
    return true
  }

  appendNull(): void {
    if (this.length === this.capacity) this.grow()
    if (this.nullCount === 0) markAllValid(this.validity, this.length)
    this.length++
    this.nullCount++
  }

  protected nullBitmap(): Uint8Array | undefined {
    return this.nullCount === 0 ? undefined : trim(this.validity, (this.length + 7) >> 3)
  }
}

function trim<T extends Uint8Array | Int32Array | Float64Array | BigInt64Array>(array: T, length: number): T {
  return (array.length - length > array.length / 4 ? array.slice(0, length) : array.subarray(0, length)) as T
}

class Int32Builder extends FixedWidthBuilder implements ColumnBuilder {
  values: Int32Array
  constructor(capacity: number) {
    super(capacity)
    this.values = new Int32Array(capacity)
  }
  protected growValues(capacity: number): void {
    const values = new Int32Array(capacity)
    values.set(this.values)
    this.values = values
  }
  append(buf: Uint8Array, s: number, e: number): boolean {
    if (this.length === this.capacity) this.grow()
    if (!parseInt32Into(buf, s, e, this.values, this.length)) {
      const ts = trimStart(buf, s, e)
      const te = trimEnd(buf, ts, e)
      if (ts === s && te === e) return false
      if (!parseInt32Into(buf, ts, te, this.values, this.length)) return false
    }
    return this.commit()
  }
  /** See ColumnBuilder.appendBatch; one copy per class keeps the `append` call monomorphic. */
  appendBatch(
    buf: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    base: number,
    count: number,
    nulls: NullMatcher,
  ): number {
    for (let r = base, end = base + count; r < end; r++) {
      const s = starts[r]!
      const e = ends[r]!
      if (nulls.matches(buf, s, e)) this.appendNull()
      else if (!this.append(buf, s, e)) return r
    }
    return -1
  }
  finish(): Data {
    const { length, nullCount } = this
    return makeData({
      type: new Int32(),
      length,
      nullCount,
      nullBitmap: this.nullBitmap(),
      data: trim(this.values, length),
    })
  }
}

class Date32Builder extends Int32Builder {
  override append(buf: Uint8Array, s: number, e: number): boolean {
    if (this.length === this.capacity) this.grow()
    const ts = trimStart(buf, s, e)
    const days = parseDateDays(buf, ts, trimEnd(buf, ts, e))
    if (Number.isNaN(days)) return false
    this.values[this.length] = days
    return this.commit()
  }
  /** See ColumnBuilder.appendBatch; one copy per class keeps the `append` call monomorphic. */
  override appendBatch(
    buf: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    base: number,
    count: number,
    nulls: NullMatcher,
  ): number {
    for (let r = base, end = base + count; r < end; r++) {
      const s = starts[r]!
      const e = ends[r]!
      if (nulls.matches(buf, s, e)) this.appendNull()
      else if (!this.append(buf, s, e)) return r
    }
    return -1
  }
  override finish(): Data {
    const { length, nullCount } = this
    return makeData({
      type: new DateDay(),
      length,
      nullCount,
      nullBitmap: this.nullBitmap(),
      data: trim(this.values, length),
    })
  }
}

class Float64Builder extends FixedWidthBuilder implements ColumnBuilder {
  values: Float64Array
  constructor(capacity: number) {
    super(capacity)
    this.values = new Float64Array(capacity)
  }
  protected growValues(capacity: number): void {
    const values = new Float64Array(capacity)
    values.set(this.values)
    this.values = values
  }
  append(buf: Uint8Array, s: number, e: number): boolean {
    if (this.length === this.capacity) this.grow()
    if (!parseFloat64Into(buf, s, e, this.values, this.length)) {
      const ts = trimStart(buf, s, e)
      const te = trimEnd(buf, ts, e)
      if (ts === s && te === e) return false
      if (!parseFloat64Into(buf, ts, te, this.values, this.length)) return false
    }
    return this.commit()
  }
  /** See ColumnBuilder.appendBatch; one copy per class keeps the `append` call monomorphic. */
  appendBatch(
    buf: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    base: number,
    count: number,
    nulls: NullMatcher,
  ): number {
    for (let r = base, end = base + count; r < end; r++) {
      const s = starts[r]!
      const e = ends[r]!
      if (nulls.matches(buf, s, e)) this.appendNull()
      else if (!this.append(buf, s, e)) return r
    }
    return -1
  }
  finish(): Data {
    const { length, nullCount } = this
    return makeData({
      type: new Float64(),
      length,
      nullCount,
      nullBitmap: this.nullBitmap(),
      data: trim(this.values, length),
    })
  }
}

/** int64 and timestamp[ms]: a BigInt64Array written through an Int32Array view (see writeInt64Words). */
class Int64Builder extends FixedWidthBuilder implements ColumnBuilder {
  values: BigInt64Array
  words: Int32Array
  constructor(
    capacity: number,
    readonly timestamp: boolean,
  ) {
    super(capacity)
    this.values = new BigInt64Array(capacity)
    this.words = new Int32Array(this.values.buffer)
  }
  protected growValues(capacity: number): void {
    const values = new BigInt64Array(capacity)
    values.set(this.values)
    this.values = values
    this.words = new Int32Array(values.buffer)
  }
  append(buf: Uint8Array, s: number, e: number): boolean {
    if (this.length === this.capacity) this.grow()
    const ts = trimStart(buf, s, e)
    const te = trimEnd(buf, ts, e)
    if (this.timestamp) {
      const ms = parseTimestampMs(buf, ts, te)
      if (Number.isNaN(ms)) return false
      writeInt64Words(this.words, this.length, ms)
    } else if (!parseInt64Into(buf, ts, te, this.values, this.words, this.length)) return false
    return this.commit()
  }
  /** See ColumnBuilder.appendBatch; one copy per class keeps the `append` call monomorphic. */
  appendBatch(
    buf: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    base: number,
    count: number,
    nulls: NullMatcher,
  ): number {
    for (let r = base, end = base + count; r < end; r++) {
      const s = starts[r]!
      const e = ends[r]!
      if (nulls.matches(buf, s, e)) this.appendNull()
      else if (!this.append(buf, s, e)) return r
    }
    return -1
  }
  finish(): Data {
    const { length, nullCount } = this
    const nullBitmap = this.nullBitmap()
    const data = trim(this.values, length)
    return this.timestamp
      ? makeData({ type: new TimestampMillisecond(), length, nullCount, nullBitmap, data })
      : makeData({ type: new Int64(), length, nullCount, nullBitmap, data })
  }
}

class BoolBuilder extends FixedWidthBuilder implements ColumnBuilder {
  bits: Uint8Array
  constructor(capacity: number) {
    super(capacity)
    this.bits = new Uint8Array((capacity + 7) >> 3)
  }
  protected growValues(capacity: number): void {
    const bits = new Uint8Array((capacity + 7) >> 3)
    bits.set(this.bits)
    this.bits = bits
  }
  append(buf: Uint8Array, s: number, e: number): boolean {
    if (this.length === this.capacity) this.grow()
    const ts = trimStart(buf, s, e)
    const b = parseBool(buf, ts, trimEnd(buf, ts, e))
    if (b < 0) return false
    const i = this.length
    if (b === 1) this.bits[i >> 3]! |= 1 << (i & 7)
    return this.commit()
  }
  /** See ColumnBuilder.appendBatch; one copy per class keeps the `append` call monomorphic. */
  appendBatch(
    buf: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    base: number,
    count: number,
    nulls: NullMatcher,
  ): number {
    for (let r = base, end = base + count; r < end; r++) {
      const s = starts[r]!
      const e = ends[r]!
      if (nulls.matches(buf, s, e)) this.appendNull()
      else if (!this.append(buf, s, e)) return r
    }
    return -1
  }
  finish(): Data {
    const { length, nullCount } = this
    return makeData({
      type: new Bool(),
      length,
      nullCount,
      nullBitmap: this.nullBitmap(),
      data: trim(this.bits, (length + 7) >> 3),
    })
  }
}
