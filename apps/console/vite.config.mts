import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The support console: built into dist/console and served by the api under /console (no CDN, no
 * server-side rendering). JSX is compiled by Vite's own transformer with React's automatic runtime.
 */
export default defineConfig({
  root: here,
  base: '/console/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      onwarn(warning, warn) {
        // React Router marks its modules "use client" for server components; a client bundle has no use for it.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // `npm run console:dev`: the page from Vite with hot reload, the API from a running `npm start`.
    proxy: { '^/(?!console)': { target: process.env.LEDGERLINE_API ?? 'http://localhost:3000' } },
  },
});
