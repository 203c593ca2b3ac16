/**
 * Grouping by several keys at once, when their combined domain is too large for a dense table.
 *
 * Each key has already been grouped on its own (hash.ts), so every key is a dense Int32 id per row.
 * The tuple of ids is hashed once per row (multiply-rotate per column, column by column over the
 * whole batch, then a murmur finaliser) and looked up in ONE open-addressing table whose slots hold
 * (full hash, group + 1) side by side: a probe touches one cache line, and keys are compared only
 * when the full 32-bit hash matches. Growing the table reinserts the stored hashes, never rehashing
 * keys. This replaced folding keys pairwise through one hash table per extra key, which paid a
 * table (and its growth) per key on q10's six-column key, where nearly every row is its own group.
 */
import { type Grouping, GroupSink, mix } from './group-sink.js'

/** Hash of each row's id tuple; `hashMask` narrows the domain (tests force collisions with it). */
function tupleHashes(columns: readonly Int32Array[], n: number, hashMask: number): Int32Array {
  const hashes = new Int32Array(n)
  for (const ids of columns) hashInto(hashes, ids, n)
  for (let i = 0; i < n; i++) hashes[i] = mix(hashes[i]!) & hashMask
  return hashes
}

// Separate so V8 optimises the per-column loop on its own.
function hashInto(hashes: Int32Array, ids: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const h = hashes[i]!
    hashes[i] = Math.imul(((h << 13) | (h >>> 19)) ^ ids[i]!, 0x9e3779b1) + 0x7f4a7c15
  }
}

function sameTuple(columns: readonly Int32Array[], a: number, b: number): boolean {
  for (const ids of columns) if (ids[a] !== ids[b]) return false
  return true
}

/** Slot table: `slots[2s]` the full hash, `slots[2s + 1]` group + 1 (0 = empty). */
function emptySlots(capacity: number): Int32Array {
  return new Int32Array(2 * capacity)
}

function regrow(slots: Int32Array, capacity: number): Int32Array {
  const next = emptySlots(capacity)
  const mask = capacity - 1
  for (let s = 1; s < slots.length; s += 2) {
    if (slots[s] === 0) continue
    const h = slots[s - 1]!
    let t = h & mask
    while (next[2 * t + 1] !== 0) t = (t + 1) & mask
    next[2 * t] = h
    next[2 * t + 1] = slots[s]!
  }
  return next
}

/**
 * Groups rows by the tuple (columns[0][i], columns[1][i], …) of per-key group ids, in order of first
 * appearance. `expected` sizes the table (an upper bound on the groups is fine; it is capped).
 */
export function groupIdTuples(columns: readonly Int32Array[], n: number, expected: number, hashMask = -1): Grouping {
  const hashes = tupleHashes(columns, n, hashMask)
  const sink = new GroupSink(n)
  const ids = sink.ids
  let capacity = 16
  while (capacity < 2 * Math.min(expected, n, 1 << 18)) capacity *= 2
  let slots = emptySlots(capacity)
  let mask = capacity - 1
  let limit = capacity >>> 1
  for (let i = 0; i < n; i++) {
    const h = hashes[i]!
    let s = h & mask
    let g = -1
    for (;;) {
      const v = slots[2 * s + 1]!
      if (v === 0) break
      if (slots[2 * s] === h && sameTuple(columns, sink.firstRow[v - 1]!, i)) {
        g = v - 1
        break
      }
      s = (s + 1) & mask
    }
    if (g < 0) {
      g = sink.newGroup(i)
      slots[2 * s] = h
      slots[2 * s + 1] = g + 1
      if (sink.count > limit) {
        // Grow to what the rows seen so far project for the whole batch (at least double): when
        // nearly every row is new (q10's combine: 1e7 rows), one regrow instead of one per doubling.
        const projected = Math.min(n, Math.ceil((sink.count / (i + 1)) * n))
        while (capacity < 2 * projected || capacity <= 2 * sink.count) capacity *= 2
        slots = regrow(slots, capacity)
        mask = capacity - 1
        limit = capacity >>> 1
      }
    }
    ids[i] = g
  }
  return sink.finish()
}
