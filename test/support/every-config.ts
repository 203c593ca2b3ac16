/**
 * Runs a query on both schedulers, with and without the optimizer, over several partition counts,
 * and checks that every run agrees. Floating-point results may differ in the last bits between
 * partitionings (sums and moments merge in a different order), so numbers are compared with a
 * relative tolerance; everything else exactly.
 */
import { expect } from 'vitest'
import type { DataFrame } from '../../src/index.js'

// biome-ignore lint/suspicious/noExplicitAny: a test helper over frames of any schema
export type Build = (npartitions: number) => DataFrame<any>

export const PARTS = [1, 2, 3, 7] as const
export const CONFIGS = [
  { scheduler: 'sync', optimize: true },
  { scheduler: 'sync', optimize: false },
  { scheduler: 'pool', optimize: true },
  { scheduler: 'pool', optimize: false },
] as const

function roughly(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b)
    return a === b || Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b))
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime()
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a)
    const kb = Object.keys(b)
    if (ka.length !== kb.length) return false
    return ka.every((k) => roughly((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  }
  return Object.is(a, b)
}

/** Expects `got` to equal `want`, numbers within a relative 1e-12. */
export function expectRoughly(got: unknown, want: unknown, label = ''): void {
  if (!roughly(got, want)) expect(got, label).toEqual(want)
}

/** Runs `build` in every configuration; all must agree; returns the rows of the first run. */
export async function runEverywhere(
  build: Build,
  parts: readonly number[] = PARTS,
): Promise<Record<string, unknown>[]> {
  let first: Record<string, unknown>[] | undefined
  for (const np of parts) {
    for (const config of CONFIGS) {
      const rows = (await build(np).toRecords(config)) as Record<string, unknown>[]
      if (first === undefined) first = rows
      else expectRoughly(rows, first, `npartitions=${np} ${JSON.stringify(config)}`)
    }
  }
  return first ?? []
}

/** Every configuration must reject with a message matching `pattern`. */
export async function failsEverywhere(build: Build, pattern: RegExp, parts: readonly number[] = PARTS): Promise<void> {
  for (const np of parts) {
    for (const config of CONFIGS) {
      await expect(build(np).toRecords(config), `npartitions=${np} ${JSON.stringify(config)}`).rejects.toThrow(pattern)
    }
  }
}
