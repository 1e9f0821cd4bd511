import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'protocol/**/*.test.ts',
      'widget/**/*.test.ts',
      'server/**/*.test.ts',
      'e2e/**/*.test.ts',
      'bench/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // `expect.poll` waits for a state, not a time: on a busy machine (two suites side by side) a
    // socket frame or a repaint can take seconds, so the default second is too short.
    expect: { poll: { timeout: 10_000 } },
    // Two cores: keep worker count low so real databases and Chromium are not starved.
    maxWorkers: 2,
    fileParallelism: true,
    // Each worker process keeps its loaded modules from one test file to the next. Loading the
    // server's module graph again for every file took a third of the suite's time. Tests share no
    // state through modules: each starts its own nodes, databases and clients, and closes them.
    isolate: false,
    reporters: ['default'],
  },
});
