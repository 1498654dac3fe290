import { type AdvisoryEndpoints } from '../../core/backend';
import { type AdvisoryService } from '../../core/security/advisories';
import { type Fetch } from './advisoryHttp';
import { NpmBulkAdvisories } from './npmBulkAdvisories';
import { OsvAdvisories } from './osvAdvisories';

export { NpmBulkAdvisories, smallestFix } from './npmBulkAdvisories';
export { OsvAdvisories } from './osvAdvisories';

/** The advisory services in the order the security agent asks them: npm packages at the npm registry first (OSV if it refuses), Python at OSV. */
export function advisoryServices(endpoints: AdvisoryEndpoints | undefined, fetch: Fetch): AdvisoryService[] {
  if (!endpoints) return [];
  return [new NpmBulkAdvisories({ baseUrl: endpoints.npmRegistryUrl, fetch }), new OsvAdvisories({ baseUrl: endpoints.osvUrl, fetch })];
}
