/** The CLI's output formats on every dtype, without spawning a process. */
import { describe, expect, it } from 'vitest'
import { formatCsv, formatJson, formatTable, type ResultTable } from '../../src/cli/format.js'

const result: ResultTable = {
  columns: [
    { name: 'b', dtype: 'bool' },
    { name: 'i', dtype: 'int32' },
    { name: 'big', dtype: 'int64' },
    { name: 'f', dtype: 'float64' },
    { name: 's', dtype: 'utf8' },
    { name: 'd', dtype: 'date32' },
    { name: 't', dtype: 'timestamp[ms]' },
  ],
  rows: [
    {
      b: true,
      i: -3,
      big: 9007199254740993n,
      f: 0.1,
      s: 'a,"b"',
      d: new Date('2024-01-31T00:00:00Z'),
      t: new Date('2024-01-31T12:30:00.250Z'),
    },
    { b: false, i: null, big: null, f: Number.NaN, s: 'line\nbreak', d: null, t: null },
  ],
}

describe('output formats', () => {
  it('csv', () => {
    expect(formatCsv(result)).toBe(
      'b,i,big,f,s,d,t\ntrue,-3,9007199254740993,0.1,"a,""b""",2024-01-31,2024-01-31T12:30:00.250Z\nfalse,,,NaN,"line\nbreak",,\n',
    )
  })

  it('json keeps int64 exact and has no NaN', () => {
    const text = formatJson(result)
    expect(text).toContain('"big":9007199254740993')
    expect(JSON.parse(text)).toEqual([
      { b: true, i: -3, big: 9007199254740992, f: 0.1, s: 'a,"b"', d: '2024-01-31', t: '2024-01-31T12:30:00.250Z' },
      { b: false, i: null, big: null, f: null, s: 'line\nbreak', d: null, t: null },
    ])
  })

  it('table', () => {
    expect(formatTable({ columns: result.columns.slice(0, 2), rows: result.rows })).toBe(`┌───────┬───────┐
│ b     │ i     │
│ bool  │ int32 │
├───────┼───────┤
│ true  │    -3 │
│ false │  NULL │
└───────┴───────┘
2 rows
`)
  })
})
