// The key lifecycle of end-to-end encryption (ADR 0035): one device key pair per admission,
// this sender's media key wrapped for each admitted identity, a fresh key whenever the set of
// keyed members changes (a leave, a removal, an admission), and the keys others sent us.
// The relay (the signal service) only carries public keys and wrapped copies.
import type {
  DeviceKeyRequest,
  E2eeStateResponse,
  KeyResendRequest,
  WrappedKeysRequest,
} from '@polyphony/protocol';
import {
  generateDeviceKey,
  newMediaKey,
  ratchetMediaKey,
  securityCodeBytes,
  unwrapMediaKey,
  wrapMediaKey,
  type DeviceKeyPair,
} from './e2ee-crypto.ts';

/** The signal service's e2ee endpoints as the manager needs them. */
export interface E2eeRelay {
  postDeviceKey(body: DeviceKeyRequest): Promise<boolean>;
  read(): Promise<E2eeStateResponse | null>;
  sendWrapped(body: WrappedKeysRequest): Promise<boolean>;
  /** Asks a sender to wrap its current media key for this device again (seen on its next read). */
  requestResend(body: KeyResendRequest): Promise<boolean>;
}

/** LiveKit's key ring: one's own key switches what is sent; others' keys decrypt their frames. */
export interface KeyRing {
  setKey(identity: string, keyIndex: number, key: Uint8Array<ArrayBuffer>): Promise<void>;
}

export interface SecurityCode {
  /** One byte per word; every page of the same members shows the same bytes. */
  readonly bytes: readonly number[];
  /** The identities it covers (everyone admitted with a device key), sorted. */
  readonly members: readonly string[];
  /** Who came and went since the code shown before (identities); empty on the first code. */
  readonly joined: readonly string[];
  readonly left: readonly string[];
}

export interface E2eeView {
  /** This device's key is posted and its first media key set. */
  readonly ready: boolean;
  readonly code: SecurityCode | null;
  /** Identities whose media key this page holds now. */
  readonly keyed: readonly string[];
  /** Members whose key has not come for longer than the watchdog allows: "can't decrypt yet". */
  readonly waiting: readonly string[];
  /**
   * The key this page encrypts with now: its generation and the identities it was given to
   * (a departed member not among them cannot decrypt what this page sends).
   */
  readonly sending: { readonly generation: number; readonly to: readonly string[] } | null;
}

export interface E2eeKeysOptions {
  readonly meetingId: string;
  /** This admission's media identity and number. */
  readonly identity: string;
  readonly admission: number;
  readonly relay: E2eeRelay;
  readonly ring: KeyRing;
  readonly onChange: (view: E2eeView) => void;
  /** How often to read the relay (keys and mailbox). */
  readonly pollMs?: number;
  /**
   * The longest a rotated key is sent to others before this page encrypts with it, so that they
   * hold it first; sooner once the relay says every recipient has read it. The departed can
   * decrypt for as long ("leaving — can still decrypt").
   */
  readonly switchDelayMs?: number;
  /**
   * After the relay says every recipient has read the rotated key, how long before using it
   * (their pages unwrap and set it meanwhile). The switch delay stays the latest moment.
   */
  readonly takenGraceMs?: number;
  /** LiveKit's key ring size: key indexes are the generation modulo this. */
  readonly keyringSize?: number;
  /**
   * At most one rotation per this interval: churn (many joins and leaves within seconds) gives
   * one rotation at its first change and one for the rest after the interval, not one per change.
   */
  readonly rotateEveryMs?: number;
  /** How long a member may be without a key from them before the view lists them as waiting. */
  readonly watchdogMs?: number;
  /**
   * The ratchet on admission: when members only came (nobody left, nobody's key changed), the
   * sender's next key is derived from the one in use and given to the newcomers alone, and it
   * switches at once: those who hold the key in use derived the next ones on receiving it (this
   * many steps ahead). After this many steps in a row, or on any leave, a fresh random key.
   * 0: every change makes a fresh key.
   */
  readonly ratchetSteps?: number;
  /** The clock (milliseconds); tests pass their own. */
  readonly now?: () => number;
}

interface MediaKey {
  readonly generation: number;
  readonly keyIndex: number;
  readonly key: Uint8Array<ArrayBuffer>;
  readonly to: readonly string[];
  /** Whom it was given to, as `identity:publicKey` (a reloaded member has a new public key). */
  readonly toKeys: readonly string[];
  /** How many ratchet steps it is from the last fresh key (0: fresh). */
  readonly ratchets: number;
}

const keyOf = (k: { readonly identity: string; readonly publicKey: string }) =>
  `${k.identity}:${k.publicKey}`;

export class E2eeKeys {
  readonly #o: Required<E2eeKeysOptions>;
  #device: DeviceKeyPair | null = null;
  #posted = false;
  #stopped = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #switchTimers = new Set<ReturnType<typeof setTimeout>>();
  #generation = 0;
  /** The newest media key made (sent to its recipients; used once they hold it). */
  #current: MediaKey | null = null;
  /** The key this page encrypts with now. */
  #sending: MediaKey | null = null;
  /** The recipients (identity and public key) the newest media key was delivered to. */
  #recipients = '';
  #lastRotation = -Infinity;
  /** LiveKit's key ring is written in order, one key at a time. */
  #ringWrites: Promise<void> = Promise.resolve();
  /** The latest generation taken from each sender. */
  readonly #seen = new Map<string, number>();
  /**
   * Each sender's device key as last read. A sender whose key changed made a new key pair for
   * the same admission (it reloaded or joined its media again): its generations start again.
   */
  readonly #senderKeys = new Map<string, string>();
  /** Since when each member is without a key from them (the watchdog's start). */
  readonly #since = new Map<string, number>();
  /** Since when each sender's media has failed to decrypt (as the media connection reports). */
  readonly #failing = new Map<string, number>();
  /** When the self-heal last asked each sender to send its key again. */
  readonly #healed = new Map<string, number>();
  #code: SecurityCode | null = null;
  #codeInput = '';
  #ready = false;
  #running = false;
  #again = false;
  /** The next read comes sooner than the poll: a rotation held back by the interval is due. */
  #dueIn = Infinity;
  /** The other members with a device key, as last read. */
  #members: readonly string[] = [];
  /**
   * A rotated key waiting to be used: it is switched to as soon as the relay says every
   * recipient's page has read its copy, or at the latest after the switch delay.
   */
  #pending: {
    readonly generation: number;
    readonly to: readonly string[];
    readonly use: () => Promise<void>;
  } | null = null;

  constructor(options: E2eeKeysOptions) {
    this.#o = {
      // A fallback: the live channel's `keys` nudge and roster changes poke a read at once.
      pollMs: 3000,
      switchDelayMs: 1000,
      takenGraceMs: 150,
      keyringSize: 16,
      rotateEveryMs: 1000,
      watchdogMs: 5000,
      ratchetSteps: 4,
      now: () => Date.now(),
      ...options,
    };
  }

  /** Makes this admission's key pair and starts reading the relay. */
  async start(): Promise<void> {
    this.#device = await generateDeviceKey();
    await this.#tick();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    for (const timer of this.#switchTimers) clearTimeout(timer);
    this.#switchTimers.clear();
  }

  /** Reads the relay now (after a roster change) instead of at the next poll. */
  poke(): void {
    if (this.#stopped || !this.#device) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), 0);
  }

  /**
   * "Resend keys": asks `sender` to wrap its current key for this device again, and takes
   * whatever the relay then holds from them, even a generation taken before (a key that did
   * not work is set again). The watchdog starts over for them.
   */
  async requestResend(sender: string): Promise<boolean> {
    if (this.#stopped || !this.#members.includes(sender)) return false;
    this.#seen.delete(sender);
    this.#since.set(sender, this.#o.now());
    this.#emit();
    const asked = await this.#o.relay.requestResend({
      admission: this.#o.admission,
      from: sender,
    });
    this.poke();
    return asked;
  }

  /**
   * The senders whose media does not decrypt now (from the media connection). Together with
   * members whose key has not come, they are healed without anyone pressing "Resend keys": once
   * past the watchdog's time the sender is asked to wrap its key again, and again no sooner than
   * that time after (a key lost in a reconnect or a missed copy does not leave a silent tile).
   */
  reportUndecryptable(identities: readonly string[]): void {
    const now = this.#o.now();
    for (const sender of [...this.#failing.keys()])
      if (!identities.includes(sender)) this.#failing.delete(sender);
    for (const sender of identities) if (!this.#failing.has(sender)) this.#failing.set(sender, now);
  }

  /** One read at a time: a poke during a read makes the next one come at once. */
  async #tick(): Promise<void> {
    clearTimeout(this.#timer);
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    try {
      await this.#step();
    } catch {
      // A failed read or post is tried again at the next poll; media stays encrypted meanwhile.
    } finally {
      this.#running = false;
    }
    if (this.#stopped) return;
    const delay = this.#again ? 0 : Math.max(0, Math.min(this.#o.pollMs, this.#dueIn));
    this.#again = false;
    this.#dueIn = Infinity;
    this.#timer = setTimeout(() => void this.#tick(), delay);
  }

  async #step(): Promise<void> {
    const device = this.#device!;
    const { identity, admission, relay, meetingId, now } = this.#o;
    if (!this.#posted) {
      this.#posted = await relay.postDeviceKey({
        admission,
        curve: device.curve,
        publicKey: device.publicKey,
      });
      if (!this.#posted) return;
    }
    const state = await relay.read();
    if (this.#stopped || !state || state.me !== identity) return;
    const mine = state.keys.find((k) => k.identity === identity);
    // The relay must show our own key as we posted it; otherwise nothing it says is trusted.
    if (!mine || mine.publicKey !== device.publicKey || mine.curve !== device.curve) return;
    const others = state.keys.filter((k) => k.identity !== identity && k.curve === device.curve);

    this.#members = others.map((k) => k.identity);
    for (const k of others) {
      const before = this.#senderKeys.get(k.identity);
      if (before !== undefined && before !== k.publicKey) this.#seen.delete(k.identity);
      this.#senderKeys.set(k.identity, k.publicKey);
    }
    for (const member of this.#members)
      if (!this.#since.has(member)) this.#since.set(member, now());
    for (const member of [...this.#since.keys()])
      if (!this.#members.includes(member)) this.#since.delete(member);
    const recipients = others
      .map((k) => `${k.identity}:${k.publicKey}`)
      .sort()
      .join('\n');
    let rotated = false;
    if (recipients !== this.#recipients || this.#generation === 0) {
      const wait = this.#lastRotation + this.#o.rotateEveryMs - now();
      if (this.#generation === 0 || wait <= 0) {
        // Marked done only once delivered: a refused or failed send is tried again.
        if (await this.#rotate(others)) this.#recipients = recipients;
        rotated = true;
      } else {
        this.#dueIn = Math.min(this.#dueIn, wait);
      }
    }
    this.#switchIfTaken(state.taken);

    // Others' keys before answering requests: on a loaded machine every request here waits.
    for (const entry of state.mailbox) {
      const sender = others.find((k) => k.identity === entry.sender);
      if (!sender || (this.#seen.get(entry.sender) ?? -1) >= entry.generation) continue;
      try {
        const key = await unwrapMediaKey(entry, device, sender, {
          meetingId,
          generation: entry.generation,
          sender: entry.sender,
          recipient: identity,
          keyIndex: entry.keyIndex,
        });
        // Checked again after the wait: never let an older key replace a newer one.
        if ((this.#seen.get(entry.sender) ?? -1) >= entry.generation) continue;
        this.#seen.set(entry.sender, entry.generation);
        await this.#setKey(entry.sender, entry.keyIndex, key);
        await this.#deriveAhead(entry.sender, entry.generation, key);
      } catch {
        // Not for us, or tampered with: ignored (the tile says it cannot decrypt yet).
      }
    }
    this.#updateCode(state.keys);
    this.#emit();

    const askers = state.resend.filter((r) => this.#members.includes(r));
    if (!rotated && askers.length > 0) await this.#rewrap(others, askers);
    await this.#heal();
  }

  /**
   * A fresh media key for exactly these recipients; sending switches to it once they hold it.
   * False when the relay did not take it (it is then never used).
   */
  async #rotate(recipients: E2eeStateResponse['keys']): Promise<boolean> {
    const { identity, admission, keyringSize, meetingId } = this.#o;
    this.#lastRotation = this.#o.now();
    const generation = ++this.#generation;
    const toKeys = recipients.map(keyOf).sort();
    // Members only came: the next key is the ratchet of the newest, for the newcomers alone.
    // A generation the relay refused was never used but is not reused either: the ratchet steps
    // over it as the receivers derive ahead (one step per generation), within their reach.
    const from = this.#current;
    const steps = from === null ? 0 : generation - from.generation;
    const ratchet =
      from !== null &&
      from.ratchets + steps <= this.#o.ratchetSteps &&
      from.toKeys.every((k) => toKeys.includes(k)) &&
      toKeys.some((k) => !from.toKeys.includes(k));
    let key = newMediaKey();
    if (ratchet) {
      key = from.key;
      for (let g = from.generation + 1; g <= generation; g++)
        key = await ratchetMediaKey(key, { meetingId, sender: identity, generation: g });
    }
    const media: MediaKey = {
      generation,
      keyIndex: generation % keyringSize,
      key,
      to: recipients.map((r) => r.identity).sort(),
      toKeys,
      ratchets: ratchet ? from.ratchets + steps : 0,
    };
    const copies = await this.#wrapFor(
      media,
      ratchet ? recipients.filter((r) => !from.toKeys.includes(keyOf(r))) : recipients,
    );
    if (copies.length > 0) {
      const { keyIndex } = media;
      if (!(await this.#o.relay.sendWrapped({ admission, generation, keyIndex, copies })))
        return false;
    }
    if (this.#stopped) return false;
    this.#current = media;
    const use = () =>
      this.#ring(async () => {
        // A switch that comes after a newer one (timers, slow key imports) changes nothing.
        if (this.#stopped || (this.#sending?.generation ?? 0) >= generation) return;
        await this.#o.ring.setKey(identity, media.keyIndex, media.key);
        this.#sending = media;
        this.#ready = true;
        this.#emit();
      });
    // A ratchet is used at once: the members before hold it already (derived ahead).
    if (generation === 1 || this.#sending === null || ratchet) {
      await use();
    } else {
      // Used once every recipient has read its copy (the relay says so; the live channel's
      // nudge brings the news), at the latest after the delay. Earlier switches still happen:
      // in churn the key in use keeps moving forward, each one given only to the members of
      // its moment.
      this.#pending = { generation, to: copies.map((c) => c.to), use };
      const timer = setTimeout(() => {
        this.#switchTimers.delete(timer);
        if (this.#pending?.generation === generation) this.#pending = null;
        void use().catch(() => undefined);
      }, this.#o.switchDelayMs);
      this.#switchTimers.add(timer);
    }
    return true;
  }

  /** Switches to the waiting key once every recipient still here has taken its copy. */
  #switchIfTaken(taken: E2eeStateResponse['taken']): void {
    const pending = this.#pending;
    if (!pending) return;
    const held = new Map(taken.map((t) => [t.to, t.generation]));
    const waiting = pending.to.filter(
      (to) => this.#members.includes(to) && (held.get(to) ?? -1) < pending.generation,
    );
    if (waiting.length > 0) return;
    this.#pending = null;
    // The relay marks a copy taken when it hands it over; the page then unwraps and sets it
    // (milliseconds, against two requests and a live frame for the news to come back here).
    const timer = setTimeout(() => {
      this.#switchTimers.delete(timer);
      void pending.use().catch(() => undefined);
    }, this.#o.takenGraceMs);
    this.#switchTimers.add(timer);
  }

  /** Asks again for the keys of senders that failed or never came for the watchdog's time. */
  async #heal(): Promise<void> {
    const { now, watchdogMs, relay, admission } = this.#o;
    const t = now();
    const ask = this.#members.filter((sender) => {
      const since =
        this.#failing.get(sender) ?? (this.#seen.has(sender) ? undefined : this.#since.get(sender));
      if (since === undefined || t - since < watchdogMs) return false;
      return t - (this.#healed.get(sender) ?? -Infinity) >= watchdogMs;
    });
    for (const sender of ask) {
      this.#healed.set(sender, t);
      // What the relay then holds from them is taken again, even a generation taken before.
      this.#seen.delete(sender);
    }
    // Together, not one after another: each is a request a loaded server may be slow to answer.
    await Promise.allSettled(ask.map((from) => relay.requestResend({ admission, from })));
  }

  /** The newest key wrapped again for members who asked ("resend keys"). */
  async #rewrap(others: E2eeStateResponse['keys'], askers: readonly string[]): Promise<void> {
    const media = this.#current;
    if (!media) return;
    const recipients = others.filter((k) => askers.includes(k.identity));
    const copies = await this.#wrapFor(media, recipients);
    const { generation, keyIndex } = media;
    await this.#o.relay.sendWrapped({ admission: this.#o.admission, generation, keyIndex, copies });
  }

  async #wrapFor(media: MediaKey, recipients: E2eeStateResponse['keys']) {
    const device = this.#device!;
    const { identity, meetingId } = this.#o;
    const { generation, keyIndex, key } = media;
    return Promise.all(
      recipients.map(async (r) => ({
        to: r.identity,
        ...(await wrapMediaKey(key, device, r, {
          meetingId,
          generation,
          sender: identity,
          recipient: r.identity,
          keyIndex,
        })),
      })),
    );
  }

  /**
   * A sender's next keys, derived from the one just taken (the ratchet on admission), set
   * ahead at their key indexes so that its switch to one of them loses no frame here.
   */
  async #deriveAhead(sender: string, generation: number, key: Uint8Array<ArrayBuffer>) {
    const { meetingId, keyringSize, ratchetSteps } = this.#o;
    let next = key;
    for (let step = 1; step <= Math.min(ratchetSteps, keyringSize - 1); step++) {
      next = await ratchetMediaKey(next, { meetingId, sender, generation: generation + step });
      // A newer key from them came meanwhile: its own derivations take these places.
      if ((this.#seen.get(sender) ?? -1) !== generation) return;
      await this.#setKey(sender, (generation + step) % keyringSize, next);
    }
  }

  #setKey(identity: string, keyIndex: number, key: Uint8Array<ArrayBuffer>): Promise<void> {
    return this.#ring(() => this.#o.ring.setKey(identity, keyIndex, key));
  }

  /** Runs key ring writes one after another, in the order they were asked for. */
  #ring(write: () => Promise<void>): Promise<void> {
    const done = this.#ringWrites.then(write);
    this.#ringWrites = done.catch(() => undefined);
    return done;
  }

  /**
   * The security code of these keys, made beside the key loop rather than in it: its PBKDF2
   * takes tens of milliseconds here and far more on an old phone, and the next read (a new
   * member's key, a copy for us) must not wait for it. The newest keys win; the view shows
   * the new code when it is ready.
   */
  #updateCode(keys: E2eeStateResponse['keys']): void {
    const input = keys
      .map((k) => `${k.identity}:${k.curve}:${k.publicKey}`)
      .sort()
      .join('\n');
    if (input === this.#codeInput) return;
    this.#codeInput = input;
    const members = keys.map((k) => k.identity).sort();
    void securityCodeBytes(this.#o.meetingId, keys).then(
      (bytes) => {
        if (this.#stopped || this.#codeInput !== input) return;
        const before = this.#code?.members ?? null;
        this.#code = {
          bytes: [...bytes],
          members,
          joined: before ? members.filter((m) => !before.includes(m)) : [],
          left: before ? before.filter((m) => !members.includes(m)) : [],
        };
        this.#emit();
      },
      () => {
        // Made again from the next read.
        if (this.#codeInput === input) this.#codeInput = '';
      },
    );
  }

  #emit(): void {
    if (this.#stopped) return;
    const now = this.#o.now();
    const without = this.#members.filter((m) => !this.#seen.has(m));
    this.#o.onChange({
      ready: this.#ready,
      code: this.#code,
      keyed: this.#members.filter((m) => this.#seen.has(m)),
      waiting: without.filter((m) => now - (this.#since.get(m) ?? now) >= this.#o.watchdogMs),
      sending: this.#sending
        ? { generation: this.#sending.generation, to: this.#sending.to }
        : null,
    });
  }
}
