/**
 * The CLI on the pool, many times over, with no crash (issue 13: ~1 in 20 short runs aborted with
 * V8's `IsGraphAsync` fatal error as the pool closed while a worker was still loading). 60 runs fail
 * on the old worker loading with probability ~0.95 (3 crashes in 80 runs measured); the big run
 * (`node --import tsx scripts/stress-cli.ts --runs 300`) is reported in bench/README.md.
 */
import { describe, expect, it } from 'vitest'
import { stressCli } from '../../scripts/stress-cli.js'

const RUNS = Number(process.env.TSDASK_STRESS_RUNS ?? 60)

describe('the tsdask CLI under repetition', () => {
  it(`answers ${RUNS} tiny queries on a 2-worker pool with no crash`, { timeout: 600_000 }, async () => {
    const result = await stressCli({ runs: RUNS, concurrency: 2, workers: 2 })
    expect(result.failed).toEqual([])
  })
})
