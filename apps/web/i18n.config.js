// Paraglide compiler options, shared by vite.config.ts, vitest.config.ts and scripts/compile-i18n.js.
// The message-format plugin loads from node_modules (no CDN fetch at build time).
import { fileURLToPath } from 'node:url';

/** @type {{ project: string; outdir: string; strategy: ('cookie' | 'preferredLanguage' | 'baseLocale')[]; emitGitIgnore: boolean }} */
export const paraglideOptions = {
  project: fileURLToPath(new URL('./project.inlang', import.meta.url)),
  outdir: fileURLToPath(new URL('./src/lib/paraglide', import.meta.url)),
  strategy: ['cookie', 'preferredLanguage', 'baseLocale'],
  emitGitIgnore: false,
};
