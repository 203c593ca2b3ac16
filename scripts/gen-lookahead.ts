/**
 * Writes src/parse/lookahead-paths.ts, the SQL grammar's precomputed lookahead
 * (src/parse/precomputed-lookahead.ts explains why). Run after changing the grammar:
 *
 *   npm run gen:lookahead
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { recordLookaheadTable, renderLookaheadModule } from '../src/parse/lookahead-record.js'

const target = fileURLToPath(new URL('../src/parse/lookahead-paths.ts', import.meta.url))
const table = recordLookaheadTable()
writeFileSync(target, renderLookaheadModule(table))
console.log(`wrote ${Object.keys(table).length} productions to ${target}`)
