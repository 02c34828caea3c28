// Whether the person chose to join with their microphone on (the pre-join page's switch), kept
// for this tab and meeting so that the room, and a reload in it, honours the choice.

const key = (meetingId: string): string => `pp_mic:${meetingId}`;

export function rememberMicrophoneChoice(
  meetingId: string,
  on: boolean,
  storage: Storage | undefined = globalThis.sessionStorage,
): void {
  try {
    storage?.setItem(key(meetingId), on ? 'on' : 'off');
  } catch {
    // Storage may be unavailable (private mode): the room then starts with the microphone on.
  }
}

/** The choice made before joining; on when none was made (staff, or storage unavailable). */
export function microphoneChoiceFor(
  meetingId: string,
  storage: Storage | undefined = globalThis.sessionStorage,
): boolean {
  try {
    return storage?.getItem(key(meetingId)) !== 'off';
  } catch {
    return true;
  }
}
