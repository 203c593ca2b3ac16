/**
 * The types of `DataFrame.join`: which keys are allowed, whether each pair of key dtypes can be
 * equal (a mismatch is a compile error naming the pair), and the result schema: the left columns,
 * then the right ones (the `on` keys once; a name the left side has gets the suffix); semi and
 * anti joins keep the left columns only. Frames whose schema is known only at run time get the
 * same checks when the join is built.
 */
import type { IsWide, SchemaLike, Simplify } from '../expr/typing.js'
import type { NumericDType, TemporalDType } from '../types/dtype.js'
import type { JoinHow } from '../types/join-how.js'

export interface JoinCommon<How extends JoinHow, Suffix extends string> {
  /** Default 'inner'. Nulls never match (SQL); `semi` / `anti` keep the left rows with / without a match. */
  readonly how?: How
  /** Appended to a right column name the left side also has; default `_right`. */
  readonly suffix?: Suffix
  /**
   * Broadcast a side estimated at most this many bytes (every partition of the other side joins
   * all of it) instead of hash-partitioning both; default 32 MiB. 0 always partitions.
   */
  readonly broadcastBelow?: number
}

/** Join on columns both frames have under the same names: each appears once in the result. */
export interface JoinOn<K extends string, How extends JoinHow, Suffix extends string> extends JoinCommon<How, Suffix> {
  readonly on: K | readonly K[]
}

/** Join `leftOn[i]` with `rightOn[i]`: both sides' key columns stay in the result. */
export interface JoinLeftRight<KL extends string, KR extends string, How extends JoinHow, Suffix extends string>
  extends JoinCommon<How, Suffix> {
  readonly leftOn: KL | readonly KL[]
  readonly rightOn: KR | readonly KR[]
}

type Comparable<A, B> = [A] extends [B]
  ? true
  : [A, B] extends [NumericDType, NumericDType]
    ? true
    : [A, B] extends [TemporalDType, TemporalDType]
      ? true
      : false

type Elements<K> = K extends readonly (infer E)[] ? E : K

/** `unknown` when every `on` key has dtypes that can be equal on both sides, else an error type. */
export type OnKeysChecked<S extends SchemaLike, O extends SchemaLike, K> =
  IsWide<S> extends true
    ? unknown
    : IsWide<O> extends true
      ? unknown
      : {
            [P in Elements<K> & keyof S & keyof O & string]: Comparable<S[P], O[P]>
          }[Elements<K> & keyof S & keyof O & string] extends true
        ? unknown
        : { readonly 'join keys must have dtypes that can be equal (cast one side first)': Elements<K> }

/** Pairwise check of `leftOn` / `rightOn` tuples (arrays of names are checked when the join is built). */
export type PairKeysChecked<S extends SchemaLike, O extends SchemaLike, KL, KR> =
  IsWide<S> extends true
    ? unknown
    : IsWide<O> extends true
      ? unknown
      : KL extends keyof S
        ? KR extends keyof O
          ? Comparable<S[KL], O[KR]> extends true
            ? unknown
            : { readonly 'join keys must have dtypes that can be equal (cast one side first)': [KL, KR] }
          : unknown
        : unknown

type RightColumns<S extends SchemaLike, O extends SchemaLike, Merged, Suffix extends string> = {
  readonly [P in keyof O & string as P extends Merged ? never : P extends keyof S ? `${P}${Suffix}` : P]: O[P]
}

export type Joined<
  S extends SchemaLike,
  O extends SchemaLike,
  How extends JoinHow,
  Merged,
  Suffix extends string,
> = How extends 'semi' | 'anti' ? S : Simplify<{ readonly [P in keyof S]: S[P] } & RightColumns<S, O, Merged, Suffix>>

/** Every left column beside every right column. */
export type CrossJoined<S extends SchemaLike, O extends SchemaLike, Suffix extends string> = Simplify<
  { readonly [P in keyof S]: S[P] } & RightColumns<S, O, never, Suffix>
>
