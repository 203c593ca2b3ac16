/**
 * Fewer, denser sort words: each word is rebased to 0…max-min and consecutive words are packed
 * into one 32-bit word while their bit widths fit, most significant first, so comparing packed
 * words compares the originals lexicographically. A word with one value carries no order and is
 * dropped. Every radix pass (and every gather of a word into the current order) costs a full
 * sweep over the rows, so a six-key group-by output (q10: three ranks and three small ints, about
 * 56 significant bits) sorts over two words instead of six.
 */

interface WordRange {
  readonly min: number
  readonly bits: number
}

function rangeOf(word: Uint32Array, n: number): WordRange {
  let min = 0xffffffff
  let max = 0
  for (let i = 0; i < n; i++) {
    const x = word[i]!
    if (x < min) min = x
    if (x > max) max = x
  }
  return n === 0 ? { min: 0, bits: 0 } : { min, bits: 32 - Math.clz32(max - min) }
}

/** The packed words, most significant first; the words given are reused (and overwritten). */
export function packSortWords(words: readonly Uint32Array[], n: number): Uint32Array[] {
  const packed: Uint32Array[] = []
  let current: Uint32Array | null = null
  let usedBits = 0
  for (const word of words) {
    const { min, bits } = rangeOf(word, n)
    if (bits === 0) continue
    if (current !== null && usedBits + bits <= 32) {
      for (let i = 0; i < n; i++) current[i] = ((current[i]! << bits) | (word[i]! - min)) >>> 0
      usedBits += bits
      continue
    }
    if (min !== 0) for (let i = 0; i < n; i++) word[i] = word[i]! - min
    current = word
    usedBits = bits
    packed.push(word)
  }
  return packed
}
