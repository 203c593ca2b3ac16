/**
 * The README's API tour is executable: every ```ts block followed by a ```text block is run as a
 * user script (importing 'tsdask' from this checkout) and must print exactly that text.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
const run = promisify(execFile)

interface Example {
  readonly code: string
  readonly expected: string
  readonly line: number
}

function examples(markdown: string): Example[] {
  const found: Example[] = []
  const block = /```ts\n((?:(?!```)[\s\S])*)```\s*\n```text\n((?:(?!```)[\s\S])*)```/g
  for (let m = block.exec(markdown); m; m = block.exec(markdown)) {
    const line = markdown.slice(0, m.index).split('\n').length
    found.push({ code: m[1] ?? '', expected: m[2] ?? '', line })
  }
  return found
}

const tour = examples(readme)

describe('README API tour', () => {
  it('has examples to run', () => {
    expect(tour.length).toBeGreaterThanOrEqual(4)
  })

  const dir = path.join(root, '.tmp', 'readme-tour')
  mkdirSync(dir, { recursive: true })
  const entry = path.join(root, 'src', 'index.ts')

  for (const example of tour) {
    // The README shows optimized plans: with TSDASK_OPTIMIZER=off its explain() output differs by design.
    it.skipIf(process.env.TSDASK_OPTIMIZER === 'off')(
      `README.md:${example.line} prints what the README shows`,
      async () => {
        const file = path.join(dir, `example-${example.line}.ts`)
        writeFileSync(file, example.code.replaceAll("from 'tsdask'", `from '${entry}'`))
        const { stdout } = await run(process.execPath, ['--import', 'tsx', file], { cwd: root, timeout: 60_000 })
        expect(stdout.trimEnd()).toBe(example.expected.trimEnd())
      },
    )
  }
})
