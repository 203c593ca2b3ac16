/**
 * Shrinks a failing case to a small one that fails the same way (delta debugging): one run only,
 * the simplest input kind and partitioning that still fails, fewer union inputs, clauses, select
 * items and rows, unused tables and columns dropped, and every sub-expression replaced by one of
 * its operands or a literal where that keeps the failure. fast-check's own shrinking of `fc.gen()`
 * choices cannot do this: a smaller early choice changes everything drawn after it.
 *
 * "The same way" is the failure's category (see `signatureOf`): a simplification that turns a
 * wrong answer into a refused query is rejected, so the case keeps showing the original bug.
 */
import type { DuckSession } from './duckdb.js'
import type { Generated } from './gen-query.js'
import { knownBugOf } from './known-bugs.js'
import type { Core, Expr, From, GroupKey, Query, SelectItem } from './sql-ast.js'
import { caseOf, type Failure, runCase, type SqlCase } from './sql-case.js'
import type { Table } from './tables.js'

/**
 * What kind of failure: internal error, tsdask's error text (numbers and quotes masked), types,
 * order or rows; and which known bug it looks like, so shrinking does not wander to another bug.
 */
export function signatureOf(c: SqlCase, f: Failure): string {
  return `${kindOf(f)} / ${knownBugOf(c, f) ?? 'new'}`
}

function kindOf(f: Failure): string {
  const [first = '', second = ''] = f.message.split('\n')
  if (first.startsWith('tsdask fails where DuckDB answers')) {
    return `tsdask error: ${second
      .replace(/\d+/g, '#')
      .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, 'Q')
      .slice(0, 60)}`
  }
  if (first.startsWith('tsdask failed with an internal error'))
    return `internal: ${second.replace(/\d+/g, '#').slice(0, 60)}`
  if (first.startsWith('DuckDB refuses')) return 'duckdb refuses'
  if (/^column \d+ .*: tsdask gives/.test(first)) return 'types'
  if (/^sort keys differ|equal sort keys/.test(first)) return 'order'
  return 'rows'
}

type Candidate = () => SqlCase | undefined

export interface Minimized {
  readonly sqlCase: SqlCase
  readonly failure: Failure
  /** Cases tried. */
  readonly tries: number
}

export async function minimize(c0: SqlCase, f0: Failure, duck: DuckSession, budgetMs: number): Promise<Minimized> {
  const deadline = Date.now() + budgetMs
  const signature = signatureOf(c0, f0)
  let best = onlyRun(c0, f0)
  let failure = f0
  let tries = 0
  const attempt = async (c: SqlCase): Promise<boolean> => {
    tries++
    const f = await runCase(c, duck)
    if (f === undefined || signatureOf(c, f) !== signature) return false
    best = c
    failure = f
    return true
  }
  // The failing run alone first (the others may fail too, but one is enough to show).
  if (!(await attempt(best))) return { sqlCase: c0, failure: f0, tries }
  let progress = true
  while (progress && Date.now() < deadline) {
    progress = false
    for (const candidate of candidates(best)) {
      if (Date.now() >= deadline) break
      const c = candidate()
      if (c !== undefined && (await attempt(c))) {
        progress = true
        break
      }
    }
  }
  return { sqlCase: best, failure, tries }
}

function onlyRun(c: SqlCase, f: Failure): SqlCase {
  if (f.index < c.runs.length) {
    const { cli: _, ...rest } = c
    return { ...rest, runs: [c.runs[f.index]!] }
  }
  return { ...c, runs: [] }
}

/** Simplifications of a case, biggest first. */
function* candidates(c: SqlCase): Generator<Candidate> {
  const g = c.generated
  const withQuery = (query: Query, outputs = g?.outputs ?? []): SqlCase =>
    rebuilt(c, { ...g!, query, outputs: [...outputs] })
  // The run: the CLI as an API run; then the simplest input and partitioning.
  if (c.cli) {
    const { cli: _, ...rest } = c
    yield () => ({ ...rest, runs: [{ source: 'records', npartitions: 1, scheduler: 'sync', optimize: true }] })
  }
  for (const run of c.runs) {
    const simpler = [
      { ...run, npartitions: 1 },
      { ...run, scheduler: 'sync' as const },
      { ...run, source: 'records' as const },
      { ...run, optimize: true },
    ]
    for (const s of simpler) {
      if (JSON.stringify(s) !== JSON.stringify(run)) yield () => ({ ...c, runs: [s] })
    }
  }
  if (g) yield* queryCandidates(g, withQuery)
  yield* tableCandidates(c)
}

function rebuilt(c: SqlCase, g: Generated): SqlCase {
  return caseOf(c.tables, g, c.runs, c.cli)
}

function* queryCandidates(
  g: Generated,
  withQuery: (q: Query, outputs?: Generated['outputs']) => SqlCase,
): Generator<Candidate> {
  const q = g.query
  if (q.cores.length > 1) {
    for (let k = 0; k < q.cores.length; k++) yield () => withQuery({ ...q, cores: [q.cores[k]!], unions: [] })
    for (let k = 1; k < q.cores.length; k++) {
      yield () =>
        withQuery({ ...q, cores: q.cores.filter((_, i) => i !== k), unions: q.unions.filter((_, i) => i !== k - 1) })
    }
  }
  if (q.with) {
    const { with: _, ...rest } = q
    yield () => withQuery(rest)
  }
  if (q.orderBy) {
    const { orderBy: _, ...rest } = q
    yield () => withQuery(rest)
  }
  if (q.limit) {
    const { limit: _, ...rest } = q
    yield () => withQuery(rest)
    if (q.limit.offset !== undefined) yield () => withQuery({ ...q, limit: { n: q.limit!.n } })
  }
  if (q.orderBy && q.orderBy.length > 1) {
    for (let k = 0; k < q.orderBy.length; k++)
      yield () => withQuery({ ...q, orderBy: q.orderBy!.filter((_, i) => i !== k) })
  }
  const core = q.cores[0]!
  const setCore = (c: Core) => ({ ...q, cores: [c, ...q.cores.slice(1)] })
  if (core.where) {
    const { where: _, ...rest } = core
    yield () => withQuery(setCore(rest))
  }
  if (core.having) {
    const { having: _, ...rest } = core
    yield () => withQuery(setCore(rest))
  }
  if (core.distinct) yield () => withQuery(setCore({ ...core, distinct: false }))
  if (core.groupBy && core.groupBy.length > 1) {
    for (let k = 0; k < core.groupBy.length; k++) {
      yield () => withQuery(setCore({ ...core, groupBy: core.groupBy!.filter((_, i) => i !== k) }))
    }
  }
  if (core.from.kind === 'subquery') {
    const inner = core.from.query
    // The subquery alone, when the outer query adds nothing the failure needs.
    yield () => withQuery(inner)
  }
  if (q.cores.length === 1 && core.items !== 'star' && core.items.length > 1) {
    for (let k = 0; k < core.items.length; k++) yield () => dropItem(g, k, withQuery)
  }
  // Expressions: each node replaced by an operand of its type, or by a literal.
  for (const node of exprNodes(q)) {
    for (const replacement of replacementsOf(node)) {
      yield () => withQuery(replaceExpr(q, node, replacement))
    }
  }
}

function dropItem(
  g: Generated,
  k: number,
  withQuery: (q: Query, outputs?: Generated['outputs']) => SqlCase,
): SqlCase | undefined {
  const q = g.query
  const core = q.cores[0]!
  if (core.items === 'star') return undefined
  const items = core.items.filter((_, i) => i !== k)
  const groupBy = core.groupBy
    ?.filter((key) => !(key.by === 'position' && key.n === k + 1))
    .map((key): GroupKey => (key.by === 'position' && key.n > k + 1 ? { by: 'position', n: key.n - 1 } : key))
  const orderBy = q.orderBy
    ?.filter((o) => o.column !== k)
    .map((o) => {
      const column = o.column > k ? o.column - 1 : o.column
      const ref = 'position' in o.ref ? { position: column + 1 } : o.ref
      return { ...o, column, ref }
    })
  const newCore: Core = { ...core, items, ...(groupBy && { groupBy }) }
  const { orderBy: _, ...rest } = q
  const query: Query = { ...rest, cores: [newCore], ...(orderBy && orderBy.length > 0 && { orderBy }) }
  return withQuery(
    query,
    g.outputs.filter((_, i) => i !== k),
  )
}

function* tableCandidates(c: SqlCase): Generator<Candidate> {
  const text = c.tsdask
  const setTable = (i: number, t: Table): SqlCase => {
    const tables = c.tables.map((x, j) => (j === i ? t : x))
    return c.generated ? caseOf(tables, c.generated, c.runs, c.cli) : { ...c, tables }
  }
  for (const [i, t] of c.tables.entries()) {
    if (i > 0 && !new RegExp(`\\b${t.name}\\b`).test(text)) {
      yield () => {
        const tables = c.tables.filter((_, j) => j !== i)
        return c.generated ? caseOf(tables, c.generated, c.runs, c.cli) : { ...c, tables }
      }
    }
  }
  for (const [i, t] of c.tables.entries()) {
    // Rows: halves, quarters, … single rows.
    for (let size = Math.ceil(t.rows.length / 2); size >= 1; size = size === 1 ? 0 : Math.ceil(size / 2)) {
      for (let at = 0; at < t.rows.length; at += size) {
        yield () => setTable(i, { ...t, rows: [...t.rows.slice(0, at), ...t.rows.slice(at + size)] })
      }
    }
  }
  for (const [i, t] of c.tables.entries()) {
    if (text.includes('*')) continue
    for (const [k, col] of t.columns.entries()) {
      const used = new RegExp(`(^|[^A-Za-z0-9_"])${escapeRegExp(col.sql)}($|[^A-Za-z0-9_"])`).test(text)
      if (used || t.columns.length <= 1) continue
      yield () =>
        setTable(i, {
          ...t,
          columns: t.columns.filter((_, j) => j !== k),
          rows: t.rows.map((r) => r.filter((_, j) => j !== k)),
        })
    }
  }
  for (const [i, t] of c.tables.entries()) {
    for (const [r, row] of t.rows.entries()) {
      for (const [k, v] of row.entries()) {
        if (v === null) continue
        yield () =>
          setTable(i, { ...t, rows: t.rows.map((x, j) => (j === r ? x.map((y, m) => (m === k ? null : y)) : x)) })
      }
    }
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

// Expression rewriting ------------------------------------------------------------------------------

function childrenOf(e: Expr): Expr[] {
  switch (e.k) {
    case 'col':
    case 'ref':
    case 'lit':
    case 'null':
      return []
    case 'arith':
    case 'cmp':
    case 'logic':
      return [e.l, e.r]
    case 'not':
    case 'neg':
    case 'isnull':
    case 'like':
    case 'cast':
      return [e.e]
    case 'in':
      return [e.e, ...e.list]
    case 'between':
      return [e.e, e.lo, e.hi]
    case 'fn':
    case 'agg':
      return [...e.args]
    case 'case':
      return [...(e.operand ? [e.operand] : []), ...e.whens.flat(), ...(e.otherwise ? [e.otherwise] : [])]
  }
}

function withChildren(e: Expr, map: (x: Expr) => Expr): Expr {
  switch (e.k) {
    case 'col':
    case 'ref':
    case 'lit':
    case 'null':
      return e
    case 'arith':
    case 'cmp':
    case 'logic':
      return { ...e, l: map(e.l), r: map(e.r) }
    case 'not':
    case 'neg':
    case 'isnull':
    case 'like':
    case 'cast':
      return { ...e, e: map(e.e) }
    case 'in':
      return { ...e, e: map(e.e), list: e.list.map(map) }
    case 'between':
      return { ...e, e: map(e.e), lo: map(e.lo), hi: map(e.hi) }
    case 'fn':
    case 'agg':
      return { ...e, args: e.args.map(map) }
    case 'case':
      return {
        ...e,
        ...(e.operand && { operand: map(e.operand) }),
        whens: e.whens.map(([w, t]) => [map(w), map(t)] as const),
        ...(e.otherwise && { otherwise: map(e.otherwise) }),
      }
  }
}

function replacementsOf(e: Expr): Expr[] {
  if (e.k === 'lit' || e.k === 'null' || e.k === 'ref') return []
  const same = childrenOf(e).filter((c) => c.t === e.t && c.k !== 'null')
  const out: Expr[] = [...same]
  if (e.k === 'agg') return out
  if (e.t === 'bool') out.push({ k: 'lit', t: 'bool', v: true })
  if (e.k !== 'col' && e.t !== 'null') out.push({ k: 'lit', t: e.t, v: null })
  return out
}

/** Every expression node of the query, outermost first, each once. */
function exprNodes(q: Query): Expr[] {
  const seen = new Set<Expr>()
  const out: Expr[] = []
  const visit = (e: Expr) => {
    if (seen.has(e)) return
    seen.add(e)
    out.push(e)
    for (const c of childrenOf(e)) visit(c)
  }
  forEachQueryExpr(q, visit)
  return out
}

function forEachQueryExpr(q: Query, f: (e: Expr) => void): void {
  for (const w of q.with ?? []) forEachQueryExpr(w.query, f)
  for (const core of q.cores) {
    if (core.items !== 'star') for (const i of core.items) f(i.e)
    if (core.where) f(core.where)
    for (const k of core.groupBy ?? []) if (k.by === 'expr') f(k.e)
    if (core.having) f(core.having)
    if (core.from.kind === 'subquery') forEachQueryExpr(core.from.query, f)
  }
}

/** The query with every occurrence of `target` (by identity: group keys are shared) replaced. */
function replaceExpr(q: Query, target: Expr, replacement: Expr): Query {
  const memo = new Map<Expr, Expr>()
  const map = (e: Expr): Expr => {
    if (e === target) return replacement
    const known = memo.get(e)
    if (known) return known
    const next = withChildren(e, map)
    memo.set(e, next)
    return next
  }
  return mapQuery(q, map)
}

function mapQuery(q: Query, map: (e: Expr) => Expr): Query {
  const from = (f: From): From => (f.kind === 'subquery' ? { ...f, query: mapQuery(f.query, map) } : f)
  const core = (c: Core): Core => ({
    ...c,
    items: c.items === 'star' ? 'star' : c.items.map((i): SelectItem => ({ ...i, e: map(i.e) })),
    from: from(c.from),
    ...(c.where && { where: map(c.where) }),
    ...(c.groupBy && { groupBy: c.groupBy.map((k): GroupKey => (k.by === 'expr' ? { by: 'expr', e: map(k.e) } : k)) }),
    ...(c.having && { having: map(c.having) }),
  })
  return {
    ...q,
    ...(q.with && { with: q.with.map((w) => ({ ...w, query: mapQuery(w.query, map) })) }),
    cores: q.cores.map(core),
  }
}
