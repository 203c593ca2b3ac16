/**
 * The db-benchmark questions answered in plain JS (split lines and fields, Maps of row indexes),
 * sharing no code with tsdask: the oracle for the benchmark's smoke test. Statistics follow
 * DuckDB: sample standard deviation, null for fewer than 2 values; corr NaN for a zero variance.
 */
import { readFileSync } from 'node:fs'
import type { AnswerSummary } from '../../bench/db-benchmark/report.js'

interface Table {
  readonly rows: number
  readonly text: Readonly<Record<'id1' | 'id2' | 'id3', readonly string[]>>
  readonly num: Readonly<Record<'id4' | 'id5' | 'id6' | 'v1' | 'v2' | 'v3', readonly number[]>>
}
type Key = 'id1' | 'id2' | 'id3' | 'id4' | 'id5' | 'id6'
type Num = keyof Table['num']
type OutRow = Record<string, number | string | null>

export function readGroupbyTable(file: string): Table {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').slice(1)
  const text = { id1: [] as string[], id2: [] as string[], id3: [] as string[] }
  const num = { id4: [] as number[], id5: [] as number[], id6: [] as number[], v1: [], v2: [], v3: [] } as Record<
    Num,
    number[]
  >
  for (const line of lines) {
    const f = line.split(',')
    text.id1.push(f[0] as string)
    text.id2.push(f[1] as string)
    text.id3.push(f[2] as string)
    ;(['id4', 'id5', 'id6', 'v1', 'v2', 'v3'] as const).forEach((name, i) => {
      num[name].push(Number(f[3 + i]))
    })
  }
  return { rows: lines.length, text, num }
}

function value(t: Table, name: Key, i: number): string | number {
  return name === 'id1' || name === 'id2' || name === 'id3' ? (t.text[name][i] as string) : (t.num[name][i] as number)
}

/** Groups as [key values, row indexes], in first-seen order. */
function groups(t: Table, keys: readonly Key[], rows: Iterable<number>): [(string | number)[], number[]][] {
  const byKey = new Map<string, [(string | number)[], number[]]>()
  for (const i of rows) {
    const values = keys.map((k) => value(t, k, i))
    const id = JSON.stringify(values)
    const g = byKey.get(id)
    if (g) g[1].push(i)
    else byKey.set(id, [values, [i]])
  }
  return [...byKey.values()]
}

const pick = (t: Table, name: Num, idx: readonly number[]) => idx.map((i) => t.num[name][i] as number)
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0)
const mean = (xs: readonly number[]) => sum(xs) / xs.length
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}
function sd(xs: readonly number[]): number | null {
  if (xs.length < 2) return null
  const m = mean(xs)
  return Math.sqrt(sum(xs.map((x) => (x - m) ** 2)) / (xs.length - 1))
}
function corr(xs: readonly number[], ys: readonly number[]): number | null {
  const mx = mean(xs)
  const my = mean(ys)
  let sxy = 0
  let sxx = 0
  let syy = 0
  xs.forEach((x, i) => {
    const dy = (ys[i] as number) - my
    sxy += (x - mx) * dy
    sxx += (x - mx) ** 2
    syy += dy ** 2
  })
  return xs.length === 0 ? null : sxy / Math.sqrt(sxx * syy)
}

function byGroup(t: Table, keys: readonly Key[], aggs: (idx: number[]) => OutRow): OutRow[] {
  const all = Array.from({ length: t.rows }, (_, i) => i)
  return groups(t, keys, all).map(([values, idx]) => ({
    ...Object.fromEntries(keys.map((k, j) => [k, values[j] as string | number])),
    ...aggs(idx),
  }))
}

/** Row count and sums of numeric columns, nulls skipped: the shape every system reports. */
export function summarizeRows(rows: readonly OutRow[]): AnswerSummary {
  const sums: Record<string, number> = {}
  for (const r of rows) {
    for (const [name, v] of Object.entries(r)) {
      if (typeof v === 'string') continue
      sums[name] = (sums[name] ?? 0) + (v === null || Number.isNaN(v) ? 0 : v)
    }
  }
  return { rows: rows.length, sums }
}

export function plainJsAnswers(t: Table): Record<string, AnswerSummary> {
  const q = (keys: readonly Key[], aggs: (idx: number[]) => OutRow) => summarizeRows(byGroup(t, keys, aggs))
  const v = (name: Num, idx: number[]) => pick(t, name, idx)
  const largest2: OutRow[] = groups(
    t,
    ['id6'],
    Array.from({ length: t.rows }, (_, i) => i),
  ).flatMap(([[id6], idx]) =>
    v('v3', idx)
      .sort((a, b) => b - a)
      .slice(0, 2)
      .map((x) => ({ id6: id6 as number, largest2_v3: x })),
  )
  const passing = Array.from({ length: t.rows }, (_, i) => i).filter((i) => (t.num.v1[i] as number) > 2)
  return {
    load: { rows: t.rows, sums: { v1: sum(t.num.v1), v2: sum(t.num.v2), v3: sum(t.num.v3) } },
    q1: q(['id1'], (i) => ({ v1: sum(v('v1', i)) })),
    q2: q(['id1', 'id2'], (i) => ({ v1: sum(v('v1', i)) })),
    q3: q(['id3'], (i) => ({ v1: sum(v('v1', i)), v3: mean(v('v3', i)) })),
    q4: q(['id4'], (i) => ({ v1: mean(v('v1', i)), v2: mean(v('v2', i)), v3: mean(v('v3', i)) })),
    q5: q(['id6'], (i) => ({ v1: sum(v('v1', i)), v2: sum(v('v2', i)), v3: sum(v('v3', i)) })),
    q6: q(['id4', 'id5'], (i) => ({ median_v3: median(v('v3', i)), sd_v3: sd(v('v3', i)) })),
    q7: q(['id3'], (i) => ({ range_v1_v2: Math.max(...v('v1', i)) - Math.min(...v('v2', i)) })),
    q8: summarizeRows(largest2),
    q9: q(['id2', 'id4'], (i) => {
      const r = corr(v('v1', i), v('v2', i))
      return { r2: r === null ? null : r * r }
    }),
    q10: q(['id1', 'id2', 'id3', 'id4', 'id5', 'id6'], (i) => ({ v3: sum(v('v3', i)), count: i.length })),
    cold: summarizeRows(
      groups(t, ['id1'], passing).map(([[id1], idx]) => ({ id1: id1 as string, v3: sum(v('v3', idx)) })),
    ),
  }
}
