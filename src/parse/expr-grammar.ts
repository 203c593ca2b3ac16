/**
 * The expression grammar (pure chevrotain CstParser rules, no actions), shared by expression
 * strings (`df.filter("fare > 10")`) and SQL. Precedence, loosest first, as in DuckDB / Postgres:
 *
 *   OR < AND < NOT < comparison, IS [NOT] NULL, [NOT] IN / BETWEEN / LIKE < + - < * / % < unary - +
 *
 * Binary operators of the same rule (AND / OR; + - * / %) are read as flat lists and grouped by
 * precedence in the visitor: a rule per precedence level would cost a CST node and a rule call per
 * level on every operand, which was most of the parse time.
 *
 * Comparisons do not chain (`a < b < c` is a syntax error). `grammar/README.md` is the EBNF of
 * these rules; `src/parse/to-expr.ts` turns their CST into `ExprNode`s.
 */
import { type CstNode, CstParser, type IOrAlt, type IParserConfig } from 'chevrotain'
import {
  ALL_TOKENS,
  ArithmeticOperator,
  Comma,
  ComparisonOperator,
  Dot,
  Identifier,
  K,
  LogicalOperator,
  LParen,
  Minus,
  NumberLiteral,
  Plus,
  QuotedIdentifier,
  RParen,
  Star,
  StringLiteral,
} from './tokens.js'

/** The parts of chevrotain's tree builder that `cstInvocationStateUpdate` below uses (not in its typings). */
interface TreeBuilderInternals {
  readonly CST_STACK: CstNode[]
  setInitialNodeLocation(node: CstNode): void
}

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
    super(ALL_TOKENS, { maxLookahead: 2, ...config })
  }

  /**
   * Replaces chevrotain's own (same body, chevrotain 11's tree_builder.js), which makes every CST
   * node's children with `Object.create(null)`: a dictionary-mode object, slow to fill and to
   * read. A plain `{}` gets hidden classes (one shape per rule alternative): the whole parse is
   * about 10 % faster. No rule, token or label is named like an Object.prototype member
   * (`toString`, `constructor`, …), so inherited properties never look like children.
   */
  cstInvocationStateUpdate(fullRuleName: string): void {
    const builder = this as unknown as TreeBuilderInternals
    const node: CstNode = { name: fullRuleName, children: {} }
    builder.setInitialNodeLocation(node)
    builder.CST_STACK.push(node)
  }

  readonly standaloneExpression = this.RULE('standaloneExpression', () => {
    this.SUBRULE(this.expression)
  })

  /**
   * Operands joined by AND / OR, read as a flat list (AND binds tighter; the visitor groups them):
   * one rule level instead of two on every operand.
   */
  readonly expression = this.RULE('expression', () => {
    this.SUBRULE(this.notExpr)
    this.MANY(() => {
      this.CONSUME(LogicalOperator)
      this.SUBRULE2(this.notExpr)
    })
  })

  /**
   * NOT, or a predicate: an arithmetic operand list (`* / %` bind tighter than `+ -`; the visitor
   * groups them) and at most one comparison / IS / IN / BETWEEN / LIKE tail. Inlined here rather
   * than separate predicate / additive / multiplicative / unary rules: every rule level costs a CST
   * node and a rule call on each operand.
   */
  readonly notExpr = this.RULE('notExpr', () => {
    this.OR(
      this.#cached('notExpr', () => [
        {
          ALT: () => {
            this.CONSUME(K.NOT)
            this.SUBRULE(this.notExpr)
          },
        },
        {
          ALT: () => {
            this.SUBRULE(this.primary)
            this.MANY(() => {
              this.CONSUME(ArithmeticOperator)
              this.SUBRULE2(this.primary)
            })
            this.OPTION(() => {
              this.OR2(
                this.#cached('predicateTail', () => [
                  { ALT: () => this.SUBRULE(this.comparisonTail) },
                  { ALT: () => this.SUBRULE(this.isNullTail) },
                  { ALT: () => this.SUBRULE(this.inTail) },
                  { ALT: () => this.SUBRULE(this.betweenTail) },
                  { ALT: () => this.SUBRULE(this.likeTail) },
                ]),
              )
            })
          },
        },
      ]),
    )
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

  /** The operand of a tail: arithmetic only (no NOT, no second comparison), as in notExpr. */
  readonly additive = this.RULE('additive', () => {
    this.SUBRULE(this.primary)
    this.MANY(() => {
      this.CONSUME(ArithmeticOperator)
      this.SUBRULE2(this.primary)
    })
  })

  /** A signed operand (`-x`, `+1`, `- -x`) or an atom: signs bind tightest. */
  readonly primary = this.RULE('primary', () => {
    this.OR(
      this.#cached('primary', () => [
        {
          ALT: () => {
            this.OR2([{ ALT: () => this.CONSUME(Minus) }, { ALT: () => this.CONSUME(Plus) }])
            this.SUBRULE(this.primary)
          },
        },
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
      this.OR(
        this.#cached('functionCall', () => [
          { ALT: () => this.CONSUME(Star) },
          {
            ALT: () => {
              this.OPTION2(() => this.CONSUME(K.DISTINCT))
              this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.expression) })
            },
          },
        ]),
      )
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
