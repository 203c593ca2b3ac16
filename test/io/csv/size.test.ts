import { describe, expect, test } from 'vitest'
import { parseSize } from '../../../src/io/csv/index.js'
import { thrown } from './helpers.js'

describe('parseSize', () => {
  test.each([
    ['64MB', 64_000_000],
    ['64mb', 64_000_000],
    ['64m', 64_000_000],
    ['1.5GiB', 1_610_612_736],
    ['512kB', 512_000],
    ['512KiB', 524_288],
    ['100', 100],
    ['100B', 100],
    [' 2 GB ', 2_000_000_000],
    ['1e3kB', 1_000_000],
    ['.5MB', 500_000],
    [1e6, 1_000_000],
    [1.9, 1],
    [0, 0],
  ])('%s → %d', (input, bytes) => {
    expect(parseSize(input)).toBe(bytes)
  })

  test('Infinity means one partition per file', () => {
    expect(parseSize(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY)
  })

  test.each(['', 'abc', '12 parsecs', '-5MB', 'MB', '1..2MB', '1e400', Number.NaN, -1, Number.NEGATIVE_INFINITY])(
    'rejects %s with a helpful error',
    (input) => {
      const error = thrown(() => parseSize(input as string | number))
      expect(error.code).toBe('INVALID_ARGUMENT')
      expect(error.message).toMatch(/cannot read .* as a byte size.*'64MB'/)
    },
  )
})
