// Whether the person chose to join with their microphone on (the pre-join page's switch), kept
// for this tab and meeting so that the room, and a reload in it, honours the choice.

import { readTab, writeTab } from '$lib/tab-storage.ts';

const key = (meetingId: string): string => `pp_mic:${meetingId}`;

/** Keeps the choice (with storage unavailable the room starts with the microphone on). */
export const rememberMicrophoneChoice = (meetingId: string, on: boolean, storage?: Storage): void =>
  writeTab(key(meetingId), on ? 'on' : 'off', storage);

/** The choice made before joining; on when none was made (staff, or storage unavailable). */
export const microphoneChoiceFor = (meetingId: string, storage?: Storage): boolean =>
  readTab(key(meetingId), storage) !== 'off';
