import { describe } from 'vitest'
import { createSyncScheduler } from '../../src/schedule/sync.js'
import { schedulerContract } from './fixtures/contract.js'
import './fixtures/test-ops.js'

const scheduler = createSyncScheduler()

describe('sync scheduler', () => {
  schedulerContract(() => scheduler)
})
