'use strict'
/**
 * Loads one of tsdask's CommonJS bundles with V8's code cache (Node 20 has no
 * module.enableCompileCache): the bundle's compiled code, including the functions compiled while
 * a query ran, is kept in `<bundle>.v8cache` beside it, so a fresh process or worker thread
 * deserializes instead of parsing and compiling ~0.5–0.9 MB of JavaScript. scripts/bundle.mjs makes
 * the cache with a training query at build time. A cache V8 rejects (another Node version or V8
 * flags) or a missing one only costs the ordinary compile; `saveCache()` then writes a fresh one,
 * best effort (an unwritable install folder is fine).
 */
const fs = require('node:fs')
const Module = require('node:module')
const path = require('node:path')
const vm = require('node:vm')

module.exports = function loadCached(file) {
  const text = fs.readFileSync(file, 'utf8')
  // A hashbang is only valid at the very start of a file, not inside Module.wrap's function.
  const source = text.startsWith('#!') ? `//${text}` : text
  const cacheFile = `${file}.v8cache`
  let cachedData
  try {
    cachedData = fs.readFileSync(cacheFile)
  } catch {
    cachedData = undefined
  }
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  })
  const mod = new Module(file, module)
  mod.filename = file
  mod.paths = Module._nodeModulePaths(path.dirname(file))
  const wrapper = script.runInThisContext()
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file))
  mod.loaded = true
  const cache = cachedData === undefined ? 'none' : script.cachedDataRejected === true ? 'rejected' : 'used'
  let stale = cache !== 'used'
  return {
    exports: mod.exports,
    /** What became of the cache file: 'used', 'rejected' by V8, or 'none' there. */
    cache,
    /** Writes the cache if there was none or V8 rejected it; call once the code has run. */
    saveCache() {
      if (!stale && process.env.TSDASK_WRITE_CODE_CACHE !== '1') return
      stale = false
      const tmp = `${cacheFile}.${process.pid}.${Math.random().toString(36).slice(2)}`
      try {
        fs.writeFileSync(tmp, script.createCachedData())
        fs.renameSync(tmp, cacheFile)
      } catch {
        try {
          fs.rmSync(tmp, { force: true })
        } catch {}
      }
    },
  }
}
