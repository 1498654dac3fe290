import { badRequest } from '../http/errors';
import { type Relation, type WorkItemRecord } from './model';

/** Link types a work item relation may have (the service's system link types plus artifact and hyperlinks). */
export const LINK_TYPES: readonly { referenceName: string; name: string; opposite?: string }[] = [
  { referenceName: 'System.LinkTypes.Hierarchy-Forward', name: 'Child', opposite: 'System.LinkTypes.Hierarchy-Reverse' },
  { referenceName: 'System.LinkTypes.Hierarchy-Reverse', name: 'Parent', opposite: 'System.LinkTypes.Hierarchy-Forward' },
  { referenceName: 'System.LinkTypes.Related', name: 'Related', opposite: 'System.LinkTypes.Related' },
  { referenceName: 'System.LinkTypes.Dependency-Forward', name: 'Successor', opposite: 'System.LinkTypes.Dependency-Reverse' },
  { referenceName: 'System.LinkTypes.Dependency-Reverse', name: 'Predecessor', opposite: 'System.LinkTypes.Dependency-Forward' },
  { referenceName: 'System.LinkTypes.Duplicate-Forward', name: 'Duplicate', opposite: 'System.LinkTypes.Duplicate-Reverse' },
  { referenceName: 'System.LinkTypes.Duplicate-Reverse', name: 'Duplicate Of', opposite: 'System.LinkTypes.Duplicate-Forward' },
  { referenceName: 'Microsoft.VSTS.Common.TestedBy-Forward', name: 'Tested By', opposite: 'Microsoft.VSTS.Common.TestedBy-Reverse' },
  { referenceName: 'Microsoft.VSTS.Common.TestedBy-Reverse', name: 'Tests', opposite: 'Microsoft.VSTS.Common.TestedBy-Forward' },
  { referenceName: 'ArtifactLink', name: 'Artifact Link' },
  { referenceName: 'Hyperlink', name: 'Hyperlink' },
];

const WORK_ITEM_URL = /\/_apis\/wit\/workItems\/(\d+)\/?$/i;
/** vstfs:///Git/Ref|Commit|PullRequestId/{projectId}%2F{repositoryId}%2F{GBbranch|commitId|prId}, vstfs:///Build/Build/{id} */
const ARTIFACT_URL = /^vstfs:\/\/\/(Git\/(Ref|Commit|PullRequestId)\/[^/]+%2F[^/]+%2F.+|Build\/Build\/\d+|Wiki\/WikiPage\/.+)$/i;

export function linkType(rel: string): (typeof LINK_TYPES)[number] | undefined {
  return LINK_TYPES.find((t) => t.referenceName.toLowerCase() === rel.toLowerCase());
}

export function targetIdOf(relation: Relation): number | undefined {
  const m = WORK_ITEM_URL.exec(relation.url);
  return m ? Number(m[1]) : undefined;
}

/** Checks a relation a patch adds, with the messages the service uses for these mistakes. */
export function validateRelation(relation: Relation, self: WorkItemRecord | undefined, find: (id: number) => WorkItemRecord | undefined): void {
  const type = linkType(relation.rel);
  if (!type) throw badRequest('WorkItemLinkTypeNotFoundException', `TF201063: The link type '${relation.rel}' does not exist. Use a link type reference name such as System.LinkTypes.Hierarchy-Reverse.`);
  if (type.referenceName === 'ArtifactLink') {
    if (!ARTIFACT_URL.test(relation.url)) {
      throw badRequest('InvalidArtifactUriException', `The artifact URI '${relation.url}' is not valid. Use vstfs:///Git/Ref|Commit|PullRequestId/{projectId}%2F{repositoryId}%2F{id}.`);
    }
    if (typeof relation.attributes.name !== 'string' || relation.attributes.name.length === 0) {
      throw badRequest('ResourceLinkNameUnspecifiedException', 'An artifact link needs attributes.name (for example "Branch", "Fixed in Commit" or "Pull Request").');
    }
    return;
  }
  if (type.referenceName === 'Hyperlink') {
    if (!/^https?:\/\//i.test(relation.url)) throw badRequest('InvalidHyperlinkException', `The hyperlink '${relation.url}' is not a valid http(s) URL.`);
    return;
  }
  const target = targetIdOf(relation);
  if (target === undefined || !find(target)) {
    throw badRequest('WorkItemUnauthorizedAccessException', `TF401232: Work item ${target ?? relation.url} does not exist, or you do not have permissions to read it.`);
  }
  if (self && target === self.id) throw badRequest('WorkItemLinkCircularException', `TF201036: You cannot link work item ${self.id} to itself.`);
}

export function sameRelation(a: Relation, b: Relation): boolean {
  return a.rel.toLowerCase() === b.rel.toLowerCase() && a.url.toLowerCase() === b.url.toLowerCase();
}

export function parentIdOf(item: WorkItemRecord): number | undefined {
  const parent = item.relations.find((r) => r.rel === 'System.LinkTypes.Hierarchy-Reverse');
  return parent ? targetIdOf(parent) : undefined;
}
