/**
 * Group ids: row → dense group id (0 … count-1, in order of first appearance), and the first row of
 * each group, which later gathers the key values. A null key is its own group (SQL GROUP BY).
 *
 * One strategy per key storage, cheapest first:
 * - dictionary utf8: codes index a per-entry table directly (entries are deduplicated by value once
 *   per batch, so repeated entries share a group);
 * - bool: a three-slot table; int32/date32 over a small range: a dense table indexed by value - min;
 * - everything else: open addressing over 32-bit words (int64/timestamp/float64 as two words,
 *   floats canonicalised so -0 = 0 and all NaNs are one group), or over bytes for plain utf8
 *   (hash-utf8.ts).
 * Several keys combine pairwise: (idA, idB) → id through a dense table when countA·countB is small,
 * else the tuple of per-key ids is hashed once (hash-tuple.ts).
 */
import type { Col, Utf8Col } from '../column.js'
import { type Grouping, GroupSink, mix } from './group-sink.js'
import { groupIdTuples } from './hash-tuple.js'
import { groupUtf8 } from './hash-utf8.js'

export type { Grouping }

/** Open addressing over one or two 32-bit words per key; slots hold group id + 1. */
class WordTable {
  #slots: Int32Array
  #mask: number
  #lo: Int32Array
  #hi: Int32Array
  #size = 0
  constructor(
    private readonly wide: boolean,
    expected: number,
  ) {
    let cap = 16
    while (cap < expected * 2) cap *= 2
    this.#slots = new Int32Array(cap)
    this.#mask = cap - 1
    this.#lo = new Int32Array(Math.max(16, expected))
    this.#hi = new Int32Array(wide ? Math.max(16, expected) : 0)
  }
  /** The group of (lo, hi), or `sink.newGroup(row)` for a new key. */
  find(lo: number, hi: number, row: number, sink: GroupSink): number {
    const slots = this.#slots
    let s = (this.wide ? mix(lo ^ Math.imul(mix(hi), 0x9e3779b1)) : mix(lo)) & this.#mask
    for (;;) {
      const v = slots[s]!
      if (v === 0) break
      const g = v - 1
      if (this.#lo[g] === lo && (!this.wide || this.#hi[g] === hi)) return g
      s = (s + 1) & this.#mask
    }
    const g = sink.newGroup(row)
    if (g >= this.#lo.length) {
      const lo2 = new Int32Array(this.#lo.length * 2)
      lo2.set(this.#lo)
      this.#lo = lo2
      if (this.wide) {
        const hi2 = new Int32Array(this.#hi.length * 2)
        hi2.set(this.#hi)
        this.#hi = hi2
      }
    }
    this.#lo[g] = lo
    if (this.wide) this.#hi[g] = hi
    slots[s] = g + 1
    if (++this.#size * 2 > slots.length) this.#grow()
    return g
  }
  #grow(): void {
    const cap = this.#slots.length * 2
    const slots = new Int32Array(cap)
    const mask = cap - 1
    for (let g = 0; g < this.#size; g++) {
      const lo = this.#lo[g]!
      let s = (this.wide ? mix(lo ^ Math.imul(mix(this.#hi[g]!), 0x9e3779b1)) : mix(lo)) & mask
      while (slots[s] !== 0) s = (s + 1) & mask
      slots[s] = g + 1
    }
    this.#slots = slots
    this.#mask = mask
  }
}

function groupWords(
  words: Int32Array,
  wide: boolean,
  n: number,
  valid: Uint8Array | null,
  rowIds: Int32Array | undefined,
): Grouping {
  const sink = new GroupSink(n, Math.min(n, 1 << 16), rowIds)
  const table = new WordTable(wide, Math.min(n, 1 << 16))
  const ids = sink.ids
  let nullGroup = -1
  for (let i = 0; i < n; i++) {
    if (valid !== null && !valid[i]) {
      if (nullGroup < 0) nullGroup = sink.newGroup(i)
      ids[i] = nullGroup
    } else if (wide) ids[i] = table.find(words[2 * i]!, words[2 * i + 1]!, i, sink)
    else ids[i] = table.find(words[i]!, 0, i, sink)
  }
  return sink.finish()
}

/** Groups through a direct table: `slotOf(i)` in [0, slots) for every valid row. */
function groupDense(
  n: number,
  slots: number,
  valid: Uint8Array | null,
  slotOf: (i: number) => number,
  rowIds?: Int32Array,
): Grouping {
  // Sized for every slot when that is no more than the rows (a key's range denser than its rows
  // would over-allocate): growing by doubling from 1024 cost twice the final size for 1e5 groups.
  const sink = new GroupSink(n, slots < n ? slots + 1 : undefined, rowIds)
  const table = new Int32Array(slots + 1).fill(-1)
  const ids = sink.ids
  for (let i = 0; i < n; i++) {
    const s = valid !== null && !valid[i] ? slots : slotOf(i)
    let g = table[s]!
    if (g < 0) g = table[s] = sink.newGroup(i)
    ids[i] = g
  }
  return sink.finish()
}

function groupDictionary(
  codes: Int32Array,
  dict: Utf8Col,
  n: number,
  valid: Uint8Array | null,
  rowIds: Int32Array | undefined,
): Grouping {
  // Entries with equal text must share a group: map each entry to its first equal entry. Grouping
  // the entries by their bytes (no string decoding) matters when the dictionary is large, e.g. a
  // combine over partials that each carry 1e5 distinct strings.
  const entries = groupUtf8({ ...dict, valid: null })
  const canon = new Int32Array(dict.length)
  for (let k = 0; k < dict.length; k++) canon[k] = entries.firstRow[entries.ids[k]!]!
  const duplicates = entries.count < dict.length
  if (valid === null && !duplicates) {
    // The hot path of the design bar: the codes themselves are the group ids (no copy), one slot
    // per dictionary entry; slots no row uses keep firstRow -1 and are dropped by buildState.
    // Readers build a dictionary per batch, so usually every entry is used and the scan stops
    // as soon as each has been seen once.
    const firstRow = new Int32Array(dict.length).fill(-1)
    let unseen = dict.length
    for (let i = 0; i < n && unseen > 0; i++) {
      const c = codes[i]!
      if (firstRow[c]! < 0) {
        firstRow[c] = i
        unseen--
      }
    }
    return { ids: codes, count: dict.length, firstRow }
  }
  const sink = new GroupSink(n, undefined, rowIds)
  const table = new Int32Array(dict.length + 1).fill(-1)
  const ids = sink.ids
  const nullSlot = dict.length
  for (let i = 0; i < n; i++) {
    const s = valid !== null && !valid[i] ? nullSlot : canon[codes[i]!]!
    let g = table[s]!
    if (g < 0) g = table[s] = sink.newGroup(i)
    ids[i] = g
  }
  return sink.finish()
}

/** Groups the rows of one key column; `rowIds` (scratchRowIds) receives the ids when given. */
export function groupColumn(col: Col, rowIds?: Int32Array): Grouping {
  const n = col.length
  const valid = col.valid
  switch (col.kind) {
    case 'dict':
      return groupDictionary(col.codes, col.dict, n, valid, rowIds)
    case 'utf8':
      return groupUtf8(col, rowIds)
    case 'bool': {
      const v = col.values
      return groupDense(n, 2, valid, (i) => v[i]!, rowIds)
    }
    case 'int32':
    case 'date32': {
      const v = col.values
      let min = 2147483647
      let max = -2147483648
      for (let i = 0; i < n; i++) {
        if (valid !== null && !valid[i]) continue
        const x = v[i]!
        if (x < min) min = x
        if (x > max) max = x
      }
      if (max - min < Math.max(2 * n, 1 << 16))
        return groupDense(n, max >= min ? max - min + 1 : 0, valid, (i) => v[i]! - min, rowIds)
      return groupWords(v, false, n, valid, rowIds)
    }
    case 'int64':
    case 'timestamp[ms]':
      return groupWords(new Int32Array(col.values.buffer, col.values.byteOffset, 2 * n), true, n, valid, rowIds)
    case 'float64': {
      const canon = new Float64Array(n)
      const v = col.values
      for (let i = 0; i < n; i++) {
        const x = v[i]!
        canon[i] = x === 0 ? 0 : Number.isNaN(x) ? Number.NaN : x
      }
      return groupWords(new Int32Array(canon.buffer, 0, 2 * n), true, n, valid, rowIds)
    }
  }
}

/** Above this many slots a dense table of key combinations loses to hashing the tuple. */
const denseSlots = (n: number): number => Math.max(2 * n, 1 << 16)

/** Groups by the pair (a, b) of two groupings of the same rows, when a.count · b.count is small. */
function combineDense(a: Grouping, b: Grouping, n: number): Grouping {
  const ia = a.ids
  const ib = b.ids
  const nb = b.count
  return groupDense(n, a.count * nb, null, (i) => ia[i]! * nb + ib[i]!)
}

/**
 * Groups rows by several key columns (none: one group holding every row, even when empty). With
 * `rowIds` (scratchRowIds) a single key's ids are written there: the caller must be done with the
 * grouping before the next one on this thread.
 * Each key is grouped on its own; leading keys fold pairwise through a dense table while their
 * combined domain stays small, and whatever keys remain are grouped together by hashing the
 * tuple of ids once (hash-tuple.ts).
 */
export function groupRows(keys: readonly Col[], n: number, rowIds?: Int32Array): Grouping {
  if (keys.length === 0) return { ids: new Int32Array(n), count: 1, firstRow: Int32Array.of(0) }
  if (keys.length === 1) return groupColumn(keys[0]!, rowIds)
  let grouping = groupColumn(keys[0]!)
  const rest: Grouping[] = []
  for (let k = 1; k < keys.length; k++) {
    const next = groupColumn(keys[k]!)
    if (rest.length === 0 && grouping.count * next.count <= denseSlots(n)) grouping = combineDense(grouping, next, n)
    else rest.push(next)
  }
  if (rest.length === 0) return grouping
  const parts = [grouping, ...rest]
  const bound = parts.reduce((product, g) => product * g.count, 1)
  return groupIdTuples(
    parts.map((g) => g.ids),
    n,
    Math.min(bound, n),
  )
}
