import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { typeboxChecks } from './typebox-checks.js';

// Unit tests cover the pure parts; they do not need the compiled message catalogue
// (run `pnpm i18n:compile` first if a test ever imports $lib/paraglide).
// Only the Svelte compiler (for rune modules), not the SvelteKit plugin: that one finds
// svelte.config.js from the working directory, which is the repository root when the root
// vitest runs this project, and would point `$lib` at the wrong folder. The compiled checks
// (`virtual:checks`) come from the same plugin as in the build, so tests run the shipped code.
export default defineConfig({
  plugins: [svelte({ configFile: false }), typeboxChecks()],
  resolve: { alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) } },
  test: {
    name: 'web',
    root: fileURLToPath(new URL('.', import.meta.url)),
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
