/**
 * The SQL grammar: SELECT queries over the expression grammar (pure rules, no actions). Every
 * construct of the language parses, including those the engine cannot run yet (JOIN);
 * `to-plan.ts` reports those as "not supported yet" with their position.
 */
import type { IParserConfig } from 'chevrotain'
import { ExpressionGrammar } from './expr-grammar.js'
import { Comma, Dot, K, LParen, NumberLiteral, RParen, Semicolon, Star } from './tokens.js'

export class QueryGrammar extends ExpressionGrammar {
  constructor(config: IParserConfig = {}) {
    super(config)
    this.performSelfAnalysis()
  }

  readonly statement = this.RULE('statement', () => {
    this.SUBRULE(this.query)
    this.OPTION(() => this.CONSUME(Semicolon))
  })

  readonly query = this.RULE('query', () => {
    this.OPTION(() => this.SUBRULE(this.withClause))
    this.SUBRULE(this.selectCore)
    this.MANY(() => this.SUBRULE(this.unionTail))
    this.OPTION2(() => this.SUBRULE(this.orderByClause))
    this.OPTION3(() => this.SUBRULE(this.limitClause))
  })

  readonly withClause = this.RULE('withClause', () => {
    this.CONSUME(K.WITH)
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.commonTableExpression) })
  })

  readonly commonTableExpression = this.RULE('commonTableExpression', () => {
    this.SUBRULE(this.name)
    this.CONSUME(K.AS)
    this.CONSUME(LParen)
    this.SUBRULE(this.query)
    this.CONSUME(RParen)
  })

  readonly unionTail = this.RULE('unionTail', () => {
    this.CONSUME(K.UNION)
    this.OPTION(() => this.CONSUME(K.ALL))
    this.SUBRULE(this.selectCore)
  })

  readonly selectCore = this.RULE('selectCore', () => {
    this.CONSUME(K.SELECT)
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(K.DISTINCT) }, { ALT: () => this.CONSUME(K.ALL) }])
    })
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.selectItem) })
    this.SUBRULE(this.fromClause)
    this.OPTION2(() => this.SUBRULE(this.whereClause))
    this.OPTION3(() => this.SUBRULE(this.groupByClause))
    this.OPTION4(() => this.SUBRULE(this.havingClause))
  })

  readonly selectItem = this.RULE('selectItem', () => {
    // `t.*` and `t.col` differ at the third token only: the one place that needs LL(3).
    this.OR({
      MAX_LOOKAHEAD: 3,
      DEF: [
        { ALT: () => this.CONSUME(Star) },
        {
          ALT: () => {
            this.SUBRULE(this.name, { LABEL: 'qualifier' })
            this.CONSUME(Dot)
            this.CONSUME2(Star)
          },
        },
        {
          ALT: () => {
            this.SUBRULE(this.expression)
            this.OPTION(() => this.SUBRULE(this.alias))
          },
        },
      ],
    })
  })

  readonly alias = this.RULE('alias', () => {
    this.OPTION(() => this.CONSUME(K.AS))
    this.SUBRULE(this.name)
  })

  readonly fromClause = this.RULE('fromClause', () => {
    this.CONSUME(K.FROM)
    this.SUBRULE(this.tableRef)
    this.MANY(() => this.SUBRULE(this.join))
  })

  readonly tableRef = this.RULE('tableRef', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.name) },
      {
        ALT: () => {
          this.CONSUME(LParen)
          this.SUBRULE(this.query)
          this.CONSUME(RParen)
        },
      },
    ])
    this.OPTION(() => this.SUBRULE(this.alias))
  })

  readonly join = this.RULE('join', () => {
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(K.INNER) },
        {
          ALT: () => {
            this.OR2([
              { ALT: () => this.CONSUME(K.LEFT) },
              { ALT: () => this.CONSUME(K.RIGHT) },
              { ALT: () => this.CONSUME(K.FULL) },
            ])
            this.OPTION2(() => this.CONSUME(K.OUTER))
          },
        },
      ])
    })
    this.CONSUME(K.JOIN)
    this.SUBRULE(this.tableRef)
    this.OR3([
      {
        ALT: () => {
          this.CONSUME(K.ON)
          this.SUBRULE(this.expression)
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.USING)
          this.CONSUME(LParen)
          this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.name) })
          this.CONSUME(RParen)
        },
      },
    ])
  })

  readonly whereClause = this.RULE('whereClause', () => {
    this.CONSUME(K.WHERE)
    this.SUBRULE(this.expression)
  })

  readonly groupByClause = this.RULE('groupByClause', () => {
    this.CONSUME(K.GROUP)
    this.CONSUME(K.BY)
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.expression) })
  })

  readonly havingClause = this.RULE('havingClause', () => {
    this.CONSUME(K.HAVING)
    this.SUBRULE(this.expression)
  })

  readonly orderByClause = this.RULE('orderByClause', () => {
    this.CONSUME(K.ORDER)
    this.CONSUME(K.BY)
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.orderItem) })
  })

  readonly orderItem = this.RULE('orderItem', () => {
    this.SUBRULE(this.expression)
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(K.ASC) }, { ALT: () => this.CONSUME(K.DESC) }])
    })
    this.OPTION2(() => {
      this.CONSUME(K.NULLS)
      this.OR2([{ ALT: () => this.CONSUME(K.FIRST) }, { ALT: () => this.CONSUME(K.LAST) }])
    })
  })

  readonly limitClause = this.RULE('limitClause', () => {
    this.CONSUME(K.LIMIT)
    this.CONSUME(NumberLiteral, { LABEL: 'limit' })
    this.OPTION(() => {
      this.CONSUME(K.OFFSET)
      this.CONSUME2(NumberLiteral, { LABEL: 'offset' })
    })
  })
}
