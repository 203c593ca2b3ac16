/**
 * The expression grammar (pure chevrotain CstParser rules, no actions), shared by expression
 * strings (`df.filter("fare > 10")`) and SQL. Precedence, loosest first, as in DuckDB / Postgres:
 *
 *   OR < AND < NOT < comparison, IS [NOT] NULL, [NOT] IN / BETWEEN / LIKE < + - < * / % < unary - +
 *
 * Comparisons do not chain (`a < b < c` is a syntax error). `grammar/README.md` is the EBNF of
 * these rules; `src/parse/to-expr.ts` turns their CST into `ExprNode`s.
 */
import { CstParser, type IOrAlt, type IParserConfig } from 'chevrotain'
import {
  AdditiveOperator,
  ALL_TOKENS,
  Comma,
  ComparisonOperator,
  Dot,
  Identifier,
  K,
  LParen,
  Minus,
  MultiplicativeOperator,
  NumberLiteral,
  Plus,
  QuotedIdentifier,
  RParen,
  Star,
  StringLiteral,
} from './tokens.js'

export class ExpressionGrammar extends CstParser {
  // Alternatives of the busiest ORs, built on first use and reused (chevrotain's performance guide:
  // otherwise every call allocates the array and its closures again).
  readonly #alternatives = new Map<string, IOrAlt<unknown>[]>()

  #cached(rule: string, build: () => IOrAlt<unknown>[]): IOrAlt<unknown>[] {
    let alts = this.#alternatives.get(rule)
    if (!alts) {
      alts = build()
      this.#alternatives.set(rule, alts)
    }
    return alts
  }

  constructor(config: IParserConfig = {}) {
    super(ALL_TOKENS, { maxLookahead: 3, ...config })
  }

  readonly standaloneExpression = this.RULE('standaloneExpression', () => {
    this.SUBRULE(this.expression)
  })

  /** The OR level itself (no separate orExpr rule: every rule level costs on each leaf). */
  readonly expression = this.RULE('expression', () => {
    this.SUBRULE(this.andExpr)
    this.MANY(() => {
      this.CONSUME(K.OR)
      this.SUBRULE2(this.andExpr)
    })
  })

  readonly andExpr = this.RULE('andExpr', () => {
    this.SUBRULE(this.notExpr)
    this.MANY(() => {
      this.CONSUME(K.AND)
      this.SUBRULE2(this.notExpr)
    })
  })

  readonly notExpr = this.RULE('notExpr', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.NOT)
          this.SUBRULE(this.notExpr)
        },
      },
      { ALT: () => this.SUBRULE(this.predicate) },
    ])
  })

  readonly predicate = this.RULE('predicate', () => {
    this.SUBRULE(this.additive)
    this.OPTION(() => {
      this.OR(
        this.#cached('predicate', () => [
          { ALT: () => this.SUBRULE(this.comparisonTail) },
          { ALT: () => this.SUBRULE(this.isNullTail) },
          { ALT: () => this.SUBRULE(this.inTail) },
          { ALT: () => this.SUBRULE(this.betweenTail) },
          { ALT: () => this.SUBRULE(this.likeTail) },
        ]),
      )
    })
  })

  readonly comparisonTail = this.RULE('comparisonTail', () => {
    this.CONSUME(ComparisonOperator)
    this.SUBRULE(this.additive)
  })

  readonly isNullTail = this.RULE('isNullTail', () => {
    this.CONSUME(K.IS)
    this.OPTION(() => this.CONSUME(K.NOT))
    this.CONSUME(K.NULL)
  })

  readonly inTail = this.RULE('inTail', () => {
    this.OPTION(() => this.CONSUME(K.NOT))
    this.CONSUME(K.IN)
    this.CONSUME(LParen)
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.expression) })
    this.CONSUME(RParen)
  })

  readonly betweenTail = this.RULE('betweenTail', () => {
    this.OPTION(() => this.CONSUME(K.NOT))
    this.CONSUME(K.BETWEEN)
    this.SUBRULE(this.additive)
    this.CONSUME(K.AND)
    this.SUBRULE2(this.additive)
  })

  readonly likeTail = this.RULE('likeTail', () => {
    this.OPTION(() => this.CONSUME(K.NOT))
    this.CONSUME(K.LIKE)
    this.SUBRULE(this.additive)
  })

  readonly additive = this.RULE('additive', () => {
    this.SUBRULE(this.multiplicative)
    this.MANY(() => {
      this.CONSUME(AdditiveOperator)
      this.SUBRULE2(this.multiplicative)
    })
  })

  readonly multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary)
    this.MANY(() => {
      this.CONSUME(MultiplicativeOperator)
      this.SUBRULE2(this.unary)
    })
  })

  readonly unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(Minus) }, { ALT: () => this.CONSUME(Plus) }])
          this.SUBRULE(this.unary)
        },
      },
      { ALT: () => this.SUBRULE(this.primary) },
    ])
  })

  readonly primary = this.RULE('primary', () => {
    this.OR(
      this.#cached('primary', () => [
        { ALT: () => this.CONSUME(NumberLiteral) },
        { ALT: () => this.CONSUME(StringLiteral) },
        { ALT: () => this.CONSUME(K.TRUE) },
        { ALT: () => this.CONSUME(K.FALSE) },
        { ALT: () => this.CONSUME(K.NULL) },
        { ALT: () => this.SUBRULE(this.typedLiteral) },
        { ALT: () => this.SUBRULE(this.parenthesized) },
        { ALT: () => this.SUBRULE(this.castExpr) },
        { ALT: () => this.SUBRULE(this.caseExpr) },
        { ALT: () => this.SUBRULE(this.functionCall) },
        { ALT: () => this.SUBRULE(this.columnRef) },
      ]),
    )
  })

  readonly typedLiteral = this.RULE('typedLiteral', () => {
    this.OR([{ ALT: () => this.CONSUME(K.DATE) }, { ALT: () => this.CONSUME(K.TIMESTAMP) }])
    this.CONSUME(StringLiteral)
  })

  readonly parenthesized = this.RULE('parenthesized', () => {
    this.CONSUME(LParen)
    this.SUBRULE(this.expression)
    this.CONSUME(RParen)
  })

  readonly castExpr = this.RULE('castExpr', () => {
    this.CONSUME(K.CAST)
    this.CONSUME(LParen)
    this.SUBRULE(this.expression)
    this.CONSUME(K.AS)
    this.SUBRULE(this.typeName)
    this.CONSUME(RParen)
  })

  readonly caseExpr = this.RULE('caseExpr', () => {
    this.CONSUME(K.CASE)
    this.OPTION(() => this.SUBRULE(this.expression, { LABEL: 'operand' }))
    this.AT_LEAST_ONE(() => {
      this.CONSUME(K.WHEN)
      this.SUBRULE2(this.expression, { LABEL: 'when' })
      this.CONSUME(K.THEN)
      this.SUBRULE3(this.expression, { LABEL: 'then' })
    })
    this.OPTION2(() => {
      this.CONSUME(K.ELSE)
      this.SUBRULE4(this.expression, { LABEL: 'else' })
    })
    this.CONSUME(K.END)
  })

  readonly functionCall = this.RULE('functionCall', () => {
    this.SUBRULE(this.name)
    this.CONSUME(LParen)
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(Star) },
        {
          ALT: () => {
            this.OPTION2(() => this.CONSUME(K.DISTINCT))
            this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.expression) })
          },
        },
      ])
    })
    this.CONSUME(RParen)
  })

  readonly columnRef = this.RULE('columnRef', () => {
    this.SUBRULE(this.name)
    this.OPTION(() => {
      this.CONSUME(Dot)
      this.SUBRULE2(this.name)
    })
  })

  /** A name; DATE and TIMESTAMP double as names (a column called `date` is common). */
  readonly name = this.RULE('name', () => {
    this.OR(
      this.#cached('name', () => [
        { ALT: () => this.CONSUME(Identifier) },
        { ALT: () => this.CONSUME(QuotedIdentifier) },
        { ALT: () => this.CONSUME(K.DATE) },
        { ALT: () => this.CONSUME(K.TIMESTAMP) },
      ]),
    )
  })

  readonly typeName = this.RULE('typeName', () => {
    this.OR([
      { ALT: () => this.CONSUME(Identifier) },
      { ALT: () => this.CONSUME(K.DATE) },
      { ALT: () => this.CONSUME(K.TIMESTAMP) },
    ])
  })
}
