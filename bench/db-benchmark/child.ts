/**
 * What every Node child of the runner does, given a system's pieces: load once (timed), each
 * question on the loaded data (median of `repeat`, answer summarized outside the timing), the
 * cold scan, a progress line per phase on stderr, then the report.
 */
import { renameSync, writeFileSync } from 'node:fs'
import { QUESTIONS, type QuestionId } from './questions.js'
import {
  type AnswerSummary,
  type ChildOutput,
  describe,
  NOT_FINISHED,
  peakRssMB,
  type SystemReport,
  type Timing,
  timedOrError,
} from './report.js'

export interface SystemUnderTest<Data, Result> {
  readonly system: string
  readonly version: string
  readonly threads: number
  readonly repeat: number
  readonly load: () => Promise<Data> | Data
  /** Row count and sums of v1, v2, v3 of the loaded table. */
  readonly summarizeLoad: (data: Data) => Promise<AnswerSummary> | AnswerSummary
  /** The question as a function to time, or why it cannot be asked. */
  readonly question: (id: QuestionId, data: Data) => (() => Promise<Result> | Result) | { readonly unsupported: string }
  readonly cold: () => Promise<Result> | Result
  readonly summarize: (result: Result) => Promise<AnswerSummary> | AnswerSummary
  readonly notes?: readonly string[]
  /**
   * The child's `--out` file: after each phase the report so far is written beside it
   * (`partialReportPath`), so a system the runner stops at its --timeout still has a row.
   */
  readonly out?: string
}

export const partialReportPath = (out: string): string => `${out}.partial`

export function logger(system: string): (line: string) => void {
  return (line) => process.stderr.write(`  [${system}] ${line}\n`)
}

export async function measureSystem<Data, Result>(s: SystemUnderTest<Data, Result>): Promise<SystemReport> {
  const log = logger(s.system)
  let data: Data | undefined
  const load = await timedOrError(
    1,
    async () => {
      data = await s.load()
      return data
    },
    s.summarizeLoad,
  )
  log(`load ${describe(load)}`)
  const questions: Record<string, Timing> = {}
  const report = (cold: Timing): SystemReport => ({
    system: s.system,
    version: s.version,
    threads: s.threads,
    load,
    questions,
    cold,
    maxRssMB: peakRssMB(),
    ...(s.notes && { notes: s.notes }),
  })
  const checkpoint = () => {
    if (s.out === undefined) return
    const partial = partialReportPath(s.out)
    writeReports(`${partial}.tmp`, [report({ error: NOT_FINISHED })])
    renameSync(`${partial}.tmp`, partial)
  }
  checkpoint()
  for (const q of QUESTIONS) {
    if (data === undefined) break
    const ask = s.question(q.id, data)
    questions[q.id] = typeof ask === 'function' ? await timedOrError(s.repeat, ask, s.summarize) : ask
    log(`${q.id} ${describe(questions[q.id])}`)
    checkpoint()
  }
  data = undefined // the cold scan reads its own copy; let the loaded one go
  const cold = await timedOrError(s.repeat, s.cold, s.summarize)
  log(`cold ${describe(cold)}`)
  return report(cold)
}

export function writeReports(out: string, reports: readonly SystemReport[]): void {
  writeFileSync(out, JSON.stringify({ reports } satisfies ChildOutput))
}
