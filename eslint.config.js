// ESLint for the whole repository: the recommended JavaScript and typescript-eslint rules, and
// React's hooks rules for the renderer. Run by `npm run lint` (and .ci/run).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'renderer/public/**', 'test-results/**', '.scratch/**', 'scratch_*'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    extends: [reactHooks.configs.flat['recommended-latest']],
  },
  {
    rules: {
      // `_`-prefixed names are deliberately unused (a handler's event, a destructured leftover).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
