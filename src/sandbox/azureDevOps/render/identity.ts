import { type Identity } from '../state/model';

const descriptorOf = (i: Identity) => `aad.${Buffer.from(i.id).toString('base64').replace(/=+$/, '')}`;

/** An IdentityRef as the service embeds one (work item fields, creators, reviewers). */
export function identityRef(orgUrl: string, i: Identity): Record<string, unknown> {
  const descriptor = descriptorOf(i);
  return {
    displayName: i.displayName,
    url: `${orgUrl}/_apis/Identities/${i.id}`,
    _links: { avatar: { href: `${orgUrl}/_apis/GraphProfile/MemberAvatars/${descriptor}` } },
    id: i.id,
    uniqueName: i.uniqueName,
    imageUrl: `${orgUrl}/_api/_common/identityImage?id=${i.id}`,
    descriptor,
  };
}

/** The connection data / location service form of an identity. */
export function vssIdentity(i: Identity): Record<string, unknown> {
  return {
    id: i.id,
    descriptor: `Microsoft.IdentityModel.Claims.ClaimsIdentity;${i.uniqueName}`,
    subjectDescriptor: descriptorOf(i),
    providerDisplayName: i.displayName,
    isActive: true,
    properties: { Account: { $type: 'System.String', $value: i.uniqueName } },
    resourceVersion: 2,
    metaTypeId: 0,
  };
}

/** A git author/committer/tagger. */
export function gitUser(u: { name: string; email: string; date: string }): Record<string, unknown> {
  return { name: u.name, email: u.email, date: u.date };
}
