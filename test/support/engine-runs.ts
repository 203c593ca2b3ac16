/**
 * Running one random case for the engine's property tests: the reference result (a case whose
 * pipeline overflows an integer is discarded, through fc.pre) and the engine's result (an overflow
 * there is a failure, since the reference computed every row without one).
 */
import fc from 'fast-check'
import { type ComputeOptions, TsdaskError } from '../../src/index.js'
import type { Record_ } from './compare-rows.js'
import type { AnyFrame } from './random-tables.js'
import { type ReferenceFaults, ReferenceOverflowError, referenceRecords } from './reference-interpreter.js'

/** The reference result, or a discarded case when the pipeline overflows an integer. */
export function reference(df: AnyFrame, faults?: ReferenceFaults): Record_[] {
  try {
    return referenceRecords(df.plan, faults)
  } catch (error) {
    if (error instanceof ReferenceOverflowError) fc.pre(false)
    throw error
  }
}

export async function run(df: AnyFrame, options: ComputeOptions): Promise<Record_[]> {
  try {
    return await df.toRecords(options)
  } catch (error) {
    // The reference computes every row, so whatever overflows in the engine overflowed there too.
    if (error instanceof TsdaskError && error.code === 'OVERFLOW')
      throw new Error(`engine overflowed where the reference did not: ${error.message}`)
    throw error
  }
}
