import { type WorkItem, WorkItemSchema } from '../../../../src/core/workItem';

/** A valid WorkItem (checked against the schema) with the fields a test cares about. */
export function workItem(id: number, fields: Partial<WorkItem> = {}): WorkItem {
  return WorkItemSchema.parse({
    tracker: 'azureBoards',
    id,
    repository: 'Contoso Web',
    type: 'Task',
    title: `Item ${id}`,
    description: '',
    state: 'New',
    tags: [],
    childIds: [],
    createdAt: '2026-11-01T10:00:00Z',
    modifiedAt: '2026-11-02T11:30:00Z',
    url: `https://dev.azure.com/contoso/Contoso%20Web/_workitems/edit/${id}`,
    rev: 1,
    ...fields,
  });
}
