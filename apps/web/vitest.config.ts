import { sveltekit } from '@sveltejs/kit/vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit tests cover the pure parts; they do not need the compiled message catalogue
// (run `pnpm i18n:compile` first if a test ever imports $lib/paraglide).
export default defineConfig({
  plugins: [sveltekit()],
  test: {
    name: 'web',
    root: fileURLToPath(new URL('.', import.meta.url)),
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
