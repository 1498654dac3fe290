import { z } from 'zod';
import { type WorkItem, workItemKey } from '../../core/workItem';
import { PANEL_ACTIONS, type FromWebview, type PanelWorkItem } from '../webviewProtocol';

const FromWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('action'), action: z.enum(PANEL_ACTIONS) }),
]);

/** What the webview sent, or undefined for anything else (ignored: the page is not trusted input). */
export function parseFromWebview(message: unknown): FromWebview | undefined {
  const parsed = FromWebviewSchema.safeParse(message);
  return parsed.success ? parsed.data : undefined;
}

export function toPanelItem(item: WorkItem): PanelWorkItem {
  const key = workItemKey(item);
  return {
    key,
    type: item.type,
    title: item.title,
    state: item.state,
    assignedTo: item.assignedTo,
    iterationPath: item.iterationPath,
    areaPath: item.areaPath,
    tags: item.tags,
    descriptionHtml: item.tracker === 'azureBoards',
    description: item.description,
    url: item.url,
    modifiedAt: item.modifiedAt,
    parentKey: item.parentId === undefined ? undefined : workItemKey({ ...item, id: item.parentId }),
    childCount: item.childIds.length,
  };
}
