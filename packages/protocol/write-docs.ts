// Writes docs/api-access.md from the endpoint table (`pnpm --filter @polyphony/protocol run docs`).
import { writeFileSync } from 'node:fs';
import { accessMatrixMarkdown } from './src/endpoints/index.ts';

writeFileSync(new URL('../../docs/api-access.md', import.meta.url), accessMatrixMarkdown());
