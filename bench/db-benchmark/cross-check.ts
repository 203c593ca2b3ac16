/**
 * Cross-checks the systems' answers: for every question (and the load and the cold scan), each
 * system's row count and column sums are compared with a reference system's, sums within a
 * relative 1e-9. The reference is the first system in REFERENCE_ORDER that answered.
 */
import type { AnswerSummary, SystemReport, Timing } from './report.js'

export const RELATIVE_TOLERANCE = 1e-9
/** Engines whose answers we trust first; any system is a reference when it is the only one. */
const REFERENCE_ORDER = ['DuckDB', 'Polars', 'pandas', 'Dask', 'Arquero', 'tsdask', 'tsdask SQL']

export interface Disagreement {
  readonly phase: string
  readonly system: string
  readonly reference: string
  readonly detail: string
}

export function sumsAgree(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b)
  return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b))
}

/** What differs between two summaries, or undefined when they agree. */
export function compareAnswers(got: AnswerSummary, want: AnswerSummary): string | undefined {
  const problems: string[] = []
  if (got.rows !== want.rows) problems.push(`${got.rows} rows, reference has ${want.rows}`)
  const columns = new Set([...Object.keys(got.sums), ...Object.keys(want.sums)])
  for (const c of columns) {
    const g = got.sums[c]
    const w = want.sums[c]
    if (g === undefined || w === undefined) {
      problems.push(`column ${c} ${g === undefined ? 'missing' : 'unexpected'}`)
    } else if (!sumsAgree(g, w)) {
      problems.push(
        `sum(${c}) = ${g}, reference ${w} (relative difference ${(Math.abs(g - w) / Math.abs(w)).toExponential(2)})`,
      )
    }
  }
  return problems.length > 0 ? problems.join('; ') : undefined
}

const answerOf = (t: Timing | undefined): AnswerSummary | undefined => (t && 'answer' in t ? t.answer : undefined)

export function crossCheck(reports: readonly SystemReport[], phases: readonly string[]): Disagreement[] {
  const ordered = [...reports].sort((a, b) => rank(a.system) - rank(b.system))
  const found: Disagreement[] = []
  for (const phase of phases) {
    const answered = ordered.filter((r) => answerOf(timingOf(r, phase)))
    const reference = answered[0]
    if (!reference) continue
    const want = answerOf(timingOf(reference, phase)) as AnswerSummary
    for (const r of answered.slice(1)) {
      const detail = compareAnswers(answerOf(timingOf(r, phase)) as AnswerSummary, want)
      if (detail) found.push({ phase, system: r.system, reference: reference.system, detail })
    }
  }
  return found
}

/** `load`, `cold`, or a question id. */
export function timingOf(report: SystemReport, phase: string): Timing | undefined {
  if (phase === 'load') return report.load
  if (phase === 'cold') return report.cold
  return report.questions[phase]
}

function rank(system: string): number {
  const i = REFERENCE_ORDER.indexOf(system)
  return i >= 0 ? i : REFERENCE_ORDER.length
}
