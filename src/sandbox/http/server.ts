import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { SANDBOX_CREDENTIALS, type SandboxCredentials } from '../identity';
import { FaultInjector, type Fault } from './faults';
import { Router } from './router';
import { type RequestLogEntry, type SandboxRequest, type SandboxResponse, type ServiceMount } from './types';

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

function apiVersionOf(url: URL, accept: string | undefined): string | undefined {
  return url.searchParams.get('api-version') ?? /api-version=([^;,\s]+)/.exec(accept ?? '')?.[1];
}

function parseBody(body: Buffer, contentType: string | undefined): unknown {
  if (body.length === 0) return undefined;
  const text = body.toString('utf8');
  if (/json/i.test(contentType ?? '') || /^[[{]/.test(text.trimStart())) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function serialize(response: SandboxResponse): { headers: Record<string, string>; payload: Buffer } | undefined {
  if ('stream' in response) return undefined;
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  const { body } = response;
  if (body === undefined) return { headers, payload: Buffer.alloc(0) };
  if (Buffer.isBuffer(body)) return { headers, payload: body };
  if (typeof body === 'string') {
    headers['content-type'] ??= 'text/plain; charset=utf-8';
    return { headers, payload: Buffer.from(body, 'utf8') };
  }
  headers['content-type'] ??= 'application/json; charset=utf-8';
  return { headers, payload: Buffer.from(JSON.stringify(body), 'utf8') };
}

/**
 * One loopback HTTP server for every stand-in. Services mount under a prefix; the server does
 * routing, authentication, fault injection and the request log once for all of them. It answers
 * only requests addressed to `127.0.0.1:<port>` or `localhost:<port>`: a web page that rebinds its
 * own name to 127.0.0.1 sends its own name as Host and gets 421 (DNS rebinding).
 */
export class SandboxServer {
  constructor(
    /** What the stand-ins accept; Sandbox.start passes random ones per session. */
    readonly credentials: SandboxCredentials = SANDBOX_CREDENTIALS,
  ) {}

  readonly faults = new FaultInjector();
  readonly requests: RequestLogEntry[] = [];
  private readonly services: { mount: ServiceMount; router: Router }[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private baseUrl: string | undefined;
  /** Added to every request (the sandbox's latency setting). */
  latencyMs = 0;
  /** Request log cap, so a long sandbox session does not grow without bound. */
  maxLogEntries = 5_000;

  mount(mount: ServiceMount): void {
    const router = new Router();
    mount.routes.forEach((r) => router.add(r));
    this.services.push({ mount, router });
    // Longest prefix first so `/github/api/graphql` could be mounted apart from `/github`.
    this.services.sort((a, b) => b.mount.prefix.length - a.mount.prefix.length);
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('The sandbox server is not started.');
    return this.baseUrl;
  }

  /** Base URL of one mounted service, e.g. `http://127.0.0.1:5123/ado`. */
  urlOf(serviceName: string): string {
    const found = this.services.find((s) => s.mount.name === serviceName);
    if (!found) throw new Error(`No sandbox service named ${serviceName}.`);
    return this.url + found.mount.prefix;
  }

  async start(port = 0): Promise<string> {
    if (this.baseUrl) return this.baseUrl;
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.baseUrl = undefined;
    this.sockets.forEach((s) => s.destroy());
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Entries for one route name, for tests that assert what was sent. */
  requestsTo(route: string): RequestLogEntry[] {
    return this.requests.filter((r) => r.route === route);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    try {
      const host = String(req.headers.host ?? '').toLowerCase();
      const port = (this.server?.address() as AddressInfo | null)?.port;
      if (port === undefined || (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)) {
        req.resume();
        return this.send(res, { status: 421, body: { message: `The AI DevOps sandbox answers only requests to 127.0.0.1:${port ?? ''} or localhost:${port ?? ''}, not to "${host.slice(0, 100)}".` } });
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const service = this.services.find(
        (s) => url.pathname === s.mount.prefix || url.pathname.startsWith(s.mount.prefix + '/'),
      );
      if (!service) return this.send(res, { status: 404, body: { message: `No sandbox service at ${url.pathname}` } });
      const { mount, router } = service;
      const path = url.pathname.slice(mount.prefix.length) || '/';
      const method = (req.method ?? 'GET').toUpperCase();
      const found = router.match(method, path);
      const entry: RequestLogEntry = {
        at: new Date().toISOString(),
        service: mount.name,
        route: found && 'route' in found ? found.route.name : '(none)',
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        apiVersion: apiVersionOf(url, req.headers.accept),
        body: parseBody(body, req.headers['content-type']),
        status: 0,
      };
      this.requests.push(entry);
      if (this.requests.length > this.maxLogEntries) this.requests.splice(0, this.requests.length - this.maxLogEntries);

      if (!found) return this.finish(entry, res, { status: 404, body: mount.errorBody(404, `No route for ${method} ${path}.`) });
      if (!('route' in found)) {
        return this.finish(entry, res, {
          status: 405,
          headers: { allow: found.allowed.join(', ') },
          body: mount.errorBody(405, `Method ${method} is not allowed here.`),
        });
      }
      const request: SandboxRequest = {
        method,
        url,
        path,
        headers: req.headers,
        body,
        params: found.params,
        routeName: found.route.name,
        principal: undefined,
        signal: abort.signal,
        credentials: this.credentials,
      };
      if (this.latencyMs > 0) await sleep(this.latencyMs, abort.signal);
      const faults = this.faults.take(found.route.name, mount.name);
      for (const f of faults.filter((f) => f.kind === 'latency')) await sleep(f.latencyMs ?? 0, abort.signal);
      const terminal = faults.find((f) => f.kind !== 'latency');
      if (terminal) entry.fault = terminal.kind;
      if (terminal?.kind === 'drop') {
        entry.status = -1;
        req.socket.destroy();
        return;
      }
      if (terminal?.kind === 'status') {
        const status = terminal.status ?? 503;
        const retryAfter = terminal.retryAfterSeconds ?? (status === 429 ? 1 : undefined);
        const headers: Record<string, string> = {};
        if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
        if (status === 429 && retryAfter !== undefined) Object.assign(headers, mount.rateLimitHeaders?.(retryAfter) ?? {});
        return this.finish(entry, res, { status, headers, body: mount.errorBody(status, `Injected fault: ${status}.`) });
      }
      let principal: string | undefined;
      if (mount.authenticate && !mount.anonymousRoutes?.includes(found.route.name)) {
        const auth = mount.authenticate(request);
        if (!auth.ok) return this.finish(entry, res, auth.response, mount.commonHeaders?.(request));
        principal = auth.principal;
      }
      const authed: SandboxRequest = { ...request, principal };
      let response: SandboxResponse;
      try {
        response = await found.route.handler(authed);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        response = { status: 500, body: mount.errorBody(500, `Sandbox error: ${message}`) };
      }
      return this.finish(entry, res, response, mount.commonHeaders?.(authed), terminal, abort.signal);
    } catch (error) {
      if (!res.headersSent) this.send(res, { status: 500, body: { message: String(error) } });
      else res.destroy();
    }
  }

  private async finish(
    entry: RequestLogEntry,
    res: ServerResponse,
    response: SandboxResponse,
    common: Record<string, string> = {},
    fault?: Fault,
    signal?: AbortSignal,
  ): Promise<void> {
    entry.status = response.status;
    const merged = { ...response, headers: { ...common, ...(response.headers ?? {}) } } as SandboxResponse;
    if (!fault) return this.send(res, merged);
    if ('stream' in merged) return this.sendFaultyStream(res, merged, fault, signal);
    const { headers, payload } = serialize(merged)!;
    const half = payload.subarray(0, Math.max(1, Math.floor(payload.length / 2)));
    if (fault.kind === 'malformed') {
      // A body that claims to be JSON but is cut short and followed by noise.
      const bad = Buffer.concat([half, Buffer.from('\u0000<<garbled>>')]);
      res.writeHead(response.status, { ...headers, 'content-length': String(bad.length) });
      res.end(bad);
      return;
    }
    res.writeHead(response.status, { ...headers, 'content-length': String(payload.length) });
    res.write(half);
    if (fault.kind === 'truncate') {
      res.destroy();
      return;
    }
    // stall: never finish; the client's time-out (or the server's stop) ends it.
  }

  private async sendFaultyStream(
    res: ServerResponse,
    response: Extract<SandboxResponse, { stream: unknown }>,
    fault: Fault,
    signal?: AbortSignal,
  ): Promise<void> {
    res.writeHead(response.status, response.headers);
    let sent = 0;
    for await (const chunk of response.stream) {
      if (signal?.aborted) return;
      if (sent >= 1) {
        if (fault.kind === 'stall') return; // keep the socket open, send nothing more
        if (fault.kind === 'truncate') return void res.destroy();
        if (fault.kind === 'malformed') {
          res.end(typeof chunk === 'string' ? chunk.slice(0, Math.ceil(chunk.length / 2)) + '\u0000{{garbled' : chunk);
          return;
        }
      }
      res.write(chunk);
      sent += 1;
    }
    // A stream of one piece never reached the checks above: stall or cut it after that piece.
    if (fault.kind === 'stall') return;
    if (fault.kind === 'truncate') return void res.destroy();
    res.end();
  }

  private async send(res: ServerResponse, response: SandboxResponse): Promise<void> {
    if ('stream' in response) {
      res.writeHead(response.status, response.headers);
      for await (const chunk of response.stream) {
        if (res.destroyed) return;
        res.write(chunk);
      }
      res.end();
      return;
    }
    const { headers, payload } = serialize(response)!;
    res.writeHead(response.status, { ...headers, 'content-length': String(payload.length) });
    res.end(payload);
  }
}
