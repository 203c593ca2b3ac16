/**
 * Concatenation of same-schema batches into one batch (one chunk per column).
 *
 * Dictionary decision: when every input of a utf8 column is dictionary-encoded the output stays
 * dictionary-encoded. Inputs that share one dictionary (same buffers) just append codes; otherwise
 * the dictionaries are unified (entries deduplicated by value, in order of first appearance) and
 * codes remapped. A column that mixes plain and dictionary inputs is decoded to plain utf8.
 * Zero batches give an empty zero-column batch; one batch is returned unchanged.
 */
import type { RecordBatch } from 'apache-arrow'
import { columnData, makeBatch } from '../types/arrow-types.js'
import { TsdaskError } from '../util/errors.js'
import { bigInt64Output, float64Output, int32Output } from '../util/output-memory.js'
import { type Col, type DictCol, readColumn, toData, type Utf8Col } from './column.js'
import { groupUtf8 } from './group-by/hash-utf8.js'
import { decodeToUtf8, Utf8Builder } from './utf8.js'
import type { Validity } from './validity.js'

function concatValidity(cols: readonly Col[], total: number): Validity {
  if (cols.every((c) => c.valid === null)) return null
  const out = new Uint8Array(total)
  let at = 0
  for (const c of cols) {
    if (c.valid === null) out.fill(1, at, at + c.length)
    else out.set(c.valid.subarray(0, c.length), at)
    at += c.length
  }
  return out
}

function concatTyped<T extends Int32Array | BigInt64Array | Float64Array | Uint8Array>(
  parts: readonly T[],
  lengths: readonly number[],
  out: T,
): T {
  let at = 0
  parts.forEach((p, k) => {
    const len = lengths[k]!
    ;(out as Float64Array).set((p as unknown as Float64Array).subarray(0, len), at)
    at += len
  })
  return out
}

/**
 * Each input's bytes are contiguous from its first offset to its last, so they move in one copy and
 * only the offsets are shifted: a copy per row cost 170 ms for 1.1e6 short strings, this about 10.
 */
function concatPlain(cols: readonly Utf8Col[], total: number, valid: Validity): Utf8Col {
  let size = 0
  for (const c of cols) size += c.offsets[c.length]! - c.offsets[0]!
  const offsets = new Int32Array(total + 1)
  const bytes = new Uint8Array(size)
  let row = 0
  let pos = 0
  for (const c of cols) {
    const start = c.offsets[0]!
    const end = c.offsets[c.length]!
    bytes.set(c.bytes.subarray(start, end), pos)
    const shift = pos - start
    const from = c.offsets
    for (let i = 1; i <= c.length; i++) offsets[row + i] = from[i]! + shift
    row += c.length
    pos += end - start
  }
  return { kind: 'utf8', length: total, offsets, bytes, valid }
}

function sameDictionary(a: DictCol, b: DictCol): boolean {
  return (
    (a.source !== null && a.source === b.source) || (a.dict.offsets === b.dict.offsets && a.dict.bytes === b.dict.bytes)
  )
}

function concatDict(cols: readonly DictCol[], total: number, valid: Validity): DictCol {
  const first = cols[0]!
  const lengths = cols.map((c) => c.length)
  if (cols.every((c) => sameDictionary(first, c))) {
    const codes = concatTyped(
      cols.map((c) => c.codes),
      lengths,
      int32Output(total),
    )
    return { ...first, length: total, codes, valid }
  }
  // One dictionary of the distinct entries, in order of first appearance: the inputs' entries are
  // grouped by their bytes (no string decoding), and each input's codes map through the groups.
  const dictLengths = cols.map((c) => c.dict.length)
  const entries = concatPlain(
    cols.map((c) => ({ ...c.dict, valid: null })),
    dictLengths.reduce((a, b) => a + b, 0),
    null,
  )
  const distinct = groupUtf8(entries)
  const unique = new Utf8Builder(distinct.count, entries.offsets[entries.length]! - entries.offsets[0]!)
  for (const r of distinct.firstRow) unique.appendBytes(entries.bytes, entries.offsets[r]!, entries.offsets[r + 1]!)
  const dict = unique.finish(null)
  const codes = int32Output(total)
  let at = 0
  let base = 0
  for (const c of cols) {
    // A null row's code is arbitrary; it may point past its dictionary, so it falls back to 0.
    for (let i = 0; i < c.length; i++) codes[at + i] = distinct.ids[base + c.codes[i]!] ?? 0
    at += c.length
    base += c.dict.length
  }
  return {
    kind: 'dict',
    length: total,
    codes,
    dict: { ...dict, offsets: dict.offsets.subarray(0, dict.length + 1) },
    source: null,
    valid,
  }
}

/** Concatenates columns of one dtype (plain and dictionary utf8 may mix). */
export function concatCols(cols: readonly Col[]): Col {
  const first = cols[0]
  if (!first) throw new TsdaskError('INTERNAL', 'concatCols needs at least one column')
  if (cols.length === 1) return first
  const total = cols.reduce((s, c) => s + c.length, 0)
  const valid = concatValidity(cols, total)
  const lengths = cols.map((c) => c.length)
  const kinds = new Set(cols.map((c) => c.kind))
  if (kinds.size > 1) {
    if ([...kinds].every((k) => k === 'utf8' || k === 'dict')) {
      return concatPlain(
        cols.map((c) => decodeToUtf8(c as Utf8Col | DictCol)),
        total,
        valid,
      )
    }
    throw new TsdaskError('INTERNAL', `cannot concatenate columns of kinds ${[...kinds].join(', ')}`)
  }
  switch (first.kind) {
    case 'dict':
      return concatDict(cols as DictCol[], total, valid)
    case 'utf8':
      return concatPlain(cols as Utf8Col[], total, valid)
    case 'bool':
      return {
        kind: 'bool',
        length: total,
        values: concatTyped(
          cols.map((c) => (c as typeof first).values),
          lengths,
          new Uint8Array(total),
        ),
        valid,
      }
    case 'int32':
    case 'date32':
      return {
        kind: first.kind,
        length: total,
        values: concatTyped(
          cols.map((c) => (c as typeof first).values),
          lengths,
          int32Output(total),
        ),
        valid,
      }
    case 'int64':
    case 'timestamp[ms]':
      return {
        kind: first.kind,
        length: total,
        values: concatTyped(
          cols.map((c) => (c as typeof first).values),
          lengths,
          bigInt64Output(total),
        ),
        valid,
      }
    case 'float64':
      return {
        kind: 'float64',
        length: total,
        values: concatTyped(
          cols.map((c) => (c as typeof first).values),
          lengths,
          float64Output(total),
        ),
        valid,
      }
  }
}

/**
 * One batch holding the rows of `batches` in order.
 *
 * @example
 * const whole = concatBatches([part0, part1, part2])
 */
export function concatBatches(batches: readonly RecordBatch[]): RecordBatch {
  const first = batches[0]
  if (!first) return makeBatch([], [], 0)
  if (batches.length === 1) return first
  const numCols = first.numCols
  for (const b of batches) {
    if (b.numCols !== numCols) {
      throw new TsdaskError(
        'INTERNAL',
        `concat of batches with ${numCols} and ${b.numCols} columns: schemas must match`,
      )
    }
  }
  const names = first.schema.fields.map((f) => f.name)
  const numRows = batches.reduce((s, b) => s + b.numRows, 0)
  const columns = names.map((_, i) => toData(concatCols(batches.map((b) => readColumn(columnData(b, i))))))
  return makeBatch(names, columns, numRows)
}
