import WebSocket from 'ws';

/** The media access the live channel hands an admitted participant. */
export interface MediaAccess {
  url: string;
  token: string;
  identity: string;
}

/**
 * Opens the live channel as a browser would (guest cookie, the product's Origin) and resolves
 * with the first message carrying media access.
 */
export function fetchMediaAccess(
  signalUrl: string,
  origin: string,
  meetingId: string,
  sessionToken: string,
): Promise<{ media: MediaAccess; socket: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(
      `${signalUrl.replace(/^http/, 'ws')}/api/meetings/${meetingId}/live`,
      {
        headers: { Cookie: `pp_guest=${sessionToken}`, Origin: origin },
      },
    );
    const timer = setTimeout(() => reject(new Error('no media access within 10 s')), 10_000);
    socket.on('message', (data: WebSocket.RawData) => {
      const msg = JSON.parse(String(data)) as { type: string; media?: MediaAccess | null };
      if ((msg.type === 'snapshot' || msg.type === 'media') && msg.media) {
        clearTimeout(timer);
        resolve({ media: msg.media, socket });
      }
    });
    socket.on('close', (code) => reject(new Error(`live channel closed ${code}`)));
    socket.on('error', reject);
  });
}
