import { Type, type Static } from 'typebox';

/** One TURN server to try, with short-lived credentials for a probe (never a participant's). */
export const TurnProbe = Type.Object(
  {
    /** `turn:host:port?transport=udp` or `turns:host:port?transport=tcp`. */
    urls: Type.String({ minLength: 1, maxLength: 300 }),
    username: Type.String({ minLength: 1, maxLength: 300 }),
    credential: Type.String({ minLength: 1, maxLength: 300 }),
  },
  { additionalProperties: false },
);
export type TurnProbe = Static<typeof TurnProbe>;

/**
 * What the pre-join network check tries from the person's browser: the media server's own
 * address over TCP (HTTP or HTTPS, as pages reach it), and the deployment's TURN server over UDP
 * and over TLS, each null when this deployment offers none.
 */
export const NetworkCheckResponse = Type.Object(
  {
    mediaServer: Type.String({ minLength: 1, maxLength: 300 }),
    udp: Type.Union([TurnProbe, Type.Null()]),
    tls: Type.Union([TurnProbe, Type.Null()]),
  },
  { additionalProperties: false },
);
export type NetworkCheckResponse = Static<typeof NetworkCheckResponse>;
