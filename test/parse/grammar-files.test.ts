/** grammar/ is generated from, and must agree with, the parser in src/parse. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DIAGRAMS_FILE, grammarDiagramsHtml } from '../../scripts/gen-grammar-diagrams.js'
import { queryGrammar } from '../../src/parse/parser.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

describe('grammar/', () => {
  it('diagrams.html is what `npm run gen:grammar` writes now (run it after changing the grammar)', () => {
    expect(readFileSync(DIAGRAMS_FILE, 'utf8') === grammarDiagramsHtml()).toBe(true)
  })

  it('diagrams.html works offline: no external scripts or stylesheets', () => {
    const html = readFileSync(DIAGRAMS_FILE, 'utf8')
    expect(html).not.toMatch(/<script src=|<link rel=/)
    expect(html).toContain('drawDiagramsFromSerializedGrammar')
  })

  it('README.md defines every rule of the parser in its EBNF, and no other', () => {
    const readme = readFileSync(path.join(root, 'grammar', 'README.md'), 'utf8')
    const defined = [...readme.matchAll(/^([a-zA-Z]+)\s+::=/gm)].map((m) => m[1]!).filter((n) => /^[a-z]/.test(n))
    const rules = queryGrammar().getGAstProductions()
    expect([...defined].sort()).toEqual(Object.keys(rules).sort())
  })
})
