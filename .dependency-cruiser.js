/**
 * Layer rules: apps depend on libs, never the reverse; libs/event-store depends on nothing of ours;
 * the worker never depends on the api.
 */
module.exports = {
  forbidden: [
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'event-store-depends-on-nothing-of-ours',
      comment: 'Its own tests may use libs/testing to get a database.',
      severity: 'error',
      from: { path: '^libs/event-store/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^(libs/(?!event-store/)|apps/)' },
    },
    {
      name: 'worker-never-imports-api',
      severity: 'error',
      from: { path: '^apps/worker/' },
      to: { path: '^apps/(api|cli)/' },
    },
    {
      name: 'cli-never-imports-api-internals',
      severity: 'error',
      from: { path: '^apps/cli/' },
      to: { path: '^apps/api/' },
    },
    {
      name: 'production-code-never-imports-testing',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: '(\\.spec\\.ts$|/test/|^libs/testing/|/testing/)' },
      to: { path: '(^libs/testing/|/testing/)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^dist/|^node_modules/)' },
  },
};
