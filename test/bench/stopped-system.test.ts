/**
 * A system the runner stops at --timeout keeps the phases it finished (the child's checkpoint),
 * and the table says "not finished" for the rest; a question slower than SLOW_RUN_MS runs once.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { measureSystem, partialReportPath } from '../../bench/db-benchmark/child.js'
import { renderMarkdown } from '../../bench/db-benchmark/markdown.js'
import { type ChildOutput, type SystemReport, timed, withUnfinishedPhases } from '../../bench/db-benchmark/report.js'

const answer = { rows: 1, sums: { v: 1 } }

describe('a stopped system', () => {
  it('checkpoints after every phase, and the runner marks what it never reached', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'tsdask-bench-')), 'x.json')
    const seen: number[] = []
    await measureSystem({
      system: 'Slowpoke',
      version: '1',
      threads: 1,
      repeat: 1,
      out,
      load: () => 1,
      summarizeLoad: () => answer,
      question: (id) => () => {
        // Read the checkpoint the child wrote before this question: it holds the earlier ones.
        const partial = JSON.parse(readFileSync(partialReportPath(out), 'utf8')) as ChildOutput
        seen.push(Object.keys(partial.reports[0]!.questions).length)
        return id
      },
      cold: () => 'cold',
      summarize: () => answer,
    })
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(existsSync(partialReportPath(out))).toBe(true)

    const partial: SystemReport = {
      system: 'Slowpoke',
      version: '1',
      threads: 1,
      load: { ms: 5, runs: [5], answer },
      questions: { q1: { ms: 2, runs: [2], answer } },
      cold: { error: 'not finished' },
      maxRssMB: 10,
    }
    const stopped = withUnfinishedPhases(partial, 'stopped after 40 min (--timeout)')
    expect(stopped.questions.q1).toEqual(partial.questions.q1)
    expect(stopped.questions.q10).toEqual({ error: 'not finished (stopped after 40 min (--timeout))' })
    const table = renderMarkdown({ title: 't', command: 'c', lines: [] }, [stopped], [])
    expect(table).toContain('not finished')
    expect(table).toContain('Slowpoke q10: not finished (stopped after 40 min (--timeout))')
    expect(table).not.toContain('ERROR')
  })
})

describe('timed', () => {
  it('repeats fast runs and keeps their median', async () => {
    let calls = 0
    const t = await timed(
      3,
      () => ++calls,
      () => answer,
    )
    expect(calls).toBe(3)
    expect('ms' in t && t.runs.length).toBe(3)
  })
  it('does not repeat a run slower than the limit', async () => {
    let calls = 0
    const t = await timed(
      3,
      () => ++calls,
      () => answer,
      -1,
    )
    expect(calls).toBe(1)
    expect('ms' in t && t.runs.length).toBe(1)
  })
})
