/**
 * The differential property (a random case: tsdask agrees with DuckDB) and the two option sets it
 * runs with: the suite's, which leaves out what known bugs of issue 13 break (so `npm test` stays
 * green until their fixes land), and the fuzzer's, which tries everything.
 */
import fc from 'fast-check'
import type { DuckSession } from './duckdb.js'
import { knownBugOf } from './known-bugs.js'
import { Rand } from './rand.js'
import { type CaseOptions, describeCase, type Failure, generateCase, runCase, type SqlCase } from './sql-case.js'

/**
 * What `npm test` generates. Each `false` below is a known bug of issue 13; set it to true once
 * the fix is merged (regressions.ts holds a fixed case for each, marked to fail until then).
 */
export const SUITE_OPTIONS: CaseOptions = {
  cliShare: 0,
  // Casts that fail on some values: when DuckDB's optimizer skips evaluating one (a column no one
  // reads, a GROUP BY key that is a function of another key, a CASE branch it folded away), it
  // fails in tsdask only. The suite checks answers; the fuzzer explores these (a failure there
  // that is not bug (b)'s is worth a look). Deliberately wrong queries still must fail in both.
  fallibleCasts: false,
  overflowingInts: false,
  // AND / CASE / COALESCE short-circuit (issue 13's bug (b), fixed): a guarded cast runs only
  // where its guard lets it.
  guardedFallible: true,
  untypedNull: true,
  invalidShare: 0.05,
  // CSV: only an empty unquoted field is null by default; 'NA', 'null' and "" are values (fixed).
  csvNullStrings: true,
  // count(x) over null dictionary entries (fixed).
  nullDictionaryEntries: true,
}

/** What `npm run fuzz` generates by default: everything. */
export const FUZZ_OPTIONS: CaseOptions = {
  ...SUITE_OPTIONS,
  cliShare: 0.03,
  fallibleCasts: true,
  overflowingInts: true,
  guardedFallible: true,
  csvNullStrings: true,
  nullDictionaryEntries: true,
}

// Kept off the error object: test runners print an error's own properties, and the message says it all.
const details = new WeakMap<CaseFailure, { readonly sqlCase: SqlCase; readonly failure: Failure }>()

export class CaseFailure extends Error {
  constructor(sqlCase: SqlCase, failure: Failure) {
    super(describeFailure(sqlCase, failure))
    this.name = 'CaseFailure'
    details.set(this, { sqlCase, failure })
  }

  get sqlCase(): SqlCase {
    return details.get(this)!.sqlCase
  }

  get failure(): Failure {
    return details.get(this)!.failure
  }
}

export function describeFailure(c: SqlCase, f: Failure): string {
  const known = knownBugOf(c, f)
  return [
    `tsdask and DuckDB disagree (${f.run})${known ? `; this looks like ${known}` : ''}:`,
    f.message,
    `tsdask query: ${c.tsdask}`,
    `DuckDB query: ${c.duckdb}`,
    ...(c.expectError ? [`(a query that is wrong on purpose: ${c.expectError})`] : []),
    'the case, for test/differential/regressions.ts:',
    describeCase(c),
  ].join('\n')
}

/** The property; `seen` (if given) gets every case and its failure, and the property then never fails. */
export function differentialProperty(
  duck: DuckSession,
  options: CaseOptions,
  seen?: (c: SqlCase, failure: Failure | undefined) => void,
): fc.IAsyncPropertyWithHooks<[fc.GeneratorValue]> {
  return fc.asyncProperty(fc.gen(), async (g) => {
    let c: SqlCase
    try {
      c = generateCase(new Rand(g), options)
    } catch (error) {
      throw new Error(`the generator failed (a bug of the test, not of tsdask): ${(error as Error).stack}`)
    }
    const failure = await runCase(c, duck)
    if (seen) seen(c, failure)
    else if (failure) throw new CaseFailure(c, failure)
  })
}
