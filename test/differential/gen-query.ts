/**
 * Random queries over everything tsdask's SQL grammar supports except JOIN (refused as not
 * supported): plain SELECTs, `SELECT *`, `t.*`-free qualified names, DISTINCT, WHERE, GROUP BY by
 * column, expression, alias or position, global aggregates, HAVING, UNION / UNION ALL, ORDER BY
 * output columns (by name or position, ASC/DESC, NULLS FIRST/LAST), LIMIT / OFFSET, subqueries in
 * FROM and WITH.
 *
 * Results must be comparable with DuckDB's, so a LIMIT inside a subquery comes with an ORDER BY
 * over every output column (then the rows it keeps are determined); a LIMIT at the top may cut
 * ties, which the comparison allows for (compare.ts). ORDER BY only names output columns, so the
 * comparison can read the sort keys from the rows.
 *
 * Some queries are wrong on purpose (`expectError`): type errors, unknown names, a column that is
 * neither grouped nor aggregated, an aggregate in WHERE, nested aggregates, a union of different
 * widths. DuckDB and tsdask must both refuse them (tsdask with a user error, not an internal one).
 */
import type { DType } from '../../src/index.js'
import { type Ctx, ExprGen, type GenFeatures, isConstant, type Leaves } from './gen-expr.js'
import type { Rand } from './rand.js'
import type { Core, Expr, From, GroupKey, OrderItem, OutputColumn, Query, SelectItem } from './sql-ast.js'
import type { Column, Table } from './tables.js'

export interface QueryFeatures extends GenFeatures {
  /** Share of deliberately invalid queries. */
  readonly invalidShare: number
}

export interface Generated {
  readonly query: Query
  readonly outputs: readonly OutputColumn[]
  /** Set when the query is wrong on purpose: what is wrong with it. */
  readonly expectError?: string
}

interface Relation {
  readonly name: string
  readonly columns: readonly OutputColumn[]
}

interface Env {
  readonly relations: readonly Relation[]
}

interface Source {
  readonly from: From
  readonly leaves: ColumnLeaves
  readonly columns: readonly OutputColumn[]
}

class ColumnLeaves implements Leaves {
  constructor(
    readonly columns: readonly { readonly col: Column; readonly qualifiers: readonly string[] }[],
    private readonly r: Rand,
  ) {}

  has(t: DType): boolean {
    return this.columns.some((c) => c.col.dtype === t)
  }

  leaf(t: DType): Expr {
    const c = this.r.pick(this.columns.filter((x) => x.col.dtype === t))
    const q = c.qualifiers.length > 0 && this.r.chance(0.2) ? this.r.pick(c.qualifiers) : undefined
    return { k: 'col', t, col: c.col, ...(q !== undefined && { qualifier: q }) }
  }
}

/** Group keys and aggregates: the leaves of the select list, HAVING and ORDER BY of a GROUP BY. */
class AggregateLeaves implements Leaves {
  constructor(
    private readonly keys: readonly Expr[],
    private readonly input: ExprGen,
  ) {}

  has(): boolean {
    return true
  }

  leaf(t: DType, gen: ExprGen, ctx: Ctx): Expr {
    const keys = this.keys.filter((k) => k.t === t)
    if (keys.length > 0 && gen.r.chance(0.5)) return gen.r.pick(keys)
    // An aggregate in a guarded position (an untaken CASE branch) may be dropped by DuckDB
    // unevaluated: its argument is guarded too.
    return gen.aggregate(t, this.input, ctx)
  }
}

const NO_LEAVES: Leaves = {
  has: () => false,
  leaf: () => {
    throw new Error('no leaves')
  },
}

function asOutput(c: Column): OutputColumn {
  return { name: c.name, sql: c.sql, dtype: c.dtype }
}

export class QueryGen {
  private aliasCount = 0
  private readonly exprs: ExprGen

  constructor(
    private readonly r: Rand,
    private readonly features: QueryFeatures,
  ) {
    this.exprs = new ExprGen(r, features, NO_LEAVES)
  }

  /** A top-level query over the tables (the first is the main one). */
  generate(tables: readonly Table[]): Generated {
    const env: Env = { relations: tables.map((t) => ({ name: t.name, columns: t.columns.map(asOutput) })) }
    const g = this.query(env, 0)
    if (this.r.chance(this.features.invalidShare)) return this.breakQuery(g, env)
    return g
  }

  private query(env: Env, depth: number, target?: readonly DType[]): Generated {
    const r = this.r
    let scope = env
    let withs: Query['with']
    if (depth === 0 && target === undefined && r.chance(0.08)) {
      const inner = this.query(env, depth + 1)
      withs = [{ name: 'w1', query: inner.query }]
      scope = { relations: [...env.relations, { name: 'w1', columns: inner.outputs }] }
    }
    const first = this.core(scope, depth, target)
    const cores: Core[] = [first.core]
    const unions: ('UNION' | 'UNION ALL')[] = []
    const types = first.outputs.map((o) => o.dtype)
    const extra = r.weighted([
      [12, 0],
      [3, 1],
      [1, 2],
    ])
    for (let i = 0; i < extra; i++) {
      cores.push(this.core(scope, depth, types).core)
      unions.push(r.chance(0.5) ? 'UNION ALL' : 'UNION')
    }
    const outputs = first.outputs
    let orderBy: OrderItem[] | undefined
    let limit: Query['limit']
    if (depth === 0) {
      if (r.chance(0.5)) orderBy = this.orderBy(outputs, r.int(1, Math.min(3, outputs.length)))
      if (r.chance(0.3)) limit = { n: r.int(0, 12), ...(r.chance(0.3) && { offset: r.int(0, 5) }) }
    } else if (r.chance(0.2)) {
      // A LIMIT below the top keeps a determined set of rows only when every column is sorted on.
      orderBy = this.orderBy(outputs, outputs.length)
      limit = { n: r.int(0, 10), ...(r.chance(0.3) && { offset: r.int(0, 3) }) }
    }
    const query: Query = {
      ...(withs && { with: withs }),
      cores,
      unions,
      ...(orderBy && { orderBy }),
      ...(limit && { limit }),
    }
    return { query, outputs }
  }

  private orderBy(outputs: readonly OutputColumn[], n: number): OrderItem[] {
    const r = this.r
    const picked = r.subset(
      outputs.map((_, i) => i),
      n,
      n,
    )
    return picked.map((column): OrderItem => {
      const out = outputs[column]!
      const unique = outputs.filter((o) => o.name === out.name).length === 1
      const ref = unique && r.chance(0.6) ? { name: out.sql } : { position: column + 1 }
      const nulls = r.weighted([
        [2, undefined],
        [1, true],
        [1, false],
      ])
      const desc = r.chance(0.4)
      return {
        ref,
        column,
        desc,
        ...(nulls !== undefined && { nullsFirst: nulls }),
        ...(!desc && r.chance(0.2) && { writeAsc: true }),
      }
    })
  }

  private source(env: Env, depth: number): Source {
    const r = this.r
    if (depth < 2 && r.chance(0.12)) {
      const inner = this.query(env, depth + 1)
      const alias = `s${depth + 1}`
      return {
        from: { kind: 'subquery', query: inner.query, alias },
        columns: inner.outputs,
        leaves: this.leaves(inner.outputs, [alias]),
      }
    }
    // The main table most of the time; the others (a second table, a WITH) now and then.
    const rel = r.chance(0.75) ? env.relations[0]! : r.pick(env.relations)
    const alias = r.chance(0.25) ? 'x' : undefined
    return {
      from: { kind: 'table', table: rel.name, ...(alias !== undefined && { alias }) },
      columns: rel.columns,
      leaves: this.leaves(rel.columns, [alias ?? rel.name]),
    }
  }

  private leaves(columns: readonly OutputColumn[], qualifiers: readonly string[]): ColumnLeaves {
    return new ColumnLeaves(
      columns.map((c) => ({ col: { name: c.name, sql: c.sql, dtype: c.dtype }, qualifiers })),
      this.r,
    )
  }

  private alias(): string {
    return `o${this.aliasCount++}`
  }

  private core(env: Env, depth: number, target?: readonly DType[]): { core: Core; outputs: OutputColumn[] } {
    const r = this.r
    const src = this.source(env, depth)
    const input = this.exprs.over(src.leaves)
    const where = r.chance(0.45) ? this.predicate(input, r.int(1, 3)) : undefined
    const kind = r.weighted([
      [5, 'plain'],
      [4, 'group'],
      [1, 'global'],
      [1, 'distinct'],
    ] as const)
    const base = { from: src.from, ...(where && { where }) }
    if (kind === 'plain' || kind === 'distinct') {
      if (target === undefined && r.chance(0.06)) {
        return { core: { ...base, distinct: kind === 'distinct', items: 'star' }, outputs: [...src.columns] }
      }
      const { items, outputs } = this.selectList(input, src, target)
      return { core: { ...base, distinct: kind === 'distinct', items }, outputs }
    }
    const keys = kind === 'group' ? this.groupKeys(input, src) : []
    const aggs = input.over(
      new AggregateLeaves(
        keys.map((k) => k.e),
        input,
      ),
    )
    const slots: { e: Expr; key?: number }[] = []
    if (target) {
      for (const t of target) {
        const k = keys.findIndex((key) => key.e.t === t)
        if (k >= 0 && r.chance(0.4)) slots.push({ e: keys[k]!.e, key: k })
        else slots.push({ e: aggs.gen(t, r.int(0, 2)) })
      }
    } else {
      keys.forEach((key, i) => {
        if (r.chance(0.75)) slots.push({ e: key.e, key: i })
      })
      const n = r.int(slots.length === 0 ? 1 : 0, 3)
      for (let i = 0; i < n; i++) slots.push({ e: aggs.gen(this.resultType(), r.int(0, 2)) })
      shuffle(r, slots)
    }
    const outputs: OutputColumn[] = []
    const items: SelectItem[] = slots.map((s) => {
      const e = s.e
      if (e.k === 'col' && !outputs.some((o) => o.name === e.col.name)) {
        outputs.push({ name: e.col.name, sql: e.col.sql, dtype: e.col.dtype })
        return { e }
      }
      const alias = this.alias()
      outputs.push({ name: alias, sql: alias, dtype: e.t as DType })
      return { e, alias }
    })
    const groupBy = keys.map((key, i): GroupKey => {
      const at = slots.findIndex((s) => s.key === i)
      const item = items[at]
      const how = r.int(0, 3)
      if (at >= 0 && how === 0) return { by: 'position', n: at + 1 }
      if (at >= 0 && how === 1 && item?.alias !== undefined) return { by: 'alias', name: item.alias }
      return { by: 'expr', e: key.e }
    })
    const having = r.chance(kind === 'group' ? 0.35 : 0.1) ? this.predicate(aggs, r.int(1, 2)) : undefined
    // DuckDB does not find a key grouped by its alias when HAVING repeats the key's expression
    // ("must appear in the GROUP BY clause"); tsdask does. With a HAVING, keys are written out.
    const keysWritten = having
      ? groupBy.map((k, i): GroupKey => (k.by === 'alias' ? { by: 'expr', e: keys[i]!.e } : k))
      : groupBy
    const core: Core = {
      ...base,
      distinct: false,
      items,
      ...(kind === 'group' && { groupBy: keysWritten }),
      ...(having && { having }),
    }
    return { core, outputs }
  }

  /**
   * A WHERE or HAVING predicate that reads the data: DuckDB drops a plan under a constant false
   * or NULL predicate without evaluating it, so a failing cast below would fail only in tsdask.
   */
  private predicate(gen: ExprGen, depth: number): Expr {
    for (let attempt = 0; attempt < 3; attempt++) {
      const e = gen.gen('bool', depth)
      if (!isConstant(e)) return e
    }
    return gen.gen('bool', depth)
  }

  private resultType(): DType {
    return this.r.weighted([
      [4, 'float64'],
      [4, 'int64'],
      [1, 'int32'],
      [1, 'utf8'],
      [1, 'date32'],
      [1, 'timestamp[ms]'],
      [1, 'bool'],
    ] as const)
  }

  private groupKeys(input: ExprGen, src: Source): { e: Expr }[] {
    const r = this.r
    const n = r.int(1, 3)
    const keys: { e: Expr }[] = []
    const used = new Set<string>()
    for (let i = 0; i < n; i++) {
      if (r.chance(0.7)) {
        const t = input.anyType()
        if (!src.leaves.has(t)) continue
        const e = src.leaves.leaf(t)
        if (e.k !== 'col' || used.has(e.col.name)) continue
        used.add(e.col.name)
        keys.push({ e })
      } else {
        const e = input.gen(input.anyType(), r.int(1, 2))
        // An integer constant in GROUP BY is a position in DuckDB (even -(12), an error there), a
        // constant key in tsdask: constant keys are not generated. Nor AND / OR keys: DuckDB
        // flattens `TRUE AND (k AND TRUE)` in the select list and no longer finds the key in it.
        if (!isConstant(e) && e.k !== 'logic') keys.push({ e })
      }
    }
    if (keys.length === 0) keys.push({ e: src.leaves.leaf(src.columns[0]!.dtype) })
    return keys
  }

  private selectList(
    input: ExprGen,
    src: Source,
    target?: readonly DType[],
  ): { items: SelectItem[]; outputs: OutputColumn[] } {
    const r = this.r
    const types = target ?? Array.from({ length: r.int(1, 5) }, () => input.anyType())
    const items: SelectItem[] = []
    const outputs: OutputColumn[] = []
    for (const t of types) {
      const e = src.leaves.has(t) && r.chance(0.4) ? src.leaves.leaf(t) : input.gen(t, r.int(1, 3))
      if (e.k === 'col' && !outputs.some((o) => o.name === e.col.name)) {
        items.push({ e })
        outputs.push({ name: e.col.name, sql: e.col.sql, dtype: t })
      } else {
        const alias = this.alias()
        items.push({ e, alias })
        outputs.push({ name: alias, sql: alias, dtype: t })
      }
    }
    return { items, outputs }
  }

  // Deliberately wrong queries ------------------------------------------------------------------

  private breakQuery(g: Generated, env: Env): Generated {
    const r = this.r
    const columns = env.relations[0]!.columns
    const of = (t: DType) => columns.find((c) => c.dtype === t)?.sql
    // Typed stand-ins, not bare literals: DuckDB casts a bare '1' or 'a' to whatever it meets.
    const s = of('utf8') ?? `CAST('a' AS VARCHAR)`
    const i = of('int32') ?? of('int64') ?? 'CAST(1 AS INTEGER)'
    const raw = (text: string): Expr => ({ k: 'ref', t: 'int32', name: text })
    const wrong: [string, Expr][] = [
      ['sum of text', raw(`sum(${s})`)],
      ['abs of text', raw(`abs(${s})`)],
      ['lower of a number', raw(`lower(${i})`)],
      ['year of text', raw(`year(${s})`)],
      ['LIKE on a number', raw(`${i} LIKE 'a%'`)],
      ['negated text', raw(`-${s}`)],
      ['text plus number', raw(`${s} + 1`)],
      ['coalesce of number and text', raw(`coalesce(${i}, ${s})`)],
      ['substr of a number', raw(`substr(${i}, 1)`)],
      ['text compared with number', raw(`${s} > 1`)],
      ['corr of text', raw(`corr(${s}, ${i})`)],
      ['unknown column', raw('no_such_column')],
      ['unknown function', raw(`frobnicate(${i})`)],
      ['nested aggregate', raw(`sum(max(${i}))`)],
      ['round to a float number of digits', raw(`round(${i}, 1.5)`)],
    ]
    const b = of('bool')
    if (b) wrong.push(['avg of bool', raw(`avg(${b})`)], ['bool plus number', raw(`${b} + 1`)])
    const d = of('date32')
    if (d) wrong.push(['stddev of a date', raw(`stddev(${d})`)])
    const [what, e] = r.pick(wrong)
    const [first, ...rest] = g.query.cores
    const q = g.query
    const kind = r.int(0, 3)
    if (kind === 0 && first && first.items !== 'star' && !first.groupBy) {
      const where: Expr = { k: 'ref', t: 'bool', name: 'count(*) > 0' }
      return { ...g, query: { ...q, cores: [{ ...first, where }, ...rest] }, expectError: 'aggregate in WHERE' }
    }
    if (kind === 1 && first?.groupBy && first.items !== 'star') {
      const keyed = new Set(first.groupBy.flatMap((k) => (k.by === 'expr' && k.e.k === 'col' ? [k.e.col.name] : [])))
      const loose = columns.find((c) => !keyed.has(c.name))
      if (loose && first.from.kind === 'table' && first.from.table === env.relations[0]!.name && !first.from.alias) {
        const items = [...first.items, { e: raw(loose.sql), alias: 'bad' }]
        return {
          ...g,
          query: { ...q, cores: [{ ...first, items }, ...rest] },
          expectError: 'column neither grouped nor aggregated',
        }
      }
    }
    if (kind === 2 && rest.length > 0 && rest[0]!.items !== 'star') {
      const widened = { ...rest[0]!, items: [...rest[0]!.items, { e: raw('1'), alias: 'extra' }] }
      return {
        ...g,
        query: { ...q, cores: [first!, widened, ...rest.slice(1)] },
        expectError: 'union inputs of different widths',
      }
    }
    // Replace the whole query with a one-item select of the wrong expression.
    const core: Core = {
      distinct: false,
      items: [{ e, alias: 'bad' }],
      from: { kind: 'table', table: env.relations[0]!.name },
    }
    return { query: { cores: [core], unions: [] }, outputs: [], expectError: what }
  }
}

function shuffle<T>(r: Rand, items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = r.int(0, i)
    const tmp = items[i]!
    items[i] = items[j]!
    items[j] = tmp
  }
}
