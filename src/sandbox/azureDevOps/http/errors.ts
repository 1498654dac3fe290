/**
 * Azure DevOps answers every refusal with the same JSON envelope (a serialized .NET exception).
 * Clients read `message` (typed-rest-client puts it on the thrown Error) and `typeKey`, so the
 * stand-in sends exactly that shape, with the service's own TF/VS codes where they are known.
 */
export interface VssErrorBody {
  readonly $id: '1';
  readonly innerException: null;
  readonly message: string;
  readonly typeName: string;
  readonly typeKey: string;
  readonly errorCode: 0;
  readonly eventId: number;
  readonly customProperties?: Readonly<Record<string, unknown>>;
}

/** The assembly each exception type lives in, so `typeName` reads like the real one. */
const ASSEMBLIES: Readonly<Record<string, string>> = {
  VssInvalidPreviewVersionException: 'Microsoft.VisualStudio.Services.WebApi.VssInvalidPreviewVersionException, Microsoft.VisualStudio.Services.WebApi',
  VssVersionOutOfRangeException: 'Microsoft.VisualStudio.Services.WebApi.VssVersionOutOfRangeException, Microsoft.VisualStudio.Services.WebApi',
  VssVersionNotSpecifiedException: 'Microsoft.VisualStudio.Services.WebApi.VssVersionNotSpecifiedException, Microsoft.VisualStudio.Services.WebApi',
  VssInvalidApiVersionException: 'Microsoft.VisualStudio.Services.WebApi.VssInvalidApiVersionException, Microsoft.VisualStudio.Services.WebApi',
  TestPatchOperationFailedException: 'Microsoft.VisualStudio.Services.WebApi.Patch.TestPatchOperationFailedException, Microsoft.VisualStudio.Services.WebApi',
  PatchOperationFailedException: 'Microsoft.VisualStudio.Services.WebApi.Patch.PatchOperationFailedException, Microsoft.VisualStudio.Services.WebApi',
  RuleValidationException: 'Microsoft.TeamFoundation.WorkItemTracking.Server.RuleValidationException, Microsoft.TeamFoundation.WorkItemTracking.Server',
  ProjectDoesNotExistWithNameException: 'Microsoft.TeamFoundation.Core.WebApi.ProjectDoesNotExistWithNameException, Microsoft.TeamFoundation.Core.WebApi',
};

const EVENT_IDS: Readonly<Record<string, number>> = { RuleValidationException: 3200 };

export function vssErrorBody(typeKey: string, message: string, customProperties?: Record<string, unknown>): VssErrorBody {
  return {
    $id: '1',
    ...(customProperties ? { customProperties } : {}),
    innerException: null,
    message,
    typeName: ASSEMBLIES[typeKey] ?? `Microsoft.TeamFoundation.Framework.Server.${typeKey}, Microsoft.TeamFoundation.Framework.Server`,
    typeKey,
    errorCode: 0,
    eventId: EVENT_IDS[typeKey] ?? 3000,
  };
}

/** Thrown by handlers; the route wrapper turns it into the status and body above. */
export class AdoHttpError extends Error {
  constructor(
    readonly status: number,
    readonly typeKey: string,
    message: string,
    readonly customProperties?: Record<string, unknown>,
  ) {
    super(message);
  }

  get body(): VssErrorBody {
    return vssErrorBody(this.typeKey, this.message, this.customProperties);
  }
}

/** The typeKey the service uses for a bare status (injected faults, unknown routes). */
export function typeKeyForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'InvalidArgumentValueException';
    case 401:
      return 'UnauthorizedRequestException';
    case 403:
      return 'AccessCheckException';
    case 404:
      return 'NotFoundException';
    case 405:
      return 'HttpMethodNotAllowedException';
    case 409:
      return 'ConflictException';
    case 412:
      return 'PreconditionFailedException';
    case 429:
      return 'RequestBlockedException';
    case 503:
      return 'ServiceUnavailableException';
    default:
      return 'VssServiceException';
  }
}

/** The service's error body for a status alone, as the mount's `errorBody` must give it. */
export function errorBodyForStatus(status: number, message: string): VssErrorBody {
  const text =
    status === 429
      ? `TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource 'ATCPU' in namespace 'User'. ${message}`
      : message;
  return vssErrorBody(typeKeyForStatus(status), text);
}

export const notFound = (typeKey: string, message: string): AdoHttpError => new AdoHttpError(404, typeKey, message);
export const badRequest = (typeKey: string, message: string, customProperties?: Record<string, unknown>): AdoHttpError =>
  new AdoHttpError(400, typeKey, message, customProperties);
