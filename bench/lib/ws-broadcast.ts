// The fan-out baseline: a bare `ws` server in a process of its own that, when asked over IPC,
// sends one stamped message to every connected socket (what the live hub does, minus the
// product: no database, no views, no authentication).
import { WebSocketServer } from 'ws';

export type BroadcastRequest = { readonly type: 'send'; readonly seq: number };
export type BroadcastReady = { readonly type: 'ready'; readonly port: number };

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
server.on('listening', () => {
  const address = server.address();
  if (typeof address === 'object' && address) {
    process.send!({ type: 'ready', port: address.port } satisfies BroadcastReady);
  }
});
process.on('message', (req: BroadcastRequest) => {
  if (req.type !== 'send') return;
  const data = JSON.stringify({ type: 'event', seq: req.seq, at: new Date().toISOString() });
  for (const ws of server.clients) ws.send(data);
});
process.on('disconnect', () => {
  server.close();
  process.exit(0);
});
