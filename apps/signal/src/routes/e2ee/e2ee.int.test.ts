import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_OPEN_TIMEOUT_MS, rawQuery, testDatabaseTargets } from '@polyphony/db/testing';
import type { E2eeStateResponse } from '@polyphony/protocol';
import {
  createTestMeeting,
  type Session,
  type TestMeeting,
} from '../../testing/meeting-harness.ts';
import { useTestApp } from '../../testing/use-test-app.ts';

const b64 = (n: number) => randomBytes(n).toString('base64url');

describe.each(testDatabaseTargets())(
  'end-to-end encryption keys and mailbox on $name',
  (target) => {
    const t = useTestApp(target, { livekit: 'plain', reconcileIntervalMs: 0 });
    const { http, join } = t;

    let meeting: TestMeeting;
    let lee: Session;
    let sam: Session;
    let dad: Session;
    let gran: Session;
    const keys = { lee: b64(32), sam: b64(32), dad: b64(32), gran: b64(32) };

    const id = (s: Session, admission = 1) => `${s.participantId}.${admission}`;
    const postKey = (s: Session, publicKey: string, admission = 1, curve = 'X25519') =>
      http.call('POST', `/api/meetings/${s.meetingId}/e2ee/device-key`, {
        session: s,
        body: { admission, curve, publicKey },
      });
    const read = (s: Session) =>
      http.call('GET', `/api/meetings/${s.meetingId}/e2ee`, { session: s });
    const send = (
      s: Session,
      generation: number,
      to: readonly string[],
      wrapped = b64(48),
      admission = 1,
    ) =>
      http.call('POST', `/api/meetings/${s.meetingId}/e2ee/wrapped-keys`, {
        session: s,
        body: {
          admission,
          generation,
          keyIndex: generation % 16,
          copies: to.map((recipient) => ({ to: recipient, iv: b64(12), wrapped })),
        },
      });
    const askResend = (s: Session, from: string, admission = 1) =>
      http.call('POST', `/api/meetings/${s.meetingId}/e2ee/resend`, {
        session: s,
        body: { admission, from },
      });
    const state = async (s: Session) => (await read(s)).body as unknown as E2eeStateResponse;
    const code = (body: unknown) => (body as { error: { code: string } }).error.code;

    beforeAll(async () => {
      meeting = await createTestMeeting(t.app);
      lee = await join(await meeting.link('facilitator', 'Dr Lee', meeting.hostStaffId));
      sam = await join(await meeting.link('centre', 'Sam'));
      expect((await http.act(lee, 'admit', sam.participantId)).status).toBe(200);
      dad = await join(await meeting.link('network', 'Dad'));
      expect((await http.act(lee, 'admit', dad.participantId)).status).toBe(200);
      expect((await http.act(sam, 'consent', dad.participantId)).status).toBe(200);
      gran = await join(await meeting.link('network', 'Gran')); // never let in
    }, DATABASE_OPEN_TIMEOUT_MS);

    it('a seated device posts its key for its admission (a new pair replaces it); nobody else posts', async () => {
      expect((await postKey(lee, keys.lee)).body).toEqual({ identity: id(lee) });
      expect((await postKey(sam, keys.sam)).status).toBe(200);
      // The same key again is fine (a retry); a new key for the same admission (the page
      // reloaded: private keys are never kept) replaces it, and everyone reads the new one.
      expect((await postKey(sam, keys.sam)).status).toBe(200);
      const reloaded = b64(32);
      expect((await postKey(sam, reloaded)).status).toBe(200);
      const seen = (await read(dad)).body as unknown as E2eeStateResponse;
      expect(seen.keys.find((k) => k.identity === id(sam))?.publicKey).toBe(reloaded);
      expect((await postKey(sam, keys.sam)).status).toBe(200);
      // Not this admission; not admitted; a malformed key.
      expect(code((await postKey(dad, keys.dad, 2)).body)).toBe('NOT_ADMITTED');
      expect(code((await postKey(gran, keys.gran)).body)).toBe('NOT_ADMITTED');
      expect(code((await postKey(dad, 'not base64url!')).body)).toBe('VALIDATION_FAILED');
      expect(code((await postKey(dad, keys.dad, 1, 'P-384')).body)).toBe('VALIDATION_FAILED');
      expect((await postKey(dad, keys.dad, 1, 'P-256')).status).toBe(200);
    });

    it('only people in the room read the keys of everyone admitted now', async () => {
      const seen = (await read(dad)).body as unknown as E2eeStateResponse;
      expect(seen.me).toBe(id(dad));
      expect(seen.keys).toEqual(
        expect.arrayContaining([
          { identity: id(lee), curve: 'X25519', publicKey: keys.lee },
          { identity: id(sam), curve: 'X25519', publicKey: keys.sam },
          { identity: id(dad), curve: 'P-256', publicKey: keys.dad },
        ]),
      );
      expect(seen.keys).toHaveLength(3);
      expect(code((await read(gran)).body)).toBe('NOT_ADMITTED');
    });

    it('relays each wrapped copy to its named recipient only, the latest generation', async () => {
      const first = b64(48);
      const res = await send(lee, 1, [id(sam), id(dad), id(gran), id(lee), id(sam, 2)], first);
      expect(res.body).toEqual({ delivered: [id(sam), id(dad)] });
      const samBox = ((await read(sam)).body as unknown as E2eeStateResponse).mailbox;
      expect(samBox).toEqual([
        expect.objectContaining({ sender: id(lee), generation: 1, keyIndex: 1, wrapped: first }),
      ]);
      // Nobody else's copy is readable by Sam, and nothing reaches someone never let in.
      expect(code((await read(gran)).body)).toBe('NOT_ADMITTED');
      const [granRows] = await rawQuery<{ n: number }>(
        t.app.database,
        `select count(*)::int as n from e2ee_mailbox where recipient_id = $1`,
        [gran.participantId],
      );
      expect(granRows!.n).toBe(0);

      // A later generation replaces the copy; an earlier one arriving late does not.
      const second = b64(48);
      expect((await send(lee, 2, [id(sam)], second)).status).toBe(200);
      expect((await send(lee, 1, [id(sam)], first)).status).toBe(200);
      const after = ((await read(sam)).body as unknown as E2eeStateResponse).mailbox;
      expect(after).toEqual([expect.objectContaining({ generation: 2, wrapped: second })]);

      // Two copies for one recipient are ambiguous: refused with a code, nothing stored.
      const twice = await send(lee, 3, [id(sam), id(sam)], b64(48));
      expect(twice.status).toBe(400);
      expect(code(twice.body)).toBe('INVALID_INPUT');
      const unchanged = ((await read(sam)).body as unknown as E2eeStateResponse).mailbox;
      expect(unchanged).toEqual([expect.objectContaining({ generation: 2, wrapped: second })]);

      // Lee's page reloads: its new key pair replaces the old, and every copy wrapped with the
      // old one (from Lee, or to Lee) is gone, so the new page's generation 1 is taken.
      expect((await postKey(lee, b64(32))).status).toBe(200);
      expect(((await read(sam)).body as unknown as E2eeStateResponse).mailbox).toEqual([]);
      const fresh = b64(48);
      expect((await send(lee, 1, [id(sam)], fresh)).status).toBe(200);
      expect(((await read(sam)).body as unknown as E2eeStateResponse).mailbox).toEqual([
        expect.objectContaining({ generation: 1, wrapped: fresh }),
      ]);
      expect((await postKey(lee, keys.lee)).status).toBe(200);

      // Sending as another admission than one's own is refused.
      expect(code((await send(dad, 1, [id(lee)], b64(48), 2)).body)).toBe('NOT_ADMITTED');
      expect(code((await send(gran, 1, [id(lee)])).body)).toBe('NOT_ADMITTED');
    });

    it('"resend keys": the sender sees the request on its next read; its copy answers it', async () => {
      expect((await state(lee)).resend).toEqual([]);
      expect((await askResend(sam, id(lee))).body).toEqual({ from: id(lee) });
      // Asked twice before the answer: one request.
      expect((await askResend(sam, id(lee))).status).toBe(200);
      expect((await state(lee)).resend).toEqual([id(sam)]);
      // Only the sender sees it: Dad's read lists nobody.
      expect((await state(dad)).resend).toEqual([]);
      // The same generation wrapped again replaces Sam's copy and answers the request.
      const again = b64(48);
      expect((await send(lee, 2, [id(sam)], again)).status).toBe(200);
      expect((await state(sam)).mailbox).toEqual([
        expect.objectContaining({ sender: id(lee), generation: 2, wrapped: again }),
      ]);
      expect((await state(lee)).resend).toEqual([]);
      // Not of oneself, not of someone never let in, not for another admission, not from outside.
      expect(code((await askResend(sam, id(sam))).body)).toBe('NOT_ADMITTED');
      expect(code((await askResend(sam, id(gran))).body)).toBe('NOT_ADMITTED');
      expect(code((await askResend(sam, id(lee), 2)).body)).toBe('NOT_ADMITTED');
      expect(code((await askResend(gran, id(lee))).body)).toBe('NOT_ADMITTED');
      expect(code((await askResend(sam, 'not an identity')).body)).toBe('VALIDATION_FAILED');
      expect((await state(lee)).resend).toEqual([]);
      // Dad's request to Sam waits (Sam does not answer before Dad is asked to leave, below).
      expect((await askResend(dad, id(sam))).status).toBe(200);
      expect((await state(sam)).resend).toEqual([id(dad)]);
    });

    it('each write to the relay nudges those whose read it changes, with nothing in it; the lobby hears none', async () => {
      const [dadLive, samLive, leeLive, lobby] = [dad, sam, lee, gran].map((s) =>
        t.live({ meetingId: s.meetingId, cookie: s.cookie }),
      );
      for (const c of [dadLive!, samLive!, leeLive!, lobby!]) await c.nextOf('snapshot', 10_000);
      const nudges = (c: typeof lobby) => c!.messages.filter((m) => m.type === 'keys');
      const everyone = async () => {
        for (const c of [dadLive, samLive, leeLive]) {
          expect(await c!.nextOf('keys', 10_000)).toEqual({ type: 'keys' });
        }
      };
      // A device key changes what everyone reads: one content-free frame to each.
      expect((await postKey(lee, keys.lee)).status).toBe(200);
      await everyone();
      // A copy for Dad changes Dad's read alone; a request to resend, the sender's alone.
      expect((await send(lee, 40, [id(dad)])).status).toBe(200);
      await dadLive!.nextOf('keys', 10_000);
      expect((await askResend(dad, id(lee))).status).toBe(200);
      await leeLive!.nextOf('keys', 10_000);
      // A refused write commits nothing and nudges nobody.
      expect(code((await postKey(gran, keys.gran)).body)).toBe('NOT_ADMITTED');
      // Then a write for everyone: what came before it to each connection has come.
      expect((await postKey(sam, keys.sam)).status).toBe(200);
      await everyone();
      expect([dadLive, samLive, leeLive].map((c) => nudges(c).length)).toEqual([3, 2, 3]);
      // The same dispatch reached every connection of the meeting: Gran, in the lobby, got none.
      expect(nudges(lobby)).toEqual([]);
      for (const c of [dadLive, samLive, leeLive, lobby]) c!.close();
    });

    it('a copy handed over is taken: its sender reads which recipients took which generation, told once by a nudge', async () => {
      const inRoom = t.live({ meetingId: lee.meetingId, cookie: lee.cookie });
      await inRoom.nextOf('snapshot', 10_000);
      const nudges = () => inRoom.messages.filter((m) => m.type === 'keys').length;
      // Lee's own copies change Sam's and Dad's reads, not hers: no nudge to her.
      expect((await send(lee, 50, [id(sam), id(dad)])).status).toBe(200);
      // Nobody has read generation 50 yet.
      expect((await state(lee)).taken.filter((c) => c.generation === 50)).toEqual([]);
      const before = nudges();
      expect((await state(sam)).mailbox).toEqual([
        expect.objectContaining({ sender: id(lee), generation: 50 }),
      ]);
      // Sam's read took it: one nudge to Lee, its sender, who sees it (Dad's is still untaken).
      await inRoom.nextOf('keys', 10_000);
      expect(nudges()).toBe(before + 1);
      expect((await state(lee)).taken).toEqual([{ to: id(sam), generation: 50 }]);
      // Reading again takes nothing new: no nudge. Only the sender reads what was taken.
      await state(sam);
      expect((await state(dad)).taken).toEqual([]);
      await inRoom.nextOf('keys', 10_000); // Dad's read took his copy
      expect((await state(lee)).taken).toEqual(
        [
          { to: id(dad), generation: 50 },
          { to: id(sam), generation: 50 },
        ].sort((a, b) => (a.to < b.to ? -1 : 1)),
      );
      const settled = nudges();
      await state(sam);
      await state(dad);
      await new Promise((r) => setTimeout(r, 300));
      expect(nudges()).toBe(settled);
      // A newer copy is untaken again until read.
      expect((await send(lee, 51, [id(sam)])).status).toBe(200);
      expect((await state(lee)).taken).toEqual([{ to: id(dad), generation: 50 }]);
      inRoom.close();
    });

    it('someone asked to leave reads nothing and gets nothing; back in, a new admission', async () => {
      expect((await http.act(lee, 'remove', dad.participantId)).status).toBe(200);
      expect(code((await read(dad)).body)).toBe('NOT_ADMITTED');
      // A request of someone no longer admitted is not shown.
      expect((await state(sam)).resend).toEqual([]);
      expect((await send(lee, 3, [id(sam), id(dad)])).body).toEqual({ delivered: [id(sam)] });
      const forSam = ((await read(sam)).body as unknown as E2eeStateResponse).keys;
      expect(forSam.map((k) => k.identity).sort()).toEqual([id(lee), id(sam)].sort());
      // The mailbox survives a reconnect: it is in the database, read again any time.
      expect(((await read(sam)).body as unknown as E2eeStateResponse).mailbox).toHaveLength(1);
    });
  },
);
