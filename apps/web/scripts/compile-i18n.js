// Compiles the message catalogue before typecheck/test runs outside Vite.
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from '../i18n.config.js';

await compile(paraglideOptions);
// The inlang SDK leaves idle timers behind; the work is done.
process.exit(0);
