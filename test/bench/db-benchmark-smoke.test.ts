/**
 * CI smoke of the db-benchmark (bench/db-benchmark): the tsdask child runs on a 1e4-row table
 * as `npm run bench` runs it (a real child process, importing the built package), and every
 * answer it reports must match a plain-JS computation of the same question. Questions tsdask
 * cannot express yet may say "unsupported"; the others may not. No peers, no timings asserted.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { compareAnswers } from '../../bench/db-benchmark/cross-check.js'
import { QUESTIONS } from '../../bench/db-benchmark/questions.js'
import type { ChildOutput, SystemReport, Timing } from '../../bench/db-benchmark/report.js'
import { ensureGroupbyCsv } from '../../bench/groupby-data.js'
import { plainJsAnswers, readGroupbyTable } from './plain-js-answers.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const dir = mkdtempSync(path.join(tmpdir(), 'tsdask-bench-smoke-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Aggregations tsdask may still lack (median/stddev, top-n per group, corr). */
const MAY_BE_UNSUPPORTED = new Set(['q6', 'q8', 'q9'])

function runTsdaskChild(): readonly SystemReport[] {
  const { path: csv } = ensureGroupbyCsv(1e4, 1, dir)
  const out = path.join(dir, 'tsdask.json')
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'bench/db-benchmark/systems/tsdask.ts', '--csv', csv, '--out', out, '--repeat', '1'],
    { cwd: root, encoding: 'utf8' },
  )
  expect(child.status, child.stderr).toBe(0)
  return (JSON.parse(readFileSync(out, 'utf8')) as ChildOutput).reports
}

function expectAnswer(phase: string, timing: Timing | undefined, want: unknown, mayBeUnsupported: boolean): void {
  expect(timing, phase).toBeDefined()
  if (!timing) return
  if ('error' in timing) expect.fail(`${phase}: ${timing.error}`)
  if ('unsupported' in timing) {
    expect(mayBeUnsupported, `${phase} unsupported: ${timing.unsupported}`).toBe(true)
    return
  }
  expect(compareAnswers(timing.answer, want as never), phase).toBeUndefined()
}

describe('db-benchmark smoke (1e4 rows, tsdask only)', () => {
  // ~10 s on a quiet machine; the timeout is generous for a loaded one.
  it('answers every question it supports as plain JS does', { timeout: 180_000 }, () => {
    const reports = runTsdaskChild()
    const want = plainJsAnswers(readGroupbyTable(path.join(dir, 'groupby-10000.csv')))
    const fluent = reports.find((r) => r.system === 'tsdask')
    expect(fluent).toBeDefined()
    if (!fluent) return
    expectAnswer('load', fluent.load, want.load, false)
    for (const q of QUESTIONS) expectAnswer(q.id, fluent.questions[q.id], want[q.id], MAY_BE_UNSUPPORTED.has(q.id))
    expectAnswer('cold', fluent.cold, want.cold, false)
    // The SQL row: unsupported until tsdask exports sql(); then every answer it gives must be right.
    const sql = reports.find((r) => r.system === 'tsdask SQL')
    expect(sql).toBeDefined()
    for (const q of QUESTIONS) expectAnswer(`SQL ${q.id}`, sql?.questions[q.id], want[q.id], true)
    expectAnswer('SQL cold', sql?.cold, want.cold, true)
  })
})
