/**
 * Plans built the way users build them (`fromRecords`, `readCsv`, then DataFrame verbs), and
 * small helpers that make plan-in / plan-out tests read like the optimizer's documentation.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Dictionary, Int32, makeData, Table, Utf8, Vector, vectorFromArray } from 'apache-arrow'
import { fromArrow, fromRecords, readCsv } from '../../src/api/read.js'
import { coalesce, type Expr, type Operand } from '../../src/expr/builder.js'
import type { ExprType, Requirements } from '../../src/expr/typing.js'
import { type LoweredGraph, lowerPhysical } from '../../src/lower/lower.js'
import { type OptimizeOptions, optimize } from '../../src/optimize/optimizer.js'
import type { Rule, RuleName } from '../../src/optimize/rule.js'
import { planPhysical } from '../../src/physical/plan-physical.js'
import { explainPlan } from '../../src/plan/explain.js'
import type { LogicalPlan } from '../../src/plan/plan.js'
import { schemaFromRecord } from '../../src/types/schema.js'

/** A four-row trips table: vendor (utf8), fare (float64), tip (float64), passengers (int32), day (date32). */
export function trips(npartitions = 1) {
  return fromRecords(
    [
      { vendor: 'CMT', fare: 12.5, tip: 2, passengers: 1, day: new Date('2024-01-01') },
      { vendor: 'VTS', fare: 7, tip: 0, passengers: 2, day: new Date('2024-01-02') },
      { vendor: 'CMT', fare: 30, tip: 6.5, passengers: 3, day: new Date('2024-01-02') },
      { vendor: 'VTS', fare: 4.25, tip: 0.5, passengers: 1, day: new Date('2024-01-03') },
    ],
    {
      schema: { vendor: 'utf8', fare: 'float64', tip: 'float64', passengers: 'int32', day: 'date32' },
      npartitions,
    },
  )
}

/**
 * `{ s, i }` where `s` is dictionary-encoded over ['a', null, 'b', null] with codes
 * [0, 1, 2, 3, 1, 0, 3, 2] and no row validity, so Arrow reports nullCount 0 although four rows
 * read as null (their dictionary entry is null): s = a, null, b, null, null, a, null, b; i = 0…7.
 */
export function nullDictionaryEntries(npartitions = 1) {
  const dictionary = vectorFromArray(['a', null, 'b', null], new Utf8())
  const codes = Int32Array.of(0, 1, 2, 3, 1, 0, 3, 2)
  const s = makeData({ type: new Dictionary(new Utf8(), new Int32()), length: 8, data: codes, dictionary })
  const i = vectorFromArray([0, 1, 2, 3, 4, 5, 6, 7], new Int32())
  return fromArrow(new Table({ s: new Vector([s]), i }), { npartitions })
}

/** `rows` rows `{ k: i % 3, v: i }` split into exactly `npartitions` partitions (rows is a multiple). */
export function numbers(npartitions: number, rowsPerPartition = 2) {
  const rows = Array.from({ length: npartitions * rowsPerPartition }, (_, i) => ({ k: i % 3, v: i }))
  return fromRecords(rows, { schema: { k: 'int32', v: 'int64' }, npartitions })
}

/** Runs only `rule` to a fixed point, as the optimizer would. */
export function onlyRule(rule: Rule, options: Omit<OptimizeOptions, 'rules'> = {}) {
  return (plan: LogicalPlan): LogicalPlan => optimize(plan, { ...options, rules: [rule] })
}

/** `explainPlan` with temporary directories replaced by `<tmp>`, so CSV plans snapshot stably. */
export function explain(plan: LogicalPlan): string {
  let text = explainPlan(plan)
  for (const dir of tmpDirs) text = text.replaceAll(dir, '<tmp>')
  return text
}

/** A user-defined rule (its name is outside the built-in `RuleName` union, hence the cast). */
export function customRule(name: string, rewrite: Rule['rewrite'], applyOrder?: 'top-down' | 'bottom-up'): Rule {
  return applyOrder ? { name: name as RuleName, applyOrder, rewrite } : { name: name as RuleName, rewrite }
}

const tmpDirs: string[] = []

/**
 * Writes `text` to `<tmp>/<file>` in a directory removed when the test process exits, and reads it with
 * `readCsv` (tiny `blocksize` gives several partitions).
 */
export function csvFrame(file: string, text: string, options: { blocksize?: number } = {}) {
  if (tmpDirs.length === 0) {
    tmpDirs.push(mkdtempSync(path.join(tmpdir(), 'tsdask-plan-')))
    // Not afterAll: frames are also built inside tests, where hooks cannot be registered.
    process.once('exit', () => {
      for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true })
    })
  }
  const full = path.join(tmpDirs[0]!, file)
  writeFileSync(full, text)
  return readCsv(full, options.blocksize === undefined ? {} : { blocksize: options.blocksize })
}

/**
 * `coalesce` with its arguments unchecked at compile time. The public signature infers one
 * `Expr` type from the first argument, so `coalesce(col('a'), col('b'))` and
 * `coalesce(lit(null), col('a'))` do not compile (reported); the run-time behaviour is what
 * these tests check.
 */
export const coalesceOf = coalesce as (...args: readonly Operand[]) => Expr<ExprType, Requirements>

/** One column of every dtype: b bool, i int32, l int64, f float64, s utf8, d date32, t timestamp[ms]. */
export const EVERY_DTYPE = {
  b: 'bool',
  i: 'int32',
  l: 'int64',
  f: 'float64',
  s: 'utf8',
  d: 'date32',
  t: 'timestamp[ms]',
} as const
export const everyDType = schemaFromRecord(EVERY_DTYPE)

/**
 * The task graph `head(n)` computes its partitions from: the input of the incremental limit the
 * physical planner puts at the root (its CSV readers stop after n rows when the input is a bare scan).
 */
export function headInputGraph(plan: LogicalPlan, n: number): LoweredGraph {
  const root = planPhysical({ kind: 'Limit', input: plan, offset: 0, limit: n })
  if (root.kind !== 'Limit' || !root.incremental) throw new Error(`expected an incremental limit, got ${root.kind}`)
  return lowerPhysical(root.input)
}
