import { type IncomingHttpHeaders } from 'node:http';
import { AdoHttpError } from './errors';
import { type ResourceLocation } from './locations';

const VERSION = /^(\d+(?:\.\d+)?)(-preview(?:\.(\d+))?)?$/;

/** The api-version a request asks for: `?api-version=` first, then the Accept header (where azure-devops-node-api puts it). */
export function requestedApiVersion(url: URL, headers: IncomingHttpHeaders): string | undefined {
  const fromQuery = url.searchParams.get('api-version');
  if (fromQuery) return fromQuery.trim();
  return /api-version=([^;,\s]+)/i.exec(headers.accept ?? '')?.[1];
}

/**
 * Refuses an api-version the way the service does (README of the specs, "Protocol" step 3): a
 * version above the ceiling, a released-style version of a preview resource, a preview resource
 * version the server does not have. GETs without a version get the latest, as the service does.
 */
export function checkApiVersion(requested: string | undefined, location: ResourceLocation, method: string): void {
  if (requested === undefined) {
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return;
    throw new AdoHttpError(
      400,
      'VssVersionNotSpecifiedException',
      `No api-version was supplied for the ${method} request. The version must be supplied either as part of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter (e.g. "?api-version=1.0").`,
    );
  }
  const match = VERSION.exec(requested);
  if (!match) {
    throw new AdoHttpError(400, 'VssInvalidApiVersionException', `The api-version '${requested}' is not valid. Supply it as major.minor, optionally followed by -preview or -preview.N (e.g. "7.1" or "7.1-preview.3").`);
  }
  const version = Number(match[1]);
  const preview = match[2] !== undefined;
  const resourceVersion = match[3] === undefined ? undefined : Number(match[3]);
  if (version > Number(location.maxVersion)) {
    throw new AdoHttpError(
      400,
      'VssVersionOutOfRangeException',
      `The requested REST API version of ${match[1]} is out of range for this server. The latest REST API version this server supports is ${location.maxVersion}.`,
    );
  }
  if (version < Number(location.minVersion)) {
    throw new AdoHttpError(
      400,
      'VssVersionOutOfRangeException',
      `The requested REST API version of ${match[1]} is out of range for this resource. The earliest REST API version this resource supports is ${location.minVersion}.`,
    );
  }
  if (!preview && version > Number(location.releasedVersion)) {
    throw new AdoHttpError(
      400,
      'VssInvalidPreviewVersionException',
      `The requested version "${requested}" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests. For example: "${requested}-preview"`,
    );
  }
  if (resourceVersion !== undefined && resourceVersion > location.resourceVersion) {
    throw new AdoHttpError(
      400,
      'VssVersionOutOfRangeException',
      `The requested resource version ${resourceVersion} of the resource ${location.resourceName} is out of range for this server. The latest resource version this server supports is ${location.resourceVersion}.`,
    );
  }
}
