/**
 * The utf8 column builder. Cells are looked up in a per-chunk dictionary keyed by their bytes
 * (a 32-bit hash, open addressing, the bytes compared on a hash match), so repeated values cost one
 * hash and no allocation, and the column comes out as `Dictionary<Utf8, Int32>` codes. Values of
 * at most 7 bytes (codes like `id042`, the common low-cardinality case) are packed with their
 * length into two 32-bit words, hashed from those and compared as two integers, not byte by byte;
 * values of 8–15 bytes (ids like `id0000012345`) into four words, so a probe of a dictionary too
 * big for the cache reads the slot and one 16-byte record, not the hash, offsets and bytes of the
 * entry (three more cache misses per cell on 1e5 distinct ids).
 *
 * The dictionary is kept only while it pays. Output rule, applied at `finish`: dictionary when
 * distinct ≤ rows / 2, else plain Utf8 (offsets + bytes), so tiny chunks of unique strings come out
 * plain. Past DICTIONARY_MIN_SWITCH entries the builder checks whether the dictionary can still
 * win (see #considerPlain) and, if not, converts to plain and stops hashing. Both forms are valid
 * utf8 storage.
 */
import { type Data, makeData, Utf8 } from 'apache-arrow'
import { makeDictionaryData } from '../../types/arrow-types.js'
import type { NullMatcher } from './options.js'
import { markAllValid } from './validity.js'

const DICTIONARY_MIN_SWITCH = 1 << 16
/** Values up to this many bytes are looked up as two packed words (see lookupShort). */
const SHORT = 7
/** Values of SHORT + 1 to this many bytes are looked up as four packed words (see lookupMedium). */
const MEDIUM = 15
/** The second packed word of a long entry: no short value packs to it (its length byte is 255). */
const LONG = -1

export class Utf8Builder {
  length = 0
  nullCount = 0
  private capacity: number
  private validity: Uint8Array
  private dictionaryMode = true
  // Dictionary form.
  private codes: Int32Array
  private entries = 0
  private entryOffsets = new Int32Array(257)
  private entryHashes = new Int32Array(256)
  /** Per entry: its bytes and length packed into two words (see lookupShort); LONG, LONG for longer values. */
  private entryWords = new Int32Array(512)
  /**
   * Per entry: a medium value's bytes and length packed into four words (see lookupMedium); zeros
   * for other entries, which no medium value packs to (its length byte is 8–15).
   */
  private entryWords4 = new Int32Array(1024)
  private entryBytes = new Uint8Array(4096)
  private table = new Int32Array(512)
  // Plain form.
  private offsets: Int32Array = new Int32Array(0)
  private bytes: Uint8Array = new Uint8Array(0)

  /** Re-check the dictionary's worth once it has more entries than this. */
  private switchAt: number
  private readonly expectedRows: number

  constructor(capacity: number) {
    this.expectedRows = capacity
    this.switchAt = DICTIONARY_MIN_SWITCH
    this.capacity = capacity
    this.validity = new Uint8Array((capacity + 7) >> 3)
    this.codes = new Int32Array(capacity)
  }

  appendNull(): void {
    if (this.length === this.capacity) this.grow()
    if (!this.dictionaryMode) this.offsets[this.length + 1] = this.offsets[this.length]!
    if (this.nullCount === 0) markAllValid(this.validity, this.length)
    this.length++
    this.nullCount++
  }

  append(buf: Uint8Array, s: number, e: number): boolean {
    if (this.length === this.capacity) this.grow()
    const i = this.length
    if (this.dictionaryMode) {
      const code = this.lookup(buf, s, e)
      if (code < 0) return false
      this.codes[i] = code
    } else if (!this.appendPlain(buf, s, e)) return false
    // Until the first null the bitmap is not maintained (see appendNull).
    if (this.nullCount !== 0) this.validity[i >> 3]! |= 1 << (i & 7)
    this.length = i + 1
    if (this.dictionaryMode && this.entries > this.switchAt) this.considerPlain()
    return true
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
    const nullBitmap = nullCount === 0 ? null : this.validity.subarray(0, (length + 7) >> 3)
    if (this.dictionaryMode && length > 0 && this.entries * 2 <= length) {
      const n = this.entries
      const dictionary = makeData({
        type: new Utf8(),
        length: n,
        nullCount: 0,
        valueOffsets: this.entryOffsets.slice(0, n + 1),
        data: this.entryBytes.slice(0, this.entryOffsets[n]!),
      })
      return makeDictionaryData(this.codes.subarray(0, length), dictionary, nullBitmap, nullCount)
    }
    if (this.dictionaryMode) this.toPlain()
    return makeData({
      type: new Utf8(),
      length,
      nullCount,
      nullBitmap: nullBitmap ?? undefined,
      valueOffsets: this.offsets.subarray(0, length + 1),
      data: this.bytes.subarray(0, this.offsets[length]!),
    })
  }

  /**
   * Early in a chunk the distinct ratio overstates (most values are new at first), so only give
   * up on the dictionary when it cannot end at ≤ half the expected rows, or nearly every value so
   * far was new (an id-like column).
   */
  private considerPlain(): void {
    const entries = this.entries
    if (entries * 2 > this.expectedRows || entries > 0.9 * this.length) this.toPlain()
    else this.switchAt = entries * 2
  }

  private grow(): void {
    const capacity = this.capacity * 2
    const validity = new Uint8Array((capacity + 7) >> 3)
    validity.set(this.validity)
    this.validity = validity
    if (this.dictionaryMode) {
      const codes = new Int32Array(capacity)
      codes.set(this.codes)
      this.codes = codes
    } else {
      const offsets = new Int32Array(capacity + 1)
      offsets.set(this.offsets)
      this.offsets = offsets
    }
    this.capacity = capacity
  }

  /** The code of bytes [s, e), inserting a new entry when unseen. */
  private lookup(buf: Uint8Array, s: number, e: number): number {
    const n = e - s
    if (n <= SHORT) return this.lookupShort(buf, s, n)
    if (n <= MEDIUM) return this.lookupMedium(buf, s, n)
    const h = hashBytes(buf, s, e)
    const table = this.table
    const mask = table.length - 1
    const offsets = this.entryOffsets
    const bytes = this.entryBytes
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot]! - 1
      if (entry < 0) return this.insert(buf, s, e, h, slot, LONG, LONG)
      if (this.entryHashes[entry] !== h) continue
      const start = offsets[entry]!
      if (offsets[entry + 1]! - start !== n) continue
      let k = 0
      while (k < n && bytes[start + k] === buf[s + k]) k++
      if (k === n) return entry
    }
  }

  /**
   * lookup for n ≤ SHORT bytes: bytes 0-3 in one word, bytes 4-6 and the length n in the other, so
   * equal words mean equal values. They give the hash and are compared whole. A short and a long
   * value never meet, so the two hashes can differ.
   */
  private lookupShort(buf: Uint8Array, s: number, n: number): number {
    let lo = 0
    let hi = n << 24
    if (n >= 4) {
      lo = buf[s]! | (buf[s + 1]! << 8) | (buf[s + 2]! << 16) | (buf[s + 3]! << 24)
      for (let k = 4; k < n; k++) hi |= buf[s + k]! << ((k - 4) << 3)
    } else for (let k = 0; k < n; k++) lo |= buf[s + k]! << (k << 3)
    let h = Math.imul(lo, 0x9e3779b1)
    h = Math.imul(h ^ (h >>> 15) ^ hi, 0x85ebca6b)
    h ^= h >>> 13
    const table = this.table
    const mask = table.length - 1
    const words = this.entryWords
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot]! - 1
      if (entry < 0) return this.insert(buf, s, s + n, h, slot, lo, hi)
      if (words[2 * entry] === lo && words[2 * entry + 1] === hi) return entry
    }
  }

  /**
   * lookup for SHORT < n ≤ MEDIUM bytes: bytes 0-11 in three words, bytes 12-14 and the length n
   * in the fourth, so equal words mean equal values, compared whole as in lookupShort.
   */
  private lookupMedium(buf: Uint8Array, s: number, n: number): number {
    const w0 = buf[s]! | (buf[s + 1]! << 8) | (buf[s + 2]! << 16) | (buf[s + 3]! << 24)
    const w1 = buf[s + 4]! | (buf[s + 5]! << 8) | (buf[s + 6]! << 16) | (buf[s + 7]! << 24)
    let w2 = 0
    let w3 = n << 24
    if (n >= 12) {
      w2 = buf[s + 8]! | (buf[s + 9]! << 8) | (buf[s + 10]! << 16) | (buf[s + 11]! << 24)
      for (let k = 12; k < n; k++) w3 |= buf[s + k]! << ((k - 12) << 3)
    } else for (let k = 8; k < n; k++) w2 |= buf[s + k]! << ((k - 8) << 3)
    let h = Math.imul(w0, 0x9e3779b1)
    h = Math.imul(h ^ (h >>> 15) ^ w1, 0x85ebca6b)
    h = Math.imul(h ^ (h >>> 13) ^ w2, 0xc2b2ae35)
    h = Math.imul(h ^ (h >>> 16) ^ w3, 0x9e3779b1)
    h ^= h >>> 15
    const table = this.table
    const mask = table.length - 1
    const words = this.entryWords4
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot]! - 1
      if (entry < 0) {
        const inserted = this.insert(buf, s, s + n, h, slot, LONG, LONG)
        if (inserted >= 0) {
          // insert may have grown the arrays: write through the current one.
          const grown = this.entryWords4
          grown[4 * inserted] = w0
          grown[4 * inserted + 1] = w1
          grown[4 * inserted + 2] = w2
          grown[4 * inserted + 3] = w3
        }
        return inserted
      }
      const at = 4 * entry
      if (words[at] === w0 && words[at + 1] === w1 && words[at + 2] === w2 && words[at + 3] === w3) return entry
    }
  }

  /**
   * Inserts a new entry (`lo`, `hi`: its packed words); -1 (nothing inserted) when the
   * bytes are not UTF-8. Runs once per distinct value.
   */
  private insert(buf: Uint8Array, s: number, e: number, h: number, slot: number, lo: number, hi: number): number {
    if (!isUtf8(buf, s, e)) return -1
    const entry = this.entries
    if (entry + 1 >= this.entryHashes.length) {
      const hashes = new Int32Array(this.entryHashes.length * 2)
      hashes.set(this.entryHashes)
      this.entryHashes = hashes
      const offsets = new Int32Array(hashes.length + 1)
      offsets.set(this.entryOffsets)
      this.entryOffsets = offsets
      const words = new Int32Array(hashes.length * 2)
      words.set(this.entryWords)
      this.entryWords = words
      const words4 = new Int32Array(hashes.length * 4)
      words4.set(this.entryWords4)
      this.entryWords4 = words4
    }
    this.entryWords[2 * entry] = lo
    this.entryWords[2 * entry + 1] = hi
    const start = this.entryOffsets[entry]!
    const end = start + (e - s)
    if (end > this.entryBytes.length) this.entryBytes = growBytes(this.entryBytes, end)
    this.entryBytes.set(buf.subarray(s, e), start)
    this.entryOffsets[entry + 1] = end
    this.entryHashes[entry] = h
    this.table[slot] = entry + 1
    this.entries = entry + 1
    if (this.entries * 2 > this.table.length) this.rehash()
    return entry
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2)
    const mask = table.length - 1
    for (let entry = 0; entry < this.entries; entry++) {
      let slot = this.entryHashes[entry]! & mask
      while (table[slot] !== 0) slot = (slot + 1) & mask
      table[slot] = entry + 1
    }
    this.table = table
  }

  /** false (nothing appended) when the bytes are not UTF-8. */
  private appendPlain(buf: Uint8Array, s: number, e: number): boolean {
    if (!isUtf8(buf, s, e)) return false
    const start = this.offsets[this.length]!
    const end = start + (e - s)
    if (end > this.bytes.length) this.bytes = growBytes(this.bytes, end)
    const bytes = this.bytes
    // Short values: a loop beats allocating a subarray view per cell.
    if (e - s < 32) for (let k = s, o = start; k < e; k++, o++) bytes[o] = buf[k]!
    else bytes.set(buf.subarray(s, e), start)
    this.offsets[this.length + 1] = end
    return true
  }

  /** Rewrites the codes seen so far as plain offsets + bytes; the dictionary is dropped. */
  private toPlain(): void {
    const length = this.length
    const offsets = new Int32Array(this.capacity + 1)
    const entryOffsets = this.entryOffsets
    let total = 0
    for (let i = 0; i < length; i++) {
      if (this.nullCount === 0 || this.validity[i >> 3]! & (1 << (i & 7))) {
        const code = this.codes[i]!
        total += entryOffsets[code + 1]! - entryOffsets[code]!
      }
      offsets[i + 1] = total
    }
    const bytes = new Uint8Array(Math.max(total * 2, 1024))
    for (let i = 0; i < length; i++) {
      const start = offsets[i]!
      if (offsets[i + 1]! > start) {
        const code = this.codes[i]!
        bytes.set(this.entryBytes.subarray(entryOffsets[code]!, entryOffsets[code + 1]!), start)
      }
    }
    this.offsets = offsets
    this.bytes = bytes
    this.dictionaryMode = false
    this.codes = new Int32Array(0)
    this.entryBytes = new Uint8Array(0)
    this.entryWords = new Int32Array(0)
    this.entryWords4 = new Int32Array(0)
    this.table = new Int32Array(0)
  }
}

/**
 * A 32-bit hash of bytes [s, e), four bytes per multiply (a byte-at-a-time FNV-1a was the top cost
 * on 12-byte ids), finished with a murmur3-style avalanche because the table indexes by low bits.
 */
function hashBytes(buf: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5 ^ (e - s)
  let k = s
  for (; k + 4 <= e; k += 4) {
    h = Math.imul(h ^ (buf[k]! | (buf[k + 1]! << 8) | (buf[k + 2]! << 16) | (buf[k + 3]! << 24)), 0x9e3779b1)
    h ^= h >>> 15
  }
  for (; k < e; k++) h = Math.imul(h ^ buf[k]!, 0x01000193)
  h ^= h >>> 13
  h = Math.imul(h, 0x85ebca6b)
  return h ^ (h >>> 16)
}

function growBytes(bytes: Uint8Array, needed: number): Uint8Array<ArrayBuffer> {
  let size = Math.max(1024, bytes.length * 2)
  while (size < needed) size *= 2
  const out = new Uint8Array(size)
  out.set(bytes)
  return out
}

/**
 * Whether bytes [s, e) are well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
 * ASCII, the common case, costs one compare per byte.
 */
export function isUtf8(buf: Uint8Array, s: number, e: number): boolean {
  let i = s
  while (i < e && buf[i]! < 0x80) i++
  while (i < e) {
    const c = buf[i]!
    if (c < 0x80) {
      i++
      continue
    }
    let need: number
    let min: number
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1
      min = 0x80
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2
      min = 0x800
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3
      min = 0x10000
    } else return false
    if (i + need >= e) return false
    let cp = c & (0x3f >> need)
    for (let k = 1; k <= need; k++) {
      const b = buf[i + k]!
      if ((b & 0xc0) !== 0x80) return false
      cp = (cp << 6) | (b & 0x3f)
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false
    i += need + 1
  }
  return true
}
