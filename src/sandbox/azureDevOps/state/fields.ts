/**
 * The work item fields the stand-in knows (system fields plus the Microsoft.VSTS fields the four
 * processes use). WIQL refuses any other field with TF51005, as the service does, and a patch to
 * an unknown field is refused too, so a typo in a reference name shows up in tests.
 */
export type FieldType = 'string' | 'integer' | 'double' | 'dateTime' | 'plainText' | 'html' | 'treePath' | 'identity' | 'boolean' | 'history';

export interface FieldDef {
  readonly referenceName: string;
  readonly name: string;
  readonly type: FieldType;
  /** Set by the service; a patch that writes it is refused. */
  readonly readOnly?: boolean;
}

const f = (referenceName: string, name: string, type: FieldType, readOnly = false): FieldDef => ({ referenceName, name, type, readOnly });

export const FIELDS: readonly FieldDef[] = [
  f('System.Id', 'ID', 'integer', true),
  f('System.Rev', 'Rev', 'integer', true),
  f('System.Title', 'Title', 'string'),
  f('System.Description', 'Description', 'html'),
  f('System.State', 'State', 'string'),
  f('System.Reason', 'Reason', 'string'),
  f('System.WorkItemType', 'Work Item Type', 'string'),
  f('System.TeamProject', 'Team Project', 'string', true),
  f('System.AreaPath', 'Area Path', 'treePath'),
  f('System.IterationPath', 'Iteration Path', 'treePath'),
  f('System.AreaId', 'Area ID', 'integer', true),
  f('System.IterationId', 'Iteration ID', 'integer', true),
  f('System.AssignedTo', 'Assigned To', 'identity'),
  f('System.CreatedBy', 'Created By', 'identity', true),
  f('System.CreatedDate', 'Created Date', 'dateTime', true),
  f('System.ChangedBy', 'Changed By', 'identity', true),
  f('System.ChangedDate', 'Changed Date', 'dateTime', true),
  f('System.AuthorizedAs', 'Authorized As', 'identity', true),
  f('System.AuthorizedDate', 'Authorized Date', 'dateTime', true),
  f('System.RevisedDate', 'Revised Date', 'dateTime', true),
  f('System.Tags', 'Tags', 'plainText'),
  f('System.History', 'History', 'history'),
  f('System.CommentCount', 'Comment Count', 'integer', true),
  f('System.Parent', 'Parent', 'integer', true),
  f('System.BoardColumn', 'Board Column', 'string', true),
  f('System.BoardColumnDone', 'Board Column Done', 'boolean', true),
  f('Microsoft.VSTS.Common.Priority', 'Priority', 'integer'),
  f('Microsoft.VSTS.Common.Severity', 'Severity', 'string'),
  f('Microsoft.VSTS.Common.ValueArea', 'Value Area', 'string'),
  f('Microsoft.VSTS.Common.Activity', 'Activity', 'string'),
  f('Microsoft.VSTS.Common.AcceptanceCriteria', 'Acceptance Criteria', 'html'),
  f('Microsoft.VSTS.Common.StateChangeDate', 'State Change Date', 'dateTime', true),
  f('Microsoft.VSTS.Common.ActivatedDate', 'Activated Date', 'dateTime', true),
  f('Microsoft.VSTS.Common.ActivatedBy', 'Activated By', 'identity', true),
  f('Microsoft.VSTS.Common.ResolvedDate', 'Resolved Date', 'dateTime', true),
  f('Microsoft.VSTS.Common.ResolvedBy', 'Resolved By', 'identity', true),
  f('Microsoft.VSTS.Common.ClosedDate', 'Closed Date', 'dateTime', true),
  f('Microsoft.VSTS.Common.ClosedBy', 'Closed By', 'identity', true),
  f('Microsoft.VSTS.Common.BacklogPriority', 'Backlog Priority', 'double'),
  f('Microsoft.VSTS.Common.StackRank', 'Stack Rank', 'double'),
  f('Microsoft.VSTS.Common.BusinessValue', 'Business Value', 'integer'),
  f('Microsoft.VSTS.Common.Risk', 'Risk', 'string'),
  f('Microsoft.VSTS.Common.TimeCriticality', 'Time Criticality', 'double'),
  f('Microsoft.VSTS.Scheduling.StoryPoints', 'Story Points', 'double'),
  f('Microsoft.VSTS.Scheduling.Effort', 'Effort', 'double'),
  f('Microsoft.VSTS.Scheduling.Size', 'Size', 'double'),
  f('Microsoft.VSTS.Scheduling.OriginalEstimate', 'Original Estimate', 'double'),
  f('Microsoft.VSTS.Scheduling.RemainingWork', 'Remaining Work', 'double'),
  f('Microsoft.VSTS.Scheduling.CompletedWork', 'Completed Work', 'double'),
  f('Microsoft.VSTS.Scheduling.StartDate', 'Start Date', 'dateTime'),
  f('Microsoft.VSTS.Scheduling.FinishDate', 'Finish Date', 'dateTime'),
  f('Microsoft.VSTS.Scheduling.TargetDate', 'Target Date', 'dateTime'),
  f('Microsoft.VSTS.TCM.ReproSteps', 'Repro Steps', 'html'),
  f('Microsoft.VSTS.TCM.SystemInfo', 'System Info', 'html'),
  f('Microsoft.VSTS.Build.FoundIn', 'Found In', 'string'),
  f('Microsoft.VSTS.Build.IntegrationBuild', 'Integration Build', 'string'),
  // On CMMI's Requirement, Task and Bug and Scrum's Task only (workItemOps refuses it elsewhere); Yes or No.
  f('Microsoft.VSTS.CMMI.Blocked', 'Blocked', 'string'),
];

const byName = new Map<string, FieldDef>();
for (const field of FIELDS) {
  byName.set(field.referenceName.toLowerCase(), field);
  byName.set(field.name.toLowerCase(), field);
}

/** Looks a field up by reference name or friendly name, case-insensitively, as WIQL and patches do. */
export function fieldByName(name: string): FieldDef | undefined {
  return byName.get(name.trim().toLowerCase());
}

export const IDENTITY_FIELDS = FIELDS.filter((x) => x.type === 'identity').map((x) => x.referenceName);
