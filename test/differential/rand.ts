/**
 * Imperative random choices over fast-check's `fc.gen()`: the query generator is type-directed
 * code that decides step by step, which reads better as plain code than as nested arbitraries.
 * Every choice goes through fast-check, so a run replays from its seed and path, and shrinks.
 */
import fc from 'fast-check'

export class Rand {
  constructor(private readonly g: fc.GeneratorValue) {}

  int(min: number, max: number): number {
    // Unbiased: fast-check's bias towards the bounds would skew every weighted choice.
    return this.g(() => fc.noBias(fc.integer({ min, max })))
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    // Shrinks towards false: the smaller query.
    return this.int(0, 999) >= 1000 - Math.round(p * 1000)
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rand.pick: nothing to pick from')
    return items[this.int(0, items.length - 1)]!
  }

  /** One of the options, by weight; options of weight 0 are skipped. */
  weighted<T>(options: readonly (readonly [number, T])[]): T {
    const live = options.filter(([w]) => w > 0)
    const total = live.reduce((s, [w]) => s + w, 0)
    let x = this.int(0, total - 1)
    for (const [w, v] of live) {
      if (x < w) return v
      x -= w
    }
    return live.at(-1)![1]
  }

  /** A random subset in random order, of size within [min, max]. */
  subset<T>(items: readonly T[], min: number, max: number): T[] {
    const pool = [...items]
    const n = this.int(Math.min(min, pool.length), Math.min(max, pool.length))
    const out: T[] = []
    for (let i = 0; i < n; i++) out.push(pool.splice(this.int(0, pool.length - 1), 1)[0]!)
    return out
  }

  /** Draws from any arbitrary (tables are drawn this way). */
  draw<T>(arb: fc.Arbitrary<T>): T {
    return this.g(() => arb)
  }
}
