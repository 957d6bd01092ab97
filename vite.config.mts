import { defineConfig } from 'vite';

// The pages (src/web/, ../shared/API.md Part 2, 20-22), built into dist/web/ by scripts/build-pages.mjs; the server
// serves (src/http/pages.ts). Paths are relative to the package root, where npm runs scripts.
// JSX goes through Vite 8's own Oxc transform: @vitejs/plugin-react adds only Fast Refresh, and
// its current release does not install beside this project's Babel.
export default defineConfig({
  root: 'src/web',
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: true,
    // Nothing is fetched from elsewhere at run time: every asset lands in dist/web/assets/.
    assetsInlineLimit: 0,
  },
});
