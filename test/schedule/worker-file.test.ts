/** Which file pool workers load: the bundle, the CommonJS shim over dist/, or worker.ts through tsx. */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { workerFile as fromSources } from '../../src/schedule/pool/worker-file.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const compiled = pathToFileURL(path.join(root, 'dist/schedule/pool/worker-file.js')).href

describe('workerFile', () => {
  it('runs worker.ts through tsx from the sources', () => {
    expect(fromSources(true, []).pathname.endsWith('/src/schedule/pool/worker.ts')).toBe(true)
  })

  it('compiled, loads the one-file CommonJS bundle when no op module needs dist/’s registry', async () => {
    const { workerFile } = (await import(compiled)) as typeof import('../../src/schedule/pool/worker-file.js')
    const file = workerFile(false, [])
    expect(fileURLToPath(file)).toBe(path.join(root, 'dist/bundle/worker.cjs'))
    expect(existsSync(file)).toBe(true)
  })

  it('compiled with op modules, loads the CommonJS shim that import()s dist/’s worker (never require(esm))', async () => {
    const { workerFile } = (await import(compiled)) as typeof import('../../src/schedule/pool/worker-file.js')
    const file = workerFile(false, ['file:///ops.mjs'])
    expect(fileURLToPath(file)).toBe(path.join(root, 'dist/schedule/pool/worker-entry.cjs'))
    expect(existsSync(file)).toBe(true)
  })
})
