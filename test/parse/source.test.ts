/** Line and column of an offset: the fast path (no \r) and the general one agree with splitting the text. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { positionAt } from '../../src/parse/source.js'

describe('positionAt', () => {
  it('counts \\n, \\r\\n and a lone \\r as one line break each', () => {
    const text = fc.array(fc.constantFrom('a', 'b', ' ', '\n', '\r', '\r\n'), { maxLength: 30 }).map((p) => p.join(''))
    fc.assert(
      fc.property(text, fc.nat(40), (t, raw) => {
        const offset = Math.min(raw, t.length)
        fc.pre(!(t[offset - 1] === '\r' && t[offset] === '\n')) // never a token start
        const lines = t.slice(0, offset).split(/\r\n|\r|\n/)
        expect(positionAt(t, offset)).toEqual({ offset, line: lines.length, column: lines.at(-1)!.length + 1 })
      }),
    )
  })
})
