/**
 * Layer rules: apps depend on libs, never the reverse; libs/event-store and libs/feed-client depend
 * on nothing of ours; examples use only the feed client; the worker never depends on the api.
 * In apps/api/src, one resource's folder imports another's only through its module file or index.ts.
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
      name: 'feed-client-depends-on-nothing-of-ours',
      comment:
        'Published as its own npm package (@ledgerline/feed-client): Node built-ins only. Its own tests may use libs/testing.',
      severity: 'error',
      from: { path: '^libs/feed-client/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^(libs/(?!feed-client/)|apps/|examples/)' },
    },
    {
      name: 'api-client-depends-on-nothing-of-ours',
      comment: 'Published as its own npm package (@ledgerline/api-client): its generated types and openapi-fetch.',
      severity: 'error',
      from: { path: '^libs/api-client/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^(libs/(?!api-client/)|apps/|examples/)' },
    },
    {
      name: 'examples-use-only-the-feed-client',
      comment:
        "Examples are what a consuming service would write: they import the client's package, nothing else of ours.",
      severity: 'error',
      from: { path: '^examples/' },
      to: { path: '^(apps/|libs/(?!feed-client/))' },
    },
    {
      name: 'console-is-an-http-client',
      comment:
        'The console runs in the browser and knows the api only by its HTTP contract: it imports nothing of ours outside apps/console/src. Its tests drive the real api.',
      severity: 'error',
      from: { path: '^apps/console/src/' },
      // Except the generated types of the api's OpenAPI description: the contract itself, no code.
      to: { path: '^(libs/|apps/(?!console/src/))', pathNot: '^libs/api-client/src/openapi\\.generated\\.ts$' },
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
      name: 'api-resources-meet-through-their-modules',
      comment:
        "apps/api/src is cut by resource, each folder a Nest module (docs/architecture.md). A resource's files may import its own folder, apps/api/src/shared/ and the rest of the app, but another resource only through that resource's module file or its index.ts: never its controllers, requests or helpers directly.",
      severity: 'error',
      from: { path: '^apps/api/src/(customers|subscriptions|payments|products|reconciliation|feeds|admin)/' },
      to: {
        path: '^apps/api/src/(customers|subscriptions|payments|products|reconciliation|feeds|admin)/',
        pathNot: ['^apps/api/src/$1/', '^apps/api/src/[^/]+/(index|[^/]+\\.module)\\.ts$'],
      },
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
