import { SANDBOX_ORGANIZATION, SANDBOX_USER } from '../../identity';
import { type WorkItemRecord } from './model';
import { type AzureDevOpsState } from './state';

/** Generated work items come in families: a Feature and this many minus one Tasks under it. */
export const FAMILY = 50;

const isOpen = (w: WorkItemRecord): boolean => !['Closed', 'Removed'].includes(String(w.fields['System.State']));

/**
 * Grows the demo project to `open` open work items, for tests and benches of large projects:
 * Features with 49 Tasks each (parent links both ways, as the service keeps them), states New and
 * Active alternating, every 10th assigned to the signed-in user. Ids continue from the state's
 * work item counter, so items created afterwards never collide with them. Returns how many work
 * items are open now.
 */
export function growOpenWorkItems(state: AzureDevOpsState, open: number): number {
  const items = state.doc.workItems;
  const template = items.find((w) => w.fields['System.WorkItemType'] === 'Task' && isOpen(w));
  if (!template) throw new Error('The demo project has no open Task to copy.');
  const add = open - items.filter(isOpen).length;
  const me = state.identity(SANDBOX_USER.adoId);
  const org = `/${SANDBOX_ORGANIZATION}/_apis/wit/workItems`;
  const first = state.doc.counters.workItem + 1;
  for (let i = 0; i < add; i++) {
    const id = first + i;
    const head = id - (i % FAMILY);
    const isFeature = i % FAMILY === 0;
    const relations = isFeature
      ? Array.from({ length: Math.min(FAMILY - 1, add - i - 1) }, (_, k) => ({ rel: 'System.LinkTypes.Hierarchy-Forward', url: `${org}/${id + k + 1}`, attributes: {} }))
      : [{ rel: 'System.LinkTypes.Hierarchy-Reverse', url: `${org}/${head}`, attributes: {} }];
    const fields: WorkItemRecord['fields'] = {
      ...template.fields,
      'System.Id': id,
      'System.WorkItemType': isFeature ? 'Feature' : 'Task',
      'System.Title': `${isFeature ? 'Generated feature' : 'Generated task'} ${i}`,
      'System.State': i % 2 === 0 ? 'New' : 'Active',
      'System.Rev': 1,
    };
    if (isFeature) delete fields['System.Parent'];
    else fields['System.Parent'] = head;
    if (i % 10 === 3 && me) fields['System.AssignedTo'] = `${me.displayName} <${me.uniqueName}>`;
    else delete fields['System.AssignedTo'];
    items.push({ ...template, id, rev: 1, fields, relations, updates: [], comments: [] });
  }
  if (add > 0) state.doc.counters.workItem = first + add - 1;
  return items.filter(isOpen).length;
}
