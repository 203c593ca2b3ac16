import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isUtf8 } from '../../../src/io/csv/utf8-builder.js'

const strict = new TextDecoder('utf-8', { fatal: true })
const decodes = (bytes: Uint8Array) => {
  try {
    strict.decode(bytes)
    return true
  } catch {
    return false
  }
}

describe('isUtf8', () => {
  it('agrees with a strict TextDecoder on random bytes and on real text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        expect(isUtf8(bytes, 0, bytes.length)).toBe(decodes(bytes))
      }),
      { numRuns: 5000 },
    )
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const bytes = new TextEncoder().encode(text)
        expect(isUtf8(bytes, 0, bytes.length)).toBe(true)
      }),
    )
  })

  it('rejects overlongs, surrogates, values past U+10FFFF and truncated sequences', () => {
    for (const bad of [
      [0xc0, 0x80],
      [0xe0, 0x80, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xe2, 0x82],
      [0xe9],
    ]) {
      expect(isUtf8(Uint8Array.from(bad), 0, bad.length), String(bad)).toBe(false)
    }
  })
})
