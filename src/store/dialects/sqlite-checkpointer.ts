import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface Checkpointer {
  /**
   * Copies what the WAL holds into the database (`wal_checkpoint(PASSIVE)`) while the main
   * connection goes on committing: the long part of a checkpoint (the WAL's fsync and most of the
   * copying) without holding up a write. It cannot restart the WAL under steady commits, so a
   * `restart` follows it, with only the frames committed since left to copy.
   */
  passive(): Promise<void>;
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
      const mode = { stop: 'TRUNCATE', restart: 'RESTART', passive: 'PASSIVE' }[message];
      try { db.pragma('wal_checkpoint(' + mode + ')'); } catch {}
      if (message === 'stop') db.close();
      parentPort.postMessage(message);
    });
  `;
  const worker = new Worker(source, {
    eval: true,
    workerData: { file, module: fileURLToPath(import.meta.resolve('better-sqlite3')) },
  });
  worker.unref();
  const ask = (message: 'passive' | 'restart' | 'stop') =>
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
    passive: () => ask('passive'),
    restart: () => ask('restart'),
    stop: async () => {
      await ask('stop');
      await worker.terminate();
    },
  };
}
