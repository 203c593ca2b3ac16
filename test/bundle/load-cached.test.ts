/** The code-cache loader of the CLI and worker bundles (scripts/bundle/load-cached.cjs). */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

interface Loaded {
  readonly exports: { answer(): number; bang?: boolean }
  readonly cache: 'used' | 'rejected' | 'none'
  saveCache(): void
}
const loadCached = createRequire(import.meta.url)('../../scripts/bundle/load-cached.cjs') as (file: string) => Loaded

const dir = mkdtempSync(path.join(tmpdir(), 'tsdask-load-cached-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('loadCached', () => {
  it('compiles without a cache, writes one once the code ran, and uses it next time', () => {
    const file = path.join(dir, 'plain.cjs')
    writeFileSync(file, "const os = require('node:os'); module.exports = { answer: () => 40 + os.EOL.length + 1 }")
    const first = loadCached(file)
    expect(first.cache).toBe('none')
    expect(first.exports.answer()).toBe(42)
    first.saveCache()
    expect(existsSync(`${file}.v8cache`)).toBe(true)
    const second = loadCached(file)
    expect(second.cache).toBe('used')
    expect(second.exports.answer()).toBe(42)
  })

  it('falls back to compiling when V8 rejects the cache, then replaces it', () => {
    const file = path.join(dir, 'stale.cjs')
    writeFileSync(file, 'module.exports = { answer: () => 7 }')
    writeFileSync(`${file}.v8cache`, 'not a V8 code cache')
    const loaded = loadCached(file)
    expect(loaded.cache).toBe('rejected')
    expect(loaded.exports.answer()).toBe(7)
    loaded.saveCache()
    expect(readFileSync(`${file}.v8cache`, 'utf8')).not.toBe('not a V8 code cache')
    expect(loadCached(file).cache).toBe('used')
  })

  it('loads a bundle that starts with a hashbang', () => {
    const file = path.join(dir, 'bang.cjs')
    writeFileSync(file, '#!/usr/bin/env node\nmodule.exports = { answer: () => 1, bang: true }\n')
    expect(loadCached(file).exports).toMatchObject({ bang: true })
  })

  it('the build leaves a code cache beside the CLI and the worker bundle', () => {
    const root = path.join(import.meta.dirname, '..', '..')
    for (const name of ['cli-main.cjs', 'worker-main.cjs']) {
      expect(existsSync(path.join(root, 'dist', 'bundle', `${name}.v8cache`)), name).toBe(true)
    }
  })
})
