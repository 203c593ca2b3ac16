/**
 * The SQL grammar: SELECT queries over the expression grammar. Its rules build the clause tree of
 * ast.ts as they read (embedded actions, no CST). Every construct of the language parses,
 * including those the engine cannot run yet (JOIN); `to-plan.ts` reports those as "not supported
 * yet" with their position.
 */
import type { IOrAlt, IParserConfig, IToken } from 'chevrotain'
import type {
  ClauseAst,
  CteAst,
  FromAst,
  GroupByAst,
  JoinAst,
  LimitAst,
  OrderByAst,
  OrderItemAst,
  ParsedExpr,
  QueryAst,
  SelectAst,
  SelectItemAst,
  TableRefAst,
  UnionAst,
} from './ast.js'
import { ExpressionGrammar } from './expr-grammar.js'
import { Comma, Dot, K, LParen, NumberLiteral, RParen, Semicolon, Star } from './tokens.js'

const NO_CTES: readonly CteAst[] = []

export class QueryGrammar extends ExpressionGrammar {
  constructor(config: IParserConfig = {}) {
    super(config)
    this.performSelfAnalysis()
  }

  readonly statement = this.RULE('statement', (): QueryAst => {
    const query = this.SUBRULE(this.query)
    this.OPTION(() => this.CONSUME(Semicolon))
    return query
  })

  readonly query = this.RULE('query', (): QueryAst => {
    const ctes = this.OPTION(() => this.SUBRULE(this.withClause)) ?? NO_CTES
    const core = this.SUBRULE(this.selectCore)
    const unions: UnionAst[] = []
    this.MANY(() => {
      unions.push(this.SUBRULE(this.unionTail))
    })
    const order = this.OPTION2(() => this.SUBRULE(this.orderByClause))
    const limit = this.OPTION3(() => this.SUBRULE(this.limitClause))
    return { ctes, core, unions, order, limit }
  })

  readonly withClause = this.RULE('withClause', (): CteAst[] => {
    this.CONSUME(K.WITH)
    const ctes: CteAst[] = []
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => ctes.push(this.SUBRULE(this.commonTableExpression)) })
    return ctes
  })

  readonly commonTableExpression = this.RULE('commonTableExpression', (): CteAst => {
    const name = this.SUBRULE(this.name)
    this.CONSUME(K.AS)
    this.enterNesting(this.CONSUME(LParen))
    const query = this.SUBRULE(this.query)
    this.leaveNesting()
    this.CONSUME(RParen)
    return { name, query }
  })

  readonly unionTail = this.RULE('unionTail', (): UnionAst => {
    const union = this.CONSUME(K.UNION)
    const all = this.OPTION(() => this.CONSUME(K.ALL))
    const core = this.SUBRULE(this.selectCore)
    return { union, all: all !== undefined, core }
  })

  readonly selectCore = this.RULE('selectCore', (): SelectAst => {
    const select = this.CONSUME(K.SELECT)
    const quantifier = this.OPTION(() => {
      return this.OR([{ ALT: () => this.CONSUME(K.DISTINCT) }, { ALT: () => this.CONSUME(K.ALL) }])
    })
    const items: SelectItemAst[] = []
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => items.push(this.SUBRULE(this.selectItem)) })
    const from = this.SUBRULE(this.fromClause)
    const where = this.OPTION2(() => this.SUBRULE(this.whereClause))
    const groupBy = this.OPTION3(() => this.SUBRULE(this.groupByClause))
    const having = this.OPTION4(() => this.SUBRULE(this.havingClause))
    const distinct = quantifier?.tokenType === K.DISTINCT ? quantifier : undefined
    return { select, distinct, items, from, where, groupBy, having }
  })

  // Built once with the parser, as the expression grammar's ORs and OPTIONs (see there).
  readonly #alias = (): IToken => this.SUBRULE(this.alias)

  readonly #selectItemAlts: IOrAlt<SelectItemAst>[] = [
    { ALT: () => ({ star: this.CONSUME(Star) }) },
    {
      ALT: () => {
        const qualifier = this.SUBRULE(this.name, { LABEL: 'qualifier' })
        this.CONSUME(Dot)
        this.CONSUME2(Star)
        return { qualifier }
      },
    },
    {
      ALT: () => {
        const expr = this.topExpression()
        const alias = this.OPTION(this.#alias)
        return { expr, alias }
      },
    },
  ]

  readonly selectItem = this.RULE('selectItem', (): SelectItemAst => {
    // `t.*` and `t.col` differ at the third token only: the one place that needs LL(3).
    return this.OR({
      MAX_LOOKAHEAD: 3,
      DEF: this.#selectItemAlts,
    })
  })

  readonly alias = this.RULE('alias', (): IToken => {
    this.OPTION(() => this.CONSUME(K.AS))
    return this.SUBRULE(this.name)
  })

  readonly fromClause = this.RULE('fromClause', (): FromAst => {
    this.CONSUME(K.FROM)
    const table = this.SUBRULE(this.tableRef)
    let join = undefined as JoinAst | undefined
    this.MANY(() => {
      const next = this.SUBRULE(this.join)
      join ??= next
    })
    return { table, join }
  })

  readonly tableRef = this.RULE('tableRef', (): TableRefAst => {
    const target = this.OR([
      { ALT: () => ({ name: this.SUBRULE(this.name), query: undefined }) },
      {
        ALT: () => {
          this.enterNesting(this.CONSUME(LParen))
          const query = this.SUBRULE(this.query)
          this.leaveNesting()
          this.CONSUME(RParen)
          return { name: undefined, query }
        },
      },
    ])
    const alias = this.OPTION(this.#alias)
    return { name: target.name, query: target.query, alias }
  })

  readonly join = this.RULE('join', (): JoinAst => {
    const kind = this.OPTION(() => {
      return this.OR([
        { ALT: () => this.CONSUME(K.INNER) },
        {
          ALT: () => {
            const side = this.OR2([
              { ALT: () => this.CONSUME(K.LEFT) },
              { ALT: () => this.CONSUME(K.RIGHT) },
              { ALT: () => this.CONSUME(K.FULL) },
            ])
            this.OPTION2(() => this.CONSUME(K.OUTER))
            return side
          },
        },
      ])
    })
    const join = this.CONSUME(K.JOIN)
    this.SUBRULE(this.tableRef)
    this.OR3([
      {
        ALT: () => {
          this.CONSUME(K.ON)
          this.topExpression()
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
    return { kind, join }
  })

  readonly whereClause = this.RULE('whereClause', (): ClauseAst => {
    const keyword = this.CONSUME(K.WHERE)
    return { keyword, expr: this.topExpression() }
  })

  readonly groupByClause = this.RULE('groupByClause', (): GroupByAst => {
    const group = this.CONSUME(K.GROUP)
    this.CONSUME(K.BY)
    const exprs: ParsedExpr[] = []
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => exprs.push(this.topExpression()) })
    return { group, exprs }
  })

  readonly havingClause = this.RULE('havingClause', (): ClauseAst => {
    const keyword = this.CONSUME(K.HAVING)
    return { keyword, expr: this.topExpression() }
  })

  readonly orderByClause = this.RULE('orderByClause', (): OrderByAst => {
    const order = this.CONSUME(K.ORDER)
    this.CONSUME(K.BY)
    const items: OrderItemAst[] = []
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => items.push(this.SUBRULE(this.orderItem)) })
    return { order, items }
  })

  readonly orderItem = this.RULE('orderItem', (): OrderItemAst => {
    const expr = this.topExpression()
    const direction = this.OPTION(() => {
      return this.OR([{ ALT: () => this.CONSUME(K.ASC) }, { ALT: () => this.CONSUME(K.DESC) }])
    })
    const nulls = this.OPTION2(() => {
      this.CONSUME(K.NULLS)
      return this.OR2([{ ALT: () => this.CONSUME(K.FIRST) }, { ALT: () => this.CONSUME(K.LAST) }])
    })
    // DuckDB's default: nulls last, ascending or descending (the engine's default too).
    return { expr, descending: direction?.tokenType === K.DESC, nullsFirst: nulls?.tokenType === K.FIRST }
  })

  readonly limitClause = this.RULE('limitClause', (): LimitAst => {
    const keyword = this.CONSUME(K.LIMIT)
    const limit = this.CONSUME(NumberLiteral, { LABEL: 'limit' })
    const offset = this.OPTION(() => {
      this.CONSUME(K.OFFSET)
      return this.CONSUME2(NumberLiteral, { LABEL: 'offset' })
    })
    return { keyword, limit, offset }
  })
}
