import adapter from '@sveltejs/adapter-node';
import { cspDirectives } from './csp.js';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  kit: {
    adapter: adapter({ out: 'build' }),
    csp: {
      mode: 'auto',
      directives: /** @type {import('@sveltejs/kit').CspDirectives} */ (cspDirectives),
    },
  },
  compilerOptions: {
    runes: true,
  },
};

export default config;
