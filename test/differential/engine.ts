/**
 * The tsdask the differential test runs: its TypeScript sources (vitest), or, with
 * TSDASK_DIFFERENTIAL_DIST=1 (npm run fuzz), the compiled dist/ that the CLI and users run. The
 * fuzzer uses dist/ because pool workers started from sources load through tsx, whose cache files
 * stay open when a worker thread is replaced (after every failing compute): thousands of cases
 * then run out of file descriptors. Every runtime value of tsdask the test uses comes from here,
 * so classes (`TsdaskError`, `DataFrame`) are the engine's own.
 */
import type * as Sources from '../../src/index.js'

const dist = process.env.TSDASK_DIFFERENTIAL_DIST === '1'
const engine: typeof Sources = dist
  ? ((await import(new URL('../../dist/index.js', import.meta.url).href)) as typeof Sources)
  : await import('../../src/index.js')

export const { fromArrow, fromRecords, readCsv, shutdown, sql, TsdaskError } = engine
export type { DataFrame, DType, SchemaShape } from '../../src/index.js'
