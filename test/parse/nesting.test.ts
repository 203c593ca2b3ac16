/**
 * How deep a query string may nest. The parser recurses once per level of parentheses, subqueries,
 * function calls, CASE, CAST, NOT and signs, so past MAX_QUERY_NESTING it refuses the text at the
 * opening that goes one level too deep (TOO_DEEP, with position and caret) instead of overflowing
 * the stack; and the trees it builds obey MAX_EXPRESSION_DEPTH / MAX_PLAN_DEPTH, refused at the
 * operator or SELECT that passes them.
 */
import { describe, expect, it } from 'vitest'
import { fromRecords, MAX_EXPRESSION_DEPTH, MAX_PLAN_DEPTH, MAX_QUERY_NESTING, sql } from '../../src/index.js'
import { parseExpression, parseSql } from '../../src/parse/index.js'
import { thrown } from '../support/thrown.js'

const t = fromRecords([
  { a: 1, s: 'x' },
  { a: 2, s: 'y' },
])
const tables = { t: t.plan }

/** `open` n times, then `inner`, then `close` n times. */
function nest(n: number, open: string, inner: string, close: string): string {
  return open.repeat(n) + inner + close.repeat(n)
}

/** Each construct that nests, as a select item nested n levels deep. */
const CONSTRUCTS: Record<string, (n: number) => string> = {
  parentheses: (n) => nest(n, '(', 'a', ')'),
  'function calls': (n) => nest(n, 'abs(', 'a', ')'),
  CASE: (n) => nest(n, 'CASE WHEN a > 0 THEN ', 'a', ' END'),
  CAST: (n) => nest(n, 'CAST(', 'a', ' AS int64)'),
  NOT: (n) => `${'NOT '.repeat(n)}a > 0`,
  signs: (n) => `${'- '.repeat(n)}a`,
  'IN lists': (n) => `a IN (${nest(n - 1, '(', '1', ')')})`,
}

describe('nesting in query text', () => {
  it('1000 nested parentheses: TOO_DEEP at the first parenthesis past the limit, with the limit and the fix', () => {
    const query = `SELECT ${nest(1000, '(', '1', ')')} AS x FROM t`
    const e = thrown(() => sql(query, { tables: { t } }))
    expect(e.code).toBe('TOO_DEEP')
    const column = 'SELECT '.length + MAX_QUERY_NESTING + 1
    expect(e.message).toContain(`SQL query at line 1, column ${column}`)
    expect(e.message).toContain(`more than ${MAX_QUERY_NESTING} levels`)
    expect(e.message).toMatch(/Simplify .* or split it/)
    expect(e.message.split('\n').at(-1)).toBe(`  ${' '.repeat(column - 1)}^`)
    expect(e.details).toMatchObject({ limit: MAX_QUERY_NESTING, position: { line: 1, column } })
  })

  it.each(Object.keys(CONSTRUCTS))('%s: refused far past the limit, accepted at it', async (name) => {
    const build = CONSTRUCTS[name]!
    const deep = thrown(() => parseSql(`SELECT ${build(5000)} AS x FROM t`, tables))
    expect(deep.code, deep.message).toBe('TOO_DEEP')
    expect(thrown(() => parseSql(`SELECT ${build(MAX_QUERY_NESTING + 1)} AS x FROM t`, tables)).code).toBe('TOO_DEEP')
    const rows = await sql(`SELECT ${build(MAX_QUERY_NESTING)} AS x FROM t`, { tables: { t } }).toRecords({
      scheduler: 'sync',
    })
    expect(rows).toHaveLength(2)
  })

  it('subqueries count as levels too', () => {
    const query = (n: number) => nest(n, 'SELECT * FROM (', 'SELECT a FROM t', ') AS s')
    expect(thrown(() => parseSql(query(2000), tables)).code).toBe('TOO_DEEP')
    expect(() => parseSql(query(MAX_QUERY_NESTING), tables)).not.toThrow()
  })

  it('expression strings have the same limit', () => {
    const e = thrown(() => parseExpression(nest(1000, '(', 'a', ')')))
    expect(e.code).toBe('TOO_DEEP')
    expect(e.message).toContain(`expression at line 1, column ${MAX_QUERY_NESTING + 1}`)
  })

  it('the parser is reusable after refusing a text', () => {
    thrown(() => parseExpression(nest(1000, '(', 'a', ')')))
    expect(parseExpression(nest(MAX_QUERY_NESTING, '(', 'a', ')'))).toEqual({ kind: 'Column', name: 'a' })
  })
})

describe('trees built from query text', () => {
  it('a long chain of operators is refused at the operator that passes the expression limit', () => {
    for (const op of ['+', '*', 'AND', 'OR']) {
      const operand = op === 'AND' || op === 'OR' ? 'true' : 'a'
      const text = Array.from({ length: 20_000 }, () => operand).join(` ${op} `)
      const e = thrown(() => parseExpression(text))
      expect(e.code, op).toBe('TOO_DEEP')
      // The MAX-th operator joins MAX + 1 operands: one level more than allowed.
      const column = operand.length + 2 + (operand.length + op.length + 2) * (MAX_EXPRESSION_DEPTH - 1)
      expect(e.message, op).toContain(`at line 1, column ${column}`)
      expect(e.message, op).toContain(`at most ${MAX_EXPRESSION_DEPTH} levels`)
    }
  })

  it('a chain exactly at the limit parses', () => {
    const text = Array.from({ length: MAX_EXPRESSION_DEPTH }, () => 'a').join(' + ')
    expect(parseExpression(text).kind).toBe('Binary')
  })

  it('WITH clauses stacked past the plan limit are refused at the SELECT that passes it', () => {
    const ctes = Array.from({ length: 1000 }, (_, i) => `c${i + 1} AS (SELECT a + 1 AS a FROM c${i} WHERE a > 0)`)
    const query = `WITH c0 AS (SELECT a FROM t), ${ctes.join(', ')} SELECT a FROM c1000`
    const e = thrown(() => parseSql(query, tables))
    expect(e.code).toBe('TOO_DEEP')
    expect(e.message).toContain(`at most ${MAX_PLAN_DEPTH}`)
    expect(e.message).toMatch(/SQL query at line 1, column \d+/)
  })
})
