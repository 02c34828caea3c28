import type { NetworkReport } from './network-check.ts';

export type NetworkCheckStatus = 'idle' | 'checking' | 'done' | 'unavailable';

/**
 * "Check my connection" on the pre-join page: loads the check when asked (it is not part of
 * the page's first load) and keeps its report.
 */
export class NetworkCheck {
  status = $state<NetworkCheckStatus>('idle');
  report = $state.raw<NetworkReport | null>(null);
  readonly #token: string;

  constructor(token: string) {
    this.#token = token;
  }

  async run(): Promise<void> {
    if (this.status === 'checking') return;
    this.status = 'checking';
    this.report = null;
    try {
      const { runNetworkCheck } = await import('./network-check.ts');
      const report = await runNetworkCheck(this.#token, {
        fetch: (input, init) => fetch(input, init),
        createPeerConnection: (config) => new RTCPeerConnection(config),
      });
      this.report = report;
      this.status = report === null ? 'unavailable' : 'done';
    } catch {
      this.status = 'unavailable';
    }
  }
}
