/**
 * The scalar function kernels against independent references: LIKE against a regular expression
 * built from the pattern, substr against a code-point array walk of DuckDB's rules, date parts
 * against JavaScript's UTC date getters, round against decimal reasoning on known cases.
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { Col, Utf8Col } from '../../../src/kernels/column.js'
import { civilFromDays } from '../../../src/kernels/functions/date-parts.js'
import { likeMatcher } from '../../../src/kernels/functions/like.js'
import { abs, round } from '../../../src/kernels/functions/math.js'
import { substr, substringRange } from '../../../src/kernels/functions/substr.js'
import { encoder, utf8FromStrings, utf8String } from '../../../src/kernels/utf8.js'
import { TsdaskError } from '../../../src/util/errors.js'

const alphabet = fc.constantFrom('a', 'b', 'é', '%', '_', '😀', '\\')
const text = fc.array(alphabet, { maxLength: 8 }).map((xs) => xs.join(''))

function likeByRegex(s: string, pattern: string): boolean {
  const body = Array.from(pattern)
    .map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')))
    .join('')
  return new RegExp(`^${body}$`, 'su').test(s)
}

function like(s: string, pattern: string): boolean {
  const b = encoder.encode(s)
  return likeMatcher(pattern)(b, 0, b.length)
}

describe('LIKE', () => {
  test('matches what the equivalent regular expression matches (code points, no escape)', () => {
    fc.assert(
      fc.property(text, text, (s, p) => {
        expect(like(s, p)).toBe(likeByRegex(s, p))
      }),
      { numRuns: 2000 },
    )
  })
  test('known cases', () => {
    expect(like('hello', 'h%o')).toBe(true)
    expect(like('hello', 'h_llo')).toBe(true)
    expect(like('héllo', 'h_llo')).toBe(true)
    expect(like('hello', 'H%')).toBe(false)
    expect(like('', '%')).toBe(true)
    expect(like('', '_')).toBe(false)
    expect(like('a\\b', 'a\\b')).toBe(true)
    expect(like('mississippi', '%iss%ppi')).toBe(true)
    expect(like('mississippi', '%iss%ippix')).toBe(false)
  })
})

/** DuckDB's substring over an array of code points. */
function substrReference(s: string, start: number, length?: number): string {
  const chars = Array.from(s)
  const range = substringRange(chars.length, start, length ?? Number.MAX_SAFE_INTEGER)
  return range === null ? '' : chars.slice(range[0], range[1]).join('')
}

describe('substr', () => {
  test('DuckDB examples', () => {
    expect(substringRange(5, 2, 3)).toEqual([1, 4])
    expect(substrReference('hello', 0, 2)).toBe('h')
    expect(substrReference('hello', -3, 2)).toBe('ll')
    expect(substrReference('hello', 3, -2)).toBe('he')
    expect(substrReference('hello', 9, 2)).toBe('')
    // Positions outside the string count before the range is cut to it (DuckDB 1.5; found by the
    // DuckDB differential test): -9 + 3 still ends before the first character.
    expect(substrReference('hello', -9, 3)).toBe('')
    expect(substrReference('hello', -6, 3)).toBe('he')
    expect(substrReference('hello', 9, -6)).toBe('llo')
    expect(substrReference('😀é', -3, 2)).toBe('😀')
  })
  test('plain and dictionary columns agree with the code-point reference', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(text, { nil: null }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: -10, max: 10 }),
        fc.option(fc.integer({ min: -10, max: 10 }), { nil: undefined }),
        (values, start, length) => {
          const col = utf8FromStrings(values)
          const n = col.length
          const starts: Col = { kind: 'int32', length: n, values: new Int32Array(n).fill(start), valid: null }
          const lengths: Col | null =
            length === undefined
              ? null
              : { kind: 'int32', length: n, values: new Int32Array(n).fill(length), valid: null }
          const dict: Col = {
            kind: 'dict',
            length: n,
            codes: Int32Array.from({ length: n }, (_, i) => i),
            dict: { ...col, valid: null },
            source: null,
            valid: col.valid,
          }
          for (const input of [col, dict]) {
            const out = substr(input, starts, lengths, true)
            const plain = out.kind === 'dict' ? out.dict : (out as Utf8Col)
            const codes = out.kind === 'dict' ? out.codes : null
            values.forEach((v, i) => {
              if (v === null) expect(out.valid?.[i]).toBe(0)
              else expect(utf8String(plain, codes ? codes[i]! : i)).toBe(substrReference(v, start, length))
            })
          }
        },
      ),
      { numRuns: 500 },
    )
  })
})

describe('date parts', () => {
  test('civil dates match the UTC getters of Date for any day in ±1,000,000', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (days) => {
        const d = new Date(days * 86_400_000)
        expect(civilFromDays(days)).toEqual([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()])
      }),
      { numRuns: 1000 },
    )
  })
})

describe('round and abs', () => {
  const f = (...values: number[]): Col => ({
    kind: 'float64',
    length: values.length,
    values: Float64Array.from(values),
    valid: null,
  })
  const i32 = (...values: number[]): Col => ({
    kind: 'int32',
    length: values.length,
    values: Int32Array.from(values),
    valid: null,
  })
  const digits = (d: number, n: number): Col => i32(...new Array<number>(n).fill(d))
  test('half away from zero, with and without digits', () => {
    const x = f(2.5, -2.5, 0.5, -0.5, 1.4999999999999998, 0.125, 1234.5678, Number.NaN, Infinity)
    expect(Array.from((round(x, null) as { values: Float64Array }).values)).toEqual([
      3,
      -3,
      1,
      -1,
      1,
      0,
      1235,
      Number.NaN,
      Infinity,
    ])
    expect(Array.from((round(x, digits(2, 9)) as { values: Float64Array }).values)).toEqual([
      2.5,
      -2.5,
      0.5,
      -0.5,
      1.5,
      0.13,
      1234.57,
      Number.NaN,
      Infinity,
    ])
    expect(Array.from((round(x, digits(-2, 9)) as { values: Float64Array }).values)).toEqual([
      0, -0, 0, -0, 0, 0, 1200, 0, 0,
    ])
    expect(Array.from((round(i32(1250, -1250, 1249, 7), digits(-2, 4)) as { values: Int32Array }).values)).toEqual([
      1300, -1300, 1200, 0,
    ])
  })
  test('a negative value that rounds to zero keeps its sign: -0, as in DuckDB (fuzz seed 6008 path 300)', () => {
    const x = f(-0.4, -1.0332702247825035e-194, -0.004, -0, 0.4, -4)
    const signs = (c: Col) => Array.from((c as { values: Float64Array }).values, (v) => Object.is(v, -0))
    expect(signs(round(x, null))).toEqual([true, true, true, true, false, false])
    expect(signs(round(x, digits(2, 6)))).toEqual([false, true, true, true, false, false])
    expect(signs(round(x, digits(-1, 6)))).toEqual([true, true, true, true, false, true])
  })
  test('abs and round overflow are errors, not wrapped values', () => {
    expect(() => abs(i32(-2147483648))).toThrow(TsdaskError)
    expect(() => abs(i32(-2147483648))).toThrow(/overflow in abs/)
    expect(() => round(i32(2147483647), digits(-1, 1))).toThrow(/overflow in round/)
  })
})
