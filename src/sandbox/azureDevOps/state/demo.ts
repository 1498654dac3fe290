import { SANDBOX_PROJECT } from '../../identity';
import { addCommit, refOf } from './gitOps';
import { objectId, stableGuid } from './ids';
import { type ClassificationNode, type GitChange, type Identity, type Repository, type WorkItemRecord } from './model';
import { processByName } from './processes';
import { addProject } from './projectOps';
import { type AzureDevOpsState } from './state';
import { addComment, createWorkItem, updateWorkItem } from './workItemOps';
import { type PatchOperation } from './workItemPatch';

const DAY = 86_400_000;

/** Midnight UTC `days` from `now`'s day, as an ISO string (iteration dates are whole days). */
function dayOffset(now: Date, days: number): string {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(start + days * DAY).toISOString();
}

/** A moment `days` (fractional) before `now`. */
const ago = (now: Date, days: number) => new Date(now.getTime() - days * DAY).toISOString();

const set = (fields: Record<string, string | number>): PatchOperation[] => Object.entries(fields).map(([k, v]) => ({ op: 'add', path: `/fields/${k}`, value: v }));

interface Seed {
  readonly type: string;
  readonly title: string;
  readonly description: string;
  readonly area?: 'Web' | 'API';
  readonly sprint?: 1 | 2 | 3;
  readonly assignee?: Identity;
  readonly tags?: string;
  readonly fields?: Record<string, string | number>;
  /** States it moved through after New, in order. */
  readonly path?: readonly string[];
  readonly createdDaysAgo: number;
  readonly children?: readonly Seed[];
  readonly comments?: readonly { readonly by: Identity; readonly text: string }[];
}

/**
 * The sandbox's demo organization: the Agile project SANDBOX_PROJECT with two epics down to
 * tasks and bugs across a past, current and next sprint (dates relative to `now`), three people,
 * a repository with history, branches, tags v1.0.0 and v1.1.0 and an open pull request, branch
 * policies, a wiki, a CI pipeline with past runs and a test run, and the environments dev, staging
 * and production (the last two with an Approval check).
 */
export function seedDemo(state: AzureDevOpsState, now: Date): void {
  const [me, avery, jordan] = state.doc.identities as [Identity, Identity, Identity];
  const agile = processByName('Agile');
  if (!agile) throw new Error('The Agile process is missing.');
  const { project, team } = addProject(
    state,
    {
      name: SANDBOX_PROJECT,
      description: 'Contoso’s customer web portal and its API: the sandbox’s demo project.',
      processId: agile.id,
      visibility: 'private',
      ids: { project: stableGuid(`project ${SANDBOX_PROJECT}`), team: stableGuid(`team ${SANDBOX_PROJECT}`), repository: stableGuid(`repo ${SANDBOX_PROJECT}`) },
    },
    false,
  );
  project.lastUpdateTime = ago(now, 30);

  // Sprints replace the default iterations: last sprint, this sprint, next sprint.
  const sprint = (n: number, start: number): ClassificationNode => ({
    id: state.next('node'),
    identifier: stableGuid(`sprint ${n}`),
    name: `Sprint ${n}`,
    startDate: dayOffset(now, start),
    finishDate: dayOffset(now, start + 13),
    children: [],
  });
  project.iterations.children = [sprint(1, -21), sprint(2, -7), sprint(3, 7)];
  project.areas.children = ['Web', 'API'].map((name) => ({ id: state.next('node'), identifier: stableGuid(`area ${name}`), name, children: [] }));
  team.iterationIds = project.iterations.children.map((c) => c.identifier);
  team.memberIds = [me.id, avery.id, jordan.id];
  const current = project.iterations.children[1] as ClassificationNode;
  team.capacities = [
    { iterationId: current.identifier, memberId: me.id, activities: [{ name: 'Development', capacityPerDay: 6 }], daysOff: [] },
    { iterationId: current.identifier, memberId: avery.id, activities: [{ name: 'Design', capacityPerDay: 3 }, { name: 'Development', capacityPerDay: 3 }], daysOff: [{ start: dayOffset(now, 2), end: dayOffset(now, 3) }] },
    { iterationId: current.identifier, memberId: jordan.id, activities: [{ name: 'Testing', capacityPerDay: 5 }], daysOff: [] },
  ];
  // The next sprint is planned against capacity too (AI DevOps: Plan Sprint…): Jordan is off two days, the team one.
  const next = project.iterations.children[2] as ClassificationNode;
  team.capacities.push(
    { iterationId: next.identifier, memberId: me.id, activities: [{ name: 'Development', capacityPerDay: 6 }], daysOff: [] },
    { iterationId: next.identifier, memberId: avery.id, activities: [{ name: 'Design', capacityPerDay: 3 }, { name: 'Development', capacityPerDay: 3 }], daysOff: [] },
    { iterationId: next.identifier, memberId: jordan.id, activities: [{ name: 'Testing', capacityPerDay: 5 }], daysOff: [{ start: dayOffset(now, 8), end: dayOffset(now, 9) }] },
  );
  team.daysOff = [{ iterationId: next.identifier, start: dayOffset(now, 14), end: dayOffset(now, 14) }];

  const created = new Map<string, WorkItemRecord>();
  const plant = (seed: Seed, parent: WorkItemRecord | undefined, by: Identity): WorkItemRecord => {
    const fields: Record<string, string | number> = {
      'System.Title': seed.title,
      'System.Description': seed.description,
      'System.AreaPath': `${SANDBOX_PROJECT}${seed.area ? `\\${seed.area}` : ''}`,
      'System.IterationPath': `${SANDBOX_PROJECT}${seed.sprint ? `\\Sprint ${seed.sprint}` : ''}`,
      ...(seed.assignee ? { 'System.AssignedTo': `${seed.assignee.displayName} <${seed.assignee.uniqueName}>` } : {}),
      ...(seed.tags ? { 'System.Tags': seed.tags } : {}),
      ...(seed.fields ?? {}),
    };
    const ops = set(fields);
    if (parent) ops.push({ op: 'add', path: '/relations/-', value: { rel: 'System.LinkTypes.Hierarchy-Reverse', url: `/_apis/wit/workItems/${parent.id}`, attributes: {} } });
    const at = ago(now, seed.createdDaysAgo);
    const item = createWorkItem(state, project, seed.type, ops, by, { at });
    (seed.path ?? []).forEach((next, i) => {
      const when = ago(now, seed.createdDaysAgo * (1 - (i + 1) / ((seed.path?.length ?? 0) + 1)));
      const who = seed.assignee ?? by;
      const extra: Record<string, string | number> = next === 'Closed' && seed.type === 'Task' ? { 'Microsoft.VSTS.Scheduling.RemainingWork': 0 } : {};
      updateWorkItem(state, item, set({ 'System.State': next, ...extra }), who, { at: when });
    });
    for (const c of seed.comments ?? []) addComment(state, item, c.text, c.by, ago(now, Math.max(0.2, seed.createdDaysAgo / 3)));
    created.set(seed.title, item);
    for (const child of seed.children ?? []) plant(child, item, by);
    return item;
  };

  const story = (title: string, description: string, extra: Omit<Seed, 'type' | 'title' | 'description'>): Seed => ({ type: 'User Story', title, description, ...extra });
  const task = (title: string, extra: Omit<Seed, 'type' | 'title' | 'description'>): Seed => ({ type: 'Task', title, description: `<div>${title}.</div>`, ...extra });

  const epics: Seed[] = [
    {
      type: 'Epic',
      title: 'Customer self-service portal',
      description: '<div>Let customers manage their account and orders without calling support. Target: cut support tickets about orders by 30%.</div>',
      area: 'Web',
      tags: 'portal',
      path: ['Active'],
      createdDaysAgo: 40,
      children: [
        {
          type: 'Feature',
          title: 'Account sign-in and profile',
          description: '<div>Email and password sign-in, password reset and a profile page.</div>',
          area: 'Web',
          tags: 'portal; auth',
          path: ['Active'],
          createdDaysAgo: 38,
          children: [
            story('Sign in with email and password', '<div>As a customer I can sign in with my email and password so that I can see my orders.</div>', {
              area: 'Web', sprint: 1, assignee: me, tags: 'auth', path: ['Active', 'Resolved', 'Closed'], createdDaysAgo: 30,
              fields: { 'Microsoft.VSTS.Scheduling.StoryPoints': 5, 'Microsoft.VSTS.Common.AcceptanceCriteria': '<ul><li>Wrong password shows an error</li><li>Five failures lock the form for a minute</li></ul>' },
              children: [
                task('Build the sign-in form', { area: 'Web', sprint: 1, assignee: me, path: ['Active', 'Closed'], createdDaysAgo: 29, fields: { 'Microsoft.VSTS.Scheduling.OriginalEstimate': 8, 'Microsoft.VSTS.Scheduling.CompletedWork': 7, 'Microsoft.VSTS.Common.Activity': 'Development' } }),
                task('Rate-limit the login endpoint', { area: 'API', sprint: 1, assignee: avery, path: ['Active', 'Closed'], createdDaysAgo: 29, fields: { 'Microsoft.VSTS.Scheduling.OriginalEstimate': 5, 'Microsoft.VSTS.Scheduling.CompletedWork': 6, 'Microsoft.VSTS.Common.Activity': 'Development' } }),
              ],
            }),
            story('Reset a forgotten password', '<div>As a customer who forgot my password I get a reset link by email that works once, within an hour.</div>', {
              area: 'Web', sprint: 2, assignee: me, tags: 'auth; email', path: ['Active'], createdDaysAgo: 12,
              fields: { 'Microsoft.VSTS.Scheduling.StoryPoints': 3, 'Microsoft.VSTS.Common.Priority': 1 },
              comments: [{ by: avery, text: 'Let us reuse the transactional email template from order confirmations.' }],
              children: [
                task('Email the reset link', { area: 'API', sprint: 2, assignee: me, path: ['Active'], createdDaysAgo: 6, fields: { 'Microsoft.VSTS.Scheduling.RemainingWork': 3, 'Microsoft.VSTS.Scheduling.OriginalEstimate': 6, 'Microsoft.VSTS.Common.Activity': 'Development' } }),
                task('Write the reset flow end-to-end test', { area: 'Web', sprint: 2, assignee: jordan, createdDaysAgo: 6, fields: { 'Microsoft.VSTS.Scheduling.RemainingWork': 4, 'Microsoft.VSTS.Common.Activity': 'Testing' } }),
              ],
            }),
            story('Edit profile and notification preferences', '<div>As a customer I can change my name, phone number and which emails I receive.</div>', {
              area: 'Web', sprint: 3, assignee: avery, tags: 'profile', createdDaysAgo: 5, fields: { 'Microsoft.VSTS.Scheduling.StoryPoints': 5 },
            }),
            {
              type: 'Bug', title: 'Password reset email shows raw HTML', description: '<div>Outlook shows the tags of the reset email instead of rendering them.</div>',
              area: 'API', sprint: 2, assignee: me, tags: 'email', path: ['Active', 'Resolved'], createdDaysAgo: 4,
              fields: { 'Microsoft.VSTS.TCM.ReproSteps': '<ol><li>Request a reset for an Outlook address</li><li>Open the email in Outlook desktop</li></ol>', 'Microsoft.VSTS.Common.Severity': '3 - Medium' },
            },
          ],
        },
        {
          type: 'Feature',
          title: 'Order history',
          description: '<div>Customers see their past orders, their status, and can download invoices.</div>',
          area: 'Web',
          tags: 'portal; orders',
          createdDaysAgo: 35,
          children: [
            story('List past orders with their status', '<div>As a customer I see my orders, newest first, 20 a page.</div>', {
              area: 'Web', sprint: 2, assignee: avery, tags: 'orders', path: ['Active', 'Resolved'], createdDaysAgo: 16, fields: { 'Microsoft.VSTS.Scheduling.StoryPoints': 3 },
              children: [task('Paginate the orders API', { area: 'API', sprint: 1, assignee: avery, path: ['Active', 'Closed'], createdDaysAgo: 15, fields: { 'Microsoft.VSTS.Scheduling.CompletedWork': 4, 'Microsoft.VSTS.Common.Activity': 'Development' } })],
            }),
            story('Download an invoice as PDF', '<div>As a customer I can download the invoice of any order as a PDF.</div>', {
              area: 'Web', sprint: 3, tags: 'orders; pdf', createdDaysAgo: 3, fields: { 'Microsoft.VSTS.Scheduling.StoryPoints': 8 },
            }),
            {
              type: 'Bug', title: 'Checkout button unresponsive on Safari 17', description: '<div>Clicking Place order does nothing on Safari 17; the console shows a TypeError in checkout.js.</div>',
              area: 'Web', sprint: 2, assignee: jordan, tags: 'checkout; safari', path: ['Active'], createdDaysAgo: 2,
              fields: { 'Microsoft.VSTS.Common.Severity': '2 - High', 'Microsoft.VSTS.Common.Priority': 1, 'Microsoft.VSTS.TCM.ReproSteps': '<ol><li>Open the cart in Safari 17</li><li>Click Place order</li></ol>' },
            },
          ],
        },
      ],
    },
    {
      type: 'Epic',
      title: 'Platform reliability',
      description: '<div>Know when the portal is broken before customers tell us, and release without drama.</div>',
      area: 'API',
      tags: 'reliability',
      createdDaysAgo: 33,
      children: [
        {
          type: 'Feature',
          title: 'Observability',
          description: '<div>Structured logs, request correlation and alerts on error rates.</div>',
          area: 'API',
          tags: 'observability',
          path: ['Active'],
          createdDaysAgo: 32,
          children: [
            story('Structured logging for API requests', '<div>Every API request logs one JSON line with method, route, status, duration and correlation id.</div>', {
              area: 'API', sprint: 2, assignee: me, tags: 'logging', path: ['Active'], createdDaysAgo: 10, fields: { 'Microsoft.VSTS.Scheduling.StoryPoints': 3 },
              children: [
                task('Add correlation id middleware', { area: 'API', sprint: 2, assignee: me, path: ['Active', 'Closed'], createdDaysAgo: 9, fields: { 'Microsoft.VSTS.Scheduling.CompletedWork': 3, 'Microsoft.VSTS.Common.Activity': 'Development' } }),
                task('Ship logs to the log workspace', { area: 'API', sprint: 2, createdDaysAgo: 9, fields: { 'Microsoft.VSTS.Scheduling.RemainingWork': 5, 'Microsoft.VSTS.Common.Activity': 'Deployment' } }),
              ],
            }),
            story('Alert on checkout error rate', '<div>Page the on-call engineer when checkout errors exceed 2% for five minutes.</div>', {
              area: 'API', sprint: 1, tags: 'alerting', path: ['Removed'], createdDaysAgo: 25,
              comments: [{ by: jordan, text: 'Covered by the platform team’s shared alert rules; removing from our backlog.' }],
            }),
          ],
        },
        {
          type: 'Feature',
          title: 'Release automation',
          description: '<div>Tag releases and publish release notes from the pipeline.</div>',
          area: 'API',
          tags: 'release',
          createdDaysAgo: 20,
          children: [
            story('Tag releases from the pipeline', '<div>A successful main build can be promoted to a release: tag it vX.Y.Z and write the notes to the wiki.</div>', {
              area: 'API', sprint: 3, assignee: jordan, tags: 'release', createdDaysAgo: 3, fields: { 'Microsoft.VSTS.Scheduling.StoryPoints': 5 },
            }),
          ],
        },
      ],
    },
  ];
  epics.forEach((e) => plant(e, undefined, me));
  const footer = plant(
    { type: 'Bug', title: 'Typo in the footer copyright year', description: '<div>The footer says © 2019.</div>', area: 'Web', sprint: 1, assignee: avery, tags: 'ui', path: ['Active', 'Resolved', 'Closed'], createdDaysAgo: 20 },
    created.get('Account sign-in and profile'),
    jordan,
  );

  // The repository: history on main, two feature branches, two release tags.
  const repo = state.doc.repositories.find((r) => r.projectId === project.id) as Repository;
  const idOf = (title: string) => created.get(title)?.id ?? 0;
  const author = (who: Identity, daysAgo: number) => ({ name: who.displayName, email: who.uniqueName, date: ago(now, daysAgo) });
  const file = (path: string, content: string, changeType: GitChange['changeType'] = 'add'): GitChange => ({ changeType, path, content });
  const commit = (parent: string | undefined, who: Identity, daysAgo: number, message: string, changes: GitChange[], branch: string): string => {
    const c = addCommit(repo, parent ? [parent] : [], message, author(who, daysAgo), author(who, daysAgo), changes);
    const ref = refOf(repo, branch);
    const old = ref?.objectId ?? '0000000000000000000000000000000000000000';
    if (ref) ref.objectId = c.commitId;
    else repo.refs.push({ name: branch, objectId: c.commitId, creatorId: state.doc.identities.find((i) => i.displayName === who.displayName)?.id ?? me.id });
    repo.pushes.push({ pushId: state.next('push'), date: ago(now, daysAgo), pushedById: state.doc.identities.find((i) => i.uniqueName === who.uniqueName)?.id ?? me.id, commitIds: [c.commitId], refUpdates: [{ name: branch, oldObjectId: old, newObjectId: c.commitId }] });
    return c.commitId;
  };
  const main = 'refs/heads/main';
  const c1 = commit(undefined, me, 28, 'Initial commit: portal skeleton', [
    file('/README.md', '# Contoso Web\n\nCustomer portal and API.\n\n```sh\nnpm install\nnpm test\n```\n'),
    file('/package.json', '{\n  "name": "contoso-web",\n  "version": "0.1.0",\n  "scripts": { "build": "tsc -p .", "test": "node --test" }\n}\n'),
    file('/src/index.ts', "import { createServer } from 'node:http';\n\ncreateServer((_req, res) => res.end('ok')).listen(3000);\n"),
    file('/.gitignore', 'node_modules/\ndist/\n'),
    file('/azure-pipelines.yml', 'trigger:\n  - main\npool:\n  vmImage: ubuntu-latest\nsteps:\n  - script: npm ci && npm test\n    displayName: Build and test\n'),
  ], main);
  const c2 = commit(c1, me, 24, `Add the sign-in form (AB#${idOf('Build the sign-in form')})`, [file('/src/auth/signIn.ts', 'export function signIn(email: string, password: string): Promise<boolean> {\n  return fetch(\'/api/session\', { method: \'POST\', body: JSON.stringify({ email, password }) }).then((r) => r.ok);\n}\n')], main);
  const c3 = commit(c2, avery, 22, `Rate-limit the login endpoint (AB#${idOf('Rate-limit the login endpoint')})`, [file('/src/auth/rateLimit.ts', 'const attempts = new Map<string, number>();\n\nexport function allow(ip: string): boolean {\n  const n = (attempts.get(ip) ?? 0) + 1;\n  attempts.set(ip, n);\n  return n <= 5;\n}\n')], main);
  const c4 = commit(c3, avery, 14, `Paginate the orders API (AB#${idOf('Paginate the orders API')})`, [file('/src/orders/list.ts', 'export function page<T>(items: T[], n: number, size = 20): T[] {\n  return items.slice(n * size, (n + 1) * size);\n}\n')], main);
  const c5 = commit(c4, avery, 12, `Fix the footer copyright year (AB#${footer.id})`, [file('/src/ui/footer.ts', "export const footer = () => `© ${new Date().getFullYear()} Contoso`;\n")], main);
  const c6 = commit(c5, me, 5, `Add correlation id middleware (AB#${idOf('Add correlation id middleware')})`, [
    file('/src/api/correlation.ts', "import { randomUUID } from 'node:crypto';\n\nexport const correlationId = (header: string | undefined) => header ?? randomUUID();\n"),
    file('/package.json', '{\n  "name": "contoso-web",\n  "version": "1.1.0",\n  "scripts": { "build": "tsc -p .", "test": "node --test" }\n}\n', 'edit'),
  ], main);
  const reset = commit(c6, me, 1, `Email the password reset link (AB#${idOf('Email the reset link')})`, [file('/src/auth/reset.ts', "export function resetLink(token: string): string {\n  return `https://contoso.example/reset?token=${encodeURIComponent(token)}`;\n}\n")], 'refs/heads/feature/password-reset');
  commit(c6, me, 2, `Log each request as one JSON line (AB#${idOf('Structured logging for API requests')})`, [file('/src/api/log.ts', 'export const logLine = (entry: Record<string, unknown>) => process.stdout.write(JSON.stringify(entry) + "\\n");\n')], 'refs/heads/feature/structured-logging');
  for (const [name, target, daysAgo, message] of [
    ['v1.0.0', c3, 21, 'Release 1.0.0: sign-in'],
    ['v1.1.0', c5, 11, 'Release 1.1.0: order history and fixes'],
  ] as const) {
    const tagger = author(me, daysAgo);
    const tagId = objectId('tag', name, target, message, tagger.date);
    repo.annotatedTags.push({ objectId: tagId, name, taggedObjectId: target, message, tagger });
    repo.refs.push({ name: `refs/tags/${name}`, objectId: tagId, creatorId: me.id });
  }

  // Work items point at the code that implements them, as the service's development links do.
  const artifact = (kind: 'Commit' | 'Ref' | 'PullRequestId', id: string) => `vstfs:///Git/${kind}/${project.id}%2F${repo.id}%2F${id}`;
  const link = (title: string, url: string, name: string) => {
    const item = created.get(title);
    if (item) updateWorkItem(state, item, [{ op: 'add', path: '/relations/-', value: { rel: 'ArtifactLink', url, attributes: { name } } }], me, { at: ago(now, 1) });
  };
  link('Build the sign-in form', artifact('Commit', c2), 'Fixed in Commit');
  link('Rate-limit the login endpoint', artifact('Commit', c3), 'Fixed in Commit');
  link('Paginate the orders API', artifact('Commit', c4), 'Fixed in Commit');
  link('Add correlation id middleware', artifact('Commit', c6), 'Fixed in Commit');
  link('Reset a forgotten password', artifact('Ref', 'GBfeature%2Fpassword-reset'), 'Branch');
  const prId = state.next('pullRequest');
  repo.pullRequests.push({
    pullRequestId: prId,
    title: 'Email the password reset link',
    description: `Sends the one-time reset link by email.\n\nResolves AB#${idOf('Reset a forgotten password')}.`,
    sourceRefName: 'refs/heads/feature/password-reset',
    targetRefName: main,
    status: 'active',
    createdById: me.id,
    creationDate: ago(now, 0.9),
    isDraft: false,
    workItemIds: [idOf('Reset a forgotten password')],
    reviewers: [{ id: avery.id, vote: 0, isRequired: true }],
    sourceCommitId: reset,
    targetCommitId: c6,
  });
  link('Reset a forgotten password', artifact('PullRequestId', String(prId)), 'Pull Request');

  // main is protected: reviewers (optional) and linked work items (required), as a team would set it up.
  const scope = [{ repositoryId: repo.id, refName: main, matchKind: 'exact' }];
  state.doc.policies.push(
    { id: state.next('policy'), projectId: project.id, typeId: 'fa4e907d-c16b-4a4c-9dfa-4906e5d171dd', revision: 1, isEnabled: true, isBlocking: false, isDeleted: false, settings: { minimumApproverCount: 1, creatorVoteCounts: false, allowDownvotes: false, resetOnSourcePush: true, scope }, createdById: me.id, createdDate: ago(now, 27) },
    { id: state.next('policy'), projectId: project.id, typeId: '40e92b44-2fe1-4dd6-b3d8-74a9c21d0c6e', revision: 1, isEnabled: true, isBlocking: true, isDeleted: false, settings: { scope }, createdById: me.id, createdDate: ago(now, 27) },
  );

  const wikiId = stableGuid(`wiki ${SANDBOX_PROJECT}`);
  state.doc.wikis.push({
    id: wikiId,
    projectId: project.id,
    name: `${SANDBOX_PROJECT}.wiki`,
    type: 'projectWiki',
    repositoryId: wikiId,
    mappedPath: '/',
    pages: [
      { id: state.next('wikiPage'), path: '/Home', content: '# Contoso Web\n\nThe customer portal team’s wiki. See [Release Notes](/Release-Notes).\n', version: 1, order: 0 },
      { id: state.next('wikiPage'), path: '/Release Notes', content: '# Release notes\n\n- [v1.1.0](/Release-Notes/v1.1.0)\n- [v1.0.0](/Release-Notes/v1.0.0)\n', version: 2, order: 1 },
      { id: state.next('wikiPage'), path: '/Release Notes/v1.0.0', content: `# v1.0.0\n\n- Sign in with email and password (AB#${idOf('Sign in with email and password')})\n`, version: 1, order: 0 },
      { id: state.next('wikiPage'), path: '/Release Notes/v1.1.0', content: `# v1.1.0\n\n- Paginated order history (AB#${idOf('List past orders with their status')})\n- Footer shows the current year (AB#${footer.id})\n`, version: 1, order: 1 },
    ],
  });

  const pipeline = { id: state.next('pipeline'), projectId: project.id, name: 'contoso-web-ci', folder: '\\', revision: 2, repositoryId: repo.id, yamlPath: '/azure-pipelines.yml', runs: [] as AzureDevOpsState['doc']['pipelines'][number]['runs'] };
  const runsAt: [number, string, 'succeeded' | 'failed'][] = [
    [27.9, c1, 'succeeded'],
    [23.9, c2, 'succeeded'],
    [21.9, c3, 'succeeded'],
    [13.9, c4, 'failed'],
    [11.9, c5, 'succeeded'],
    [4.9, c6, 'succeeded'],
  ];
  for (const [daysAgo, sha, result] of runsAt) {
    const at = new Date(now.getTime() - daysAgo * DAY);
    const day = at.toISOString().slice(0, 10).replace(/-/g, '');
    pipeline.runs.push({ id: state.next('pipelineRun'), name: `${day}.1`, createdDate: at.toISOString(), queuedSeconds: 12, runSeconds: 95, result, refName: main, sourceVersion: sha, requestedById: me.id, templateParameters: {}, variables: {} });
  }
  state.doc.pipelines.push(pipeline);

  // Pipelines environments for a deployment's stages; staging and production ask for an approval.
  for (const [name, approverIds] of [
    ['dev', undefined],
    ['staging', [me.id]],
    ['production', [me.id, avery.id]],
  ] as const) {
    state.doc.environments.push({
      id: state.next('environment'),
      projectId: project.id,
      name,
      description: `Contoso Web ${name}`,
      createdById: me.id,
      createdOn: new Date(now.getTime() - 28 * DAY).toISOString(),
      ...(approverIds ? { approval: { approverIds: [...approverIds], minRequiredApprovers: 1, timeoutMinutes: 43_200, instructions: `Check the ${name} smoke tests before approving.`, requesterCannotBeApprover: false } } : {}),
    });
  }

  const lastRun = pipeline.runs[pipeline.runs.length - 1];
  const started = ago(now, 4.89);
  const tests: [string, string, number][] = [
    ['signIn accepts a valid password', 'Passed', 41],
    ['signIn rejects a wrong password', 'Passed', 37],
    ['rateLimit allows five attempts', 'Passed', 3],
    ['rateLimit blocks the sixth attempt', 'Passed', 2],
    ['orders page returns 20 items', 'Passed', 5],
    ['orders page 2 starts at item 21', 'Passed', 4],
    ['footer shows the current year', 'Passed', 1],
    ['correlationId keeps an incoming header', 'Passed', 1],
    ['correlationId creates one when missing', 'Failed', 2],
  ];
  state.doc.testRuns.push({
    id: state.next('testRun'),
    projectId: project.id,
    name: `contoso-web-ci ${lastRun?.name ?? ''} unit tests`,
    state: 'Completed',
    isAutomated: true,
    ownerId: me.id,
    comment: '',
    createdDate: started,
    startedDate: started,
    completedDate: ago(now, 4.88),
    ...(lastRun ? { pipelineRunId: lastRun.id } : {}),
    results: tests.map(([title, outcome, ms]) => ({
      id: 100_000 + state.next('testResult'),
      testCaseTitle: title,
      automatedTestName: `contoso.web.${title.replace(/\W+/g, '_')}`,
      automatedTestStorage: 'contoso-web.test.js',
      outcome,
      state: 'Completed',
      durationInMs: ms,
      ...(outcome === 'Failed' ? { errorMessage: 'AssertionError: expected a UUID, got undefined', stackTrace: 'at correlation.test.js:14:5' } : {}),
      priority: 2,
      startedDate: started,
      completedDate: started,
      workItemIds: [],
    })),
  });
}
