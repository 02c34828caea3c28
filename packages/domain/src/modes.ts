/** Meeting modes (product.md section 3). The media server enforces them. */
export const MODES = ['dialogue', 'reflecting'] as const;
export type Mode = (typeof MODES)[number];

/** Meeting settings that change the permission policy; changeable during the meeting. */
export interface MeetingSettings {
  /** Whether network members keep their cameras during reflections (default true). */
  readonly networkCamerasInReflection: boolean;
}

export const DEFAULT_MEETING_SETTINGS: MeetingSettings = { networkCamerasInReflection: true };
