/** Meeting modes (product.md section 3). The media server enforces them. */
export const MODES = ['dialogue', 'reflecting'] as const;
export type Mode = (typeof MODES)[number];

/** Meeting settings that change the permission policy; changeable during the meeting. */
export interface MeetingSettings {
  /** Whether network members keep their cameras during reflections (default true). */
  readonly networkCamerasInReflection: boolean;
  /**
   * Whether media is end-to-end encrypted (default true, ADR 0035). Off only for a reason the
   * room states (a device that cannot encrypt); off is announced to everyone and in the log.
   */
  readonly endToEndEncrypted: boolean;
}

export const DEFAULT_MEETING_SETTINGS: MeetingSettings = {
  networkCamerasInReflection: true,
  endToEndEncrypted: true,
};

/**
 * The settings an event carries, completed: a log written before a setting existed lacks it,
 * and the setting then has its default.
 */
export function completeSettings(settings: Partial<MeetingSettings>): MeetingSettings {
  return { ...DEFAULT_MEETING_SETTINGS, ...settings };
}
