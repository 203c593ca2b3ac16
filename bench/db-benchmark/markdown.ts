/**
 * The results as Markdown: one table of seconds (system × load, q1..q10, their sum, cold scan,
 * peak RSS), one table of tsdask's ratio to each peer (`tsdask / peer`, < 1 means tsdask is
 * faster), then the notes: unsupported questions, errors, disagreements.
 */
import type { Disagreement } from './cross-check.js'
import { timingOf } from './cross-check.js'
import { QUESTIONS } from './questions.js'
import { isUnfinished, SLOW_RUN_MS, type SystemReport, type Timing } from './report.js'

const QIDS = QUESTIONS.map((q) => q.id)
const TSDASK_ROWS = ['tsdask', 'tsdask SQL']

export interface RunInfo {
  readonly title: string
  readonly command: string
  readonly lines: readonly string[]
}

const seconds = (ms: number) => (ms >= 10_000 ? (ms / 1000).toFixed(1) : (ms / 1000).toFixed(3))
const msOf = (t: Timing | undefined): number | undefined => (t && 'ms' in t ? t.ms : undefined)

function cell(t: Timing | undefined, wrong: boolean): string {
  if (!t) return '—'
  if ('ms' in t) return `${seconds(t.ms)}${wrong ? ' ✗' : ''}`
  if ('unsupported' in t) return 'unsupported'
  return isUnfinished(t) ? 'not finished' : 'error'
}

/** Sum over the questions in `ids` that `r` answered; `(n/10)` when some are missing. */
function questionSum(r: SystemReport, ids: readonly string[] = QIDS): string {
  const times = ids.map((id) => msOf(r.questions[id])).filter((ms): ms is number => ms !== undefined)
  if (times.length === 0) return '—'
  const total = seconds(times.reduce((a, b) => a + b, 0))
  return times.length === QIDS.length ? total : `${total} (${times.length}/${QIDS.length})`
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`
}

export function renderMarkdown(
  info: RunInfo,
  reports: readonly SystemReport[],
  disagreements: readonly Disagreement[],
): string {
  const wrong = new Set(disagreements.map((d) => `${d.system}/${d.phase}`))
  const header = ['system', 'load', ...QIDS, 'Σ q1–q10', 'cold scan', 'peak RSS MB']
  const out: string[] = [
    `# ${info.title}`,
    '',
    ...info.lines.map((l) => `- ${l}`),
    '',
    `Command: \`${info.command}\``,
    '',
  ]
  out.push('## Seconds (median of the runs; ✗ = answer disagrees, see below)', '')
  out.push(row(header), row(header.map(() => '---')))
  for (const r of reports) {
    const isSqlRow = r.system === 'tsdask SQL'
    out.push(
      row([
        `${r.system} ${r.version}${r.threads > 1 ? ` (${r.threads} threads)` : ''}`,
        isSqlRow ? '(shared)' : cell(r.load, wrong.has(`${r.system}/load`)),
        ...QIDS.map((id) => cell(r.questions[id], wrong.has(`${r.system}/${id}`))),
        questionSum(r),
        cell(r.cold, wrong.has(`${r.system}/cold`)),
        isSqlRow ? '(shared)' : r.maxRssMB.toFixed(0),
      ]),
    )
  }
  for (const tsdaskRow of TSDASK_ROWS) {
    const mine = reports.find((r) => r.system === tsdaskRow)
    if (!mine || !QIDS.some((id) => msOf(mine.questions[id]) !== undefined)) continue
    out.push('', `## ${tsdaskRow} / peer (< 1: ${tsdaskRow} is faster)`, '')
    const ratioHeader = ['peer', 'load', ...QIDS, 'Σ (both answered)', 'cold scan', 'peak RSS']
    out.push(row(ratioHeader), row(ratioHeader.map(() => '---')))
    const mineLoad = tsdaskRow === 'tsdask SQL' ? reports.find((r) => r.system === 'tsdask')?.load : mine.load
    for (const peer of reports.filter((r) => !TSDASK_ROWS.includes(r.system))) {
      const ratio = (a: number | undefined, b: number | undefined) =>
        a !== undefined && b !== undefined && b > 0 ? (a / b).toFixed(2) : '—'
      const both = QIDS.filter((id) => msOf(mine.questions[id]) !== undefined && msOf(peer.questions[id]) !== undefined)
      const sum = (r: SystemReport) => both.reduce((a, id) => a + (msOf(r.questions[id]) ?? 0), 0)
      out.push(
        row([
          peer.system,
          ratio(msOf(mineLoad), msOf(peer.load)),
          ...QIDS.map((id) => ratio(msOf(mine.questions[id]), msOf(peer.questions[id]))),
          both.length > 0 ? `${ratio(sum(mine), sum(peer))} (${both.length}/${QIDS.length})` : '—',
          ratio(msOf(mine.cold), msOf(peer.cold)),
          ratio(mine.maxRssMB, peer.maxRssMB),
        ]),
      )
    }
  }
  const notes = [...notesOf(reports)]
  if (disagreements.length > 0) {
    out.push('', '## ✗ ANSWERS DISAGREE', '')
    for (const d of disagreements) out.push(`- **${d.system} ${d.phase}** vs ${d.reference}: ${d.detail}`)
  } else {
    out.push(
      '',
      'Answers: every system that answered agrees with the reference (row counts and column sums, relative 1e-9).',
    )
  }
  if (notes.length > 0) out.push('', '## Notes', '', ...notes.map((n) => `- ${n}`))
  return `${out.join('\n')}\n`
}

function* notesOf(reports: readonly SystemReport[]): Generator<string> {
  for (const r of reports) {
    const unsupported = new Map<string, string[]>()
    for (const phase of ['load', ...QIDS, 'cold']) {
      const t = timingOf(r, phase)
      if (t && 'ms' in t && t.runs.length === 1 && t.ms > SLOW_RUN_MS) {
        yield `${r.system} ${phase}: one run (over ${SLOW_RUN_MS / 1000} s, so not repeated)`
      }
      if (!t || 'ms' in t) continue
      if ('error' in t) yield `${r.system} ${phase}: ${isUnfinished(t) ? t.error : `ERROR ${t.error}`}`
      else if (!(r.system === 'tsdask SQL' && phase === 'load')) {
        unsupported.set(t.unsupported, [...(unsupported.get(t.unsupported) ?? []), phase])
      }
    }
    for (const [why, phases] of unsupported) yield `${r.system} ${phases.join(', ')}: unsupported (${why})`
    for (const n of r.notes ?? []) yield `${r.system}: ${n}`
  }
}
