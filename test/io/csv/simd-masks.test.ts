/**
 * The WebAssembly mask builder the quote-free scanner reads: bit k of word i is set exactly where
 * byte 32 i + k is the delimiter (or an LF), for any bytes, any delimiter and any length, including
 * windows larger than its memory at first (it grows) and a later, shorter window.
 */
import fc from 'fast-check'
import { expect, test } from 'vitest'
import { simdMasks } from '../../../src/io/csv/simd-masks.js'

const masks = simdMasks()

test('WebAssembly SIMD is available on the Node versions tsdask supports', () => {
  expect(masks).not.toBeNull()
})

test('every bit says whether its byte is the delimiter or an LF', () => {
  const m = masks!
  const byte = fc.constantFrom(44, 59, 9, 124, 10, 13, 34, 0, 255, 97, 128)
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(byte, { maxLength: 300 }).map((b) => Uint8Array.from(b)),
        // Now and then beyond the first 64 KiB of memory, so it grows and later shrinks back.
        fc
          .integer({ min: 70_000, max: 140_000 })
          .map((n) => Uint8Array.from({ length: n }, (_, i) => (i * 7919) % 251)),
      ),
      fc.constantFrom(44, 59, 9, 124, 0),
      (bytes, delimiter) => {
        m.build(bytes, bytes.length, delimiter)
        for (let i = 0; i < bytes.length; i++) {
          const d = (m.delims[i >> 5]! >>> (i & 31)) & 1
          const l = (m.lfs[i >> 5]! >>> (i & 31)) & 1
          if (d !== (bytes[i] === delimiter ? 1 : 0) || l !== (bytes[i] === 10 ? 1 : 0)) {
            expect({ at: i, byte: bytes[i], delimiter: d, lf: l }).toEqual({
              at: i,
              byte: bytes[i],
              delimiter: bytes[i] === delimiter ? 1 : 0,
              lf: bytes[i] === 10 ? 1 : 0,
            })
          }
        }
      },
    ),
    { numRuns: 150 },
  )
})
