// A second baseline: a bare node:http server answering the same 302 as Chatmark's (its headers and
// a location of the same length), still without any of the redirect's work. Not the target's
// baseline (that is bare-server.js); it shows how much of the gap is the response itself.
import { createServer } from 'node:http';

let n = 0;
const server = createServer((_request, response) => {
  n += 1;
  response.writeHead(302, {
    'cache-control': 'no-store, private',
    'referrer-policy': 'no-referrer',
    'x-chatmark-click': String(10_000_000 + n),
    location: `https://wa.me/447911123456?text=Hi!%20I%20saw%20your%20flyer%20(ref%20${String(1000 + (n % 9000))}-ABCD)`,
    'content-length': '0',
  });
  response.end();
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('message', (m) => m === 'stop' && server.close(() => process.exit(0)));
