// The baseline: a bare node:http server answering 302, as DESIGN.md measures against.
import { createServer } from 'node:http';

const server = createServer((_request, response) => {
  response.writeHead(302, { location: 'https://wa.me/447911123456?text=Hi', 'cache-control': 'no-store' });
  response.end();
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('message', (m) => m === 'stop' && server.close(() => process.exit(0)));
