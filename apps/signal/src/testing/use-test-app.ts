import { afterAll, beforeAll, expect } from 'vitest';
import {
  DATABASE_OPEN_TIMEOUT_MS,
  type TestDatabase,
  type TestDatabaseTarget,
} from '@polyphony/db/testing';
import { connectWith, freePort, liveUrl, type MediaClient } from '@polyphony/stack';
import { startLivekit, type RunningLivekit } from './livekit-server.ts';
import { openLive, type LiveClient } from './live-client.ts';
import { httpClient, type HttpClient, type Session, type TestLink } from './meeting-harness.ts';
import { NO_LIVEKIT } from './staff-fixture.ts';
import type { LiveSnapshot } from '@polyphony/protocol';

/** Polls `check` every 50 ms until it holds; fails after `timeoutMs` (generous: loaded boxes). */
export async function until(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
import { startTestApp, TEST_ORIGIN, type TestApp } from './test-app.ts';

export type TestAppOptions = Omit<NonNullable<Parameters<typeof startTestApp>[2]>, 'port'> & {
  /**
   * `none`: settings nothing listens on (the default); `plain`: a real LiveKit server;
   * `webhook`: a real LiveKit server whose webhook reaches the app.
   */
  readonly livekit?: 'none' | 'plain' | 'webhook';
};

/** The app under test for one `describe` block, with what its tests keep reaching for. */
export interface SuiteApp extends Omit<TestApp, 'close'> {
  readonly db: TestDatabase;
  /** The LiveKit server (only with `livekit: 'plain' | 'webhook'`). */
  readonly livekit: RunningLivekit;
  readonly http: HttpClient;
  /** Opens a link and knocks; fails the test unless the knock is answered 200. */
  join(link: TestLink, companions?: string[]): Promise<Session>;
  /** Opens the live channel as this browser would (closed after the suite). */
  live(
    who: { readonly meetingId: string; readonly cookie?: string },
    options?: { since?: number; origin?: string; on?: Pick<TestApp, 'wsBaseUrl'> },
  ): LiveClient;
  /** Connects to LiveKit with this media access (disconnected after the suite). */
  connect(media: { url: string; token: string }): Promise<MediaClient>;
  /**
   * What an admitted page does: opens the live channel, connects to LiveKit with the snapshot's
   * ticket, claims the seat with its sid and waits until LiveKit holds the grants.
   */
  enter(session: Session): Promise<EnteredMedia>;
}

/** A participant in the room with media, as {@link SuiteApp.enter} leaves them. */
export interface EnteredMedia {
  readonly live: LiveClient;
  readonly snapshot: LiveSnapshot;
  readonly media: MediaClient;
}

/**
 * Opens the test database (and LiveKit if asked), starts the app in `beforeAll` and takes it
 * all down in `afterAll`, with every live channel and media client the tests opened.
 * Call it inside `describe`; the returned object is usable from the tests and later hooks.
 */
export function useTestApp(target: TestDatabaseTarget, options: TestAppOptions = {}): SuiteApp {
  const { livekit: withLivekit = 'none', ...appOptions } = options;
  let db: TestDatabase | undefined;
  let livekit: RunningLivekit | undefined;
  let app: TestApp | undefined;
  const clients: LiveClient[] = [];
  const media: MediaClient[] = [];
  const started = (): TestApp => {
    if (!app) throw new Error('the test app has not started (use it from tests or hooks)');
    return app;
  };
  const http = httpClient(() => started().baseUrl);

  beforeAll(async () => {
    const port = withLivekit === 'webhook' ? await freePort() : 0;
    [db, livekit] = await Promise.all([
      target.open(),
      withLivekit === 'none'
        ? undefined
        : startLivekit(
            withLivekit === 'webhook'
              ? { webhookUrl: `http://127.0.0.1:${port}/api/livekit/webhook` }
              : {},
          ),
    ]);
    app = await startTestApp(db.database, livekit ?? NO_LIVEKIT, { ...appOptions, port });
  }, DATABASE_OPEN_TIMEOUT_MS);

  afterAll(async () => {
    for (const c of clients) c.ws.terminate();
    for (const m of media) await m.close();
    await app?.close();
    await livekit?.stop();
    await db?.dispose();
  }, DATABASE_OPEN_TIMEOUT_MS);

  return {
    get app() {
      return started().app;
    },
    get baseUrl() {
      return started().baseUrl;
    },
    get wsBaseUrl() {
      return started().wsBaseUrl;
    },
    get logs() {
      return started().logs;
    },
    get db() {
      if (!db) throw new Error('the test database is not open');
      return db;
    },
    get livekit() {
      if (!livekit) throw new Error(`no LiveKit server (livekit: '${withLivekit}')`);
      return livekit;
    },
    http,
    async join(link, companions = []) {
      const { res, session } = await http.join(link, companions);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return session!;
    },
    live(who, { since, origin = TEST_ORIGIN, on = started() } = {}) {
      const headers: Record<string, string> = { origin };
      if (who.cookie) headers['cookie'] = who.cookie;
      const query = since === undefined ? '' : `?since=${since}`;
      const client = openLive(liveUrl(on.wsBaseUrl, who.meetingId, query), headers);
      clients.push(client);
      return client;
    },
    async connect(access) {
      const client = await connectWith(access);
      media.push(client);
      return client;
    },
    async enter(session) {
      const live = this.live(session);
      const snapshot = await live.nextOf('snapshot', 30_000);
      expect(snapshot.media, 'media access in the snapshot').not.toBeNull();
      const client = await this.connect(snapshot.media!);
      const sid = client.room.localParticipant!.sid!;
      live.ws.send(JSON.stringify({ type: 'seat', sid }));
      await until(async () => {
        const p = await started().app.livekit.getParticipant(
          session.meetingId,
          snapshot.media!.identity,
        );
        return p?.seated === true && p.sid === sid;
      }, 'the seat is granted');
      return { live, snapshot, media: client };
    },
  };
}
