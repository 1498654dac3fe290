import './panel.css';
import { PANEL_ACTIONS, type FromWebview, type PanelAction, type PanelWorkItem, type ToWebview } from '../../src/views/webviewProtocol';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') as HTMLElement;

const LABELS: Record<PanelAction, string> = {
  openInBrowser: 'Open in Browser',
  changeState: 'Change State…',
  assignToMe: 'Assign to Me',
  addComment: 'Add Comment…',
  startWork: 'Start Work',
  copyLink: 'Copy Link',
  refresh: 'Refresh',
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** Text of an HTML description: parsed inertly (no scripts run, nothing loads), markup dropped. */
function descriptionText(item: PanelWorkItem): string {
  if (!item.descriptionHtml) return item.description;
  const doc = new DOMParser().parseFromString(item.description, 'text/html');
  doc.querySelectorAll('br, p, div, li').forEach((n) => n.append('\n'));
  return (doc.body.textContent ?? '').replace(/\n{3,}/g, '\n\n').trim();
}

function field(list: HTMLDListElement, name: string, value: string | undefined): void {
  if (!value) return;
  list.append(el('dt', name), el('dd', value));
}

function render(item: PanelWorkItem): void {
  root.replaceChildren();
  const header = el('header');
  header.append(el('span', `${item.type} ${item.key}`, 'kind'), el('h1', item.title), el('span', item.state, 'state'));
  const actions = el('nav');
  for (const action of PANEL_ACTIONS) {
    const button = el('button', LABELS[action]);
    button.addEventListener('click', () => vscode.postMessage({ type: 'action', action }));
    actions.append(button);
  }
  const fields = el('dl');
  field(fields, 'Assigned to', item.assignedTo ?? 'Unassigned');
  field(fields, 'Iteration', item.iterationPath);
  field(fields, 'Area', item.areaPath);
  field(fields, 'Tags', item.tags.join(', '));
  field(fields, 'Parent', item.parentKey);
  field(fields, 'Children', item.childCount > 0 ? String(item.childCount) : undefined);
  field(fields, 'Changed', new Date(item.modifiedAt).toLocaleString());
  const description = el('section');
  description.append(el('h2', 'Description'), el('pre', descriptionText(item) || 'No description.'));
  root.append(header, actions, fields, description);
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  if (message.type === 'show') render(message.item);
  else if (message.type === 'busy') document.body.classList.toggle('busy', message.busy);
  else if (message.type === 'error') {
    const note = el('p', message.message, 'error');
    root.prepend(note);
  }
});
vscode.postMessage({ type: 'ready' });
