import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('..', import.meta.url))
// CI asks for a JSON report too, to print one summary line it can read.
const jsonReport = process.env.TSDASK_VITEST_JSON

export default defineConfig({
  test: {
    root,
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Tiny inputs would otherwise run on the main thread (src/api/inline.ts); the suite's pool
    // tests are about the pool. Tests of the inline choice pass `inlineBelow` themselves.
    env: { TSDASK_INLINE_BYTES: '0' },
    setupFiles: ['test/setup-property-seed.ts'],
    reporters: jsonReport ? ['default', 'json'] : ['default'],
    ...(jsonReport && { outputFile: { json: jsonReport } }),
    typecheck: {
      enabled: true,
      include: ['test/**/*.test-d.ts'],
      tsconfig: 'test/tsconfig.json',
    },
  },
})
