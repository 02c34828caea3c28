// `virtual:endpoints` (typebox-checks.js): each endpoint's method and path from the protocol's
// table, typed from the table itself.
declare module 'virtual:endpoints' {
  import type { Endpoints } from '@polyphony/protocol';

  export const ROUTES: {
    readonly [N in keyof Endpoints]: Pick<Endpoints[N], 'method' | 'path'>;
  };
}
