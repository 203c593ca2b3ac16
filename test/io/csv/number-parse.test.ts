import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  parseDateDays,
  parseFloat64Into,
  parseInt32Into,
  parseInt64Into,
  parseTimestampMs,
} from '../../../src/io/csv/number-parse.js'

const encoder = new TextEncoder()
const out = new Float64Array(1)

function parseFloatText(text: string): number | 'invalid' {
  const bytes = encoder.encode(text)
  return parseFloat64Into(bytes, 0, bytes.length, out, 0) ? out[0]! : 'invalid'
}

function parseInt64Text(text: string): bigint | 'invalid' {
  const bytes = encoder.encode(text)
  const values = new BigInt64Array(1)
  return parseInt64Into(bytes, 0, bytes.length, values, new Int32Array(values.buffer), 0) ? values[0]! : 'invalid'
}

/** Decimal texts in the accepted grammar: sign, digits, optional fraction, optional exponent. */
const decimalText = fc
  .record({
    sign: fc.constantFrom('', '-', '+'),
    int: fc.stringMatching(/^[0-9]{0,20}$/),
    frac: fc.option(fc.stringMatching(/^[0-9]{0,20}$/)),
    exp: fc.option(
      fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), fc.integer({ min: 0, max: 400 })),
    ),
  })
  .filter((r) => r.int.length > 0 || (r.frac?.length ?? 0) > 0)
  .map(
    (r) => `${r.sign}${r.int}${r.frac === null ? '' : `.${r.frac}`}${r.exp ? `${r.exp[0]}${r.exp[1]}${r.exp[2]}` : ''}`,
  )

describe('parseFloat64Into', () => {
  test('equals Number(text) on random decimal texts', () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        expect(Object.is(parseFloatText(text), Number(text))).toBe(true)
      }),
      { numRuns: 20_000 },
    )
  })

  test('equals Number(String(x)) for random doubles', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = String(x)
        expect(Object.is(parseFloatText(text), Number(text))).toBe(true)
      }),
      { numRuns: 20_000 },
    )
  })

  test('equals Number(toFixed) for money-like values', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 12 }), (x, digits) => {
        const text = x.toFixed(digits)
        expect(Object.is(parseFloatText(text), Number(text))).toBe(true)
      }),
      { numRuns: 20_000 },
    )
  })

  test.each([
    ['1', 1],
    ['-0', -0],
    ['+.5', 0.5],
    ['5.', 5],
    ['1e5', 1e5],
    ['1E-5', 1e-5],
    ['0.1', 0.1],
    ['9007199254740993', 9007199254740992],
    ['123456789012345678901234567890', 1.2345678901234568e29],
    ['1e-400', 0],
    ['1e400', Number.POSITIVE_INFINITY],
    ['inf', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['NaN', Number.NaN],
    ['nan', Number.NaN],
  ])('%s → %d', (text, value) => {
    expect(Object.is(parseFloatText(text), value)).toBe(true)
  })

  test.each(['', '-', '.', 'e5', '1e', '1e+', '0x10', '1_000', '1,5', 'abc', '1.2.3', '--1', 'infinit', '1 2'])(
    'rejects %j',
    (text) => {
      expect(parseFloatText(text)).toBe('invalid')
    },
  )
})

describe('integers', () => {
  test('int64 equals BigInt(text) across the whole range', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
        expect(parseInt64Text(String(v))).toBe(v)
      }),
      { numRuns: 10_000 },
    )
  })
  test('int64 rejects out-of-range and non-integers', () => {
    expect(parseInt64Text('9223372036854775808')).toBe('invalid')
    expect(parseInt64Text('-9223372036854775809')).toBe('invalid')
    expect(parseInt64Text('1.5')).toBe('invalid')
    expect(parseInt64Text('+007')).toBe(7n)
  })
  test('int32 range', () => {
    const values = new Int32Array(1)
    const parse = (text: string) => {
      const b = encoder.encode(text)
      return parseInt32Into(b, 0, b.length, values, 0) ? values[0] : 'invalid'
    }
    expect(parse('2147483647')).toBe(2147483647)
    expect(parse('-2147483648')).toBe(-2147483648)
    expect(parse('2147483648')).toBe('invalid')
    expect(parse('3.5')).toBe('invalid')
    expect(parse('')).toBe('invalid')
  })
})

describe('temporal', () => {
  const days = (text: string) => {
    const b = encoder.encode(text)
    return parseDateDays(b, 0, b.length)
  }
  const ms = (text: string) => {
    const b = encoder.encode(text)
    return parseTimestampMs(b, 0, b.length)
  }
  test('dates match Date.UTC over a wide range', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }), (d) => {
        const text = d.toISOString().slice(0, 10)
        expect(days(text)).toBe(Math.floor(Date.parse(`${text}T00:00:00Z`) / 86400000))
      }),
    )
  })
  test('invalid dates', () => {
    for (const text of ['2023-02-29', '2024-13-01', '2024-00-10', '2024-1-01', '2024/01/01', '20240101']) {
      expect(days(text)).toBeNaN()
    }
    expect(days('2024-02-29')).toBe(19782)
  })
  test('timestamps match Date.parse', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1000-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString()
        expect(ms(iso)).toBe(d.getTime())
        expect(ms(iso.replace('T', ' ').replace('Z', ''))).toBe(d.getTime())
        expect(ms(iso.replace('Z', '+02:00'))).toBe(d.getTime() - 2 * 3600_000)
      }),
    )
  })
  test.each([
    ['2024-01-02', Date.UTC(2024, 0, 2)],
    ['2024-01-02T03:04', Date.UTC(2024, 0, 2, 3, 4)],
    ['2024-01-02 03:04:05', Date.UTC(2024, 0, 2, 3, 4, 5)],
    ['2024-01-02T03:04:05.1', Date.UTC(2024, 0, 2, 3, 4, 5, 100)],
    ['2024-01-02T03:04:05.123456789Z', Date.UTC(2024, 0, 2, 3, 4, 5, 123)],
    ['2024-01-02T03:04:05-0130', Date.UTC(2024, 0, 2, 4, 34, 5)],
    ['2024-01-02T03:04:05+01', Date.UTC(2024, 0, 2, 2, 4, 5)],
  ])('%s', (text, expected) => {
    expect(ms(text)).toBe(expected)
  })
  test.each(['2024-01-02T', '2024-01-02T25:00', '2024-01-02T03:04:05.', '2024-01-02T03:04Q', '2024-01-02T03:04+1'])(
    'rejects %s',
    (text) => {
      expect(ms(text)).toBeNaN()
    },
  )
})
