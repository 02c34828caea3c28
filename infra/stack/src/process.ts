import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

export interface ProcessOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Where output goes: a file path, 'inherit' (prefixed lines on our stderr) or 'ignore'. */
  readonly output?: string | 'inherit' | 'ignore';
  /** Collects output lines in memory too (tests read it to check logs carry no personal data). */
  readonly capture?: boolean;
  /** A listening socket's descriptor the child inherits as fd 3 (see `bindPort`). */
  readonly listenFd?: number;
}

const running = new Set<ManagedProcess>();
let exitHookInstalled = false;

/** Whatever happens to this process, the children it started do not outlive it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of running) if (p.running) p.child.kill('SIGKILL');
  });
}

/**
 * For scripts (benchmarks): on Ctrl-C or SIGTERM, exit through the 'exit' hook so every
 * started child is killed too. Test runners handle their own signals and do not call this.
 */
export function exitOnSignals(): void {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
}

/** A child process this code started, and the only kind it ever stops. */
export class ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly captured: string[] = [];
  #exited: Promise<number | null>;
  #file: WriteStream | null = null;

  constructor(opts: ProcessOptions) {
    this.name = opts.name;
    this.child = spawn(opts.command, [...opts.args], {
      env: opts.env,
      cwd: opts.cwd,
      stdio:
        opts.listenFd === undefined
          ? ['ignore', 'pipe', 'pipe']
          : ['ignore', 'pipe', 'pipe', opts.listenFd],
    });
    const output = opts.output ?? 'ignore';
    if (output !== 'inherit' && output !== 'ignore')
      this.#file = createWriteStream(output, { flags: 'a' });
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      if (opts.capture) this.captured.push(text);
      if (this.#file) this.#file.write(text);
      else if (output === 'inherit') {
        for (const line of text.split('\n'))
          if (line) process.stderr.write(`[${this.name}] ${line}\n`);
      }
    };
    this.child.stdout?.on('data', onData);
    this.child.stderr?.on('data', onData);
    this.#exited = new Promise((res) =>
      this.child.once('exit', (code) => {
        running.delete(this);
        res(code);
      }),
    );
    installExitHook();
    running.add(this);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get exited(): Promise<number | null> {
    return this.#exited;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. Resolves when the process has gone. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.running) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await this.#exited;
      clearTimeout(timer);
    }
    this.#file?.end();
  }

  /** Hard kill, as a crash would (restart tests). */
  async kill(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.#exited;
  }
}

/** How long start-up waits by default: generous, the machine may be loaded (tests, builds). */
export const START_TIMEOUT_MS = 120_000;

export interface WaitOptions {
  readonly timeoutMs?: number;
  /** Fails at once when this process exits (it will never answer). */
  readonly proc?: ManagedProcess;
  /**
   * Whether the answer comes from the instance we started (e.g. the health nonce matches);
   * another answer is waited through, never taken for ours.
   */
  readonly accept?: (res: Response) => Promise<boolean>;
}

/**
 * Polls `url` until it answers with a status below 500 (and `accept` agrees) or `timeoutMs`
 * passes.
 */
export async function waitForHttp(
  url: string,
  { timeoutMs = START_TIMEOUT_MS, proc, accept }: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (proc && !proc.running) {
      throw new Error(
        `${proc.name} exited before it was ready:\n${proc.captured.join('').slice(-2000)}`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (res.status < 500 && (!accept || (await accept(res)))) return;
      lastError = res.status < 500 ? 'another instance answered' : `status ${res.status}`;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${url} (${lastError})`);
}
