/**
 * chevrotain's lookahead, computed when tsdask is built instead of every time a process starts.
 *
 * Building the parser (`performSelfAnalysis`) walks the grammar to find, for every OR / OPTION /
 * MANY, the token sequences that choose each branch. That walk was the largest single cost of a
 * first query (~50 of ~85 ms of the parser's construction, more than loading the whole bundle), and
 * it grows with the grammar. Its result depends on nothing but the grammar, so
 * `scripts/gen-lookahead.ts` records it into `lookahead-paths.ts` as token names, and this strategy
 * turns those names back into the same lookahead functions chevrotain would have built.
 * test/parse/lookahead-paths.test.ts recomputes the table and fails when it is stale (a grammar
 * change then needs `npm run gen:lookahead`); a production missing from the table falls back to
 * chevrotain's own computation, so a stale table can only cost time there, never choose wrong
 * where the key is new.
 */

import type { IToken } from 'chevrotain'
import {
  getLookaheadPaths,
  type ILookaheadStrategy,
  type ILookaheadValidationError,
  type IOrAlt,
  LLkLookaheadStrategy,
  type Rule,
  type TokenType,
  tokenMatcher,
} from 'chevrotain'

/** One production's lookahead: per alternative, the token-name sequences that select it. */
export type LookaheadPaths = readonly (readonly (readonly string[])[])[]
export type LookaheadTable = Readonly<Record<string, LookaheadPaths>>

type AlternationOptions = Parameters<ILookaheadStrategy['buildLookaheadForAlternation']>[0]
type OptionalOptions = Parameters<ILookaheadStrategy['buildLookaheadForOptional']>[0]

/** The table key of one production: rule, kind (Alternation, Option, Repetition, …) and occurrence. */
export function lookaheadKey(rule: Rule, prodType: string, occurrence: number, maxLookahead: number): string {
  return `${rule.name}/${prodType}/${occurrence}/k${maxLookahead}`
}

/** What a lookahead function sees as `this`: the parser, through its public LA(). */
interface Lookahead {
  LA(howMuch: number): IToken
}

type ChooseAlternative = (this: Lookahead, orAlts?: IOrAlt<unknown>[]) => number | undefined
type EnterOptional = (this: Lookahead) => boolean

function matchesPath(parser: Lookahead, path: readonly TokenType[]): boolean {
  for (let i = 0; i < path.length; i++) if (!tokenMatcher(parser.LA(i + 1), path[i]!)) return false
  return true
}

/** Token-type index → alternative, for alternatives that one token decides (the common case). */
function singleTokenChoices(alternatives: readonly (readonly (readonly TokenType[])[])[]): number[] | undefined {
  if (!alternatives.every((paths) => paths.every((path) => path.length === 1))) return undefined
  const choice: number[] = []
  alternatives.forEach((paths, index) => {
    for (const [type] of paths) {
      for (const idx of [type!.tokenTypeIdx!, ...(type!.categoryMatches ?? [])]) choice[idx] ??= index
    }
  })
  return choice
}

function alternativesFunction(
  alternatives: readonly (readonly (readonly TokenType[])[])[],
  hasPredicates: boolean,
): ChooseAlternative {
  const choice = hasPredicates ? undefined : singleTokenChoices(alternatives)
  if (choice)
    return function (this: Lookahead) {
      return choice[this.LA(1).tokenTypeIdx]
    }
  return function (this: Lookahead, orAlts?: IOrAlt<unknown>[]) {
    for (let t = 0; t < alternatives.length; t++) {
      const gate = hasPredicates ? orAlts?.[t]?.GATE : undefined
      if (gate !== undefined && gate.call(this) === false) continue
      // An empty path (an empty alternative) matches at once.
      for (const path of alternatives[t]!) if (matchesPath(this, path)) return t
    }
    return undefined
  }
}

function optionalFunction(paths: readonly (readonly TokenType[])[]): EnterOptional {
  const choice = singleTokenChoices([paths])
  if (choice)
    return function (this: Lookahead) {
      return choice[this.LA(1).tokenTypeIdx] === 0
    }
  return function (this: Lookahead) {
    return paths.some((path) => matchesPath(this, path))
  }
}

/**
 * A lookahead strategy that reads `table` (made by `recordingLookahead`) and computes only the
 * productions the table lacks (telling `onComputed`, for tests). `tokens` are the grammar's token
 * types (the names in the table).
 */
export function precomputedLookahead(
  table: LookaheadTable,
  tokens: readonly TokenType[],
  maxLookahead: number,
  onComputed?: (key: string) => void,
): ILookaheadStrategy {
  const byName = new Map(tokens.map((t) => [t.name, t]))
  const typesOf = (paths: LookaheadPaths) =>
    paths.map((alternative) =>
      alternative.map((path) =>
        path.map((name) => {
          const type = byName.get(name)
          // Only a hand-edited or foreign table gets here; recomputing is always right.
          if (!type) throw new Error(`lookahead table names unknown token ${name}`)
          return type
        }),
      ),
    )
  const computed = new LLkLookaheadStrategy({ maxLookahead })
  return {
    validate: (options): ILookaheadValidationError[] => computed.validate(options),
    buildLookaheadForAlternation(options: AlternationOptions) {
      const key = lookaheadKey(options.rule, 'Alternation', options.prodOccurrence, options.maxLookahead)
      const paths = table[key]
      if (!paths || options.dynamicTokensEnabled) {
        onComputed?.(key)
        return computed.buildLookaheadForAlternation(options)
      }
      return alternativesFunction(typesOf(paths), options.hasPredicates) as ReturnType<
        ILookaheadStrategy['buildLookaheadForAlternation']
      >
    },
    buildLookaheadForOptional(options: OptionalOptions) {
      const key = lookaheadKey(options.rule, String(options.prodType), options.prodOccurrence, options.maxLookahead)
      const paths = table[key]
      if (!paths || options.dynamicTokensEnabled) {
        onComputed?.(key)
        return computed.buildLookaheadForOptional(options)
      }
      return optionalFunction(typesOf(paths)[0]!) as ReturnType<ILookaheadStrategy['buildLookaheadForOptional']>
    },
  }
}

/**
 * chevrotain's own strategy, writing every production's lookahead paths into `into` as it builds
 * them: what scripts/gen-lookahead.ts saves and the freshness test compares.
 */
export function recordingLookahead(into: Record<string, LookaheadPaths>, maxLookahead: number): ILookaheadStrategy {
  const computed = new LLkLookaheadStrategy({ maxLookahead })
  const names = (paths: TokenType[][][]): LookaheadPaths =>
    paths.map((alt) => alt.map((path) => path.map((t) => t.name)))
  return {
    validate: (options) => computed.validate(options),
    buildLookaheadForAlternation(options) {
      const { rule, prodOccurrence: occurrence, maxLookahead: k } = options
      into[lookaheadKey(rule, 'Alternation', occurrence, k)] = names(
        getLookaheadPaths({ occurrence, rule, prodType: 'Alternation', maxLookahead: k }),
      )
      return computed.buildLookaheadForAlternation(options)
    },
    buildLookaheadForOptional(options) {
      const { rule, prodOccurrence: occurrence, maxLookahead: k, prodType } = options
      into[lookaheadKey(rule, String(prodType), occurrence, k)] = names(
        getLookaheadPaths({ occurrence, rule, prodType, maxLookahead: k }),
      )
      return computed.buildLookaheadForOptional(options)
    },
  }
}
