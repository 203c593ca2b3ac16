/**
 * The pool's worker flags: compiled workers leave out a parent's tsx loader (which made them run the
 * kernels 1.5–1.7× slower), keep every other flag, keep tsx for TypeScript op modules, and a flag a
 * worker cannot take is dropped instead of failing the pool.
 */
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, test } from 'vitest'
import { startPiscina, workerExecArgv } from '../../src/schedule/pool/worker-flags.js'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../..', import.meta.url))

describe('workerExecArgv', () => {
  test('from TypeScript sources, workers load through tsx', () => {
    const argv = workerExecArgv(true, [], [])
    expect(argv?.[0]).toBe('--import')
    expect(argv?.[1]).toMatch(/tsx/)
  })
  test('compiled, every form of a tsx loader is left out and the other flags kept in order', () => {
    const parent = [
      '--enable-source-maps',
      '--import',
      'tsx',
      '--import=tsx/esm',
      '--require',
      '/app/node_modules/tsx/dist/cjs/index.cjs',
      '--import',
      'file:///app/node_modules/tsx/dist/loader.mjs',
      '--import',
      './instrument.mjs',
      '-r',
      'dotenv/config',
      '--no-warnings',
    ]
    expect(workerExecArgv(false, [], parent)).toEqual([
      '--enable-source-maps',
      '--import',
      './instrument.mjs',
      '-r',
      'dotenv/config',
      '--no-warnings',
    ])
  })
  test('compiled without tsx, or with a TypeScript op module, workers inherit the flags unchanged', () => {
    expect(workerExecArgv(false, [], ['--import', './tsxlike.mjs', '--no-warnings'])).toBeUndefined()
    expect(workerExecArgv(false, ['file:///app/ops.ts'], ['--import', 'tsx'])).toBeUndefined()
    expect(workerExecArgv(false, ['file:///app/ops.mjs'], ['--import', 'tsx'])).toEqual([])
  })
})

describe('startPiscina', () => {
  test('flags a worker cannot take (V8 and process-wide ones) are dropped; the pool runs', async () => {
    const file = path.join(tmpdir(), `tsdask-exec-argv-${process.pid}.mjs`)
    writeFileSync(file, 'export default () => process.execArgv\n')
    const pool = startPiscina({ filename: pathToFileURL(file).href, minThreads: 1, maxThreads: 1 }, [
      '--max-old-space-size=256',
      '--no-warnings',
      '--single-threaded-gc',
    ])
    try {
      expect(await pool.run(null)).toEqual(['--no-warnings'])
    } finally {
      await pool.destroy()
    }
  })

  test('the compiled pool under `node --import tsx` starts its workers without tsx', async () => {
    const script = `
      import { createPoolScheduler } from ${JSON.stringify(pathToFileURL(path.join(root, 'dist/index.js')).href)}
      const op = ${JSON.stringify(new URL('./fixtures/exec-argv-op.mjs', import.meta.url).href)}
      const pool = createPoolScheduler({ workers: 1, opModules: [op] })
      const [argv] = await pool.compute(new Map([['k', { op: 'exec-argv', args: null, deps: [] }]]), ['k'])
      await pool.close()
      console.log(argv)`
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--max-old-space-size=512', '--input-type=module', '-e', script],
      { cwd: root },
    )
    const argv = JSON.parse(stdout.trim()) as string[]
    expect(argv.some((flag) => flag.includes('tsx'))).toBe(false)
    expect(argv).not.toContain('--max-old-space-size=512')
  }, 30_000)
})
