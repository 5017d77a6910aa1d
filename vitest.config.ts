import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['app/**/*.test.ts', 'main/**/*.test.ts', 'engine/**/*.test.ts'] } },
      { test: { name: 'architecture', include: ['tests/architecture/**/*.test.ts'] } },
      { test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], testTimeout: 60_000 } },
      // Needs a Secret Service on D-Bus: run through `npm test` (tests/run.sh starts one).
      { test: { name: 'keychain', include: ['tests/keychain/**/*.test.ts'], testTimeout: 60_000 } },
    ],
  },
});
