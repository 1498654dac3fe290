import { type Route } from './types';

interface CompiledRoute {
  readonly route: Route;
  readonly regex: RegExp;
  readonly names: readonly string[];
}

const escape = (s: string): string => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** Matches `/a/:id/*rest` patterns; segments are URL-decoded. Earlier routes win. */
export class Router {
  private readonly compiled: CompiledRoute[] = [];

  add(route: Route): void {
    const names: string[] = [];
    const source = route.pattern
      .split('/')
      .map((segment) => {
        if (segment.startsWith(':')) {
          names.push(segment.slice(1));
          return '([^/]+)';
        }
        if (segment.startsWith('*')) {
          names.push(segment.slice(1));
          return '(.*)';
        }
        return escape(segment);
      })
      .join('/');
    this.compiled.push({ route, regex: new RegExp(`^${source}/?$`, 'i'), names });
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined {
    const allowed: string[] = [];
    for (const { route, regex, names } of this.compiled) {
      const m = regex.exec(path);
      if (!m) continue;
      if (route.method !== method && !(route.method === 'GET' && method === 'HEAD')) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1] ?? '')));
      return { route, params };
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }
}
