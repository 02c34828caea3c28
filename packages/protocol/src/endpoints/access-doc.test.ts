// docs/api-access.md is the reviewable access matrix: it must be what the table says today.
import { readFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import { accessAnswer, accessMatrixMarkdown, ACCESS_REFUSALS } from './access-matrix.ts';
import { ENDPOINTS } from './table.ts';
import type { EndpointSpec } from './spec.ts';

describe('docs/api-access.md', () => {
  it('is generated from the endpoint table (run `pnpm --filter @polyphony/protocol run docs`)', async () => {
    const file = new URL('../../../../docs/api-access.md', import.meta.url);
    const options = { ...(await resolveConfig(file)), filepath: file.pathname };
    expect(readFileSync(file, 'utf8')).toBe(await format(accessMatrixMarkdown(), options));
  });

  it('answers each refusal with a code of its access kind', () => {
    for (const e of Object.values(ENDPOINTS) as EndpointSpec[]) {
      for (const caller of ['anonymous', 'staff', 'guestElsewhere', 'wrongCsrf'] as const) {
        const answer = accessAnswer(e, caller);
        if (answer !== 'allowed') expect(ACCESS_REFUSALS[e.access]).toContain(answer);
      }
    }
  });
});
