/**
 * The file piscina loads in each worker when the workers run tsdask's compiled ES modules (dist/)
 * rather than the bundle (worker-file.ts): a CommonJS shim that starts `import('./worker.js')`.
 *
 * Why not hand piscina `worker.js` itself: piscina loads its task file with `require()` first, and
 * on Node ≥ 20.19 `require()` of an ES module (require(esm)) instantiates the whole module graph
 * synchronously. A worker terminated during that instantiation (the pool closing while a worker is
 * still starting, as after a tiny query that one worker answered alone) made Node abort the whole
 * process: `FATAL ERROR: v8::Module::IsGraphAsync must be used on an instantiated module`, status 134,
 * in about 1 of 20 short CLI runs. Node's asynchronous `import()` handles termination like any
 * other exception, so a worker that never calls require(esm) cannot hit it.
 */
const loaded = import('./worker.js')
// A failed load is reported by the first task (worker.ts turns it into a task error).
loaded.catch(() => {})

type RunTasks = Awaited<typeof loaded>['default']

module.exports = async function runTasks(messages: Parameters<RunTasks>[0]): ReturnType<RunTasks> {
  return (await loaded).default(messages)
}
