import { createServer } from 'node:http';
import { correlationId } from './api/correlation.js';
import { logLine } from './api/log.js';
import { allow } from './auth/rateLimit.js';
import { signIn } from './auth/signIn.js';
import { listOrders } from './orders/list.js';

const server = createServer(async (req, res) => {
  const started = Date.now();
  const id = correlationId(req.headers['x-correlation-id'] as string | undefined);
  const url = new URL(req.url ?? '/', 'http://localhost');
  res.setHeader('x-correlation-id', id);

  if (req.method === 'POST' && url.pathname === '/api/session') {
    if (!allow(req.socket.remoteAddress ?? 'unknown')) {
      res.writeHead(429, { 'retry-after': '60' }).end();
    } else {
      const body = JSON.parse(await readBody(req)) as { email: string; password: string };
      res.writeHead((await signIn(body.email, body.password)) ? 204 : 401).end();
    }
  } else if (req.method === 'GET' && url.pathname === '/api/orders') {
    const page = Number(url.searchParams.get('page') ?? 0);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(listOrders('demo-customer', page)));
  } else {
    res.writeHead(404).end();
  }
  logLine({ method: req.method, route: url.pathname, status: res.statusCode, durationMs: Date.now() - started, correlationId: id });
});

function readBody(req: import('node:http').IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

server.listen(Number(process.env.PORT ?? 3000));
