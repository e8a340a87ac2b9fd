import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', '{runner,modules,site,cli}/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 300_000,
    // e2e files share one lab and real hosts: run files one at a time so they never fight over them.
    fileParallelism: false,
    reporters: ['default'],
  },
});
