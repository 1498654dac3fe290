/**
 * Messages between the work item panel (webview-ui/src/main.ts, a browser bundle) and the
 * extension. Types only here, so the webview bundle pulls in no extension code; the extension
 * validates what the webview sends (src/views/workItemPanel/panelMessages.ts) because a webview is
 * a separate page and its messages are input like any other.
 */
export interface PanelWorkItem {
  readonly key: string;
  readonly type: string;
  readonly title: string;
  readonly state: string;
  readonly assignedTo: string | undefined;
  readonly iterationPath: string | undefined;
  readonly areaPath: string | undefined;
  readonly tags: readonly string[];
  /** Azure Boards descriptions are HTML; the webview shows their text only, never their markup. */
  readonly descriptionHtml: boolean;
  readonly description: string;
  readonly url: string;
  readonly modifiedAt: string;
  readonly parentKey: string | undefined;
  readonly childCount: number;
}

export type ToWebview =
  | { readonly type: 'show'; readonly item: PanelWorkItem }
  | { readonly type: 'busy'; readonly busy: boolean }
  | { readonly type: 'error'; readonly message: string };

export const PANEL_ACTIONS = ['openInBrowser', 'changeState', 'assignToMe', 'addComment', 'startWork', 'copyLink', 'refresh'] as const;
export type PanelAction = (typeof PANEL_ACTIONS)[number];

export type FromWebview = { readonly type: 'ready' } | { readonly type: 'action'; readonly action: PanelAction };
