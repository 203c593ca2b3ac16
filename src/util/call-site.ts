/**
 * Where the user built a step: the first stack frame outside tsdask, as `file:line:column`
 * (relative to the working directory when inside it). Plan nodes keep it so that a failure inside
 * a worker can say "filter built at report.ts:42:7".
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const LIBRARY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const FRAME = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/

export function callSite(): string | undefined {
  const stack = new Error().stack?.split('\n').slice(1) ?? []
  for (const line of stack) {
    const m = FRAME.exec(line.trim())
    if (!m) continue
    let file = m[1] ?? ''
    if (file.startsWith('file://')) file = fileURLToPath(file)
    if (file.startsWith('node:') || !path.isAbsolute(file)) continue
    if (file.startsWith(LIBRARY_ROOT + path.sep) || file.includes(`${path.sep}node_modules${path.sep}`)) continue
    const rel = path.relative(process.cwd(), file)
    return `${rel.startsWith('..') ? file : rel}:${m[2]}:${m[3]}`
  }
  return undefined
}
