import { createRequire } from 'node:module';

/**
 * `require` for main's own files: the CommonJS bundle Electron runs has it (and no import.meta);
 * under tsx and vitest, ESM, one is made from this module's URL.
 */
export const nodeRequire: NodeJS.Require = typeof require === 'function' ? require : createRequire(import.meta.url);
