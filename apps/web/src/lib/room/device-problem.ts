/** Why the camera and microphone check could not start, in terms the help text uses. */
export type DeviceProblem = 'denied' | 'no_device' | 'busy' | 'unsupported' | 'other';

/** Maps a getUserMedia failure (a DOMException name) to the help we show. */
export function deviceProblem(error: unknown): DeviceProblem {
  const name =
    typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'no_device';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'busy';
    case 'TypeError':
      return 'unsupported';
    default:
      return 'other';
  }
}
