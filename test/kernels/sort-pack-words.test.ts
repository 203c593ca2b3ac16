import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { packSortWords } from '../../src/kernels/sort-pack-words.js'

/** Lexicographic order of rows a and b over the words, most significant first. */
function compareRows(words: readonly Uint32Array[], a: number, b: number): number {
  for (const w of words) if (w[a] !== w[b]) return w[a]! < w[b]! ? -1 : 1
  return 0
}

/** Words of random bit widths (1…32) over a random base, so packing meets every boundary. */
const wordsArb = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.array(
    fc.tuple(fc.integer({ min: 0, max: 32 }), fc.nat()).chain(([bits, base]) =>
      fc.array(
        fc.nat().map((x) => (base + (bits === 0 ? 0 : bits === 32 ? x * 2 : x % 2 ** bits)) >>> 0),
        { minLength: n, maxLength: n },
      ),
    ),
    { minLength: 1, maxLength: 8 },
  ),
)

describe('packSortWords', () => {
  test('packed words order every pair of rows exactly as the original words do', () => {
    fc.assert(
      fc.property(wordsArb, (columns) => {
        const n = columns[0]!.length
        const words = columns.map((c) => Uint32Array.from(c))
        const original = words.map((w) => Uint32Array.from(w))
        const packed = packSortWords(words, n)
        expect(packed.length).toBeLessThanOrEqual(original.length)
        let disagreements = 0
        for (let a = 0; a < n; a++)
          for (let b = 0; b < n; b++) if (compareRows(packed, a, b) !== compareRows(original, a, b)) disagreements++
        expect(disagreements).toBe(0)
      }),
      { numRuns: 300 },
    )
  })
  test('six keys of 4 to 14 significant bits pack into two words; a constant word vanishes', () => {
    const n = 10
    const word = (f: (i: number) => number) => Uint32Array.from({ length: n }, (_, i) => f(i))
    const words = [word((i) => i % 100), word(() => 7), word((i) => 50 + i), word((i) => i * 1000), word((i) => i)]
    words.push(word((i) => 2 ** 31 + i * 999))
    const packed = packSortWords(words, n)
    expect(packed.length).toBe(2)
  })
})
