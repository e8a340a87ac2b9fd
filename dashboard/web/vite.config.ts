import react from '@vitejs/plugin-react';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const LIMIT_KB = 300;

/** Prints the gzip size of all JavaScript in the build and fails the build above the budget. */
function bundleBudget(): Plugin {
  return {
    name: 'vsa-bundle-budget',
    generateBundle(_opts, bundle) {
      let bytes = 0;
      for (const chunk of Object.values(bundle)) if (chunk.type === 'chunk') bytes += gzipSync(chunk.code).length;
      const kb = bytes / 1024;
      console.log(`vsa dashboard JS bundle: ${kb.toFixed(1)} kB gzip (budget ${LIMIT_KB} kB)`);
      if (kb > LIMIT_KB) this.error(`the JS bundle is ${kb.toFixed(1)} kB gzip, over the ${LIMIT_KB} kB budget`);
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), bundleBudget()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: { proxy: { '/api': 'http://127.0.0.1:8700', '/metrics': 'http://127.0.0.1:8700' } },
});
