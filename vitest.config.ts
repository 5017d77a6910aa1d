import { defineConfig } from 'vitest/config';

/** Test files that freeze the keychain daemon for a while: the keychain project, run on its own. */
const KEYCHAIN_FREEZERS = ['tests/keychain/**/*.test.ts', 'tests/e2e/faults.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['app/**/*.test.ts', 'main/**/*.test.ts', 'engine/**/*.test.ts', 'bench/**/*.test.ts', 'renderer/**/*.test.ts', 'scripts/**/*.test.ts'],
        },
      },
      { test: { name: 'architecture', include: ['tests/architecture/**/*.test.ts'] } },
      { test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], testTimeout: 60_000 } },
      // The real engine with its face models: slower to start, so its files run one at a time.
      { test: { name: 'engine', include: ['tests/engine/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false } },
      // The built renderer in Chromium with main and the engine behind it (needs `npm run build`).
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          exclude: KEYCHAIN_FREEZERS,
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      // Checks the output of `npm run build` (tests/run.sh builds first).
      { test: { name: 'packaging', include: ['tests/packaging/**/*.test.ts'], testTimeout: 60_000 } },
      // Suites that freeze the one gnome-keyring daemon (SIGSTOP) run with no other test file
      // beside them: the integration, engine and e2e suites read that keychain, and a frozen
      // daemon would fail them with keychain_unavailable by chance. Vitest runs its groups one
      // after another: the parallel projects (order 0), this one (order 1), then the projects that
      // run one file at a time (engine, e2e). Needs a Secret Service on D-Bus: run through
      // `npm test` (tests/run.sh starts one).
      {
        test: {
          name: 'keychain',
          include: KEYCHAIN_FREEZERS,
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
