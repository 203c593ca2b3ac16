/**
 * A persisted frame dropped without release() is freed when it is garbage-collected, and not
 * before: a frame derived from it keeps the partitions. Run in a child process with --expose-gc,
 * so the test can collect garbage when it needs to.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, expect, test } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'tsdask-persist-gc-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SCRIPT = `
const collect = async () => {
  for (let i = 0; i < 20; i++) {
    globalThis.gc()
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
const rows = Array.from({ length: 5000 }, (_, i) => ({ v: i, s: 'row ' + (i % 7) }))
const report = { before: persistedBytes() }
let kept = await fromRecords(rows, { npartitions: 4 }).persist({ scheduler })
report.persisted = persistedBytes()
let derived = kept.filter(col('v').gt(10))
kept = undefined
await collect()
report.whileDerivedLives = persistedBytes()
report.derivedRows = (await derived.toRecords({ scheduler })).length
derived = undefined
await collect()
report.afterDrop = persistedBytes()
let released = await fromRecords(rows).persist({ scheduler })
report.released = released.release()
released = undefined
await collect()
report.afterReleaseAndDrop = persistedBytes()
await shutdown()
console.log(JSON.stringify(report))
`

test.each(['sync', 'pool'])(
  'on %s: held while a derived frame lives, 0 bytes once all are collected',
  async (scheduler) => {
    const index = new URL('../../src/index.ts', import.meta.url).href
    const script = join(dir, `gc-${scheduler}.mjs`)
    const imports = `import { col, fromRecords, persistedBytes, shutdown } from ${JSON.stringify(index)}\n`
    writeFileSync(script, `${imports}const scheduler = ${JSON.stringify(scheduler)}\n${SCRIPT}`)
    const root = fileURLToPath(new URL('../..', import.meta.url))
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', script], {
      cwd: root,
      timeout: 60_000,
    })
    const report = JSON.parse(stdout) as Record<string, number>
    expect(report.before).toBe(0)
    expect(report.persisted).toBeGreaterThan(40_000)
    expect(report.whileDerivedLives).toBe(report.persisted)
    expect(report.derivedRows).toBe(4989)
    expect(report.afterDrop).toBe(0)
    expect(report.released).toBeGreaterThan(40_000)
    expect(report.afterReleaseAndDrop).toBe(0)
  },
)
