import type { MeetingRole } from './roles.ts';
import type { MeetingSettings, Mode } from './modes.ts';
import { PRESENCE, type ParticipantState } from './participant-state.ts';

/** Media sources a participant may publish; mapped to LiveKit's TrackSource by the signal service. */
export const MEDIA_SOURCES = [
  'camera',
  'microphone',
  'screen_share',
  'screen_share_audio',
] as const;
export type MediaSource = (typeof MEDIA_SOURCES)[number];

/**
 * The complete LiveKit grant set for one participant. Always complete: LiveKit replaces the
 * whole permission object on update, so a partial object would deafen listeners.
 * Hidden, recorder and admin grants do not exist in this type on purpose.
 */
export interface MediaGrants {
  readonly canSubscribe: boolean;
  readonly canPublish: boolean;
  readonly canPublishSources: readonly MediaSource[];
  readonly canPublishData: boolean;
  readonly canUpdateOwnMetadata: false;
}

type SourceTable = Record<Mode, Record<MeetingRole, readonly MediaSource[]>>;

const TEAM_DIALOGUE: readonly MediaSource[] = [
  'camera',
  'microphone',
  'screen_share',
  'screen_share_audio',
];
const CAMERA: readonly MediaSource[] = ['camera'];

/** Sources per mode and role, the table of product.md section 3. */
export const PUBLISH_SOURCES = {
  dialogue: {
    facilitator: TEAM_DIALOGUE,
    cofacilitator: TEAM_DIALOGUE,
    team: TEAM_DIALOGUE,
    centre: ['camera', 'microphone'],
    network: ['camera', 'microphone'],
    observer: CAMERA,
    interpreter: ['camera', 'microphone'],
  },
  reflecting: {
    facilitator: ['camera', 'microphone'],
    cofacilitator: ['camera', 'microphone'],
    team: ['camera', 'microphone'],
    centre: CAMERA,
    network: CAMERA,
    observer: CAMERA,
    // The family hears the reflection in their language only if the interpreter may speak.
    interpreter: ['camera', 'microphone'],
  },
} as const satisfies SourceTable;

/**
 * Whether this role may publish this source in this mode, by the table above (what a page offers:
 * the microphone toggle, the screen-share button). The media server enforces the same table.
 */
export function mayPublish(role: MeetingRole, mode: Mode, source: MediaSource): boolean {
  const sources: readonly MediaSource[] = PUBLISH_SOURCES[mode][role];
  return sources.includes(source);
}

/**
 * Roles whose camera the `networkCamerasInReflection` setting governs: the network side of the
 * conversation. The team is the reflection; an observer's condition of presence is being seen;
 * the interpreter carries the reflection to the family, who may need to see them sign or speak.
 */
export const CAMERA_FOLLOWS_SETTING = {
  facilitator: false,
  cofacilitator: false,
  team: false,
  centre: true,
  network: true,
  observer: false,
  interpreter: false,
} as const satisfies Record<MeetingRole, boolean>;

/**
 * The permission policy: the exact grants for a participant, or `null` for no grant at all
 * (no token may be issued and any LiveKit presence must be removed). Only an admitted
 * participant holds grants. Listeners always keep `canSubscribe`; nobody publishes data (no
 * private back-channel); nobody updates their own metadata (the roster is the server's).
 */
export function mediaGrants(
  role: MeetingRole,
  mode: Mode,
  state: ParticipantState,
  settings: MeetingSettings,
): MediaGrants | null {
  if (PRESENCE[state] !== 'media') return null;
  const camerasOff =
    mode === 'reflecting' && CAMERA_FOLLOWS_SETTING[role] && !settings.networkCamerasInReflection;
  const sources: readonly MediaSource[] = camerasOff ? [] : PUBLISH_SOURCES[mode][role];
  return {
    canSubscribe: true,
    canPublish: sources.length > 0,
    canPublishSources: sources,
    canPublishData: false,
    canUpdateOwnMetadata: false,
  };
}
