/**
 * Type-directed random expressions: `ExprGen.gen(t, depth)` returns an expression whose tsdask
 * dtype is exactly `t`, built from the leaves of a scope (input columns in a plain SELECT; group
 * keys and aggregates in an aggregate query) and from every construct of the expression grammar:
 * arithmetic, comparisons, three-valued AND/OR/NOT, IS NULL, IN (with NULL in the list), BETWEEN,
 * LIKE, CASE (searched and simple), COALESCE, CAST, and the scalar functions.
 *
 * Only queries whose meaning tsdask documents as DuckDB's are built: comparisons only between
 * values of one type family (DuckDB would cast a string literal to a date, tsdask refuses),
 * `median`/`stddev`/… only of numbers (DuckDB also takes dates), no `sum` of booleans, CAST names
 * DuckDB reads the same way (not FLOAT/REAL, which are 32-bit in DuckDB).
 *
 * "Fallible" expressions (a cast of text to a number, of a float to an integer…) fail on some
 * values. Both engines must then fail alike, except where a value is guarded by AND / OR / CASE /
 * COALESCE: DuckDB evaluates such operands only for the rows that need them, tsdask today
 * evaluates them for every row (bug (b) of issue 13). `guardedFallible` decides whether a
 * fallible expression may sit in a guarded position.
 */
import type { DType } from '../../src/index.js'
import type { Rand } from './rand.js'
import type { AggFn, ArithOp, CmpOp, Expr, ScalarFn } from './sql-ast.js'
import { BASE_STRINGS, type Cell } from './tables.js'

export interface GenFeatures {
  /** Casts that fail on some values (text → number, float → int, …). */
  readonly fallibleCasts: boolean
  /** Fallible expressions under AND / OR / CASE / COALESCE (bug (b) of issue 13). */
  readonly guardedFallible: boolean
  /** The untyped NULL literal in typed contexts (`x + NULL`, `THEN NULL`, `IN (1, NULL)`). */
  readonly untypedNull: boolean
}

/** Where expressions get their leaves. */
export interface Leaves {
  has(t: DType): boolean
  /** A random leaf of dtype t (only called when has(t)). */
  leaf(t: DType, gen: ExprGen, ctx: Ctx): Expr
}

export interface Ctx {
  /** Inside a position DuckDB evaluates only for some rows (see the header). */
  readonly guarded: boolean
}

const NUMERIC: readonly DType[] = ['int32', 'int64', 'float64']
const isNumeric = (t: DType): boolean => NUMERIC.includes(t)
const isInteger = (t: DType): boolean => t === 'int32' || t === 'int64'
const MS_PER_DAY = 86_400_000

const SPELLINGS: Record<DType, readonly string[]> = {
  int32: ['INTEGER', 'int32', 'INT', 'int4'],
  int64: ['BIGINT', 'int64', 'int8', 'long'],
  float64: ['DOUBLE', 'float64', 'float8'],
  utf8: ['VARCHAR', 'utf8', 'TEXT', 'string'],
  bool: ['BOOLEAN', 'bool'],
  date32: ['DATE', 'date32'],
  'timestamp[ms]': ['TIMESTAMP', 'datetime'],
}

/** By target type: the source types both engines can cast from; `fallible` casts fail on some values. */
const CASTS: Record<DType, readonly (readonly [DType, 'safe' | 'fallible'])[]> = {
  int32: [
    ['int64', 'fallible'],
    ['float64', 'fallible'],
    ['bool', 'safe'],
    ['utf8', 'fallible'],
  ],
  int64: [
    ['int32', 'safe'],
    ['float64', 'fallible'],
    ['bool', 'safe'],
    ['utf8', 'fallible'],
  ],
  float64: [
    ['int32', 'safe'],
    ['int64', 'safe'],
    ['bool', 'safe'],
    ['utf8', 'fallible'],
  ],
  utf8: [
    ['int32', 'safe'],
    ['int64', 'safe'],
    ['float64', 'safe'],
    ['bool', 'safe'],
    ['date32', 'safe'],
    ['timestamp[ms]', 'safe'],
  ],
  bool: [
    ['int32', 'safe'],
    ['int64', 'safe'],
    ['utf8', 'fallible'],
  ],
  date32: [
    ['timestamp[ms]', 'safe'],
    ['utf8', 'fallible'],
  ],
  'timestamp[ms]': [
    ['date32', 'safe'],
    ['utf8', 'fallible'],
  ],
}

const LIKE_PATTERNS = ['%', 'a%', '%b', '_', 'a_', '%é%', 'A%', '_%_', '%,%', '%a%b%', '', 'a b', '%"%', '_x', '%\n%']
const FIXES = ['', 'a', 'b', 'A', 'é', '😀', ',', 'two', '%']

const guardedCtx: Ctx = { guarded: true }
const openCtx: Ctx = { guarded: false }

export class ExprGen {
  constructor(
    readonly r: Rand,
    readonly features: GenFeatures,
    readonly leaves: Leaves,
  ) {}

  /** The same generator over other leaves (aggregate arguments read the input columns). */
  over(leaves: Leaves): ExprGen {
    return new ExprGen(this.r, this.features, leaves)
  }

  gen(t: DType, depth: number, ctx: Ctx = openCtx): Expr {
    const e = this.node(t, depth, ctx)
    // Redundant parentheses now and then: the parser must build the same tree.
    return depth > 0 && this.r.chance(0.08) ? { ...e, paren: true } : e
  }

  private node(t: DType, depth: number, ctx: Ctx): Expr {
    const r = this.r
    if (depth <= 0) return this.leafOrLiteral(t, ctx)
    const options: [number, () => Expr][] = [
      [6, () => this.leafOrLiteral(t, ctx)],
      [2, () => this.caseExpr(t, depth, ctx)],
      [1, () => this.coalesce(t, depth, ctx)],
      [1, () => this.castTo(t, depth, ctx)],
    ]
    if (isNumeric(t)) {
      options.push(
        [6, () => this.arith(t, depth, ctx)],
        [1, () => ({ k: 'neg', t, e: this.gen(t, depth - 1, ctx) })],
        [3, () => this.math(t, depth, ctx)],
      )
      if (t === 'int32') options.push([1, () => this.fn('length', 'int32', [this.gen('utf8', depth - 1, ctx)])])
      if (t === 'int64') {
        options.push([
          1,
          () =>
            this.fn(r.pick(['year', 'month', 'day'] as const), 'int64', [
              this.gen(this.pickType(['date32', 'timestamp[ms]']), depth - 1, ctx),
            ]),
        ])
      }
    }
    if (t === 'utf8') {
      options.push(
        [2, () => this.fn(r.pick(['lower', 'upper'] as const), 'utf8', [this.gen('utf8', depth - 1, ctx)])],
        [2, () => this.substr(depth, ctx)],
      )
    }
    if (t === 'bool') {
      options.push(
        [8, () => this.compare(depth, ctx)],
        [2, () => ({ k: 'isnull', t, e: this.gen(this.anyType(), depth - 1, ctx), not: r.chance(0.5) })],
        [2, () => this.inList(depth, ctx)],
        [2, () => this.between(depth, ctx)],
        [
          2,
          () => ({
            k: 'like',
            t,
            e: this.gen('utf8', depth - 1, ctx),
            pattern: r.pick(LIKE_PATTERNS),
            not: r.chance(0.3),
          }),
        ],
        [
          1,
          () =>
            this.fn(r.pick(['starts_with', 'ends_with', 'contains'] as const), 'bool', [
              this.gen('utf8', depth - 1, ctx),
              { k: 'lit', t: 'utf8', v: r.pick(FIXES) },
            ]),
        ],
        [
          5,
          () => ({
            k: 'logic',
            t,
            op: r.pick(['AND', 'OR'] as const),
            l: this.gen('bool', depth - 1, ctx),
            r: this.gen('bool', depth - 1, guardedCtx),
          }),
        ],
        [2, () => ({ k: 'not', t, e: this.gen('bool', depth - 1, ctx) })],
      )
    }
    return r.weighted(options)()
  }

  /** A type, preferring those the scope has leaves of. */
  pickType(candidates: readonly DType[]): DType {
    const withLeaves = candidates.filter((t) => this.leaves.has(t))
    return withLeaves.length > 0 && this.r.chance(0.85) ? this.r.pick(withLeaves) : this.r.pick(candidates)
  }

  anyType(): DType {
    return this.pickType(['int32', 'int64', 'float64', 'utf8', 'bool', 'date32', 'timestamp[ms]'])
  }

  leafOrLiteral(t: DType, ctx: Ctx = openCtx): Expr {
    if (this.leaves.has(t) && this.r.chance(0.75)) return this.leaves.leaf(t, this, ctx)
    return this.literal(t)
  }

  literal(t: DType): Expr {
    const r = this.r
    if (r.chance(0.04)) return { k: 'lit', t, v: null }
    return { k: 'lit', t, v: literalValue(r, t) }
  }

  private untypedNullOr(t: DType, depth: number, ctx: Ctx): Expr {
    return this.features.untypedNull && this.r.chance(0.1) ? { k: 'null', t: 'null' } : this.gen(t, depth, ctx)
  }

  private fn(fn: ScalarFn, t: DType, args: Expr[]): Expr {
    return { k: 'fn', t, fn, args }
  }

  private arith(t: DType, depth: number, ctx: Ctx): Expr {
    const r = this.r
    // An integer product can overflow: in a guarded position only when guardedFallible says so.
    const mulOk = !ctx.guarded || this.features.guardedFallible
    const op: ArithOp =
      t === 'float64' ? r.pick(['+', '-', '*', '/', '%', '/']) : r.pick(mulOk ? ['+', '-', '*', '%'] : ['+', '-', '%'])
    let lt: DType = t
    let rt: DType = t
    if (op === '/') {
      lt = this.pickType(NUMERIC)
      rt = this.pickType(NUMERIC)
    } else if (t === 'float64' && r.chance(0.4)) {
      const other = r.pick(NUMERIC)
      if (r.chance(0.5)) lt = other
      else rt = other
    } else if (t === 'int64' && r.chance(0.4)) {
      if (r.chance(0.5)) lt = 'int32'
      else rt = 'int32'
    }
    const l = this.gen(lt, depth - 1, ctx)
    // `x op NULL` has x's type (or float64 for `/`): only when that is the type asked for.
    const nullOk = this.features.untypedNull && (lt === t || op === '/')
    const right = nullOk && r.chance(0.03) ? { k: 'null' as const, t: 'null' as const } : null
    return { k: 'arith', t, op, l, r: right ?? this.gen(rt, depth - 1, ctx) }
  }

  private math(t: DType, depth: number, ctx: Ctx): Expr {
    const r = this.r
    const fn = r.pick(['abs', 'round', 'floor', 'ceil', 'round'] as const)
    const arg = this.gen(t, depth - 1, ctx)
    if (fn === 'round' && r.chance(0.6)) {
      return this.fn('round', t, [arg, { k: 'lit', t: 'int32', v: r.int(-1, 2) }])
    }
    return this.fn(fn, t, [arg])
  }

  private substr(depth: number, ctx: Ctx): Expr {
    const r = this.r
    const text = this.gen('utf8', depth - 1, ctx)
    // DuckDB 1.5 has two substr implementations that disagree once the range reaches outside the
    // string (a one-row table, stored as a constant vector, gives substr('a', -3, 2) = 'a'; more
    // rows give ''). Without a length both agree for any start; with one, only for a start and a
    // length that are not negative.
    if (r.chance(0.4)) {
      const start: Expr =
        this.leaves.has('int32') && !isConstant(text) && r.chance(0.2)
          ? this.leaves.leaf('int32', this, ctx)
          : { k: 'lit', t: 'int32', v: r.int(-4, 4) }
      return this.fn('substr', 'utf8', [text, start])
    }
    const start: Expr = { k: 'lit', t: 'int32', v: r.int(0, 4) }
    return this.fn('substr', 'utf8', [text, start, { k: 'lit', t: 'int32', v: r.int(0, 3) }])
  }

  private caseExpr(t: DType, depth: number, ctx: Ctx): Expr {
    const r = this.r
    const n = r.int(1, 3)
    const whens: [Expr, Expr][] = []
    if (r.chance(0.3)) {
      // Simple CASE: each WHEN value is compared with the operand by `=`.
      const u = this.pickType(['int32', 'int64', 'utf8', 'bool', 'date32', 'float64'])
      const operand = this.gen(u, depth - 1, ctx)
      for (let i = 0; i < n; i++) {
        const value = r.chance(0.7) ? this.literal(u) : this.gen(u, depth - 1, guardedCtx)
        whens.push([value, i === 0 ? this.gen(t, depth - 1, guardedCtx) : this.untypedNullOr(t, depth - 1, guardedCtx)])
      }
      const otherwise = r.chance(0.6) ? this.untypedNullOr(t, depth - 1, guardedCtx) : undefined
      return { k: 'case', t, operand, whens, ...(otherwise && { otherwise }) }
    }
    for (let i = 0; i < n; i++) {
      const when = this.gen('bool', depth - 1, i === 0 ? ctx : guardedCtx)
      whens.push([when, i === 0 ? this.gen(t, depth - 1, guardedCtx) : this.untypedNullOr(t, depth - 1, guardedCtx)])
    }
    const otherwise = r.chance(0.6) ? this.untypedNullOr(t, depth - 1, guardedCtx) : undefined
    return { k: 'case', t, whens, ...(otherwise && { otherwise }) }
  }

  private coalesce(t: DType, depth: number, ctx: Ctx): Expr {
    const args = [this.gen(t, depth - 1, ctx)]
    const more = this.r.int(1, 2)
    for (let i = 0; i < more; i++) args.push(this.untypedNullOr(t, depth - 1, guardedCtx))
    return this.fn('coalesce', t, args)
  }

  private castTo(t: DType, depth: number, ctx: Ctx): Expr {
    const r = this.r
    const fallibleOk = this.features.fallibleCasts && (!ctx.guarded || this.features.guardedFallible)
    const sources = CASTS[t].filter(([, kind]) => kind === 'safe' || fallibleOk).map(([s]) => s)
    // A cast to the type itself now and then: a no-op both engines must accept.
    const from = sources.length === 0 || r.chance(0.1) ? t : this.pickType(sources)
    let e = this.gen(from, depth - 1, ctx)
    // DuckDB folds a constant cast while planning, so a failing one is an error even when no row
    // reaches it; tsdask casts rows. Fallible casts get an operand that reads a column.
    if (!isConstant(e) || CASTS[t].some(([s, kind]) => s === from && kind === 'safe') || from === t) {
      return { k: 'cast', t, e, to: t, spelling: r.pick(SPELLINGS[t]) }
    }
    if (!this.leaves.has(from)) return this.literal(t)
    e = this.leaves.leaf(from, this, ctx)
    return { k: 'cast', t, e, to: t, spelling: r.pick(SPELLINGS[t]) }
  }

  /** Comparable pairs: numbers with numbers, dates with timestamps, else one type with itself. */
  private compare(depth: number, ctx: Ctx): Expr {
    const r = this.r
    const op = r.pick(['=', '<>', '<', '<=', '>', '>='] as const) as CmpOp
    const lt = this.anyType()
    let rt = lt
    if (isNumeric(lt)) rt = this.pickType(NUMERIC)
    else if (lt === 'date32' || lt === 'timestamp[ms]')
      rt = r.chance(0.25) ? this.pickType(['date32', 'timestamp[ms]']) : lt
    const l = this.gen(lt, depth - 1, ctx)
    const right = this.features.untypedNull && r.chance(0.03) ? ({ k: 'null', t: 'null' } as const) : null
    const rightSide = right ?? (r.chance(0.5) ? this.literal(rt) : this.gen(rt, depth - 1, ctx))
    const alt = (op === '=' || op === '<>') && r.chance(0.3)
    return { k: 'cmp', t: 'bool', op, l, r: rightSide, ...(alt && { alt }) }
  }

  private inList(depth: number, ctx: Ctx): Expr {
    const r = this.r
    const t = this.pickType(['int32', 'int64', 'float64', 'utf8', 'date32', 'bool'])
    const n = r.int(1, 4)
    const list: Expr[] = []
    for (let i = 0; i < n; i++) {
      if (this.features.untypedNull && r.chance(0.1)) list.push({ k: 'null', t: 'null' })
      else list.push({ k: 'lit', t, v: literalValue(r, t) })
    }
    return { k: 'in', t: 'bool', e: this.gen(t, depth - 1, ctx), list, not: r.chance(0.3) }
  }

  private between(depth: number, ctx: Ctx): Expr {
    const r = this.r
    const t = this.pickType(['int32', 'int64', 'float64', 'utf8', 'date32', 'timestamp[ms]'])
    const bound = (): Expr => (r.chance(0.75) ? this.literal(t) : this.gen(t, depth - 1, ctx))
    return { k: 'between', t: 'bool', e: this.gen(t, depth - 1, ctx), lo: bound(), hi: bound(), not: r.chance(0.3) }
  }

  /** An aggregate of result type t over the input leaves (`input`), for aggregate scopes. */
  aggregate(t: DType, input: ExprGen, ctx: Ctx = openCtx): Expr {
    const r = this.r
    const argDepth = r.weighted([
      [3, 0],
      [3, 1],
      [1, 2],
    ] as const)
    const options: [number, () => Expr][] = [
      [3, () => ({ k: 'agg', t, fn: r.pick(['min', 'max'] as const), args: [input.gen(t, argDepth, ctx)] })],
    ]
    if (t === 'int64') {
      options.push(
        [3, () => ({ k: 'agg', t, fn: 'count', args: [input.gen(input.anyType(), argDepth, ctx)] })],
        [2, () => ({ k: 'agg', t, fn: 'count', args: [], star: true })],
        [2, () => ({ k: 'agg', t, fn: 'count', args: [input.gen(input.anyType(), argDepth, ctx)], distinct: true })],
        [3, () => ({ k: 'agg', t, fn: 'sum', args: [input.gen(input.pickType(['int32', 'int64']), argDepth, ctx)] })],
      )
    }
    if (t === 'float64') {
      const num = () => input.gen(input.pickType(NUMERIC), argDepth, ctx)
      const fns: AggFn[] = ['avg', 'mean', 'median', 'stddev', 'stddev_samp', 'variance', 'var_samp']
      options.push(
        [2, () => ({ k: 'agg', t, fn: 'sum', args: [input.gen('float64', argDepth, ctx)] })],
        [5, () => ({ k: 'agg', t, fn: r.pick(fns), args: [num()] })],
        [1, () => ({ k: 'agg', t, fn: 'corr', args: [num(), num()] })],
      )
    }
    return r.weighted(options)()
  }
}

/** Whether the expression reads no column and no aggregate (DuckDB evaluates it while planning). */
export function isConstant(e: Expr): boolean {
  switch (e.k) {
    case 'col':
    case 'agg':
    case 'ref':
      return false
    case 'lit':
    case 'null':
      return true
    case 'arith':
    case 'cmp':
    case 'logic':
      return isConstant(e.l) && isConstant(e.r)
    case 'not':
    case 'neg':
    case 'isnull':
    case 'like':
    case 'cast':
      return isConstant(e.e)
    case 'in':
      return isConstant(e.e)
    case 'between':
      return isConstant(e.e) && isConstant(e.lo) && isConstant(e.hi)
    case 'fn':
      return e.args.every(isConstant)
    case 'case':
      return (
        (e.operand === undefined || isConstant(e.operand)) &&
        e.whens.every(([w, v]) => isConstant(w) && isConstant(v)) &&
        (e.otherwise === undefined || isConstant(e.otherwise))
      )
  }
}

/**
 * A literal value of dtype t, drawn near the tables' value domains. Literals stay small enough
 * that arithmetic on literals alone cannot overflow: DuckDB would fail while folding it even
 * over no rows.
 */
export function literalValue(r: Rand, t: DType): Cell {
  switch (t) {
    case 'int32':
      return r.weighted([
        [8, () => r.int(-5, 12)],
        [1, () => r.pick([0, 100, -100])],
      ])()
    case 'int64':
      return r.weighted([
        [8, () => BigInt(r.int(-20, 30))],
        [1, () => r.pick([3_000_000_000n, -3_000_000_000n])],
      ])()
    case 'float64':
      return r.weighted([
        [6, () => r.int(-40, 40) / 4 || 0],
        [1, () => r.pick([0.1, 1e3, 2.5e-3, 1.0e-7, 123.456])],
      ])()
    case 'utf8':
      return r.weighted([
        [8, () => r.pick(BASE_STRINGS)],
        [1, () => r.pick(['zz', 'a%', "it's"])],
      ])()
    case 'bool':
      return r.chance(0.5)
    case 'date32':
      return new Date((19_720 + r.int(-5, 75)) * MS_PER_DAY)
    case 'timestamp[ms]':
      return new Date(19_750 * MS_PER_DAY + r.int(-24, 4 * 24) * 3_600_000 + (r.chance(0.2) ? r.int(1, 999) : 0))
  }
}

export { isInteger, isNumeric }
