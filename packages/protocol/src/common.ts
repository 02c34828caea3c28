import { Type, type Static } from 'typebox';

/** A database id. */
export const Uuid = Type.String({ format: 'uuid' });
export type Uuid = Static<typeof Uuid>;

/** A moment in time as ISO 8601 with offset (the server sends UTC, `…Z`). */
export const Timestamp = Type.String({ format: 'date-time' });
export type Timestamp = Static<typeof Timestamp>;

/** `:id` in a path. */
export const IdParams = Type.Object({ id: Uuid });
export type IdParams = Static<typeof IdParams>;
