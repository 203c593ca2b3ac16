import { afterAll, describe, expect, test } from 'vitest'
import { fromRecords, shutdown } from '../../src/index.js'

afterAll(() => shutdown())

describe('explain() of head()', () => {
  const df = fromRecords(
    Array.from({ length: 20 }, (_, i) => ({ i })),
    { npartitions: 4 },
  )

  test.skipIf(process.env.TSDASK_OPTIMIZER === 'off')(
    'says the input is computed incrementally, and that bare scans stop early',
    () => {
      expect(df.head(3).explain()).toContain(
        'limit: input partitions are computed 1, 2, 4, … at a time until 3 rows are in; each read stops after 3 rows',
      )
    },
  )

  test('says nothing about incremental limits under a sort (top-k instead)', () => {
    expect(df.sort('i').head(3).explain()).not.toContain('computed 1, 2, 4')
  })
})
