import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { type Route, type SandboxRequest, type SandboxResponse, type ServiceMount } from '../http/types';
import { type AdvisoryDatabase } from './advisoryDatabase';

/** A JSON body as the clients send it (npm gzips its audit bodies). */
function jsonBody(req: SandboxRequest): unknown {
  const raw = /gzip/i.test(String(req.headers['content-encoding'] ?? '')) ? gunzipSync(req.body) : req.body;
  return JSON.parse(raw.toString('utf8'));
}

const BulkRequestSchema = z.record(z.string(), z.array(z.string()));

/** The npm registry's bulk advisory endpoint under `/npm` (the client's registry URL is `{base}/npm`). */
export function npmRegistryStandIn(db: AdvisoryDatabase): ServiceMount {
  const bulk = (req: SandboxRequest): SandboxResponse => {
    let body: unknown;
    try {
      body = jsonBody(req);
    } catch {
      return { status: 400, body: { error: 'Invalid JSON body' } };
    }
    const parsed = BulkRequestSchema.safeParse(body);
    if (!parsed.success) return { status: 400, body: { error: 'Invalid package list: expected { "name": ["version", ...] }' } };
    const answer: Record<string, unknown> = {};
    for (const [name, versions] of Object.entries(parsed.data)) {
      const hits = db.npmBulk(name, versions);
      if (hits.length) answer[name] = hits;
    }
    return { status: 200, body: answer };
  };
  const routes: Route[] = [{ name: 'npm.advisoriesBulk', method: 'POST', pattern: '/-/npm/v1/security/advisories/bulk', handler: bulk }];
  return { name: 'npmRegistry', prefix: '/npm', routes, errorBody: (_status, message) => ({ error: message }) };
}

const QuerySchema = z.object({ package: z.object({ name: z.string().min(1), ecosystem: z.string().min(1) }), version: z.string().min(1), page_token: z.string().optional() });
const BatchSchema = z.object({ queries: z.array(QuerySchema).max(1000) });

/** OSV's API under `/osv` (the client's base URL is `{base}/osv`): querybatch and vulns/{id}. */
export function osvStandIn(db: AdvisoryDatabase): ServiceMount {
  const querybatch = (req: SandboxRequest): SandboxResponse => {
    let body: unknown;
    try {
      body = jsonBody(req);
    } catch {
      return { status: 400, body: { code: 3, message: 'Invalid JSON' } };
    }
    const parsed = BatchSchema.safeParse(body);
    if (!parsed.success) return { status: 400, body: { code: 3, message: `Invalid query: ${parsed.error.issues[0]?.message ?? 'bad request'}` } };
    return {
      status: 200,
      body: { results: parsed.data.queries.map((q) => {
        const vulns = db.affecting(q.package.ecosystem, q.package.name, q.version).map((r) => ({ id: r.id, modified: r.modified }));
        return vulns.length ? { vulns } : {};
      }) },
    };
  };
  const vuln = (req: SandboxRequest): SandboxResponse => {
    const record = db.get(req.params['id'] ?? '');
    return record ? { status: 200, body: record } : { status: 404, body: { code: 5, message: 'Bug not found.' } };
  };
  const routes: Route[] = [
    { name: 'osv.querybatch', method: 'POST', pattern: '/v1/querybatch', handler: querybatch },
    { name: 'osv.vuln', method: 'GET', pattern: '/v1/vulns/:id', handler: vuln },
  ];
  return { name: 'osv', prefix: '/osv', routes, errorBody: (status, message) => ({ code: status === 429 ? 8 : 13, message }) };
}
