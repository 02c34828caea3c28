import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vite';
import { paraglideOptions } from './i18n.config.js';
import { typeboxChecks } from './typebox-checks.js';

const signalUrl = process.env.SIGNAL_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [paraglideVitePlugin(paraglideOptions), typeboxChecks(), sveltekit()],
  build: {
    rolldownOptions: {
      treeshake: {
        // TypeBox's builders are pure: a protocol module imported for a constant (CLOSE_CODES)
        // does not bring along the schemas it defines, nor the builder (ADR 0012).
        manualPureFunctions: ['Type'],
        // TypeBox's format registry only fills a map of its own at load: when nothing reads
        // the registry (the compiled checks import the format functions they call), it and
        // the formats no check uses can go.
        moduleSideEffects: [
          { test: /\/node_modules\/typebox\/build\/format\/_registry\.mjs$/, sideEffects: false },
        ],
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: signalUrl, ws: true, xfwd: true },
    },
  },
  preview: {
    proxy: {
      '/api': { target: signalUrl, ws: true, xfwd: true },
    },
  },
});
