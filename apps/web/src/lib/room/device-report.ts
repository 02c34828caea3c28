import type { DeviceProblem } from './device-problem.ts';
import type { MediaDevice } from './livekit-adapter.ts';

/** Why each of one's own devices failed to start in the room, if it did. */
export type DeviceProblems = Readonly<Record<MediaDevice, DeviceProblem | null>>;

export const NO_DEVICE_PROBLEMS: DeviceProblems = { camera: null, microphone: null };

/** What to tell a person whose camera or microphone did not start: what works, what does not. */
export interface DeviceReport {
  /** The devices that did not start (others do not see or hear through them). */
  readonly failed: readonly MediaDevice[];
  /** The devices that are on and working. */
  readonly working: readonly MediaDevice[];
  /** Why (the first failed device's reason), for the help text. */
  readonly problem: DeviceProblem;
}

/** `null` while nothing has failed; a device that is on again counts as working. */
export function deviceReport(
  problems: DeviceProblems,
  on: Readonly<Record<MediaDevice, boolean>>,
): DeviceReport | null {
  const devices: readonly MediaDevice[] = ['microphone', 'camera'];
  const failed = devices.filter((d) => problems[d] !== null && !on[d]);
  const first = failed[0];
  if (first === undefined) return null;
  return {
    failed,
    working: devices.filter((d) => on[d]),
    problem: problems[first] ?? 'other',
  };
}
