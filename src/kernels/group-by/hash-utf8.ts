/**
 * Grouping of plain utf8 keys without decoding: FNV-1a over the bytes, open addressing whose slots
 * hold group id + 1, candidates confirmed by comparing bytes with the group's first row. Hashes are
 * kept per group so growing the table never rehashes strings.
 */
import type { Utf8Col } from '../column.js'
import { compareBytes } from '../utf8.js'
import { type Grouping, GroupSink, mix } from './group-sink.js'

export function hashBytes(bytes: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5 ^ (e - s)
  for (let k = s; k < e; k++) h = Math.imul(h ^ bytes[k]!, 0x01000193)
  return mix(h)
}

export function groupUtf8(col: Utf8Col, rowIds?: Int32Array): Grouping {
  const { offsets, bytes, valid, length: n } = col
  const sink = new GroupSink(n, undefined, rowIds)
  let cap = 16
  while (cap < Math.min(n, 1 << 16) * 2) cap *= 2
  let slots = new Int32Array(cap)
  let hashes = new Int32Array(1024)
  let nullGroup = -1
  const ids = sink.ids
  for (let i = 0; i < n; i++) {
    if (valid !== null && !valid[i]) {
      if (nullGroup < 0) nullGroup = sink.newGroup(i)
      ids[i] = nullGroup
      continue
    }
    const st = offsets[i]!
    const en = offsets[i + 1]!
    const h = hashBytes(bytes, st, en)
    let mask = slots.length - 1
    let s = h & mask
    let g = -1
    for (;;) {
      const v = slots[s]!
      if (v === 0) break
      const cand = v - 1
      const r = sink.firstRow[cand]!
      if (hashes[cand] === h && compareBytes(bytes, offsets[r]!, offsets[r + 1]!, bytes, st, en) === 0) {
        g = cand
        break
      }
      s = (s + 1) & mask
    }
    if (g < 0) {
      g = sink.newGroup(i)
      if (g >= hashes.length) {
        const next = new Int32Array(hashes.length * 2)
        next.set(hashes)
        hashes = next
      }
      hashes[g] = h
      slots[s] = g + 1
      if ((sink.count - (nullGroup >= 0 ? 1 : 0)) * 2 > slots.length) {
        slots = new Int32Array(slots.length * 2)
        mask = slots.length - 1
        for (let q = 0; q < sink.count; q++) {
          if (q === nullGroup) continue
          let t = hashes[q]! & mask
          while (slots[t] !== 0) t = (t + 1) & mask
          slots[t] = q + 1
        }
      }
    }
    ids[i] = g
  }
  return sink.finish()
}
