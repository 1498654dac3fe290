import { type IncomingHttpHeaders } from 'node:http';
import { type SandboxCredentials } from '../identity';

/** A request as a stand-in route sees it: body already read, path parameters matched. */
export interface SandboxRequest {
  readonly method: string;
  readonly url: URL;
  /** Path without the service's mount prefix. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly params: Readonly<Record<string, string>>;
  readonly routeName: string;
  /** The authenticated principal, as the service's authenticate() returned it. */
  readonly principal: string | undefined;
  /** Aborted when the client goes away (streams stop producing). */
  readonly signal: AbortSignal;
  /** The credentials this server's stand-ins accept (random per sandbox session). */
  readonly credentials: SandboxCredentials;
}

export type SandboxResponse =
  | {
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      /** Objects are sent as JSON; strings and Buffers as they are. */
      readonly body?: unknown;
    }
  | {
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      /** Sent chunk by chunk (SSE, NDJSON); the response ends when the iterable does. */
      readonly stream: AsyncIterable<string | Buffer>;
    };

export type Handler = (req: SandboxRequest) => Promise<SandboxResponse> | SandboxResponse;

export interface Route {
  /** Stable name used by fault injection and the request log, e.g. `wit.workItemsBatch`. */
  readonly name: string;
  readonly method: string;
  /** Path pattern below the mount prefix; `:name` matches one segment, `*name` the rest. */
  readonly pattern: string;
  readonly handler: Handler;
}

export type AuthResult = { readonly ok: true; readonly principal: string } | { readonly ok: false; readonly response: SandboxResponse };

/** One outside service (Azure DevOps, GitHub, OpenAI, ...) served under a path prefix. */
export interface ServiceMount {
  readonly name: string;
  /** e.g. `/ado`, `/github`, `/openai`. */
  readonly prefix: string;
  readonly routes: readonly Route[];
  /** Checks credentials as the real service does; routes listed in `anonymousRoutes` skip it. */
  authenticate?(req: SandboxRequest): AuthResult;
  readonly anonymousRoutes?: readonly string[];
  /** The service's own error body for a status, so clients parse injected faults as real ones. */
  errorBody(status: number, message: string): unknown;
  /** Extra headers the service sends with a rate-limit refusal (Retry-After is added by the server). */
  rateLimitHeaders?(retryAfterSeconds: number): Record<string, string>;
  /** Headers the service sends on every response (e.g. GitHub's x-ratelimit-*). */
  commonHeaders?(req: SandboxRequest): Record<string, string>;
}

export interface RequestLogEntry {
  readonly at: string;
  readonly service: string;
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** From `?api-version=` or the Accept header's `api-version=` (how azure-devops-node-api sends it). */
  readonly apiVersion: string | undefined;
  /** Parsed JSON body when it is JSON, else the text; never headers, so no credential is kept. */
  readonly body: unknown;
  status: number;
  fault?: string;
}
