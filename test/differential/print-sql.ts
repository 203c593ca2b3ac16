/**
 * Prints a generated query in tsdask's dialect and in DuckDB's. The two texts are the same query
 * except where tsdask documents a difference from DuckDB, and there the DuckDB text is adjusted so
 * both engines are asked the same question (listed in sql-differential.test.ts's header):
 *
 * - float literals: tsdask reads `2.5` as float64, DuckDB as DECIMAL; DuckDB gets CAST('2.5' AS DOUBLE).
 * - `x / y` and `x % y` with y = 0: NULL in tsdask, ±Infinity / NaN in DuckDB 1.5; DuckDB gets
 *   `x / NULLIF(y, 0)`.
 * - result types tsdask narrows: `sum` of integers is int64 (DuckDB: HUGEINT), `length` is int32
 *   (DuckDB: BIGINT), `floor`/`ceil` of an integer keep its type (DuckDB: DOUBLE); DuckDB gets a
 *   CAST to tsdask's type, so values and types compare exactly.
 * - `==` and `!=`, and tsdask's own type names in CAST (`int32`, `utf8`…), are written only in the
 *   tsdask text.
 * - stddev / variance / corr of integers: DuckDB's streaming update loses digits far from the
 *   mean; when its answer disagrees, DuckDB is asked again with the exact formula over HUGEINT
 *   sums (exactMoments), and tsdask may match either.
 * - `NOT (a = b)` and `NOT (x IN …)`: DuckDB's parser rewrites them to `a <> b` / `x NOT IN …`,
 *   which no longer match a GROUP BY key `a = b`; DuckDB gets `(a = b) = FALSE`.
 *
 * Parentheses: minimal by precedence (OR < AND < NOT < comparisons/IS/IN/BETWEEN/LIKE < + - <
 * * / % < unary -), plus the redundant ones the generator asks for, so the parser's precedence is
 * exercised against DuckDB's.
 */
import type { DType } from '../../src/index.js'
import type { Core, Expr, From, GroupKey, OrderItem, Query } from './sql-ast.js'
import type { Cell } from './tables.js'

export type Dialect = 'tsdask' | 'duckdb'

const DUCK_TYPE: Record<DType, string> = {
  int32: 'INTEGER',
  int64: 'BIGINT',
  float64: 'DOUBLE',
  utf8: 'VARCHAR',
  bool: 'BOOLEAN',
  date32: 'DATE',
  'timestamp[ms]': 'TIMESTAMP',
}

export function duckType(dtype: DType): string {
  return DUCK_TYPE[dtype]
}

const PRIMARY = 9

const isInteger = (e: Expr) => e.t === 'int32' || e.t === 'int64'

/**
 * stddev / variance / corr of integers computed exactly by DuckDB: from HUGEINT sums, turned into
 * doubles once. DuckDB's own streaming update loses digits when the values are far from their
 * mean (stddev of 3000000011, 2999999998, 2999999998 is 7.5055534995; DuckDB 1.5 says
 * 7.5055535339, 5e-9 off; fuzz seed 9000 path 20), where tsdask's two-pass moments are exact.
 * Elsewhere DuckDB's answer often equals tsdask's to the last bit where the exact one, rounded
 * once, need not (972.3333333333333 against 972.3333333333334, which a CAST to text shows; fuzz
 * seed 11008 path 451): so this is a second question, asked when the first answer disagrees
 * (SqlCase.duckdbExact). Same nulls: none below two values (stddev / variance), none without
 * pairs and NaN for a zero variance (corr). Undefined for other aggregates and other arguments.
 */
function exactMoments(fn: string, args: readonly Expr[], print: (e: Expr) => string): string | undefined {
  if (!args.every(isInteger)) return undefined
  const huge = (text: string) => `CAST(${text} AS HUGEINT)`
  const double = (text: string) => `CAST(${text} AS DOUBLE)`
  if (fn === 'stddev' || fn === 'stddev_samp' || fn === 'variance' || fn === 'var_samp') {
    const x = huge(print(args[0]!))
    const n = `count(${x})`
    const m2 = `${n} * sum(${x} * ${x}) - sum(${x}) * sum(${x})`
    const variance = `CASE WHEN ${n} > 1 THEN ${double(m2)} / ${double(`${n} * (${n} - 1)`)} END`
    return fn.startsWith('stddev') ? `sqrt(${variance})` : `(${variance})`
  }
  if (fn === 'corr') {
    // Only the rows where both are non-null count.
    const x = `CASE WHEN ${print(args[1]!)} IS NOT NULL THEN ${huge(print(args[0]!))} END`
    const y = `CASE WHEN ${print(args[0]!)} IS NOT NULL THEN ${huge(print(args[1]!))} END`
    const n = `count(${x})`
    const co = `${n} * sum(${x} * ${y}) - sum(${x}) * sum(${y})`
    const mx = `${n} * sum(${x} * ${x}) - sum(${x}) * sum(${x})`
    const my = `${n} * sum(${y} * ${y}) - sum(${y}) * sum(${y})`
    return `CASE WHEN ${n} = 0 THEN NULL WHEN ${mx} = 0 OR ${my} = 0 THEN CAST('NaN' AS DOUBLE) ELSE ${double(co)} / (sqrt(${double(mx)}) * sqrt(${double(my)})) END`
  }
  return undefined
}

interface Printed {
  readonly text: string
  readonly prec: number
}

export function quoteString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/** 'YYYY-MM-DD' of a UTC date. */
export function dateText(d: Date): string {
  return d.toISOString().slice(0, 10)
}

/** 'YYYY-MM-DD HH:MM:SS[.mmm]' of a UTC timestamp. */
export function timestampText(d: Date): string {
  const ms = d.getUTCMilliseconds()
  const base = `${dateText(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  return ms === 0 ? base : `${base}.${pad(ms, 3)}`
}

/** A float64 literal's text: always with a point or an exponent, so tsdask reads a float64. */
export function floatText(x: number): string {
  const s = String(x)
  return /[.eE]/.test(s) ? s : `${s}.0`
}

function literal(v: Cell, t: DType, dialect: Dialect): Printed {
  if (v === null) return { text: `CAST(NULL AS ${DUCK_TYPE[t]})`, prec: PRIMARY }
  switch (t) {
    case 'int32':
      return { text: String(v), prec: (v as number) < 0 ? 7 : PRIMARY }
    case 'int64': {
      const n = v as bigint
      if (n >= -(2n ** 31n) && n < 2n ** 31n) {
        const type = dialect === 'tsdask' && n % 2n === 0n ? 'int64' : 'BIGINT'
        return { text: `CAST(${n} AS ${type})`, prec: PRIMARY }
      }
      return { text: String(n), prec: n < 0n ? 7 : PRIMARY }
    }
    case 'float64': {
      const x = v as number
      if (dialect === 'duckdb') return { text: `CAST('${floatText(x)}' AS DOUBLE)`, prec: PRIMARY }
      return { text: floatText(x), prec: x < 0 ? 7 : PRIMARY }
    }
    case 'utf8':
      return { text: quoteString(v as string), prec: PRIMARY }
    case 'bool':
      return { text: v ? 'TRUE' : 'FALSE', prec: PRIMARY }
    case 'date32':
      return { text: `DATE '${dateText(v as Date)}'`, prec: PRIMARY }
    case 'timestamp[ms]':
      return { text: `TIMESTAMP '${timestampText(v as Date)}'`, prec: PRIMARY }
  }
}

const ARITH_PREC = { '+': 5, '-': 5, '*': 6, '/': 6, '%': 6 } as const
const ALT_CMP: Partial<Record<string, string>> = { '=': '==', '<>': '!=' }

export class SqlPrinter {
  constructor(
    readonly dialect: Dialect,
    /** DuckDB: stddev / variance / corr of integers by the exact formula (exactMoments). */
    readonly exact = false,
  ) {}

  expr(e: Expr): string {
    return this.node(e).text
  }

  private wrap(e: Expr, min: number): string {
    const p = this.node(e)
    return p.prec < min || e.paren ? `(${p.text})` : p.text
  }

  private node(e: Expr): Printed {
    const duck = this.dialect === 'duckdb'
    switch (e.k) {
      case 'col':
        return { text: e.qualifier === undefined ? e.col.sql : `${e.qualifier}.${e.col.sql}`, prec: PRIMARY }
      case 'ref':
        return { text: e.name, prec: PRIMARY }
      case 'lit':
        return literal(e.v, e.t as DType, this.dialect)
      case 'null':
        return { text: 'NULL', prec: PRIMARY }
      case 'arith': {
        const p = ARITH_PREC[e.op]
        if (duck && (e.op === '/' || e.op === '%')) {
          return { text: `${this.wrap(e.l, p)} ${e.op} NULLIF(${this.expr(e.r)}, 0)`, prec: p }
        }
        return { text: `${this.wrap(e.l, p)} ${e.op} ${this.wrap(e.r, p + 1)}`, prec: p }
      }
      case 'cmp': {
        const op = !duck && e.alt ? (ALT_CMP[e.op] ?? e.op) : e.op
        return { text: `${this.wrap(e.l, 5)} ${op} ${this.wrap(e.r, 5)}`, prec: 4 }
      }
      case 'logic': {
        const p = e.op === 'OR' ? 1 : 2
        return { text: `${this.wrap(e.l, p)} ${e.op} ${this.wrap(e.r, p + 1)}`, prec: p }
      }
      case 'not':
        // DuckDB's parser turns NOT (a = b) into a <> b (NOT (x IN …) into x NOT IN …), which then
        // no longer matches a GROUP BY key a = b (a Binder Error); `(a = b) = FALSE` is the same
        // three-valued NOT and keeps the key (fuzz seed 5009 path 157).
        if (duck && (e.e.k === 'cmp' || e.e.k === 'in')) return { text: `(${this.expr(e.e)}) = FALSE`, prec: 4 }
        return { text: `NOT ${this.wrap(e.e, 3)}`, prec: 3 }
      case 'neg': {
        // `-(…)` unless the operand is a plain column: `- -x` would start a `--` comment.
        const inner = e.e.k === 'col' ? this.wrap(e.e, PRIMARY) : `(${this.expr(e.e)})`
        return { text: `-${inner}`, prec: 7 }
      }
      case 'isnull':
        return { text: `${this.wrap(e.e, 5)} IS ${e.not ? 'NOT ' : ''}NULL`, prec: 4 }
      case 'in':
        return {
          text: `${this.wrap(e.e, 5)} ${e.not ? 'NOT ' : ''}IN (${e.list.map((x) => this.expr(x)).join(', ')})`,
          prec: 4,
        }
      case 'between':
        return {
          text: `${this.wrap(e.e, 5)} ${e.not ? 'NOT ' : ''}BETWEEN ${this.wrap(e.lo, 5)} AND ${this.wrap(e.hi, 5)}`,
          prec: 4,
        }
      case 'like':
        return { text: `${this.wrap(e.e, 5)} ${e.not ? 'NOT ' : ''}LIKE ${quoteString(e.pattern)}`, prec: 4 }
      case 'fn': {
        const call = `${e.fn}(${e.args.map((a) => this.expr(a)).join(', ')})`
        const narrowed = (e.fn === 'floor' || e.fn === 'ceil') && (e.t === 'int32' || e.t === 'int64')
        if (duck && (narrowed || e.fn === 'length')) {
          return { text: `CAST(${call} AS ${DUCK_TYPE[e.t as DType]})`, prec: PRIMARY }
        }
        return { text: call, prec: PRIMARY }
      }
      case 'cast':
        return { text: `CAST(${this.expr(e.e)} AS ${duck ? DUCK_TYPE[e.to] : e.spelling})`, prec: PRIMARY }
      case 'case': {
        const parts = ['CASE']
        if (e.operand) parts.push(this.expr(e.operand))
        for (const [w, t] of e.whens) parts.push(`WHEN ${this.expr(w)} THEN ${this.expr(t)}`)
        if (e.otherwise) parts.push(`ELSE ${this.expr(e.otherwise)}`)
        parts.push('END')
        return { text: parts.join(' '), prec: PRIMARY }
      }
      case 'agg': {
        const args = e.star ? '*' : `${e.distinct ? 'DISTINCT ' : ''}${e.args.map((a) => this.expr(a)).join(', ')}`
        const call = `${e.fn}(${args})`
        if (duck && e.fn === 'sum' && e.t === 'int64') return { text: `CAST(${call} AS BIGINT)`, prec: PRIMARY }
        const exact = duck && this.exact ? exactMoments(e.fn, e.args, (a) => this.expr(a)) : undefined
        return { text: exact ?? call, prec: PRIMARY }
      }
    }
  }

  private from(f: From): string {
    if (f.kind === 'table') return f.alias === undefined ? f.table : `${f.table} AS ${f.alias}`
    return `(${this.query(f.query)}) AS ${f.alias}`
  }

  private groupKey(k: GroupKey): string {
    return k.by === 'expr' ? this.expr(k.e) : k.by === 'alias' ? k.name : String(k.n)
  }

  core(c: Core): string {
    const items =
      c.items === 'star'
        ? '*'
        : c.items.map((i) => (i.alias === undefined ? this.expr(i.e) : `${this.expr(i.e)} AS ${i.alias}`)).join(', ')
    const parts = [`SELECT ${c.distinct ? 'DISTINCT ' : ''}${items}`, `FROM ${this.from(c.from)}`]
    if (c.where) parts.push(`WHERE ${this.expr(c.where)}`)
    if (c.groupBy) parts.push(`GROUP BY ${c.groupBy.map((k) => this.groupKey(k)).join(', ')}`)
    if (c.having) parts.push(`HAVING ${this.expr(c.having)}`)
    return parts.join(' ')
  }

  private orderItem(o: OrderItem): string {
    const ref = 'name' in o.ref ? o.ref.name : String(o.ref.position)
    const dir = o.desc ? ' DESC' : o.writeAsc ? ' ASC' : ''
    const nulls = o.nullsFirst === undefined ? '' : o.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST'
    return `${ref}${dir}${nulls}`
  }

  query(q: Query, options: { withoutLimit?: boolean } = {}): string {
    const parts: string[] = []
    if (q.with) parts.push(`WITH ${q.with.map((w) => `${w.name} AS (${this.query(w.query)})`).join(', ')}`)
    q.cores.forEach((c, i) => {
      if (i > 0) parts.push(q.unions[i - 1]!)
      parts.push(this.core(c))
    })
    if (q.orderBy) parts.push(`ORDER BY ${q.orderBy.map((o) => this.orderItem(o)).join(', ')}`)
    if (q.limit && !options.withoutLimit) {
      parts.push(`LIMIT ${q.limit.n}${q.limit.offset === undefined ? '' : ` OFFSET ${q.limit.offset}`}`)
    }
    return parts.join(' ')
  }
}

export const tsdaskSql = (q: Query): string => new SqlPrinter('tsdask').query(q)
export const duckdbSql = (q: Query, options: { withoutLimit?: boolean; exactMoments?: boolean } = {}): string =>
  new SqlPrinter('duckdb', options.exactMoments).query(q, options)
