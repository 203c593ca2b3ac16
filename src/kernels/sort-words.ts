/**
 * Sort keys as unsigned 32-bit words, most significant first, so a stable LSD radix sort orders
 * rows exactly as row-compare.ts does, without a comparator call per comparison.
 *
 * Per key: a null flag word when the column has nulls (0 sorts first: valid rows unless
 * `nullsFirst`), then the value words, bit-inverted when descending (stability still keeps ties in
 * row order, as the comparator's index tie-break does), and 0 in every null row: the value under a
 * null is never read as data. Value words: int32/date32/bool biased
 * by 2^31; int64/timestamp as (hi biased, lo); float64 as the classic sortable bit pattern after
 * folding -0 into 0 and every NaN into one NaN, which lands after +Infinity; strings as their rank
 * among the distinct values (dictionary entries, or hash-grouped plain strings), ranked by bytes.
 */
import type { Col } from './column.js'
import { groupColumn } from './group-by/hash.js'
import type { SortKey } from './physical-expr.js'
import { dictionaryRanks } from './row-compare.js'
import { compareBytes } from './utf8.js'

function valueWords(col: Col): Uint32Array[] {
  const n = col.length
  switch (col.kind) {
    case 'bool':
      return [Uint32Array.from(col.values.subarray(0, n))]
    case 'int32':
    case 'date32': {
      const w = new Uint32Array(n)
      const v = col.values
      for (let i = 0; i < n; i++) w[i] = (v[i]! ^ 0x80000000) >>> 0
      return [w]
    }
    case 'int64':
    case 'timestamp[ms]': {
      const halves = new Int32Array(col.values.buffer, col.values.byteOffset, 2 * n)
      const hi = new Uint32Array(n)
      const lo = new Uint32Array(n)
      for (let i = 0; i < n; i++) {
        lo[i] = halves[2 * i]! >>> 0
        hi[i] = (halves[2 * i + 1]! ^ 0x80000000) >>> 0
      }
      return [hi, lo]
    }
    case 'float64': {
      const canon = new Float64Array(n)
      const v = col.values
      for (let i = 0; i < n; i++) {
        const x = v[i]!
        canon[i] = x === 0 ? 0 : Number.isNaN(x) ? Number.NaN : x
      }
      const halves = new Uint32Array(canon.buffer)
      const hi = new Uint32Array(n)
      const lo = new Uint32Array(n)
      for (let i = 0; i < n; i++) {
        const h = halves[2 * i + 1]!
        const l = halves[2 * i]!
        const negative = h >>> 31 === 1
        hi[i] = negative ? ~h >>> 0 : (h | 0x80000000) >>> 0
        lo[i] = negative ? ~l >>> 0 : l
      }
      return [hi, lo]
    }
    case 'dict': {
      const ranks = dictionaryRanks(col.dict)
      const w = new Uint32Array(n)
      const codes = col.codes
      const valid = col.valid
      for (let i = 0; i < n; i++) w[i] = valid !== null && !valid[i] ? 0 : ranks[codes[i]!]!
      return [w]
    }
    case 'utf8': {
      const g = groupColumn(col)
      const { offsets, bytes } = col
      const order = Array.from({ length: g.count }, (_, k) => k)
      const rowOf = g.firstRow
      order.sort((x, y) => {
        const a = rowOf[x]!
        const b = rowOf[y]!
        return compareBytes(bytes, offsets[a]!, offsets[a + 1]!, bytes, offsets[b]!, offsets[b + 1]!)
      })
      const rank = new Uint32Array(g.count)
      order.forEach((grp, r) => {
        rank[grp] = r
      })
      const w = new Uint32Array(n)
      for (let i = 0; i < n; i++) w[i] = rank[g.ids[i]!]!
      return [w]
    }
  }
}

/** The words of all keys, most significant first. */
export function sortWords(columns: readonly Col[], keys: readonly SortKey[]): Uint32Array[] {
  const words: Uint32Array[] = []
  keys.forEach((key, k) => {
    const col = columns[k]!
    const n = col.length
    const valid = col.valid
    if (valid !== null) {
      const flag = new Uint32Array(n)
      const nullWord = key.nullsFirst ? 0 : 1
      for (let i = 0; i < n; i++) flag[i] = valid[i] ? nullWord ^ 1 : nullWord
      words.push(flag)
    }
    for (const w of valueWords(col)) {
      if (key.descending) for (let i = 0; i < n; i++) w[i] = ~w[i]! >>> 0
      // Under a null sits whatever the column's producer left there: one constant word for every
      // null row, so nulls tie on this key and the next key (then row order) decides among them.
      if (valid !== null) for (let i = 0; i < n; i++) if (!valid[i]) w[i] = 0
      words.push(w)
    }
  })
  return words
}

const DIGIT_BITS = 11
const BUCKETS = 1 << DIGIT_BITS
const DIGIT_MASK = BUCKETS - 1

/**
 * Stable LSD radix sort of row indices 0…n-1 by the words (11-bit digits, three per word; digits
 * every row shares are skipped). Each word is gathered once into the current order and then
 * travels with the indices, so the digit passes read sequentially (random reads were the cost on
 * big inputs).
 */
export function radixSortRows(words: readonly Uint32Array[], n: number): Int32Array {
  let perm = new Int32Array(n)
  for (let i = 0; i < n; i++) perm[i] = i
  let tmp = new Int32Array(n)
  let keys = new Uint32Array(n)
  let keysTmp = new Uint32Array(n)
  const counts = new Int32Array(3 * BUCKETS)
  for (let w = words.length - 1; w >= 0; w--) {
    const word = words[w]!
    counts.fill(0)
    for (let i = 0; i < n; i++) {
      const x = word[perm[i]!]!
      keys[i] = x
      counts[x & DIGIT_MASK]!++
      counts[BUCKETS + ((x >>> DIGIT_BITS) & DIGIT_MASK)]!++
      counts[2 * BUCKETS + (x >>> (2 * DIGIT_BITS))]!++
    }
    for (let d = 0; d < 3; d++) {
      const base = d * BUCKETS
      let constant = false
      for (let b = 0; b < BUCKETS; b++) if (counts[base + b] === n) constant = true
      if (constant) continue
      let sum = 0
      for (let b = 0; b < BUCKETS; b++) {
        const c = counts[base + b]!
        counts[base + b] = sum
        sum += c
      }
      scatter(keys, perm, keysTmp, tmp, counts, base, d * DIGIT_BITS, n)
      const t = perm
      perm = tmp
      tmp = t
      const k = keys
      keys = keysTmp
      keysTmp = k
    }
  }
  return perm
}

// Separate so V8 optimises the hot loop on its own.
function scatter(
  keys: Uint32Array,
  perm: Int32Array,
  keysOut: Uint32Array,
  permOut: Int32Array,
  counts: Int32Array,
  base: number,
  shift: number,
  n: number,
): void {
  for (let i = 0; i < n; i++) {
    const x = keys[i]!
    const slot = base + ((x >>> shift) & DIGIT_MASK)
    const at = counts[slot]!
    counts[slot] = at + 1
    keysOut[at] = x
    permOut[at] = perm[i]!
  }
}
