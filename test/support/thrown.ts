import { TsdaskError } from '../../src/util/errors.js'

/** The TsdaskError `run` throws; fails the test when it throws nothing, or something else. */
export function thrown(run: () => unknown): TsdaskError {
  try {
    run()
  } catch (error) {
    if (error instanceof TsdaskError) return error
    throw error
  }
  throw new Error('expected a TsdaskError, but nothing was thrown')
}
