// What the person chose before joining, kept for this tab and meeting so that the room, and a
// reload in it, honours it: whether to join with the microphone on (the pre-join page's switch,
// or the staff meeting page's) and which camera to use (the pre-join check's choice).

import { readTab, writeTab } from '$lib/tab-storage.ts';

const key = (meetingId: string): string => `pp_mic:${meetingId}`;
const cameraKey = (meetingId: string): string => `pp_camera:${meetingId}`;

/** Keeps the choice (with storage unavailable the room starts with the microphone on). */
export const rememberMicrophoneChoice = (meetingId: string, on: boolean, storage?: Storage): void =>
  writeTab(key(meetingId), on ? 'on' : 'off', storage);

/** The choice made before joining; on when none was made (staff, or storage unavailable). */
export const microphoneChoiceFor = (meetingId: string, storage?: Storage): boolean =>
  readTab(key(meetingId), storage) !== 'off';

/** Keeps the camera chosen before joining (its device id); null keeps nothing. */
export function rememberCameraChoice(
  meetingId: string,
  deviceId: string | null,
  storage?: Storage,
): void {
  if (deviceId) writeTab(cameraKey(meetingId), deviceId, storage);
}

/** The camera chosen before joining; null: the browser's default camera. */
export const cameraChoiceFor = (meetingId: string, storage?: Storage): string | null =>
  readTab(cameraKey(meetingId), storage) || null;

const noiseKey = (meetingId: string): string => `pp_noise:${meetingId}`;

/** Keeps the noise-suppression switch for this tab and meeting. */
export const rememberNoiseSuppressionChoice = (
  meetingId: string,
  on: boolean,
  storage?: Storage,
): void => writeTab(noiseKey(meetingId), on ? 'on' : 'off', storage);

/**
 * Whether the microphone goes through the noise suppressor: the person's own switch when they
 * used it; otherwise on for guests (a kitchen, a bus, a ward) and off for the team, who
 * usually sit in a quiet room with a headset (ADR 0032).
 */
export function noiseSuppressionChoiceFor(
  meetingId: string,
  inTeam: boolean,
  storage?: Storage,
): boolean {
  const chosen = readTab(noiseKey(meetingId), storage);
  if (chosen === 'on') return true;
  if (chosen === 'off') return false;
  return !inTeam;
}
