import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface Checkpointer {
  /**
   * Copies the WAL into the database and restarts it from the beginning (`wal_checkpoint(RESTART)`)
   * on the worker's connection. The caller must not write until this resolves: under a steady
   * stream of commits a passive checkpoint never catches up, and the WAL would grow without end
   * (and every read with it).
   */
  restart(): Promise<void>;
  /** A last checkpoint, then the worker ends. */
  stop(): Promise<void>;
}

/**
 * Moves SQLite's WAL checkpoints off the event loop. A checkpoint copies the WAL into the
 * database file and fsyncs it; done by the connection that commits (SQLite's default), it stalls
 * the event loop — and every redirect waiting on it — for tens of milliseconds. Here the main
 * connection never checkpoints (`wal_autocheckpoint = 0`): a worker thread with its own connection
 * does, between two of the main connection's commits, while the event loop goes on serving (the
 * clicks that arrive meanwhile wait in the journal and go into the next commit).
 */
export function startCheckpointer(file: string): Checkpointer {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.module);
    const db = new Database(workerData.file);
    db.pragma('busy_timeout = 5000');
    parentPort.on('message', (message) => {
      try { db.pragma(message === 'stop' ? 'wal_checkpoint(TRUNCATE)' : 'wal_checkpoint(RESTART)'); } catch {}
      if (message === 'stop') db.close();
      parentPort.postMessage(message);
    });
  `;
  const worker = new Worker(source, {
    eval: true,
    workerData: { file, module: fileURLToPath(import.meta.resolve('better-sqlite3')) },
  });
  worker.unref();
  const ask = (message: 'restart' | 'stop') =>
    new Promise<void>((resolve) => {
      const done = () => {
        worker.off('error', done);
        resolve();
      };
      worker.once('message', done);
      worker.once('error', done);
      worker.postMessage(message);
    });
  return {
    restart: () => ask('restart'),
    stop: async () => {
      await ask('stop');
      await worker.terminate();
    },
  };
}
