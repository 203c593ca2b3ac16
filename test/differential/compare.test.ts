/**
 * The comparison must be able to fail: each rule of compare.ts's header, shown failing on a
 * result that breaks it and passing on one that only differs where the rule allows.
 */
import { describe, expect, it } from 'vitest'
import { compareResults, type Expected } from './compare.js'
import type { Result, ResultType, Value } from './result.js'

const types: ResultType[] = ['int64', 'float64', 'utf8']
const result = (rows: Value[][], t: ResultType[] = types): Result => ({
  names: t.map((_, i) => `c${i}`),
  types: t,
  rows,
})
const expectedOf = (rows: Value[][], extra: Partial<Expected> = {}): Expected => ({
  limited: result(rows),
  full: result(rows),
  hasLimit: false,
  hasOffset: false,
  ...extra,
})

describe('compareResults', () => {
  const rows: Value[][] = [
    [1n, 0.5, 'a'],
    [2n, null, 'b'],
    [2n, Number.NaN, null],
  ]

  it('accepts the same rows in any order when there is no ORDER BY', () => {
    expect(compareResults(result([...rows].reverse()), expectedOf(rows))).toBeUndefined()
  })

  it('finds a changed value, a missing row, an extra duplicate, and NULL vs a value', () => {
    expect(compareResults(result([[1n, 0.5, 'a'], rows[1]!, [3n, Number.NaN, null]]), expectedOf(rows))).toMatch(
      /only in tsdask:\n {2}\(3, NaN, NULL\)\nonly in DuckDB:\n {2}\(2, NaN, NULL\)/,
    )
    expect(compareResults(result(rows.slice(1)), expectedOf(rows))).toMatch(/^2 rows, DuckDB 3/)
    expect(compareResults(result([...rows, rows[0]!]), expectedOf(rows))).toMatch(/^4 rows, DuckDB 3/)
    expect(compareResults(result([rows[0]!, [2n, 0, 'b'], rows[2]!]), expectedOf(rows))).toMatch(/rows differ/)
  })

  it('compares floats within a relative 1e-9, NaN equal to NaN, integers exactly', () => {
    const close = [[1n, 0.5 + 1e-12, 'a'], rows[1]!, rows[2]!]
    expect(compareResults(result(close), expectedOf(rows))).toBeUndefined()
    const far = [[1n, 0.5 + 1e-6, 'a'], rows[1]!, rows[2]!]
    expect(compareResults(result(far), expectedOf(rows))).toMatch(/rows differ/)
    const big = [[2n ** 62n, 1, 'x']]
    expect(compareResults(result([[2n ** 62n + 1n, 1, 'x']]), expectedOf(big))).toMatch(/rows differ/)
  })

  it('pairs identical rows before rows only close to each other (fuzz seed 9001 path 410)', () => {
    // 1e-9 relative is about 3 at 3e9: first-fit pairing 2999999997.25 with 2999999999.25 stranded two rows.
    const t: ResultType[] = ['float64']
    const want = [[2999999999.25], [3000000001.25], [2999999997.25]]
    const got = [[2999999997.25], [2999999999.25], [3000000001.25]]
    const expected = { ...expectedOf([]), limited: result(want, t), full: result(want, t) }
    expect(compareResults(result(got, t), expected)).toBeUndefined()
    const ordered = { ...expected, ordering: { keys: [] } }
    expect(compareResults(result(got, t), ordered)).toBeUndefined()
  })

  it('checks column types, integers by width', () => {
    const got = result(rows, ['int32', 'float64', 'utf8'])
    expect(compareResults(got, expectedOf(rows))).toBe('column 1 (c0): tsdask gives int32, DuckDB int64')
  })

  it('with ORDER BY: keys in order, ties in any order', () => {
    const ordered = { ordering: { keys: [0] } }
    const tiesSwapped = [rows[0]!, rows[2]!, rows[1]!]
    expect(compareResults(result(tiesSwapped), expectedOf(rows, ordered))).toBeUndefined()
    const keysSwapped = [rows[1]!, rows[0]!, rows[2]!]
    expect(compareResults(result(keysSwapped), expectedOf(rows, ordered))).toMatch(/^sort keys differ at row 1/)
    const wrongTie = [rows[0]!, rows[1]!, [2n, 1, 'z']]
    expect(compareResults(result(wrongTie), expectedOf(rows, ordered))).toMatch(
      /^rows 2–3 \(equal sort keys \(2\)\) differ/,
    )
  })

  it('a LIMIT may cut a run of ties anywhere, but only keeps rows DuckDB has', () => {
    const full = result(rows)
    const limited = result(rows.slice(0, 2))
    const expected: Expected = { limited, full, ordering: { keys: [0] }, hasLimit: true, hasOffset: false }
    expect(compareResults(result([rows[0]!, rows[2]!]), expected)).toBeUndefined()
    expect(compareResults(result([rows[0]!, [2n, 9, 'q']]), expected)).toMatch(/run cut by LIMIT/)
    const unordered: Expected = { limited, full, hasLimit: true, hasOffset: false }
    expect(compareResults(result([rows[2]!, rows[1]!]), unordered)).toBeUndefined()
    expect(compareResults(result([rows[2]!, [7n, 1, 'q']]), unordered)).toMatch(/rows that DuckDB does not have/)
  })

  it('the CLI mode treats the empty string as NULL in text columns only', () => {
    const cli = expectedOf([[1n, 1, '']], { emptyIsNull: true })
    expect(compareResults(result([[1n, 1, null]]), cli)).toBeUndefined()
    expect(compareResults(result([[1n, 1, null]]), expectedOf([[1n, 1, '']]))).toMatch(/rows differ/)
  })
})
