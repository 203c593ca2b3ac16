/**
 * Layer rules from ../shared/DESIGN.md: data flows one way, and a lower layer never imports a
 * higher one. One `forbidden` rule per arrow of the map.
 *
 *   util ← types ← kernels ← io          graph ← util only        schedule ← graph, kernels, io
 *   types ← expr ← plan ← optimize ← physical ← lower (+ graph, kernels/physical-expr) ← api ← index / cli
 *   plan ← parse (the query language) ← api;   cli ← index (the public API) only
 */
const layer = (name) => `^src/${name}/`
const forbid = (name, from, to, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: to },
})
module.exports = {
  forbidden: [
    // A type-only import back (GroupBy naming DataFrame in its signature) is not a run-time cycle.
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } } },
    forbid('util-is-the-bottom', layer('util'), '^src/(?!util/)', 'util imports nothing of tsdask'),
    forbid('types-only-util', layer('types'), '^src/(?!util/|types/)', 'types sit on util only'),
    forbid('kernels-know-no-plans', layer('kernels'), '^src/(?!util/|types/|kernels/)', 'kernels see only typed arrays and physical expressions'),
    forbid('io-below-plans', layer('io'), '^src/(?!util/|types/|kernels/|io/)', 'readers take columns and predicates, never plans'),
    forbid('graph-is-generic', layer('graph'), '^src/(?!util/|graph/)', 'the task graph is not specific to dataframes'),
    forbid('schedule-runs-graphs', layer('schedule'), '^src/(?!util/|types/|graph/|kernels/|io/|schedule/)', 'schedulers know nothing of plans'),
    forbid('expr-on-types', layer('expr'), '^src/(?!util/|types/|expr/)', 'expressions know only types'),
    forbid('plan-on-expr', layer('plan'), '^src/(?!util/|types/|expr/|plan/)', 'plans know nothing of optimizers or schedulers'),
    forbid('optimize-on-plan', layer('optimize'), '^src/(?!util/|types/|expr/|plan/|optimize/)', 'rules rewrite plans only'),
    forbid('physical-on-plan', layer('physical'), '^src/(?!util/|types/|expr/|plan/|physical/)', 'the physical plan decides how a plan runs, knowing nothing of tasks or kernels'),
    forbid('lower-is-the-bridge', layer('lower'), '^src/(?!util/|types/|expr/|plan/|physical/|graph/|kernels/|io/|lower/)', 'lowering turns physical plans into tasks; it never runs them'),
    forbid('parse-on-plan', layer('parse'), '^src/(?!util/|types/|expr/|plan/|parse/)', 'the parser yields the same Expr / LogicalPlan as the builder, and knows nothing below plans'),
    forbid('cli-on-public-api', layer('cli'), '^src/(?!index\\.ts|cli/)', 'the CLI is a user of the public API'),
    forbid('api-not-imported-below', '^src/(?!api/|index\\.ts|cli/|demo/)', layer('api'), 'only the entry points import the API'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
}
