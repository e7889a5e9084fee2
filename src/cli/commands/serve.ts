import type { Command } from 'commander';
import { action } from '../output.js';

/**
 * `chatmark serve` (what `npm start` runs): API, redirects and dashboard on one port. SIGTERM and
 * SIGINT stop taking requests, commit the click journal and close the store. The server's modules
 * load only here, so the quick commands (`link`, `ref`, …) stay quick.
 */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the API, the short-link redirects and the dashboard')
    .action(
      action(async () => {
        const { loadConfig, processEnv } = await import('../../config.js');
        const { buildServer } = await import('../../server.js');
        const config = loadConfig(processEnv());
        const server = await buildServer(config);
        if (server.generatedAdminKey) {
          process.stdout.write(
            [
              '',
              'First start: an admin API key was created. It is shown this once; keep it somewhere safe.',
              '',
              `    ${server.generatedAdminKey}`,
              '',
              'Use it as `Authorization: Bearer <key>`; make more with `chatmark keys create --role editor`.',
              '',
            ].join('\n'),
          );
        }
        await server.app.listen({ port: config.port, host: config.host });
        const address = server.app.server.address();
        const port = typeof address === 'object' && address ? address.port : config.port;
        process.stdout.write(
          `Chatmark is serving on http://localhost:${port} (store: ${server.store.dialect.name}; short links: ${config.baseUrl ?? `http://localhost:${port}`})\n`,
        );
        const signal = await new Promise<string>((resolve) => {
          process.once('SIGTERM', () => resolve('SIGTERM'));
          process.once('SIGINT', () => resolve('SIGINT'));
        });
        process.stdout.write(`${signal}: finishing requests, committing clicks, closing the store…\n`);
        await server.close();
        process.stdout.write('stopped\n');
        return 0;
      }),
    );
}
