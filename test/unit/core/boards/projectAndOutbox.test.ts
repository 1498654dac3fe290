import { strict as assert } from 'node:assert';
import { addressFromReferenceArgument, commitReference, withCommitReference } from '../../../../src/core/boards/commandTarget';
import { conflictText } from '../../../../src/core/boards/conflictText';
import { errorFixes } from '../../../../src/core/boards/errorFix';
import { outboxEntryLabel, outboxStatus } from '../../../../src/core/boards/outboxStatus';
import { groupByStatus, NO_STATUS } from '../../../../src/core/boards/projectBoard';
import { parsePreferences } from '../../../../src/core/boards/viewPreferences';
import { type OutboxEntrySummary, type ProjectItem } from '../../../../src/core/boards/workTracker';
import { workItem } from './workItemBuilder';

const item = (n: number | undefined, status: string | undefined, extra: Partial<ProjectItem> = {}): ProjectItem => ({
  itemId: `PVTI_${n ?? extra.title}`,
  contentType: n === undefined ? 'draft' : 'issue',
  number: n,
  repository: n === undefined ? undefined : 'contoso/web',
  title: `t${n ?? ''}`,
  status,
  assignees: [],
  labels: [],
  url: undefined,
  state: 'open',
  ...extra,
});

const entry = (state: OutboxEntrySummary['state'], extra: Partial<OutboxEntrySummary> = {}): OutboxEntrySummary => ({
  id: `e-${Math.random()}`,
  tracker: 'azureBoards',
  description: 'Change AB#7 to Active',
  attempts: 1,
  lastError: undefined,
  createdAt: '2026-11-29T10:00:00.000Z',
  state,
  where: 'Azure Boards dev.azure.com/contoso · Fabrikam',
  elsewhere: undefined,
  conflict: [],
  url: undefined,
  ...extra,
});

describe('GitHub project grouping', () => {
  it('groups by Status in the project option order, empty options kept, No Status last', () => {
    const groups = groupByStatus({
      statusOptions: ['Todo', 'In Progress', 'In Review', 'Done'],
      items: [item(3, 'Done'), item(1, 'todo'), item(2, undefined), item(undefined, 'Todo', { title: 'draft' }), item(5, 'Todo'), item(4, 'Archived')],
    });
    assert.deepEqual(groups.map((g) => g.label), ['Todo', 'In Progress', 'In Review', 'Done', 'Archived', NO_STATUS]);
    assert.deepEqual(groups[0]!.items.map((i) => i.number ?? i.title), [1, 5, 'draft']);
    assert.equal(groups[1]!.items.length, 0);
    assert.equal(groups[4]!.unknownOption, true);
    assert.deepEqual(groups[5]!.items.map((i) => i.number), [2]);
    assert.equal(groups[5]!.status, undefined);
  });

  it('has only "No Status" for a project without the field', () => {
    const groups = groupByStatus({ statusOptions: [], items: [item(1, undefined)] });
    assert.deepEqual(groups.map((g) => [g.label, g.items.length]), [[NO_STATUS, 1]]);
  });
});

describe('outbox status bar', () => {
  it('is hidden when nothing waits', () => {
    assert.equal(outboxStatus([]).visible, false);
  });
  it('counts pending changes', () => {
    const s = outboxStatus([entry('pending'), entry('pending')]);
    assert.deepEqual([s.visible, s.text, s.warning], [true, '$(cloud-upload) 2', false]);
    assert.match(s.tooltip, /2 changes waiting to be sent/);
  });
  it('warns on a conflict or a failure and shows the last error', () => {
    const s = outboxStatus([entry('pending'), entry('conflict', { lastError: 'AB#7 changed on the server' })]);
    assert.deepEqual([s.text, s.warning, s.conflicts], ['$(warning) 2', true, 1]);
    assert.match(s.tooltip, /1 conflict to resolve.*Last error: AB#7 changed/);
    assert.equal(outboxStatus([entry('refused')]).warning, true);
    assert.match(outboxStatus([entry('refused')]).tooltip, /1 change the service refused/);
  });
  it('counts apart, without a warning, the changes that wait for a window connected to another repository or account', () => {
    const s = outboxStatus([entry('pending'), entry('pending', { elsewhere: 'It goes to GitHub acme/private-a only' })]);
    assert.deepEqual([s.pending, s.elsewhere, s.warning, s.text], [1, 1, false, '$(cloud-upload) 2']);
    assert.match(s.tooltip, /1 change waiting to be sent, 1 change for another repository, project or account/);
    const l = outboxEntryLabel(entry('pending', { elsewhere: 'It goes to GitHub acme/private-a only', where: 'GitHub acme/private-a (as alice)' }));
    assert.equal(l.label, '$(link-external) Change AB#7 to Active');
    assert.equal(l.description, 'GitHub acme/private-a (as alice) · waits for another window · 1 attempt');
    assert.match(l.detail, /It goes to GitHub acme\/private-a only/);
  });
  it('labels an entry for the quick pick', () => {
    const l = outboxEntryLabel(entry('conflict', { attempts: 3, lastError: 'HTTP 412' }));
    assert.equal(l.label, '$(warning) Change AB#7 to Active');
    assert.equal(l.description, 'Azure Boards dev.azure.com/contoso · Fabrikam · conflict · 3 attempts');
    assert.equal(l.detail, 'Queued 2026-11-29 10:00 · HTTP 412');
  });
});

describe('command targets and commit references', () => {
  it('reads a { reference, key } argument from a TODO lens', () => {
    assert.deepEqual(addressFromReferenceArgument({ reference: { tracker: 'azureBoards', id: 7 }, key: 'AB#7' }), { tracker: 'azureBoards', id: 7 });
    assert.deepEqual(addressFromReferenceArgument({ reference: { tracker: 'github', id: 5, owner: 'o', repo: 'r' }, key: 'o/r#5' }), { tracker: 'github', id: 5, repository: 'o/r' });
    assert.deepEqual(addressFromReferenceArgument({ reference: { tracker: 'github', id: 5 } }), { tracker: 'github', id: 5 });
  });
  it('rejects anything else', () => {
    for (const bad of [undefined, null, 7, 'AB#7', {}, { reference: { tracker: 'jira', id: 1 } }, { reference: { tracker: 'azureBoards', id: -1 } }, { reference: { tracker: 'azureBoards', id: '7' } }]) {
      assert.equal(addressFromReferenceArgument(bad), undefined, JSON.stringify(bad));
    }
  });
  it('writes AB#id, #n for the current repository, owner/repo#n otherwise', () => {
    assert.equal(commitReference({ tracker: 'azureBoards', id: 7 }), 'AB#7');
    assert.equal(commitReference({ tracker: 'github', id: 5, repository: 'o/r' }, 'O/R'), '#5');
    assert.equal(commitReference({ tracker: 'github', id: 5, repository: 'o/r' }, 'x/y'), 'o/r#5');
    assert.equal(commitReference({ tracker: 'github', id: 5 }), '#5');
  });
  it('adds the reference to the commit message once', () => {
    assert.equal(withCommitReference('', 'AB#7'), 'AB#7');
    assert.equal(withCommitReference('Fix reset link  ', 'AB#7'), 'Fix reset link AB#7');
    assert.equal(withCommitReference('Fix\n\nBody text', 'AB#7'), 'Fix\n\nBody text\nAB#7');
    assert.equal(withCommitReference('Fix AB#7', 'AB#7'), 'Fix AB#7');
    assert.equal(withCommitReference('Fix AB#71', 'AB#7'), 'Fix AB#71 AB#7');
    assert.equal(withCommitReference('Fix o/r#5', '#5'), 'Fix o/r#5 #5');
  });
});

describe('conflict text and preferences', () => {
  it('shows the remote item against the change asked for', () => {
    const t = conflictText(workItem(7, { state: 'Active', assignedTo: 'Avery Chen <a@x>', rev: 4, title: 'Email the reset link' }), 'change the state to Closed', 'TF26071: rev mismatch');
    assert.equal(t.message, 'AB#7 was changed by someone else since you loaded it.');
    assert.match(t.detail, /revision 4/);
    assert.match(t.detail, /State: Active · Assigned to: Avery Chen/);
    assert.match(t.detail, /Yours: change the state to Closed/);
  });
  it('parses stored preferences, bad values falling back', () => {
    assert.deepEqual({ ...parsePreferences(undefined) }, { filter: 'allOpen', groupBy: 'hierarchy' });
    assert.deepEqual(parsePreferences({ filter: 'assignedToMe', groupBy: 'state', githubProject: 3 }), { filter: 'assignedToMe', groupBy: 'state', githubProject: 3 });
    const bad = parsePreferences({ filter: 'bogus', groupBy: 7, githubProject: -1 });
    assert.deepEqual([bad.filter, bad.groupBy, bad.githubProject], ['allOpen', 'hierarchy', undefined]);
    assert.deepEqual(parsePreferences('garbage'), { filter: 'allOpen', groupBy: 'hierarchy' });
  });
});

describe('error fixes', () => {
  it('offers sign-in for 401, settings for 403/404, retry for outages', () => {
    assert.equal(errorFixes('unauthorized', 'x.refresh')[0]!.command, 'aiDevops.signIn');
    assert.equal(errorFixes('forbidden', 'x.refresh')[0]!.command, 'aiDevops.openSettings');
    assert.equal(errorFixes('notFound', 'x.refresh')[0]!.command, 'aiDevops.openSettings');
    assert.equal(errorFixes('rateLimited', 'x.refresh')[0]!.command, 'x.refresh');
    assert.equal(errorFixes('unavailable', 'x.refresh')[0]!.label, 'Retry');
    assert.equal(errorFixes('notConfigured', 'x.refresh')[0]!.label, 'Open Settings');
  });
});
