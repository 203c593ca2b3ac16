/**
 * The optimizer never changes results: random pipelines (every operator: filter, withColumns,
 * select, aggregate, sort, limit) over random typed tables with nulls, run with the optimizer off,
 * all rules on, each rule alone, and a random subset of rules, must give the same rows.
 *
 * Tables come from memory (fromRecords / fromArrow, several partitions) and from CSV files read in
 * small blocks, so the CSV reader's own pushdown (filters while parsing, row limits, column
 * pruning) is exercised too. The sync scheduler and small tables keep ≥ 1,000 cases per run cheap.
 *
 * Environment: TSDASK_OPTIMIZER_PROPERTY_RUNS (default 700 memory cases; CSV cases are 3/7 of
 * that) and TSDASK_PROPERTY_SEED (replay). fast-check prints the seed and the case, as code, on failure.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, test } from 'vitest'
import { DataFrame } from '../../src/api/data-frame.js'
import { type ComputeOptions, readCsv, TsdaskError } from '../../src/index.js'
import { optimize } from '../../src/optimize/optimizer.js'
import { changed, unchanged } from '../../src/optimize/rule.js'
import { expectSameRows, type Record_ } from '../support/compare-rows.js'
import { customRule } from '../support/plan-builders.js'
import {
  type AnyFrame,
  applyPipeline,
  type EngineCase,
  engineCases,
  frameOf,
  isOrdered,
  type RandomTable,
} from '../support/random-tables.js'
import { RULES, ruleModes } from '../support/rule-modes.js'

const RUNS = Math.max(1, Number(process.env.TSDASK_OPTIMIZER_PROPERTY_RUNS ?? 700))
const SEED = process.env.TSDASK_PROPERTY_SEED === undefined ? undefined : Number(process.env.TSDASK_PROPERTY_SEED)

const dir = mkdtempSync(path.join(tmpdir(), 'tsdask-optimizer-property-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface OptimizerCase {
  readonly engine: EngineCase
  /** The one rule run alone. */
  readonly alone: string
  /** A random subset of rules, run together. */
  readonly subset: readonly string[]
}

const optimizerCase = (engine: fc.Arbitrary<EngineCase>): fc.Arbitrary<OptimizerCase> =>
  fc.record({ engine, alone: fc.constantFrom(...RULES), subset: fc.subarray(RULES) })

const sync = { scheduler: 'sync' } as const

/** The rows, or 'overflow' when the query overflows an integer (an error, in every mode alike). */
async function run(df: AnyFrame, options: ComputeOptions): Promise<Record_[] | 'overflow'> {
  try {
    return await df.toRecords(options)
  } catch (error) {
    if (error instanceof TsdaskError && error.code === 'OVERFLOW') return 'overflow'
    throw error
  }
}

async function checkAllModes(df: AnyFrame, c: OptimizerCase): Promise<void> {
  const off = await run(df, { ...sync, optimize: false })
  // Rewrites may only avoid an overflow (a filter moved below the overflowing projection), never cause one.
  fc.pre(off !== 'overflow')
  const ordered = isOrdered(c.engine.pipeline)
  for (const [what, options] of ruleModes(c.alone, c.subset)) {
    const rows = await run(df, options)
    if (rows === 'overflow') throw new Error(`${what}: overflowed where the unoptimized plan did not`)
    expectSameRows(rows, off, ordered, `${what} vs optimizer off`)
  }
}

let files = 0

/** The table as a CSV file read in small blocks (several partitions). */
function csvFrameOf(table: RandomTable, npartitions: number): AnyFrame {
  const cell = (v: unknown): string => {
    if (v === null) return ''
    if (v instanceof Date) return v.toISOString()
    // Both modes read the same file, so values only need to parse, not round-trip exactly.
    if (typeof v === 'number' && !Number.isFinite(v)) return '0'
    return String(v)
  }
  const lines = [
    table.fields.map((f) => f.name).join(','),
    ...table.rows.map((r) => table.fields.map((f) => cell(r[f.name])).join(',')),
  ]
  const text = `${lines.join('\n')}\n`
  const file = path.join(dir, `t${files++}.csv`)
  writeFileSync(file, text)
  const schema = Object.fromEntries(table.fields.map((f) => [f.name, f.dtype === 'date32' ? 'timestamp[ms]' : f.dtype]))
  const blocksize = Math.max(16, Math.ceil(text.length / npartitions))
  return readCsv(file, { schema, blocksize }) as unknown as AnyFrame
}

describe('optimized ≡ unoptimized, all rules, each rule alone and random subsets (sync)', () => {
  test('in-memory tables', async () => {
    await fc.assert(
      fc.asyncProperty(optimizerCase(engineCases({ dictionary: 'any' })), async (c) => {
        const df = applyPipeline(frameOf(c.engine.table, c.engine.npartitions, c.engine.dictionary), c.engine.pipeline)
        await checkAllModes(df, c)
      }),
      { numRuns: RUNS, ...(SEED !== undefined && { seed: SEED }) },
    )
  })

  test('CSV tables (pushdown into the reader)', async () => {
    await fc.assert(
      fc.asyncProperty(optimizerCase(engineCases({ dictionary: 'never' })), async (c) => {
        const base = csvFrameOf(c.engine.table, c.engine.npartitions)
        await checkAllModes(applyPipeline(base, c.engine.pipeline), c)
      }),
      { numRuns: Math.ceil((RUNS * 3) / 7), ...(SEED !== undefined && { seed: SEED }) },
    )
  })
})

describe('the property catches a broken rule', () => {
  // A planted bug: filters pushed below limits (exactly what push-down-predicates must not do).
  const pushPastLimits = customRule(
    'push-past-limits',
    (plan) =>
      plan.kind === 'Filter' && plan.input.kind === 'Limit'
        ? changed({ ...plan.input, input: { ...plan, input: plan.input.input } })
        : unchanged(plan),
    'top-down',
  )

  test('a rule that moves filters below limits fails it', async () => {
    const property = fc.asyncProperty(optimizerCase(engineCases({ dictionary: 'never' })), async (c) => {
      const df = applyPipeline(frameOf(c.engine.table, c.engine.npartitions), c.engine.pipeline)
      const off = await run(df, { ...sync, optimize: false })
      fc.pre(off !== 'overflow')
      const broken = new DataFrame(optimize(df.plan, { rules: [pushPastLimits] }))
      const rows = await run(broken as AnyFrame, { ...sync, optimize: false })
      if (rows === 'overflow') return
      expectSameRows(rows, off, isOrdered(c.engine.pipeline), 'broken rule vs optimizer off')
    })
    const failure = await fc.assert(property, { numRuns: 2000, ...(SEED !== undefined && { seed: SEED }) }).then(
      () => null,
      (error: unknown) => error as Error,
    )
    expect(failure?.message).toMatch(/Property failed/)
    expect(`${failure?.message}\n${String((failure as { cause?: unknown } | null)?.cause)}`).toMatch(
      /broken rule vs optimizer off/,
    )
  })
})
