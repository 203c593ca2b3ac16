/**
 * The benchmark's answer check and its tables: a disagreement between systems must be found and
 * shown, and the ratio table must say tsdask / peer.
 */
import { describe, expect, it } from 'vitest'
import { compareAnswers, crossCheck, sumsAgree } from '../../bench/db-benchmark/cross-check.js'
import { renderMarkdown } from '../../bench/db-benchmark/markdown.js'
import type { AnswerSummary, SystemReport, Timing } from '../../bench/db-benchmark/report.js'

const answer: AnswerSummary = { rows: 100, sums: { v1: 2998806, v3: 499856.2614776 } }
const timed = (ms: number, a: AnswerSummary = answer): Timing => ({ ms, runs: [ms], answer: a })

function report(system: string, ms: number, q1: AnswerSummary = answer): SystemReport {
  return {
    system,
    version: '1',
    threads: 2,
    load: timed(ms * 10),
    questions: { q1: timed(ms, q1), q6: system === 'tsdask' ? { unsupported: 'no median()' } : timed(ms) },
    cold: timed(ms * 2),
    maxRssMB: 100,
  }
}

describe('compareAnswers', () => {
  it('accepts sums within a relative 1e-9 (summation order differs between engines)', () => {
    const close = { rows: 100, sums: { v1: 2998806, v3: 499856.2614776 * (1 + 1e-12) } }
    expect(compareAnswers(close, answer)).toBeUndefined()
  })

  it('names the row count, the column and the relative difference that disagree', () => {
    expect(compareAnswers({ rows: 99, sums: answer.sums }, answer)).toContain('99 rows, reference has 100')
    const off = compareAnswers({ rows: 100, sums: { v1: 2998806, v3: 499856.2614776 * (1 + 1e-8) } }, answer)
    expect(off).toContain('sum(v3)')
    expect(off).toContain('1.00e-8')
    expect(compareAnswers({ rows: 100, sums: { v1: 2998806 } }, answer)).toContain('column v3 missing')
  })

  it('treats NaN as agreeing only with NaN', () => {
    expect(sumsAgree(Number.NaN, Number.NaN)).toBe(true)
    expect(sumsAgree(Number.NaN, 1)).toBe(false)
    expect(sumsAgree(0, 0)).toBe(true)
  })
})

describe('crossCheck', () => {
  it('compares every system with DuckDB first and reports the one that differs', () => {
    const wrong = { rows: 100, sums: { v1: 2998807, v3: 499856.2614776 } }
    const found = crossCheck([report('tsdask', 1, wrong), report('DuckDB', 2), report('Polars', 3)], ['q1', 'q6'])
    expect(found).toEqual([expect.objectContaining({ phase: 'q1', system: 'tsdask', reference: 'DuckDB' })])
  })
})

describe('renderMarkdown', () => {
  const info = { title: 'test run', command: 'npm run bench', lines: ['data: x'] }

  it('writes seconds per system, tsdask / peer ratios, and unsupported questions as such', () => {
    const md = renderMarkdown(info, [report('tsdask', 100), report('DuckDB', 200)], [])
    expect(md).toContain('| tsdask 1 (2 threads) | 1.000 | 0.100 |')
    expect(md).toContain('unsupported')
    // tsdask 100 ms vs DuckDB 200 ms on q1: 0.50; the sum covers the one question both answered.
    expect(md).toMatch(/\| DuckDB \| 0\.50 \| 0\.50 \|.*\| 0\.50 \(1\/10\) \| 0\.50 \| 1\.00 \|/)
    expect(md).toContain('tsdask q6: unsupported (no median())')
    expect(md).toContain('every system that answered agrees')
  })

  it('marks a disagreeing cell and lists the disagreement loudly', () => {
    const md = renderMarkdown(
      info,
      [report('tsdask', 100), report('DuckDB', 200)],
      [{ phase: 'q1', system: 'tsdask', reference: 'DuckDB', detail: 'sum(v1) = 1, reference 2' }],
    )
    expect(md).toContain('0.100 ✗')
    expect(md).toContain('## ✗ ANSWERS DISAGREE')
    expect(md).toContain('**tsdask q1** vs DuckDB: sum(v1) = 1, reference 2')
  })
})
