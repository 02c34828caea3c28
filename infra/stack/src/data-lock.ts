import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a process with this id exists (signal 0 checks without touching it). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `dir` for this process alone (a `lock` file holding our pid, created exclusively): two
 * products on one data folder would open one embedded database twice. A lock left by a process
 * that is gone is taken over. Returns the release; throws a clear error when the folder is held.
 */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let held = true;
      const release = (): void => {
        if (!held) return;
        held = false;
        rmSync(file, { force: true });
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
        throw new Error(
          `another Polyphony (process ${holder}) is using the data folder ${dir}; ` +
            'stop it, or give this one its own folder with POLYPHONY_DATA_DIR',
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`cannot lock the data folder ${dir}`);
}
