import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { windowColumns } from '../../../src/kernels/window/index.js'
import { integerFrameSums } from '../../../src/kernels/window/integer-sums.js'
import { identity } from '../../../src/kernels/window/layout.js'
import { ratioToDouble } from '../../../src/kernels/window/ratio.js'
import { slidingSums } from '../../../src/kernels/window/sliding-sum.js'
import { TsdaskError } from '../../../src/util/errors.js'
import { batchOf, cellsOf } from '../helpers.js'

/** Forward-moving windows over n positions: start and end never decrease, start ≤ end ≤ n. */
const windows = (n: number) =>
  fc.array(fc.tuple(fc.nat(3), fc.nat(3)), { minLength: n, maxLength: n }).map((steps) => {
    const start = new Int32Array(n)
    const end = new Int32Array(n)
    let s = 0
    let e = 0
    steps.forEach(([ds, de], k) => {
      e = Math.min(n, e + de)
      s = Math.min(e, s + ds)
      start[k] = s
      end[k] = e
    })
    return { start, end }
  })

const withWindows = <T>(values: fc.Arbitrary<T[]>) =>
  values.chain((vs) => windows(vs.length).map((w) => ({ values: vs, ...w })))

/** The exact sum of integer-valued doubles and infinities, as IEEE would give with no rounding. */
function exactSum(xs: number[]): { finite: bigint } | { special: number } {
  if (xs.some(Number.isNaN)) return { special: Number.NaN }
  const pos = xs.includes(Number.POSITIVE_INFINITY)
  const neg = xs.includes(Number.NEGATIVE_INFINITY)
  if (pos && neg) return { special: Number.NaN }
  if (pos || neg) return { special: pos ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY }
  return { finite: xs.reduce((a, x) => a + BigInt(x), 0n) }
}

describe('slidingSums', () => {
  test('each sum is within the rounding of summing the frame in some order: never a difference of prefixes', () => {
    const value = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }),
      fc.constantFrom(1e20, -1e20, 2 ** 60, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN),
    )
    fc.assert(
      fc.property(withWindows(fc.array(value, { maxLength: 50 })), ({ values, start, end }) => {
        const sums = slidingSums(Float64Array.from(values), start, end)
        for (let k = 0; k < values.length; k++) {
          const frame = values.slice(start[k]!, end[k]!)
          const exact = exactSum(frame)
          if ('special' in exact) expect(sums[k]).toBe(exact.special)
          else {
            // Any order of n additions errs by at most (n - 1) · 2^-53 · Σ|x|.
            const bound = ((frame.length * frame.reduce((a, x) => a + Math.abs(x), 0)) / 2 ** 53) * 1.01
            expect(Math.abs(sums[k]! - Number(exact.finite))).toBeLessThanOrEqual(bound)
          }
        }
      }),
    )
  })

  test('a small frame after a huge value keeps its own sum (DuckDB: 3)', () => {
    const sums = slidingSums(Float64Array.of(1e20, 1, 2), Int32Array.of(0, 0, 1), Int32Array.of(2, 3, 3))
    expect([...sums]).toEqual([1e20, 1e20, 3])
  })

  test('infinities leave the frame without leaving NaN behind', () => {
    const inf = Number.POSITIVE_INFINITY
    const values = Float64Array.of(inf, 1, -inf, 2, 3)
    const sums = slidingSums(values, Int32Array.of(0, 0, 1, 2, 3), Int32Array.of(2, 3, 4, 5, 5))
    expect([...sums]).toEqual([inf, Number.NaN, -inf, -inf, 5])
  })
})

describe('integerFrameSums', () => {
  test('exact, in doubles for small columns and BigInts for large ones', () => {
    const int64 = fc.oneof(fc.bigInt({ min: -100n, max: 100n }), fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }))
    fc.assert(
      fc.property(
        withWindows(fc.array(fc.option(int64, { nil: null }), { maxLength: 40 })),
        ({ values, start, end }) => {
          const n = values.length
          const col = {
            kind: 'int64' as const,
            length: n,
            values: BigInt64Array.from(values, (v) => v ?? 0x7777n),
            valid: Uint8Array.from(values, (v) => (v === null ? 0 : 1)),
          }
          const sums = integerFrameSums(col, identity(n), start, end)
          const small = values.every((v) => v === null || (v >= -100n && v <= 100n))
          if (small) expect(sums.exact).toBe('double')
          for (let k = 0; k < n; k++) {
            const expected = values.slice(start[k]!, end[k]!).reduce<bigint>((a, v) => a + (v ?? 0n), 0n)
            expect(BigInt(sums.sums[k]!)).toBe(expected)
          }
        },
      ),
    )
  })

  test('int32 columns whose Σ|value| passes 2^52 still sum exactly', () => {
    const n = 2 ** 21 + 10
    const values = new Int32Array(n).fill(2147483647)
    const col = { kind: 'int32' as const, length: n, values, valid: null }
    const start = new Int32Array(n)
    const end = new Int32Array(n)
    for (let k = 0; k < n; k++) end[k] = k + 1
    const sums = integerFrameSums(col, identity(n), start, end)
    expect(sums.exact).toBe('bigint')
    expect(sums.sums[n - 1]).toBe(BigInt(n) * 2147483647n)
  })
})

describe('int64 overflow behaves as the group-by sum', () => {
  const max = 2n ** 63n - 1n
  const batch = batchOf({ i: ['int32', [1, 2, 3, 4]], x: ['int64', [max, 1n, -max, -1n]] })
  const order = [{ index: 0, descending: false, nullsFirst: false }]
  const sum = (frame: object) => ({ fn: 'sum' as const, input: 1, inputDType: 'int64' as const, name: 's', ...frame })

  test('a frame whose sum leaves int64 is an OVERFLOW error naming the sum', () => {
    let error: unknown
    try {
      windowColumns(batch, { partitionBy: [], orderBy: order }, [
        sum({ frame: { unit: 'rows', start: { kind: 'preceding', offset: 1 }, end: { kind: 'currentRow' } } }),
      ])
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(TsdaskError)
    expect((error as TsdaskError).code).toBe('OVERFLOW')
    expect((error as TsdaskError).message).toContain('the sum 9223372036854775808 of a window frame')
  })

  test('running totals that pass int64 on the way, in frames that fit, are fine', () => {
    // Prefix sums: max, max + 1 (beyond int64), 1, 0; each one-row frame fits.
    const [single] = windowColumns(batch, { partitionBy: [], orderBy: order }, [
      sum({ frame: { unit: 'rows', start: { kind: 'currentRow' }, end: { kind: 'currentRow' } } }),
    ])
    expect(cellsOf(single!)).toEqual([max, 1n, -max, -1n])
  })
})

/** A finite non-zero double as m · 2^e with m a 53-bit integer (subnormals aside). */
function parts(x: number): { m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const bits = view.getBigUint64(0)
  const exponent = Number((bits >> 52n) & 0x7ffn)
  const mantissa = (bits & ((1n << 52n) - 1n)) | (1n << 52n)
  return { m: x < 0 ? -mantissa : mantissa, e: exponent - 1075 }
}

/** Whether x is sum / count rounded to nearest, ties to even. */
function correctlyRounded(x: number, sum: bigint, count: number): boolean {
  if (x === 0) return sum === 0n
  const { m, e } = parts(x)
  const c = BigInt(count)
  const up = 2n ** BigInt(Math.max(e, 0))
  const a = m * c * up
  const b = sum * 2n ** BigInt(Math.max(-e, 0))
  const twiceError = 2n * (a > b ? a - b : b - a)
  const halfUlp = c * up
  return twiceError < halfUlp || (twiceError === halfUlp && m % 2n === 0n)
}

describe('ratioToDouble', () => {
  test('is the correctly rounded ratio', () => {
    // 224486710678161809 / 2 = 112243355339080904.5: the nearest double is …912, not …896.
    expect(ratioToDouble(224486710678161809n, 2)).toBe(Number(112243355339080912n))
    expect(ratioToDouble(-12510636414696961n, 3)).toBe(-4170212138232320.5)
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), fc.integer({ min: 1, max: 1000 }), (sum, count) => {
        expect(correctlyRounded(ratioToDouble(sum, count), sum, count)).toBe(true)
      }),
    )
    // The check itself tells a wrong rounding apart.
    expect(correctlyRounded(Number(112243355339080896n), 224486710678161809n, 2)).toBe(false)
  })
})
