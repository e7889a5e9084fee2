import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Moves SQLite's WAL checkpoints off the event loop. A checkpoint copies the WAL into the
 * database file and fsyncs it; done by the connection that commits (SQLite's default), it stalls
 * whichever redirect commits at that moment by tens of milliseconds. Here the main connection
 * never checkpoints (`wal_autocheckpoint = 0`) and a worker thread with its own connection runs
 * a PASSIVE checkpoint (which never blocks writers) every `everyMs`, and a last one on close.
 */
export function startCheckpointer(file: string, everyMs = 1000): { stop(): Promise<void> } {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.module);
    const db = new Database(workerData.file);
    db.pragma('busy_timeout = 5000');
    const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
    const timer = setInterval(checkpoint, workerData.everyMs);
    parentPort.on('message', () => { clearInterval(timer); checkpoint(); db.close(); parentPort.postMessage('done'); });
  `;
  const worker = new Worker(source, {
    eval: true,
    workerData: { file, everyMs, module: fileURLToPath(import.meta.resolve('better-sqlite3')) },
  });
  worker.unref();
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        worker.once('message', () => void worker.terminate().then(() => resolve()));
        worker.once('error', () => resolve());
        worker.postMessage('stop');
      }),
  };
}
