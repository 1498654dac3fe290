import { type Route, type SandboxResponse } from '../../http/types';
import { SANDBOX_ORGANIZATION } from '../../identity';
import { type AzureDevOpsState } from '../state/state';
import { checkApiVersion, requestedApiVersion } from './apiVersion';
import { AdoContext } from './context';
import { AdoHttpError } from './errors';
import { locationById, type ResourceLocation } from './locations';
import { compareSpecificity, expandRouteTemplate, type ExpandedPattern } from './routeTemplate';

/** Where a route's response is described, for the contract tests (file under specs/azure-devops/<version>/). */
export interface ContractRef {
  readonly file: string;
  readonly path: string;
  readonly status?: number;
  readonly version?: '7.1' | '7.2';
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface AdoRouteDef {
  /** Stable name for fault injection and the request log, e.g. `wit.workItemsBatch`. */
  readonly name: string;
  readonly method: HttpMethod;
  /** A location id from data/locations.json, or a location of the stand-in's own for what has none. */
  readonly location: string | ResourceLocation;
  readonly contract?: ContractRef;
  /** Keeps only the template's expansions that have (`with`) or lack (`without`) these route values. */
  readonly with?: readonly string[];
  readonly without?: readonly string[];
  readonly handler: (ctx: AdoContext) => SandboxResponse | Promise<SandboxResponse>;
}

export function resolveLocation(def: AdoRouteDef): ResourceLocation {
  return typeof def.location === 'string' ? locationById(def.location) : def.location;
}

/**
 * The server's routes for the stand-in: every def expanded into the paths its location's template
 * allows, most specific first, each wrapped with api-version negotiation and the service's error body.
 */
export function buildRoutes(defs: readonly AdoRouteDef[], state: AzureDevOpsState): Route[] {
  const expanded: { route: Route; pattern: ExpandedPattern }[] = [];
  for (const def of defs) {
    const location = resolveLocation(def);
    const handler = async (req: Parameters<Route['handler']>[0]): Promise<SandboxResponse> => {
      try {
        if (def.method !== 'OPTIONS') checkApiVersion(requestedApiVersion(req.url, req.headers), location, req.method);
        state.settle();
        return await def.handler(new AdoContext(req, state));
      } catch (error) {
        if (error instanceof AdoHttpError) return { status: error.status, body: error.body };
        throw error;
      }
    };
    const has = (pattern: ExpandedPattern, name: string) => new RegExp(`/[:*]${name}(/|$)`).test(pattern.pattern);
    const patterns = expandRouteTemplate(location.routeTemplate, location.area, location.resourceName, SANDBOX_ORGANIZATION).filter(
      (p) => (def.with ?? []).every((n) => has(p, n)) && (def.without ?? []).every((n) => !has(p, n)),
    );
    if (patterns.length === 0) throw new Error(`Route ${def.name} matches no path of ${location.routeTemplate}.`);
    for (const pattern of patterns) {
      expanded.push({ route: { name: def.name, method: def.method, pattern: pattern.pattern, handler }, pattern });
    }
  }
  return expanded.sort((a, b) => compareSpecificity(a.pattern, b.pattern)).map((e) => e.route);
}

/** A location of the stand-in's own, for resources azure-devops-node-api reaches by URL rather than by location id. */
export function ownLocation(area: string, resourceName: string, routeTemplate: string): ResourceLocation {
  return { id: `sandbox:${area}.${resourceName}`, area, resourceName, routeTemplate, resourceVersion: 1, minVersion: '1.0', maxVersion: '7.2', releasedVersion: '7.1' };
}
