/** Golden messages: position, caret, what was expected, suggestions; and the "not supported yet" list. */
import { describe, expect, it } from 'vitest'
import { fromRecords } from '../../src/index.js'
import { parseExpression, parseSql } from '../../src/parse/index.js'
import { thrown } from '../support/thrown.js'

const trips = fromRecords([{ vendor: 'CMT', fare: 12.5, tip: 2 }])
const tables = { trips: trips.plan }

const sqlError = (query: string) => thrown(() => parseSql(query, tables))
const exprError = (text: string) => thrown(() => parseExpression(text))

describe('syntax errors', () => {
  it('a missing expression: line, column, caret, expected tokens', () => {
    const e = sqlError('SELECT fare, FROM trips')
    expect(e.code).toBe('SYNTAX_ERROR')
    expect(e.message).toMatchInlineSnapshot(`
      "Syntax error in SQL query at line 1, column 14: expected a column, an expression or * but found 'FROM'. Expected one of: '*', a name, a "quoted name", DATE, TIMESTAMP, NOT, '-', '+', ….
        SELECT fare, FROM trips
                     ^"
    `)
  })

  it('on a later line, the caret sits under that line', () => {
    expect(sqlError('SELECT vendor\nFROM trips\nWHERE fare > AND tip > 1').message).toMatchInlineSnapshot(`
      "Syntax error in SQL query at line 3, column 14: expected an expression but found 'AND'. Expected one of: '-', '+', a number, a string, TRUE, FALSE, NULL, DATE, ….
        WHERE fare > AND tip > 1
                     ^"
    `)
  })

  it('lines end at \\n, \\r\\n or \\r alike', () => {
    for (const newline of ['\n', '\r\n', '\r']) {
      const e = sqlError(['SELECT vendor', 'FROM trips', 'WHERE fare > AND tip > 1'].join(newline))
      expect(e.message).toContain('at line 3, column 14:')
      expect(e.message.split('\n').slice(-2)).toEqual(['  WHERE fare > AND tip > 1', `  ${' '.repeat(13)}^`])
    }
  })

  it('a missing closing parenthesis', () => {
    expect(exprError('lower(vendor = 1').message).toMatchInlineSnapshot(`
      "Syntax error in expression at line 1, column 17: expected ')' but found the end of the text.
        lower(vendor = 1
                        ^"
    `)
  })

  it('text after a complete expression', () => {
    expect(exprError('fare > 10 vendor').message).toMatchInlineSnapshot(`
      "Syntax error in expression at line 1, column 11: unexpected 'vendor'; expected the end of the text. Check for a missing operator or comma before it.
        fare > 10 vendor
                  ^"
    `)
  })

  it('chained comparisons', () => {
    expect(exprError('1 < x < 3').message).toMatchInlineSnapshot(`
      "Syntax error in expression at line 1, column 7: unexpected '<'; expected the end of the text. Check for a missing operator or comma before it.
        1 < x < 3
              ^"
    `)
  })

  it('an unclosed string', () => {
    expect(exprError("vendor = 'CMT").message).toMatchInlineSnapshot(`
      "Syntax error in expression at line 1, column 10: unexpected character "'". The string is not closed; add the closing '.
        vendor = 'CMT
                 ^"
    `)
  })

  it('a character outside the language', () => {
    expect(exprError('fare $ 3').message).toMatchInlineSnapshot(`
      "Syntax error in expression at line 1, column 6: unexpected character "$". Strings go in single quotes, names with special characters in double quotes.
        fare $ 3
             ^"
    `)
  })

  it('a missing FROM', () => {
    expect(sqlError('SELECT fare WHERE fare > 1').message).toMatchInlineSnapshot(`
      "Syntax error in SQL query at line 1, column 13: expected FROM but found 'WHERE'.
        SELECT fare WHERE fare > 1
                    ^"
    `)
  })

  it('an invalid date literal', () => {
    expect(exprError("DATE '2024-02-30'").message).toMatchInlineSnapshot(`
      "'2024-02-30' is not a valid date; write DATE 'YYYY-MM-DD' (expression, line 1, column 6)
        DATE '2024-02-30'
             ^"
    `)
  })

  it('an unknown type in CAST suggests the closest', () => {
    expect(exprError('CAST(x AS flaot64)').message).toMatchInlineSnapshot(`
      "Unknown type "flaot64" in expression at line 1, column 11. Did you mean "float64"?
        CAST(x AS flaot64)
                  ^"
    `)
  })
})

describe('unknown names', () => {
  it('column, with the closest names', () => {
    const e = sqlError('SELECT vendr, fare FROM trips')
    expect(e.code).toBe('UNKNOWN_COLUMN')
    expect(e.message).toMatchInlineSnapshot(`
      "Unknown column "vendr" in SQL query at line 1, column 8. Did you mean "vendor"? Available columns: "vendor", "fare", "tip".
        SELECT vendr, fare FROM trips
               ^"
    `)
  })

  it('table, with the closest names', () => {
    const e = sqlError('SELECT * FROM trps')
    expect(e.code).toBe('UNKNOWN_TABLE')
    expect(e.message).toMatchInlineSnapshot(`
      "Unknown table "trps" in SQL query at line 1, column 15. Did you mean "trips"? Available tables: "trips".
        SELECT * FROM trps
                      ^"
    `)
  })

  it('table qualifier', () => {
    expect(sqlError('SELECT x.fare FROM trips t').message).toMatchInlineSnapshot(`
      "Unknown table "x" in SQL query at line 1, column 8. Did you mean "t"? Available tables: "t".
        SELECT x.fare FROM trips t
               ^"
    `)
  })

  it('function, with the closest names', () => {
    expect(exprError('lowr(vendor)').message).toMatchInlineSnapshot(`
      "Unknown function "lowr" in expression at line 1, column 1. Did you mean "lower" or "floor" or "corr"?
        lowr(vendor)
        ^"
    `)
  })

  it('a function called with the wrong number of arguments', () => {
    expect(exprError('upper(vendor, 1)').message).toMatchInlineSnapshot(`
      "upper() got 2 arguments; write upper(text) (expression, line 1, column 1)
        upper(vendor, 1)
        ^"
    `)
  })
})

describe('misuse SQL reports with a position', () => {
  it('a column neither grouped nor aggregated', () => {
    expect(sqlError('SELECT vendor, fare FROM trips GROUP BY vendor').message).toMatchInlineSnapshot(`
      "column "fare" must appear in GROUP BY or be used in an aggregate function (in \`fare\`) (SQL query, line 1, column 16)
        SELECT vendor, fare FROM trips GROUP BY vendor
                       ^"
    `)
  })

  it('an aggregate in WHERE', () => {
    expect(sqlError('SELECT * FROM trips WHERE sum(fare) > 1').message).toMatchInlineSnapshot(`
      "aggregates are not allowed in WHERE; filter on them with HAVING (SQL query, line 1, column 21)
        SELECT * FROM trips WHERE sum(fare) > 1
                            ^"
    `)
  })

  it('ORDER BY a position past the select list', () => {
    expect(sqlError('SELECT fare FROM trips ORDER BY 3').message).toMatchInlineSnapshot(`
      "ORDER BY 3: the select list has 1 column (SQL query, line 1, column 33)
        SELECT fare FROM trips ORDER BY 3
                                        ^"
    `)
  })
})

describe('constructs the engine cannot run yet parse, then say so at their position', () => {
  it.each([
    ['SELECT * FROM trips JOIN trips t2 ON trips.fare = t2.fare', 'JOIN', 21],
    ['SELECT * FROM trips LEFT OUTER JOIN trips t2 USING (vendor)', 'LEFT JOIN', 21],
    ['SELECT * FROM trips INNER JOIN trips t2 USING (vendor)', 'INNER JOIN', 21],
    ['SELECT * FROM trips RIGHT JOIN trips t2 USING (vendor)', 'RIGHT JOIN', 21],
    ['SELECT * FROM trips FULL JOIN trips t2 USING (vendor)', 'FULL JOIN', 21],
    ['SELECT sum(DISTINCT fare) FROM trips', 'sum(DISTINCT …)', 12],
    ['SELECT avg(DISTINCT fare) FROM trips', 'avg(DISTINCT …)', 12],
    ['SELECT stddev_samp(DISTINCT fare) FROM trips', 'stddev_samp(DISTINCT …)', 20],
    ['SELECT * FROM trips WHERE fare IN (tip, 2)', 'IN with a value that is not a literal', 36],
  ])('%s', (query, construct, column) => {
    const e = sqlError(query)
    expect(e.code).toBe('NOT_SUPPORTED')
    expect(e.message).toContain(`${construct} is not supported yet (SQL query, line 1, column ${column})`)
    expect(e.message.split('\n')[2]).toBe(`  ${' '.repeat(column - 1)}^`)
  })

  it('the whole message', () => {
    expect(sqlError('SELECT vendor\nFROM trips\n  LEFT JOIN trips t2 USING (vendor)').message).toMatchInlineSnapshot(`
      "LEFT JOIN is not supported yet (SQL query, line 3, column 3). Join the inputs before the query, or query each table separately.
          LEFT JOIN trips t2 USING (vendor)
          ^"
    `)
  })
})

describe('misuse of the wired constructs reports with a position', () => {
  it('a LIKE pattern that is not a string literal', () => {
    expect(sqlError('SELECT * FROM trips WHERE vendor LIKE vendor').message).toMatchInlineSnapshot(`
      "the pattern of LIKE must be a 'string' literal (% matches any run of characters, _ one character) (SQL query, line 1, column 39)
        SELECT * FROM trips WHERE vendor LIKE vendor
                                              ^"
    `)
  })

  it('SELECT DISTINCT ordered by an expression outside the select list', () => {
    expect(sqlError('SELECT DISTINCT vendor FROM trips ORDER BY fare').message).toMatchInlineSnapshot(`
      "for SELECT DISTINCT, ORDER BY expressions must appear in the select list (\`fare\` does not); add it to the select list or sort by a selected column (SQL query, line 1, column 44)
        SELECT DISTINCT vendor FROM trips ORDER BY fare
                                                   ^"
    `)
  })

  it('UNION inputs with different column counts', () => {
    expect(
      sqlError('SELECT vendor FROM trips UNION ALL SELECT vendor, fare FROM trips').message,
    ).toMatchInlineSnapshot(`
      "UNION input 2 has 2 columns, the first input 1; select, CAST or alias its columns to match the first input (SQL query, line 1, column 26)
        SELECT vendor FROM trips UNION ALL SELECT vendor, fare FROM trips
                                 ^"
    `)
  })

  it('UNION inputs with different dtypes name the column and input', () => {
    expect(
      sqlError('SELECT vendor, fare FROM trips UNION SELECT vendor, tip FROM trips').message,
    ).toMatchInlineSnapshot(`
      "column 2 of UNION input 2 ("tip") is int32, but float64 ("fare") in the first input; select, CAST or alias its columns to match the first input (SQL query, line 1, column 32)
        SELECT vendor, fare FROM trips UNION SELECT vendor, tip FROM trips
                                       ^"
    `)
  })

  it('ORDER BY an expression after a UNION', () => {
    expect(
      sqlError('SELECT fare FROM trips UNION ALL SELECT fare FROM trips ORDER BY fare + 1').message,
    ).toMatchInlineSnapshot(`
      "ORDER BY after UNION takes an output column name or position (fare); select the expression in each input and sort by its alias (SQL query, line 1, column 66)
        SELECT fare FROM trips UNION ALL SELECT fare FROM trips ORDER BY fare + 1
                                                                         ^"
    `)
  })

  it('DISTINCT inside a scalar function', () => {
    expect(exprError('abs(DISTINCT fare)').message).toMatchInlineSnapshot(`
      "DISTINCT applies to aggregates only, not abs() (expression, line 1, column 5)
        abs(DISTINCT fare)
            ^"
    `)
  })

  it('corr with one argument', () => {
    expect(exprError('corr(fare)').message).toMatchInlineSnapshot(`
      "corr() got 1 argument; write corr(x, y) (expression, line 1, column 1)
        corr(fare)
        ^"
    `)
  })
})

describe('errors found while reading are raised in the order the query is read', () => {
  it('a syntax error anywhere wins over a semantic error before it', () => {
    expect(sqlError('SELECT lowr(nosuch) FROM trips WHERE').code).toBe('SYNTAX_ERROR')
  })

  it("a function's name is checked before its arguments, its DISTINCT and arity after them", () => {
    expect(sqlError('SELECT lowr(nosuch) FROM trips').message).toContain('Unknown function "lowr"')
    expect(sqlError('SELECT lower(DISTINCT nosuch) FROM trips').code).toBe('UNKNOWN_COLUMN')
    expect(sqlError('SELECT lower(DISTINCT vendor) FROM trips').message).toContain('DISTINCT applies to aggregates')
    expect(sqlError('SELECT nosuch, lowr(fare) FROM trips').code).toBe('UNKNOWN_COLUMN')
  })

  it('names that Object.prototype has are unknown functions and types, not crashes', () => {
    expect(sqlError('SELECT constructor(fare) FROM trips').message).toContain('Unknown function "constructor"')
    expect(exprError('CAST(fare AS constructor)').message).toContain('Unknown type "constructor"')
  })
})
