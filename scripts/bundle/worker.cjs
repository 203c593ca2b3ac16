'use strict'
// A pool worker: the worker bundle, loaded with V8's code cache (load-cached.cjs). CommonJS on
// purpose: piscina require()s its task file (src/schedule/pool/worker-entry.cts says why not ESM).
const path = require('node:path')
const loaded = require('./load-cached.cjs')(path.join(__dirname, 'worker-main.cjs'))
const runTasks = loaded.exports.default
let saved = false

module.exports = async function runTasksWithCache(messages) {
  const replies = await runTasks(messages)
  if (!saved) {
    // After a first packet, so the kernels it compiled are in the cache too.
    saved = true
    loaded.saveCache()
  }
  return replies
}
