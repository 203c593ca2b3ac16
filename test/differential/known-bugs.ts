/**
 * Recognizes failures that look like the known bugs of issue 13, which other branches fix, so
 * the fuzzer's report can sort them from new ones. A guess by symptom, never a reason to skip: the
 * fuzzer still counts them as failures, and regressions.ts pins one case of each.
 *
 * (a) task keys shared by two limits over one sort; sorts reading the values under nulls.
 * (b) AND / CASE short-circuit (the optimizer's filter merging must not raise errors the
 *     unoptimized query would not); count(x) of dictionary columns with null dictionary entries;
 *     CSV default null strings (DuckDB: only an empty unquoted field is null).
 * (c) deep-nesting depth limits and memory.
 * (d) CLI start-up time and a V8 crash at pool shutdown.
 */
import type { Failure, SqlCase } from './sql-case.js'

const NULL_LIKE = /^(|NA|N\/A|null|NULL)$/

export function knownBugOf(c: SqlCase, f: Failure): string | undefined {
  const m = f.message
  if (/IsGraphAsync|exit 134|SIGABRT/.test(m)) return 'bug (d): V8 crash at pool shutdown'
  if (/Maximum call stack/.test(m)) return 'bug (c): deep nesting'
  if (/tsdask fails where DuckDB answers/.test(m) && /cannot cast|overflow|out of range/i.test(m)) {
    if (/\b(AND|OR|CASE|coalesce)\b/i.test(c.tsdask))
      return 'bug (b): AND / OR / CASE / COALESCE evaluate every operand'
  }
  const csvStrings = c.tables.some((t) =>
    t.rows.some((row) =>
      row.some((v, i) => t.columns[i]!.dtype === 'utf8' && typeof v === 'string' && NULL_LIKE.test(v)),
    ),
  )
  if ((f.run.startsWith('cli') || f.run.includes('"csv"')) && csvStrings) return 'bug (b): CSV default null strings'
  if (f.run.includes('null-dictionary-entries')) return 'bug (b): null dictionary entries'
  if (c.orderKeys && /sort keys differ|equal sort keys/.test(m) && /\bNULL\b/.test(m)) {
    return 'bug (a): sort reads the values under nulls'
  }
  return undefined
}
