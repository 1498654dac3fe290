import { list, ok } from '../http/context';
import { vssErrorBody } from '../http/errors';
import { locationsInArea, RESOURCE_AREAS } from '../http/locations';
import { ownLocation, type AdoRouteDef } from '../http/routes';
import { vssIdentity } from '../render/identity';
import { stableGuid } from '../state/ids';

const INSTANCE_ID = stableGuid('sandbox-org instance');

/** Resource-location discovery and connection data: what every azure-devops-node-api client asks first. */
export const locationRoutes: readonly AdoRouteDef[] = [
  {
    name: 'location.options',
    method: 'OPTIONS',
    location: ownLocation('', 'options', '_apis/{optionsArea}'),
    handler: (ctx) => list(locationsInArea(ctx.param('optionsArea'))),
  },
  {
    name: 'location.resourceAreas',
    method: 'GET',
    location: 'e81700f7-3be2-46de-8624-2eb35882fcaa',
    handler: (ctx) => {
      const areas = RESOURCE_AREAS.map((a) => ({ id: a.id, name: a.name, locationUrl: `${ctx.orgUrl}/` }));
      const wanted = ctx.param('areaId')?.toLowerCase();
      if (wanted) {
        const area = areas.find((a) => a.id === wanted);
        return area ? ok(area) : { status: 404, body: vssErrorBody('ResourceAreaNotFoundException', `The resource area ${wanted} is not served by the sandbox.`) };
      }
      return list(areas);
    },
  },
  {
    name: 'location.connectionData',
    method: 'GET',
    location: '00d9565f-ed9c-4a06-9a50-00e7896ccab4',
    handler: (ctx) => {
      const me = vssIdentity(ctx.user);
      return ok({
        authenticatedUser: me,
        authorizedUser: me,
        instanceId: INSTANCE_ID,
        deploymentId: stableGuid('sandbox-org deployment'),
        deploymentType: 'hosted',
        locationServiceData: {
          serviceOwner: '00025394-6065-48ca-87d9-7f5672854ef7',
          defaultAccessMappingMoniker: 'PublicAccessMapping',
          lastChangeId: 1,
          lastChangeId64: 1,
          accessMappings: [{ displayName: 'Public Access Mapping', moniker: 'PublicAccessMapping', accessPoint: `${ctx.orgUrl}/`, serviceOwner: '00025394-6065-48ca-87d9-7f5672854ef7' }],
        },
      });
    },
  },
];
