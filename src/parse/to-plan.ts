/**
 * The SQL half of the front end: a query's clause tree (ast.ts) → a `LogicalPlan` made of the same nodes the
 * fluent builder makes, clause by clause in SQL's logical order:
 *
 *   FROM → WHERE (Filter) → GROUP BY / aggregates (Aggregate) → HAVING (Filter) → SELECT (Project)
 *   → DISTINCT (Distinct) → ORDER BY (Sort) → LIMIT / OFFSET (Limit)
 *
 * so `SELECT vendor, sum(fare) AS total FROM trips WHERE fare > 10 GROUP BY vendor` is exactly
 * `trips.filter(col('fare').gt(10)).groupBy('vendor').agg({ total: col('fare').sum() })`.
 * `SELECT *` adds no Project; aggregates mirror `GroupBy.agg` (direct when every output is a key
 * or an aggregate, hidden `__agg_N` columns and a Project above otherwise).
 *
 * `a UNION ALL b UNION ALL c` is one Union node (as `a.unionAll(b).unionAll(c)`), `a UNION b` is
 * Distinct over the union so far (left-associative, as in SQL); later inputs take the first input's
 * column names by position (DuckDB's rule), so their dtypes must match. ORDER BY / LIMIT after a
 * union sort and cut the whole result, by output column name or position.
 *
 * Constructs the engine lacks (JOIN) throw "not supported yet" at
 * their position.
 */
import type { IToken } from 'chevrotain'
import type { AggNode, ExprNode } from '../expr/expr-node.js'
import { printExpr } from '../expr/print.js'
import { containsAgg, exprSignature, transformExpr } from '../expr/visit.js'
import { aggCallOf, hiddenAggregateNamer } from '../plan/agg-call.js'
import { planDepth } from '../plan/depth.js'
import type { AggregateCall, LogicalPlan, NamedExpr, SortKeySpec } from '../plan/plan.js'
import { schemaOf } from '../plan/schema-of.js'
import { MAX_PLAN_DEPTH } from '../util/depth-limits.js'
import type {
  FromAst,
  LimitAst,
  OrderItemAst,
  ParsedExpr,
  QueryAst,
  SelectAst,
  SelectItemAst,
  UnionAst,
} from './ast.js'
import { invalidQuery, notSupportedYet, planTooDeepInQuery, type QueryText, unknownName } from './errors.js'
import { positionOf } from './source.js'
import { nameOf, resolveExpr, resolveName, type Scope } from './to-expr.js'

/** Named inputs a query may read: the `tables` given to sql(), then its WITH clauses. */
export type Tables = ReadonlyMap<string, LogicalPlan>

interface Env {
  readonly source: QueryText
  readonly tables: Tables
}

interface OutputItem {
  readonly name: string
  readonly expr: ExprNode
  /** Where the item is in the query (for messages). */
  readonly at: IToken
  /** True for items made by expanding `*`. */
  readonly fromStar: boolean
  /** It calls an aggregate function. */
  readonly aggregates: boolean
}

type OrderItem = OrderItemAst

export function toPlan(statement: QueryAst, source: QueryText, tables: Tables): LogicalPlan {
  return query(statement, { source, tables })
}

function query(n: QueryAst, outer: Env): LogicalPlan {
  let env = outer
  for (const cte of n.ctes) {
    const name = nameOf(cte.name, env.source)
    const plan = query(cte.query, env)
    env = { ...env, tables: new Map([...env.tables, [name, plan]]) }
  }
  const order = n.order
  const orderItems = order ? order.items : []
  let plan: LogicalPlan
  if (n.unions.length === 0) plan = select(n.core, orderItems, env)
  else {
    plan = union(select(n.core, [], env), n.unions, env)
    if (order) plan = unionOrder(plan, orderItems, env, order.order)
  }
  if (n.limit) plan = limitClause(n.limit, plan, env)
  // Checked as each (sub)query is done, so the error points at the innermost one past the limit.
  const depth = planDepth(plan)
  if (depth > MAX_PLAN_DEPTH) throw planTooDeepInQuery(env.source, n.core.select, depth)
  return plan
}

function origin(env: Env, token: IToken): string {
  const at = positionOf(token, env.source.text)
  return `${env.source.what} line ${at.line}, column ${at.column}`
}

// FROM ------------------------------------------------------------------------------------------

interface From {
  readonly plan: LogicalPlan
  readonly scope: Scope
}

function from(n: FromAst, env: Env): From {
  const join = n.join
  if (join) {
    const kind = join.kind
    const word = kind ? `${kind.image.toUpperCase()} JOIN` : 'JOIN'
    throw notSupportedYet(
      env.source,
      kind ?? join.join,
      word,
      'Join the inputs before the query, or query each table separately.',
    )
  }
  const ref = n.table
  const alias = ref.alias ? nameOf(ref.alias, env.source) : undefined
  const subquery = ref.query
  let plan: LogicalPlan
  let qualifier: string | undefined
  if (subquery) {
    plan = query(subquery, env)
    qualifier = alias
  } else {
    const nameToken = ref.name!
    const written = nameOf(nameToken, env.source)
    const names = [...env.tables.keys()]
    const name = resolveName(written, names, () => unknownName(env.source, nameToken, 'table', written, names))
    plan = env.tables.get(name)!
    qualifier = alias ?? name
  }
  const columns = schemaOf(plan).map((f) => f.name)
  return { plan, scope: { columns, qualifiers: qualifier === undefined ? [] : [qualifier] } }
}

// SELECT ----------------------------------------------------------------------------------------

function select(n: SelectAst, order: readonly OrderItem[], env: Env): LogicalPlan {
  const input = from(n.from, env)
  const ctx = { source: env.source, scope: input.scope }
  let plan = input.plan
  const where = n.where
  if (where) {
    const predicate = resolveExpr(where.expr, ctx)
    if (where.expr.aggregates) {
      throw invalidQuery(env.source, where.keyword, 'aggregates are not allowed in WHERE; filter on them with HAVING')
    }
    plan = { kind: 'Filter', input: plan, predicate, origin: origin(env, where.keyword) }
  }
  const items = n.items.flatMap((item) => selectItem(item, input, env))
  const groupBy = n.groupBy
  const having = n.having
  const aggregated = groupBy !== undefined || having !== undefined || items.some((i) => i.aggregates)
  const stage = aggregated
    ? aggregate(plan, items, groupBy, having, order, input, env, n.select)
    : {
        plan,
        items,
        post: (e: ExprNode) => e,
        hasProject: !(
          items.length > 0 &&
          items.every((i) => i.fromStar) &&
          items.length === input.scope.columns.length
        ),
      }
  return project(stage, order, input, env, n.select, n.distinct)
}

function selectItem(n: SelectItemAst, input: From, env: Env): OutputItem[] {
  if ('star' in n) return starItems(input, n.star)
  if ('qualifier' in n) {
    const qualifier = n.qualifier
    const q = nameOf(qualifier, env.source)
    resolveName(q, input.scope.qualifiers, () => unknownName(env.source, qualifier, 'table', q, input.scope.qualifiers))
    return starItems(input, qualifier)
  }
  const expr = resolveExpr(n.expr, { source: env.source, scope: input.scope })
  const name = n.alias ? nameOf(n.alias, env.source) : outputName(expr)
  return [{ name, expr, at: n.expr.first, fromStar: false, aggregates: n.expr.aggregates }]
}

function starItems(input: From, token: IToken): OutputItem[] {
  return input.scope.columns.map((name) => ({
    name,
    expr: { kind: 'Column', name },
    at: token,
    fromStar: true,
    aggregates: false,
  }))
}

/** The alias, else the column name, else the expression as printed (`sum(fare)`). */
export function outputName(expr: ExprNode): string {
  return expr.kind === 'Column' ? expr.name : printExpr(expr)
}

// GROUP BY, aggregates, HAVING --------------------------------------------------------------------

interface Stage {
  readonly plan: LogicalPlan
  /** Output items, their expressions over `plan`'s columns. */
  readonly items: readonly OutputItem[]
  /** Rewrites an expression over the FROM columns into one over `plan`'s columns. */
  readonly post: (e: ExprNode, at: IToken) => ExprNode
  readonly hasProject: boolean
}

function aggregate(
  input: LogicalPlan,
  items: readonly OutputItem[],
  groupBy: SelectAst['groupBy'],
  having: SelectAst['having'],
  order: readonly OrderItem[],
  from: From,
  env: Env,
  selectToken: IToken,
): Stage {
  const ctx = { source: env.source, scope: from.scope }
  const grouped = groupKeys(input, groupBy, items, from, env)
  const keys = grouped.keys
  const havingExpr = having ? resolveExpr(having.expr, ctx) : undefined
  const at = origin(env, groupBy ? groupBy.group : selectToken)
  const isKey = (e: ExprNode) => {
    const read = grouped.replaceKeys(e)
    return read.kind === 'Column' && keys.includes(read.name)
  }
  // Direct form (as GroupBy.agg with only aggregates): every output a key column or one aggregate.
  const aggItems = items.filter((i) => i.expr.kind === 'Agg')
  const direct =
    items.every((i) => isKey(i.expr) || i.expr.kind === 'Agg') &&
    aggItems.every((i) => !keys.includes(i.name)) &&
    new Set(aggItems.map((i) => i.name)).size === aggItems.length
  const bySignature = new Map<string, string>()
  const calls: AggregateCall[] = []
  if (direct) {
    for (const i of aggItems) calls.push(aggCallOf(i.name, i.expr as AggNode))
  }
  // Signatures are costly on big queries: taken only when HAVING or ORDER BY mention aggregates.
  let indexed = !direct
  const named = hiddenAggregateNamer(calls, bySignature)
  const hidden = (a: AggNode): string => {
    if (!indexed) {
      indexed = true
      for (const i of [...aggItems].reverse()) bySignature.set(exprSignature(i.expr), i.name)
    }
    return named(a)
  }
  const post = (e: ExprNode, at: IToken): ExprNode => {
    const replaced = transformExpr(grouped.replaceKeys(e), (x) =>
      x.kind === 'Agg' ? { kind: 'Column', name: hidden(x) } : x,
    )
    transformExpr(replaced, (x) => {
      if (x.kind === 'Column' && !keys.includes(x.name) && !calls.some((c) => c.name === x.name)) {
        throw invalidQuery(
          env.source,
          at,
          `column "${x.name}" must appear in GROUP BY or be used in an aggregate function (in \`${printExpr(e)}\`)`,
        )
      }
      return x
    })
    return replaced
  }
  const postItems = items.map((i) => ({
    ...i,
    expr: direct && i.expr.kind === 'Agg' ? { kind: 'Column' as const, name: i.name } : post(i.expr, i.at),
  }))
  const havingPost = having && havingExpr ? post(havingExpr, having.expr.first) : undefined
  // ORDER BY aggregates are added now so the Aggregate node is complete before it is built.
  for (const o of order) {
    if (namedOutput(o, items, env) === undefined) {
      const e = resolveExpr(o.expr, ctx)
      if (o.expr.aggregates) post(e, o.expr.first)
    }
  }
  let plan: LogicalPlan = { kind: 'Aggregate', input: grouped.input, keys, aggs: [...calls], origin: at }
  if (havingPost) plan = { kind: 'Filter', input: plan, predicate: havingPost, origin: origin(env, having!.keyword) }
  const outputs = schemaOf(plan).map((f) => f.name)
  const sameAsAggregate =
    postItems.length === outputs.length &&
    postItems.every((i, k) => i.name === outputs[k] && i.expr.kind === 'Column' && i.expr.name === i.name)
  return { plan, items: postItems, post, hasProject: !sameAsAggregate }
}

interface GroupKeys {
  /** The Aggregate's input: `input`, with a Project adding the computed keys if there are any. */
  readonly input: LogicalPlan
  readonly keys: readonly string[]
  /** Rewrites an expression over the FROM columns so a computed key's expression reads its column. */
  readonly replaceKeys: (e: ExprNode) => ExprNode
}

/**
 * GROUP BY items: columns group as they are; an expression (`GROUP BY year(day)`, or an ordinal or
 * alias naming a select item that is one) becomes a column computed below the Aggregate, as
 * `withColumns({ 'year(day)': … }).groupBy('year(day)')` would in the builder. It is named like
 * the select item it came from, else printed (`year(day)`); `__key_N` if that name is taken by
 * an input column or another key. The select list, HAVING and ORDER BY may then use the same
 * expression: it reads the key column.
 */
function groupKeys(
  input: LogicalPlan,
  groupBy: SelectAst['groupBy'],
  items: readonly OutputItem[],
  from: From,
  env: Env,
): GroupKeys {
  const keys: string[] = []
  const computed: NamedExpr[] = []
  const taken = (name: string) => from.scope.columns.includes(name) || keys.includes(name)
  for (const e of groupBy ? groupBy.exprs : []) {
    const key = groupKey(e, items, from, env)
    // A key given twice (`GROUP BY 1, o` where `o` aliases the first item) groups once, as in DuckDB.
    if (key.expr === undefined) {
      if (!keys.includes(key.name)) keys.push(key.name)
      continue
    }
    const signature = exprSignature(key.expr)
    if (computed.some((k) => exprSignature(k.expr) === signature)) continue
    const name = taken(key.name) ? hiddenKeyName(taken) : key.name
    keys.push(name)
    computed.push({ name, expr: key.expr })
  }
  if (computed.length === 0) return { input, keys, replaceKeys: (e) => e }
  // Smaller keys are replaced first (the rewrite is bottom-up), so a key containing another one
  // (`year(day)` and `year(day) * 100 + month(day)`) is registered as it will be seen.
  const bySignature = new Map<string, string>()
  const replaceKeys = (e: ExprNode): ExprNode =>
    transformExpr(e, (x) => {
      const name = x.kind === 'Column' ? undefined : bySignature.get(exprSignature(x))
      return name === undefined ? x : { kind: 'Column', name }
    })
  const bySize = computed.map((k) => ({ ...k, size: exprSignature(k.expr).length })).sort((a, b) => a.size - b.size)
  for (const k of bySize) bySignature.set(exprSignature(replaceKeys(k.expr)), k.name)
  const columns = from.scope.columns.map((name): NamedExpr => ({ name, expr: { kind: 'Column', name } }))
  const at = origin(env, groupBy!.group)
  return { input: { kind: 'Project', input, exprs: [...columns, ...computed], origin: at }, keys, replaceKeys }
}

function hiddenKeyName(taken: (name: string) => boolean): string {
  let i = 0
  while (taken(`__key_${i}`)) i++
  return `__key_${i}`
}

/** A GROUP BY item's column name, and its expression when it is not a plain input column. */
function groupKey(
  e: ParsedExpr,
  items: readonly OutputItem[],
  from: From,
  env: Env,
): { readonly name: string; readonly expr?: ExprNode } {
  const token = e.first
  const ordinal = ordinalOf(e)
  let key: { readonly name: string; readonly expr: ExprNode }
  if (ordinal !== undefined) {
    const item = items[ordinal - 1]
    if (!item)
      throw invalidQuery(
        env.source,
        token,
        `GROUP BY ${ordinal}: the select list has ${items.length} column${items.length === 1 ? '' : 's'}`,
      )
    key = item
  } else {
    const bare = bareName(e, env)
    const alias =
      bare !== undefined && !from.scope.columns.includes(bare) ? items.find((i) => i.name === bare) : undefined
    const expr = alias ? alias.expr : resolveExpr(e, { source: env.source, scope: from.scope })
    key = alias ?? { name: outputName(expr), expr }
  }
  if (key.expr.kind === 'Column') return { name: key.expr.name }
  if (containsAgg(key.expr)) {
    throw invalidQuery(
      env.source,
      token,
      `GROUP BY cannot use an aggregate (\`${printExpr(key.expr)}\`); filter on aggregates with HAVING`,
    )
  }
  return key
}

/** `ORDER BY 2` / `GROUP BY 1`: an unsigned integer literal alone. */
function ordinalOf(e: ParsedExpr): number | undefined {
  const t = e.shape === 'number' ? e.shapeToken : undefined
  return t && /^\d+$/.test(t.image) ? Number(t.image) : undefined
}

/** `ORDER BY total`: a lone unqualified name. */
function bareName(e: ParsedExpr, env: Env): string | undefined {
  return e.shape === 'name' && e.shapeToken ? nameOf(e.shapeToken, env.source) : undefined
}

// SELECT list, ORDER BY, LIMIT ------------------------------------------------------------------

/**
 * The output column an ORDER BY item names directly: an ordinal (`ORDER BY 2`) or an output name
 * (`ORDER BY total`, exact or the one equal ignoring case). Undefined for anything else.
 */
function namedOutput(o: OrderItem, items: readonly OutputItem[], env: Env): string | undefined {
  const ordinal = ordinalOf(o.expr)
  if (ordinal !== undefined) {
    const item = items[ordinal - 1]
    if (!item) {
      throw invalidQuery(
        env.source,
        o.expr.first,
        `ORDER BY ${ordinal}: the select list has ${items.length} column${items.length === 1 ? '' : 's'}`,
      )
    }
    return item.name
  }
  const bare = bareName(o.expr, env)
  if (bare === undefined) return undefined
  const names = items.map((i) => i.name)
  if (names.includes(bare)) return bare
  const folded = names.filter((n) => n.toLowerCase() === bare.toLowerCase())
  return folded.length === 1 ? folded[0] : undefined
}

/** SELECT list → [DISTINCT] → ORDER BY: Project, Distinct, Sort, and a Project dropping sort-only columns. */
function project(
  stage: Stage,
  order: readonly OrderItem[],
  from: From,
  env: Env,
  selectToken: IToken,
  distinct: IToken | undefined,
): LogicalPlan {
  const items = stage.items
  const sortKeys: SortKeySpec[] = []
  const extra: NamedExpr[] = []
  for (const o of order) {
    let column = namedOutput(o, items, env)
    if (column === undefined) {
      const e = stage.post(resolveExpr(o.expr, { source: env.source, scope: from.scope }), o.expr.first)
      const same = items.find((i) => exprSignature(i.expr) === exprSignature(e))
      if (same) column = same.name
      else if (distinct) {
        throw invalidQuery(
          env.source,
          o.expr.first,
          `for SELECT DISTINCT, ORDER BY expressions must appear in the select list (\`${printExpr(e)}\` does not); add it to the select list or sort by a selected column`,
        )
      } else {
        column = `__sort_${extra.length}`
        extra.push({ name: column, expr: e })
      }
    }
    sortKeys.push({ column, descending: o.descending, nullsFirst: o.nullsFirst })
  }
  const at = origin(env, selectToken)
  let plan = stage.plan
  const projected: NamedExpr[] = items.map((i) => ({ name: i.name, expr: i.expr }))
  if (stage.hasProject || extra.length > 0) {
    plan = { kind: 'Project', input: plan, exprs: [...projected, ...extra], origin: at }
  }
  if (distinct) plan = { kind: 'Distinct', input: plan, origin: origin(env, distinct) }
  if (sortKeys.length > 0) plan = { kind: 'Sort', input: plan, keys: sortKeys, origin: at }
  if (extra.length > 0) {
    plan = {
      kind: 'Project',
      input: plan,
      exprs: projected.map((p) => ({ name: p.name, expr: { kind: 'Column', name: p.name } })),
      origin: at,
    }
  }
  return plan
}

// UNION [ALL] ------------------------------------------------------------------------------------

function union(first: LogicalPlan, tails: readonly UnionAst[], env: Env): LogicalPlan {
  const schema = schemaOf(first)
  let plan = first
  tails.forEach((tail, i) => {
    const unionToken = tail.union
    const next = renamedLike(select(tail.core, [], env), schema, i + 2, unionToken, env)
    const at = origin(env, unionToken)
    const inputs = plan.kind === 'Union' ? [...plan.inputs, next] : [plan, next]
    plan = { kind: 'Union', inputs, origin: at }
    if (!tail.all) plan = { kind: 'Distinct', input: plan, origin: at }
  })
  return plan
}

/**
 * The `position`-th input of a union with the first input's column names (DuckDB matches columns by
 * position); its column count and dtypes must match.
 */
function renamedLike(
  plan: LogicalPlan,
  first: ReturnType<typeof schemaOf>,
  position: number,
  token: IToken,
  env: Env,
): LogicalPlan {
  const schema = schemaOf(plan)
  const fix = 'select, CAST or alias its columns to match the first input'
  if (schema.length !== first.length) {
    throw invalidQuery(
      env.source,
      token,
      `UNION input ${position} has ${schema.length} column${schema.length === 1 ? '' : 's'}, the first input ${first.length}; ${fix}`,
    )
  }
  schema.forEach((f, k) => {
    const want = first[k]!
    if (f.dtype !== want.dtype) {
      throw invalidQuery(
        env.source,
        token,
        `column ${k + 1} of UNION input ${position} ("${f.name}") is ${f.dtype}, but ${want.dtype} ("${want.name}") in the first input; ${fix}`,
      )
    }
  })
  if (schema.every((f, k) => f.name === first[k]!.name)) return plan
  return {
    kind: 'Project',
    input: plan,
    exprs: schema.map((f, k) => ({ name: first[k]!.name, expr: { kind: 'Column', name: f.name } })),
    origin: origin(env, token),
  }
}

/** ORDER BY after a union: output columns by name or position only. */
function unionOrder(plan: LogicalPlan, order: readonly OrderItem[], env: Env, orderToken: IToken): LogicalPlan {
  const items: OutputItem[] = schemaOf(plan).map((f) => ({
    name: f.name,
    expr: { kind: 'Column', name: f.name },
    at: orderToken,
    fromStar: false,
    aggregates: false,
  }))
  const keys = order.map((o): SortKeySpec => {
    const column = namedOutput(o, items, env)
    if (column === undefined) {
      throw invalidQuery(
        env.source,
        o.expr.first,
        `ORDER BY after UNION takes an output column name or position (${items.map((i) => i.name).join(', ')}); select the expression in each input and sort by its alias`,
      )
    }
    return { column, descending: o.descending, nullsFirst: o.nullsFirst }
  })
  return { kind: 'Sort', input: plan, keys, origin: origin(env, orderToken) }
}

function limitClause(n: LimitAst, input: LogicalPlan, env: Env): LogicalPlan {
  const count = (t: IToken | undefined): number => {
    if (!t) return 0
    if (!/^\d+$/.test(t.image) || !Number.isSafeInteger(Number(t.image))) {
      throw invalidQuery(env.source, t, `${t.image} is not a row count; LIMIT and OFFSET take whole numbers`)
    }
    return Number(t.image)
  }
  return {
    kind: 'Limit',
    input,
    limit: count(n.limit),
    offset: count(n.offset),
    origin: origin(env, n.keyword),
  }
}
