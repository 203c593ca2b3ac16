/**
 * The expression grammar, shared by expression strings (`df.filter("fare > 10")`) and SQL. Its
 * rules build the `ExprNode`s as they read (chevrotain embedded actions): no CST, no second pass.
 * Precedence, loosest first, as in DuckDB / Postgres:
 *
 *   OR < AND < NOT < comparison, IS [NOT] NULL, [NOT] IN / BETWEEN / LIKE < + - < * / % < unary - +
 *
 * Binary operators of the same rule (AND / OR; + - * / %) are read as flat lists and grouped by
 * precedence as they are read: a rule per precedence level would cost a rule call per level on
 * every operand, which was most of the parse time. Comparisons do not chain (`a < b < c` is a
 * syntax error). `grammar/README.md` is the EBNF of these rules.
 *
 * What needs the query's scope (column names) or is a semantic error is recorded, not raised, in
 * the expression's checks (see ast.ts): the whole text is syntax-checked first, and `resolveExpr`
 * raises the first problem in reading order. Rule bodies also run once while chevrotain records
 * the grammar (RECORDING_PHASE): tokens and subrule results are then dummies, so the actions only
 * build objects from them and never throw; lookups that would record checks are skipped.
 *
 * Depth limits (util/depth-limits.ts) are the exception to recording: every construct that makes
 * the parser recurse (brackets, CASE, NOT, signs) opens a nesting level, and past MAX_QUERY_NESTING
 * the text is refused at once, at the opening, before the recursion can overflow; every node built
 * is checked against MAX_EXPRESSION_DEPTH at the operator or keyword that built it.
 */
import { EmbeddedActionsParser, type IOrAlt, type IParserConfig, type IToken } from 'chevrotain'
import { exprDepth } from '../expr/depth.js'
import type { BinaryOp, ExprNode, LiteralNode } from '../expr/expr-node.js'
import { MAX_EXPRESSION_DEPTH, MAX_QUERY_NESTING } from '../util/depth-limits.js'
import type { Check, DeferredError, ParsedExpr, Shape } from './ast.js'
import { invalidQuery, notSupportedYet, TooDeepInQuery, unknownName } from './errors.js'
import { FUNCTION_NAMES, FUNCTIONS, type FunctionEntry } from './functions.js'
import { foldCast, numberLiteral, stringValue, temporalValue } from './literals.js'
import { ARITHMETIC, binary, COMPARISON, emptyNameError, nameText, TYPE_NAMES, unary } from './to-expr.js'
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

/** Stands in for a node whose check failed: the recorded error is raised before it can be used. */
const PLACEHOLDER: LiteralNode = { kind: 'Literal', value: null, dtype: null }
const NO_ARGS: readonly ExprNode[] = []

/** What follows a function's `(`: `*`, or [DISTINCT] arguments; undefined for `f()`. */
interface CallParts {
  readonly star: IToken | undefined
  readonly distinct: IToken | undefined
  readonly args: readonly ExprNode[]
}

function negatable(not: IToken | undefined, e: ExprNode): ExprNode {
  return not ? unary('not', e) : e
}

/** Tokens of lookahead the grammar may use to choose a branch (LL(2)). */
export const MAX_LOOKAHEAD = 2

export class ExpressionGrammar extends EmbeddedActionsParser {
  /** chevrotain's flag (not in its typings): true while rule bodies run to record the grammar. */
  declare readonly RECORDING_PHASE: boolean

  /** The checks of the top-level expression being read, in reading order. */
  #checks: Check[] = []
  /** The shape of the operand or expression read last (each rule sets it after its subrules). */
  #shape: Shape = 'compound'
  #shapeToken: IToken | undefined
  /** Whether the top-level expression being read has called an aggregate function so far. */
  #aggregates = false
  /** The operand before a predicate tail, handed to the tail rule (read first thing in it). */
  #left: ExprNode = PLACEHOLDER
  /** Nesting levels open at the token being read (see enterNesting). */
  #nesting = 0

  constructor(config: IParserConfig = {}) {
    super(ALL_TOKENS, { maxLookahead: MAX_LOOKAHEAD, ...config })
  }

  /** Reads one whole expression of a clause (or a string): its node, checks, first token and shape. */
  protected topExpression(): ParsedExpr {
    this.#checks = []
    this.#aggregates = false
    const first = this.LA(1)
    const node = this.SUBRULE(this.expression)
    const shapeToken = this.#shapeToken
    return { node, checks: this.#checks, first, shape: this.#shape, shapeToken, aggregates: this.#aggregates }
  }

  #defer(error: DeferredError): void {
    if (!this.RECORDING_PHASE) this.#checks.push(error)
  }

  /** Before each parse: a text refused midway leaves its levels open. */
  resetNesting(): void {
    this.#nesting = 0
  }

  /** One level deeper, opened by `opener`; refused past MAX_QUERY_NESTING before the parser recurses. */
  protected enterNesting(opener: IToken): void {
    if (this.RECORDING_PHASE) return
    this.#nesting++
    if (this.#nesting > MAX_QUERY_NESTING) throw new TooDeepInQuery(opener, 'nesting', this.#nesting)
  }

  protected leaveNesting(): void {
    if (!this.RECORDING_PHASE) this.#nesting--
  }

  /** `node`, refused at `token` (the operator or keyword that built it) past MAX_EXPRESSION_DEPTH. */
  #within(node: ExprNode, token: IToken): ExprNode {
    if (this.RECORDING_PHASE) return node
    const depth = exprDepth(node)
    if (depth > MAX_EXPRESSION_DEPTH) throw new TooDeepInQuery(token, 'expression', depth)
    return node
  }

  readonly standaloneExpression = this.RULE('standaloneExpression', (): ParsedExpr => this.topExpression())

  /**
   * Operands joined by AND / OR, read as a flat list: `a OR b AND c OR d` is `(a OR (b AND c)) OR d`
   * (AND binds tighter, both associate to the left).
   */
  readonly expression = this.RULE('expression', (): ExprNode => {
    let ands = this.SUBRULE(this.notExpr)
    let ors = undefined as ExprNode | undefined
    // The OR that joins `ors` and `ands`, once there is one.
    let lastOr = undefined as IToken | undefined
    let more = false as boolean
    this.MANY(() => {
      const operator = this.CONSUME(LogicalOperator)
      const right = this.SUBRULE2(this.notExpr)
      more = true
      if (operator.tokenType === K.AND) ands = this.#within(binary('and', ands, right), operator)
      else {
        ors = ors && lastOr ? this.#within(binary('or', ors, ands), lastOr) : ands
        lastOr = operator
        ands = right
      }
    })
    if (!more) return ands
    this.#shape = 'compound'
    return ors && lastOr ? this.#within(binary('or', ors, ands), lastOr) : ands
  })

  // The alternatives of each OR are a field, built once with the parser (chevrotain's performance
  // guide: an array literal in the rule would allocate the array and its closures on every call).
  readonly #tailAlts: IOrAlt<ExprNode>[] = [
    { ALT: () => this.SUBRULE(this.comparisonTail) },
    { ALT: () => this.SUBRULE(this.isNullTail) },
    { ALT: () => this.SUBRULE(this.inTail) },
    { ALT: () => this.SUBRULE(this.betweenTail) },
    { ALT: () => this.SUBRULE(this.likeTail) },
  ]

  // OPTION bodies that capture nothing are fields too: no closure allocated per call.
  readonly #predicateTail = (): ExprNode => this.OR2(this.#tailAlts)
  readonly #not = (): IToken => this.CONSUME(K.NOT)

  readonly #notExprAlts: IOrAlt<ExprNode>[] = [
    {
      ALT: () => {
        const not = this.CONSUME(K.NOT)
        this.enterNesting(not)
        const arg = this.SUBRULE(this.notExpr)
        this.leaveNesting()
        this.#shape = 'compound'
        return this.#within(unary('not', arg), not)
      },
    },
    {
      ALT: () => {
        const left = this.#operands()
        this.#left = left
        const predicate = this.OPTION(this.#predicateTail)
        if (predicate === undefined) return left
        this.#shape = 'compound'
        return predicate
      },
    },
  ]

  /**
   * NOT, or a predicate: an arithmetic operand list and at most one comparison / IS / IN / BETWEEN
   * / LIKE tail. Inlined here rather than separate predicate / additive / unary rules: every rule
   * level costs a rule call on each operand.
   */
  readonly notExpr = this.RULE('notExpr', (): ExprNode => this.OR(this.#notExprAlts))

  /**
   * `primary (operator primary)*`, grouped as read: `a - b * c + d` is `(a - (b * c)) + d`
   * (`* / %` bind tighter than `+ -`, all associate to the left). Shared by notExpr and additive.
   */
  #operands(): ExprNode {
    let term = this.SUBRULE(this.primary)
    let sum = undefined as ExprNode | undefined
    let sumOp: BinaryOp = 'add'
    // The + or - that joins `sum` and `term`, once there is one.
    let sumToken = undefined as IToken | undefined
    let more = false as boolean
    this.MANY(() => {
      const token = this.CONSUME(ArithmeticOperator)
      const op = ARITHMETIC[token.image] as BinaryOp
      const right = this.SUBRULE2(this.primary)
      more = true
      if (op === 'mul' || op === 'div' || op === 'mod') term = this.#within(binary(op, term, right), token)
      else {
        sum = sum && sumToken ? this.#within(binary(sumOp, sum, term), sumToken) : term
        sumOp = op
        sumToken = token
        term = right
      }
    })
    if (!more) return term
    this.#shape = 'compound'
    return sum && sumToken ? this.#within(binary(sumOp, sum, term), sumToken) : term
  }

  readonly comparisonTail = this.RULE('comparisonTail', (): ExprNode => {
    const left = this.#left
    const token = this.CONSUME(ComparisonOperator)
    const op = COMPARISON[token.image] as BinaryOp
    return this.#within(binary(op, left, this.SUBRULE(this.additive)), token)
  })

  readonly isNullTail = this.RULE('isNullTail', (): ExprNode => {
    const left = this.#left
    const is = this.CONSUME(K.IS)
    const not = this.OPTION(this.#not)
    this.CONSUME(K.NULL)
    return this.#within(unary(not ? 'isNotNull' : 'isNull', left), is)
  })

  /** IN takes literal values only (the engine has no other IN): anything else is "not supported yet". */
  readonly inTail = this.RULE('inTail', (): ExprNode => {
    const left = this.#left
    const not = this.OPTION(this.#not)
    const inToken = this.CONSUME(K.IN)
    this.enterNesting(this.CONSUME(LParen))
    const values: LiteralNode[] = []
    this.AT_LEAST_ONE_SEP({
      SEP: Comma,
      DEF: () => {
        const first = this.LA(1)
        const value = this.SUBRULE(this.expression)
        if (value.kind === 'Literal') values.push(value)
        else {
          this.#defer((source) =>
            notSupportedYet(source, first, 'IN with a value that is not a literal', 'List constants only.'),
          )
        }
      },
    })
    this.leaveNesting()
    this.CONSUME(RParen)
    return this.#within(negatable(not, { kind: 'IsIn', arg: left, values }), inToken)
  })

  /** `x BETWEEN a AND b` is `x >= a AND x <= b`, as `between()` builds it. */
  readonly betweenTail = this.RULE('betweenTail', (): ExprNode => {
    const left = this.#left
    const not = this.OPTION(this.#not)
    const between = this.CONSUME(K.BETWEEN)
    const low = this.SUBRULE(this.additive)
    this.CONSUME(K.AND)
    const high = this.SUBRULE2(this.additive)
    return this.#within(negatable(not, binary('and', binary('gte', left, low), binary('lte', left, high))), between)
  })

  /** `x NOT LIKE p` is `NOT (x LIKE p)`, as `notLike()` builds it. */
  readonly likeTail = this.RULE('likeTail', (): ExprNode => {
    const left = this.#left
    const not = this.OPTION(this.#not)
    const like = this.CONSUME(K.LIKE)
    const first = this.LA(1)
    const pattern = this.SUBRULE(this.additive)
    if (pattern.kind === 'Literal' && typeof pattern.value === 'string') {
      return this.#within(negatable(not, { kind: 'String', fn: 'like', arg: left, pattern: pattern.value }), like)
    }
    this.#defer((source) =>
      invalidQuery(
        source,
        first,
        "the pattern of LIKE must be a 'string' literal (% matches any run of characters, _ one character)",
      ),
    )
    return PLACEHOLDER
  })

  /** The operand of a tail: arithmetic only (no NOT, no second comparison), as in notExpr. */
  readonly additive = this.RULE('additive', (): ExprNode => this.#operands())

  readonly #primaryAlts: IOrAlt<ExprNode>[] = [
    { ALT: () => this.#signed() },
    {
      ALT: () => {
        const token = this.CONSUME(NumberLiteral)
        this.#shape = 'number'
        this.#shapeToken = token
        return numberLiteral(token.image, false)
      },
    },
    {
      ALT: () => {
        const token = this.CONSUME(StringLiteral)
        this.#shape = 'plain'
        return { kind: 'Literal', value: stringValue(token.image), dtype: 'utf8' }
      },
    },
    {
      ALT: () => {
        this.CONSUME(K.TRUE)
        return this.#plain({ kind: 'Literal', value: true, dtype: 'bool' })
      },
    },
    {
      ALT: () => {
        this.CONSUME(K.FALSE)
        return this.#plain({ kind: 'Literal', value: false, dtype: 'bool' })
      },
    },
    {
      ALT: () => {
        this.CONSUME(K.NULL)
        return this.#plain({ kind: 'Literal', value: null, dtype: null })
      },
    },
    { ALT: () => this.#plain(this.SUBRULE(this.typedLiteral)) },
    { ALT: () => this.#compound(this.SUBRULE(this.parenthesized)) },
    { ALT: () => this.#compound(this.SUBRULE(this.castExpr)) },
    { ALT: () => this.#plain(this.SUBRULE(this.caseExpr)) },
    { ALT: () => this.#plain(this.SUBRULE(this.functionCall)) },
    { ALT: () => this.SUBRULE(this.columnRef) },
  ]

  /** A signed operand (`-x`, `+1`, `- -x`) or an atom: signs bind tightest. */
  readonly primary = this.RULE('primary', (): ExprNode => this.OR(this.#primaryAlts))

  #plain(node: ExprNode): ExprNode {
    this.#shape = 'plain'
    return node
  }

  #compound(node: ExprNode): ExprNode {
    this.#shape = 'compound'
    return node
  }

  readonly #signAlts: IOrAlt<IToken>[] = [{ ALT: () => this.CONSUME(Minus) }, { ALT: () => this.CONSUME(Plus) }]

  /** `+x` is x, `-5` the literal -5 (what lit(-5) prints as), `-(5)` and `-x` a negation. */
  #signed(): ExprNode {
    const sign = this.OR2(this.#signAlts)
    this.enterNesting(sign)
    const operand = this.SUBRULE(this.primary)
    this.leaveNesting()
    const inner = this.#shape
    this.#shape = inner === 'number' || inner === 'name' || inner === 'plain' ? 'signed' : 'compound'
    if (sign.tokenType === Plus) return operand
    if (inner === 'number' && this.#shapeToken) return numberLiteral(this.#shapeToken.image, true)
    return this.#within(unary('negate', operand), sign)
  }

  readonly #typedLiteralAlts: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(K.DATE) },
    { ALT: () => this.CONSUME(K.TIMESTAMP) },
  ]

  readonly typedLiteral = this.RULE('typedLiteral', (): ExprNode => {
    const kind = this.OR(this.#typedLiteralAlts)
    const token = this.CONSUME(StringLiteral)
    if (this.RECORDING_PHASE) return PLACEHOLDER
    const dtype = kind.tokenType === K.DATE ? 'date32' : 'timestamp[ms]'
    const value = temporalValue(stringValue(token.image), dtype)
    if (value) return { kind: 'Literal', value, dtype }
    const form = dtype === 'date32' ? "DATE 'YYYY-MM-DD'" : "TIMESTAMP 'YYYY-MM-DD HH:MM:SS.mmm'"
    const what = dtype === 'date32' ? 'date' : 'timestamp'
    this.#defer((source) => invalidQuery(source, token, `${token.image} is not a valid ${what}; write ${form}`))
    return PLACEHOLDER
  })

  readonly parenthesized = this.RULE('parenthesized', (): ExprNode => {
    this.enterNesting(this.CONSUME(LParen))
    const inner = this.SUBRULE(this.expression)
    this.leaveNesting()
    this.CONSUME(RParen)
    return inner
  })

  /** `CAST(<literal> AS type)` of an unparenthesized literal folds into a typed literal (literals.ts). */
  readonly castExpr = this.RULE('castExpr', (): ExprNode => {
    const cast = this.CONSUME(K.CAST)
    this.enterNesting(this.CONSUME(LParen))
    const arg = this.SUBRULE(this.expression)
    const bare = this.#shape !== 'compound'
    this.CONSUME(K.AS)
    const typeToken = this.SUBRULE(this.typeName)
    this.leaveNesting()
    this.CONSUME(RParen)
    if (this.RECORDING_PHASE) return PLACEHOLDER
    const written = typeToken.image.toLowerCase()
    const dtype = Object.hasOwn(TYPE_NAMES, written) ? TYPE_NAMES[written] : undefined
    if (!dtype) {
      this.#defer((source) => unknownName(source, typeToken, 'type', typeToken.image, Object.keys(TYPE_NAMES)))
      return PLACEHOLDER
    }
    const folded = arg.kind === 'Literal' && bare ? foldCast(arg, dtype) : null
    return folded ?? this.#within({ kind: 'Cast', arg, dtype }, cast)
  })

  /** `CASE x WHEN v THEN r …` is `CASE WHEN x = v THEN r …`. */
  readonly caseExpr = this.RULE('caseExpr', (): ExprNode => {
    const caseToken = this.CONSUME(K.CASE)
    this.enterNesting(caseToken)
    const operand = this.OPTION(() => this.SUBRULE(this.expression, { LABEL: 'operand' }))
    const branches: { condition: ExprNode; value: ExprNode }[] = []
    this.AT_LEAST_ONE(() => {
      this.CONSUME(K.WHEN)
      const when = this.SUBRULE2(this.expression, { LABEL: 'when' })
      this.CONSUME(K.THEN)
      const value = this.SUBRULE3(this.expression, { LABEL: 'then' })
      branches.push({ condition: operand ? binary('eq', operand, when) : when, value })
    })
    const otherwise = this.OPTION2(() => {
      this.CONSUME(K.ELSE)
      return this.SUBRULE4(this.expression, { LABEL: 'else' })
    })
    this.leaveNesting()
    this.CONSUME(K.END)
    return this.#within({ kind: 'Case', branches, otherwise: otherwise ?? null }, caseToken)
  })

  readonly #callAlts: IOrAlt<CallParts>[] = [
    { ALT: () => ({ star: this.CONSUME(Star), distinct: undefined, args: NO_ARGS }) },
    {
      ALT: () => {
        const distinct = this.OPTION2(() => this.CONSUME(K.DISTINCT))
        const args: ExprNode[] = []
        this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => args.push(this.SUBRULE(this.expression)) })
        return { star: undefined, distinct, args }
      },
    },
  ]

  readonly #callParts = (): CallParts => this.OR(this.#callAlts)

  /** Functions come from the one table in functions.ts; its name is checked before its arguments. */
  readonly functionCall = this.RULE('functionCall', (): ExprNode => {
    const nameToken = this.SUBRULE(this.name)
    const name = this.RECORDING_PHASE ? '' : nameText(nameToken).toLowerCase()
    const entry = this.RECORDING_PHASE ? undefined : this.#functionEntry(nameToken, name)
    this.enterNesting(this.CONSUME(LParen))
    const parts = this.OPTION(this.#callParts)
    this.leaveNesting()
    this.CONSUME(RParen)
    return entry ? this.#within(this.#call(entry, name, nameToken, parts), nameToken) : PLACEHOLDER
  })

  /** `name`: the token's name, lower-cased. */
  #functionEntry(token: IToken, name: string): FunctionEntry | undefined {
    if (name.length === 0) this.#defer((source) => emptyNameError(source, token))
    const entry = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined
    if (!entry) this.#defer((source) => unknownName(source, token, 'function', name, FUNCTION_NAMES))
    return entry
  }

  /** The call's node; a misuse (`sum(*)`, `lower(DISTINCT x)`, wrong arity) is recorded. */
  #call(entry: FunctionEntry, name: string, nameToken: IToken, parts: CallParts | undefined): ExprNode {
    const star = parts?.star
    const distinct = parts?.distinct
    const args = parts?.args ?? NO_ARGS
    if (star && name !== 'count') {
      this.#defer((source) => invalidQuery(source, star, `only count(*) takes *; write ${entry.signature}`))
      return PLACEHOLDER
    }
    if (distinct && entry.kind === 'scalar') {
      this.#defer((source) => invalidQuery(source, distinct, `DISTINCT applies to aggregates only, not ${name}()`))
      return PLACEHOLDER
    }
    const count = star ? 0 : args.length
    if (count < entry.minArgs || count > entry.maxArgs) {
      const got = `${name}() got ${count} argument${count === 1 ? '' : 's'}; write ${entry.signature}`
      this.#defer((source) => invalidQuery(source, nameToken, got))
      return PLACEHOLDER
    }
    const built = entry.build({ args, star: star !== undefined, distinct: distinct !== undefined })
    if ('notSupported' in built) {
      this.#defer((source) => notSupportedYet(source, distinct ?? nameToken, built.notSupported))
      return PLACEHOLDER
    }
    if ('invalid' in built) {
      this.#defer((source) => invalidQuery(source, nameToken, built.invalid))
      return PLACEHOLDER
    }
    if (entry.kind === 'aggregate') this.#aggregates = true
    return built
  }

  readonly #qualifiedPart = (): IToken => {
    this.CONSUME(Dot)
    return this.SUBRULE2(this.name)
  }

  /** A column, its name checked against the scope later (resolveExpr). */
  readonly columnRef = this.RULE('columnRef', (): ExprNode => {
    const first = this.SUBRULE(this.name)
    const second = this.OPTION(this.#qualifiedPart)
    if (second === undefined) {
      this.#checks.push(first)
      this.#shape = 'name'
      this.#shapeToken = first
      return { kind: 'Column', name: nameText(first) }
    }
    this.#checks.push({ qualifier: first, name: second })
    this.#shape = 'plain'
    return { kind: 'Column', name: nameText(second) }
  })

  readonly #nameAlts: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(Identifier) },
    { ALT: () => this.CONSUME(QuotedIdentifier) },
    { ALT: () => this.CONSUME(K.DATE) },
    { ALT: () => this.CONSUME(K.TIMESTAMP) },
  ]

  /** A name; DATE and TIMESTAMP double as names (a column called `date` is common). */
  readonly name = this.RULE('name', (): IToken => this.OR(this.#nameAlts))

  readonly #typeNameAlts: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(Identifier) },
    { ALT: () => this.CONSUME(K.DATE) },
    { ALT: () => this.CONSUME(K.TIMESTAMP) },
  ]

  readonly typeName = this.RULE('typeName', (): IToken => this.OR(this.#typeNameAlts))
}
