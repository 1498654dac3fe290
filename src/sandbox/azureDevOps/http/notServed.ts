import { type Route } from '../../http/types';
import { SANDBOX_ORGANIZATION } from '../../identity';
import { vssErrorBody } from './errors';

/**
 * Everything the stand-in does not serve, answered loudly: a real route it lacks gets 501 with the
 * service's error body (typed-rest-client throws it, instead of turning a 404 into a silent null),
 * and another organization gets the service's 404.
 */
export function notServedRoutes(): Route[] {
  return (['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const).map((method) => ({
    name: 'ado.notServed',
    method,
    pattern: '/*rest',
    handler: (req) => {
      const organization = req.path.split('/')[1] ?? '';
      if (organization.toLowerCase() !== SANDBOX_ORGANIZATION) {
        return { status: 404, body: vssErrorBody('OrganizationNotFoundException', `TF400813: The organization '${organization}' does not exist. The sandbox serves '${SANDBOX_ORGANIZATION}'.`) };
      }
      return {
        status: 501,
        body: vssErrorBody('SandboxNotServedException', `The Azure DevOps sandbox does not serve ${method} ${req.path}. See docs/sandbox-azure-devops.md for the routes it serves.`),
      };
    },
  }));
}
