import { type SandboxRequest } from '../../http/types';
import { type IssueRecord, type RepoRecord, type UserRecord } from '../state/model';
import { type GitHubState } from '../state/state';
import { badRequest, type GitHubHttpError, notFound, unprocessable, validationFailed } from './errors';

export const GITHUB_PREFIX = '/github';

/** What a REST handler gets: the request, the state, and lookups that refuse as GitHub does. */
export class GhContext {
  constructor(
    readonly req: SandboxRequest,
    readonly state: GitHubState,
    /** The operation's documentation URL, for error bodies. */
    readonly docs: string,
  ) {}

  /** `http://127.0.0.1:PORT/github`: the API base, from the Host the client used. */
  get apiBase(): string {
    return `http://${this.req.headers.host ?? '127.0.0.1'}${GITHUB_PREFIX}`;
  }

  get login(): string {
    return this.req.principal ?? '';
  }

  get me(): UserRecord {
    const user = this.state.user(this.login);
    if (!user) throw notFound(this.docs);
    return user;
  }

  param(name: string): string {
    return this.req.params[name] ?? '';
  }

  query(name: string): string | undefined {
    const v = this.req.url.searchParams.get(name);
    return v === null || v === '' ? undefined : v;
  }

  /** A positive integer query parameter; GitHub ignores junk here, so junk means the default. */
  queryInt(name: string, fallback: number): number {
    const n = Number(this.query(name));
    return Number.isInteger(n) && n > 0 ? n : fallback;
  }

  /** The JSON body; malformed JSON is 400 "Problems parsing JSON" as on github.com. */
  json(): Record<string, unknown> {
    if (this.req.body.length === 0) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.req.body.toString('utf8'));
    } catch {
      throw badRequest('Problems parsing JSON', this.docs);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw badRequest(`Invalid request.\n\nFor 'links/0/schema', ${JSON.stringify(parsed)} is not an object.`, this.docs);
    }
    return parsed as Record<string, unknown>;
  }

  repo(): RepoRecord {
    const repo = this.state.repo(this.param('owner'), this.param('repo'));
    if (!repo) throw notFound(this.docs);
    return repo;
  }

  /** The issue (or pull request, which is an issue too) named by `issue_number`. */
  issue(repo: RepoRecord = this.repo(), param = 'issue_number'): IssueRecord {
    const n = Number(this.param(param));
    const issue = Number.isInteger(n) ? this.state.issue(repo, n) : undefined;
    if (!issue) throw notFound(this.docs);
    return issue;
  }

  // ----- body field readers: wrong types are 422 "Validation Failed" with the field named -----

  string(body: Record<string, unknown>, field: string, resource: string, required = false): string | undefined {
    const v = body[field];
    if (v === undefined || v === null) {
      if (required) throw validationFailed([{ resource, code: 'missing_field', field }], this.docs);
      return undefined;
    }
    if (typeof v !== 'string') throw invalidType(resource, field, v, 'string', this.docs);
    return v;
  }

  stringArray(body: Record<string, unknown>, field: string, resource: string): string[] | undefined {
    const v = body[field];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidType(resource, field, v, 'array of strings', this.docs);
    return v as string[];
  }

  boolean(body: Record<string, unknown>, field: string, resource: string): boolean | undefined {
    const v = body[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw invalidType(resource, field, v, 'boolean', this.docs);
    return v;
  }
}

/** GitHub's answer to a wrongly typed body field (a 422 naming the field and the value). */
function invalidType(_resource: string, field: string, value: unknown, expected: string, docs: string): GitHubHttpError {
  return unprocessable(`Invalid request.\n\nFor 'properties/${field}', ${JSON.stringify(value)} is not a ${expected}.`, docs);
}
