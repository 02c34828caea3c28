import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vite';
import { paraglideOptions } from './i18n.config.js';
import { typeboxChecks } from './typebox-checks.js';

const signalUrl = process.env.SIGNAL_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [paraglideVitePlugin(paraglideOptions), typeboxChecks(), sveltekit()],
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
