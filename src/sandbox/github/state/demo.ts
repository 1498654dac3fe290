import { SANDBOX_GITHUB, SANDBOX_USER } from '../../identity';
import { type FieldRecord, type IssueRecord, type ItemRecord, type LabelRecord, type ProjectRecord, type RepoRecord } from './model';
import { optionIdFor } from './nodeIds';
import { GitHubState } from './state';

const DAY = 86_400_000;
const ME = SANDBOX_USER.githubLogin;

/** The Status options of the demo project, in GitHub's default order for a new board. */
export const DEMO_STATUS_OPTIONS = ['Todo', 'In Progress', 'In Review', 'Done'] as const;

const LABELS: readonly Omit<LabelRecord, 'id'>[] = [
  { name: 'bug', color: 'd73a4a', description: "Something isn't working", default: true },
  { name: 'documentation', color: '0075ca', description: 'Improvements or additions to documentation', default: true },
  { name: 'enhancement', color: 'a2eeef', description: 'New feature or request', default: true },
  { name: 'good first issue', color: '7057ff', description: 'Good for newcomers', default: true },
  { name: 'help wanted', color: '008672', description: 'Extra attention is needed', default: true },
  { name: 'question', color: 'd876e3', description: 'Further information is requested', default: true },
  { name: 'priority: high', color: 'b60205', description: 'Do this first', default: false },
  { name: 'area: checkout', color: 'fbca04', description: 'Cart, payment and order confirmation', default: false },
  { name: 'area: accounts', color: 'c5def5', description: 'Sign-in, profile and password', default: false },
];

interface DemoIssue {
  readonly title: string;
  readonly body: string;
  readonly labels: readonly string[];
  readonly assignees: readonly string[];
  readonly author?: string;
  readonly closed?: 'completed' | 'not_planned';
  readonly ageDays: number;
  readonly status?: (typeof DEMO_STATUS_OPTIONS)[number];
  readonly estimate?: number;
  readonly comments?: readonly { readonly user: string; readonly body: string }[];
  readonly parent?: number;
  readonly pull?: { readonly head: string; readonly draft?: boolean; readonly merged?: boolean };
}

/** Issues 1–15 and pull requests 16–18, numbered in this order. */
const ISSUES: readonly DemoIssue[] = [
  { title: 'Redesign the checkout flow', body: 'One page instead of three; keep the cart visible while paying.\n\nSub-issues track the parts.', labels: ['enhancement', 'area: checkout'], assignees: [ME], ageDays: 30, status: 'In Progress', estimate: 13 },
  { title: 'Show shipping costs before the payment step', body: 'Customers leave when the total changes at the last step.', labels: ['enhancement', 'area: checkout'], assignees: [ME], ageDays: 28, status: 'In Progress', estimate: 3, parent: 1 },
  { title: 'Remember the last used payment method', body: 'Pre-select it; never store the card number ourselves.', labels: ['enhancement', 'area: checkout'], assignees: ['avery-chen'], ageDays: 27, status: 'Todo', estimate: 5, parent: 1 },
  { title: 'Checkout button unresponsive on Safari 17', body: 'Steps:\n1. Add an item\n2. Open the cart on Safari 17\n3. Click "Checkout": nothing happens.\n\nConsole: `TypeError: undefined is not an object (evaluating \'form.requestSubmit\')`', labels: ['bug', 'priority: high', 'area: checkout'], assignees: [ME], ageDays: 6, status: 'In Review', estimate: 2, parent: 1, comments: [{ user: 'avery-chen', body: 'Reproduced on 17.1; 17.4 is fine.' }, { user: ME, body: 'requestSubmit is missing before 17.2 – falling back to submit().' }] },
  { title: 'Reset a forgotten password', body: 'Send a one-time link that expires after 30 minutes.', labels: ['enhancement', 'area: accounts'], assignees: ['jordan-patel'], ageDays: 21, status: 'Done', estimate: 5, closed: 'completed' },
  { title: 'Sign-in form does not show the caps-lock warning', body: 'The warning exists but is hidden behind the password field.', labels: ['bug', 'area: accounts', 'good first issue'], assignees: [], ageDays: 12, status: 'Todo', estimate: 1 },
  { title: 'Document the release process', body: 'Tagging, the release workflow and how to roll back.', labels: ['documentation'], assignees: [ME], ageDays: 15, status: 'Todo', estimate: 2 },
  { title: 'Two-factor sign-in with an authenticator app', body: 'TOTP, with recovery codes.', labels: ['enhancement', 'area: accounts', 'priority: high'], assignees: ['jordan-patel', ME], ageDays: 18, status: 'In Progress', estimate: 8 },
  { title: 'Product images load slowly on mobile', body: 'Serve responsive sizes (srcset) and lazy-load below the fold.', labels: ['bug', 'help wanted'], assignees: ['avery-chen'], ageDays: 9, status: 'Todo', estimate: 3 },
  { title: 'Should guest checkout create an account?', body: 'Product and legal need to agree first.', labels: ['question', 'area: checkout'], assignees: [], ageDays: 8, comments: [{ user: 'jordan-patel', body: 'Legal says only with explicit consent.' }] },
  { title: 'Order confirmation email has a broken logo', body: 'The image URL still points at the old CDN.', labels: ['bug'], assignees: [ME], ageDays: 4, status: 'Done', estimate: 1, closed: 'completed' },
  { title: 'Dark mode', body: 'Follow the system setting.', labels: ['enhancement'], assignees: [], ageDays: 40, closed: 'not_planned', comments: [{ user: 'avery-chen', body: 'Not this year; closing.' }] },
  { title: 'Add a wish list', body: 'Signed-in customers can save items for later.', labels: ['enhancement'], assignees: ['avery-chen'], ageDays: 3, status: 'Todo', estimate: 5 },
  { title: 'Accessibility audit of the cart page', body: 'Keyboard navigation and screen reader labels.', labels: ['enhancement', 'help wanted'], assignees: [ME], ageDays: 2, status: 'Todo', estimate: 3 },
  { title: 'Flaky end-to-end test: search suggestions', body: 'Fails about one run in ten on CI (timing).', labels: ['bug'], assignees: ['jordan-patel'], ageDays: 1 },
  { title: 'Fix checkout button on Safari 17', body: 'Fixes #4: fall back to form.submit() when requestSubmit is missing.', labels: ['bug', 'area: checkout'], assignees: [ME], ageDays: 2, status: 'In Review', pull: { head: 'fix/safari-checkout' } },
  { title: 'Password reset by email link', body: 'Closes #5.', labels: ['enhancement', 'area: accounts'], assignees: ['jordan-patel'], ageDays: 14, pull: { head: 'feature/password-reset', merged: true } },
  { title: 'WIP: responsive product images', body: 'Part of #9.', labels: ['bug'], assignees: ['avery-chen'], ageDays: 1, pull: { head: 'perf/responsive-images', draft: true } },
];

const DRAFTS: readonly { readonly title: string; readonly body: string; readonly status: (typeof DEMO_STATUS_OPTIONS)[number] }[] = [
  { title: 'Plan the spring sale landing page', body: 'Banner, countdown, featured products.', status: 'Todo' },
  { title: 'Decide on the analytics provider', body: 'Needs a privacy review.', status: 'In Progress' },
];

function seedRepo(state: GitHubState, now: Date): RepoRecord {
  const t = now.getTime();
  const iso = (ageDays: number, hours = 0) => new Date(t - ageDays * DAY + hours * 3_600_000).toISOString();
  const commits = [
    { message: 'Initial commit', ageDays: 60 },
    { message: 'Storefront: product list and cart', ageDays: 45 },
    { message: 'Accounts: sign-in and sign-up', ageDays: 30 },
    { message: 'Password reset by email link (#17)', ageDays: 10 },
  ].reduce<RepoRecord['commits']>((list, c) => {
    const parents = list.length > 0 ? [list[list.length - 1]!.sha] : [];
    const sha = GitHubState.sha('commit', c.message, ...parents);
    list.push({ sha, message: c.message, parents, tree: GitHubState.sha('tree', c.message), author: ME, date: iso(c.ageDays) });
    return list;
  }, []);
  const head = commits[commits.length - 1]!.sha;
  const branch = (name: string) => {
    const sha = GitHubState.sha('commit', name, head);
    commits.push({ sha, message: `Work on ${name}`, parents: [head], tree: GitHubState.sha('tree', name), author: ME, date: iso(1) });
    return { ref: `refs/heads/${name}`, sha };
  };
  const repo: RepoRecord = {
    id: state.nextId(),
    owner: SANDBOX_GITHUB.owner,
    name: SANDBOX_GITHUB.repo,
    description: 'The Contoso web shop: storefront, checkout and accounts.',
    private: true,
    defaultBranch: 'main',
    createdAt: iso(60),
    pushedAt: iso(1),
    labels: LABELS.map((l) => ({ ...l, id: state.nextId() })),
    assignable: [ME, 'avery-chen', 'jordan-patel'],
    issues: [],
    commits,
    refs: [{ ref: 'refs/heads/main', sha: head }, branch('fix/safari-checkout'), branch('feature/password-reset'), branch('perf/responsive-images'), { ref: 'refs/tags/v1.0.0', sha: commits[2]!.sha }],
    releases: [],
    workflows: [],
    runs: [],
  };
  repo.releases.push({ id: state.nextId(), tagName: 'v1.0.0', targetCommitish: 'main', name: 'v1.0.0', body: 'First release: storefront and accounts.', draft: false, prerelease: false, author: ME, createdAt: iso(30), publishedAt: iso(30) });
  repo.workflows.push(
    { id: state.nextId(), name: 'CI', path: '.github/workflows/ci.yml', state: 'active', createdAt: iso(60), inputs: ['sandbox_result'] },
    {
      id: state.nextId(),
      name: 'Deploy',
      path: '.github/workflows/deploy.yml',
      state: 'active',
      createdAt: iso(45),
      inputs: ['environment', 'version', 'sandbox_result'],
      // Build once, then dev > staging > production; staging and production wait for their reviewers.
      jobs: [
        { name: 'build', steps: ['Set up job', 'Checkout', 'Install', 'Test', 'Build image', 'Complete job'], seconds: 8 },
        { name: 'deploy-dev', environment: 'dev', steps: ['Set up job', 'Download image', 'Deploy', 'Smoke test', 'Complete job'], seconds: 6 },
        { name: 'deploy-staging', environment: 'staging', steps: ['Set up job', 'Download image', 'Deploy', 'Smoke test', 'Complete job'], seconds: 6 },
        { name: 'deploy-production', environment: 'production', steps: ['Set up job', 'Download image', 'Deploy', 'Smoke test', 'Complete job'], seconds: 6 },
      ],
    },
  );
  repo.environments = [
    { id: state.nextId(), name: 'dev', createdAt: iso(45), reviewers: [], waitTimer: 0, preventSelfReview: false },
    { id: state.nextId(), name: 'staging', createdAt: iso(45), reviewers: [ME, 'avery-chen'], waitTimer: 0, preventSelfReview: false },
    { id: state.nextId(), name: 'production', createdAt: iso(45), reviewers: [ME, 'jordan-patel'], waitTimer: 0, preventSelfReview: false },
  ];
  // main is protected as a small team would set it up: one approving review and CI green, and a
  // ruleset that forbids force pushes and deleting it.
  repo.branchProtection = { main: { requiredReviewers: 1, statusChecks: ['CI / build'], enforceAdmins: false, linearHistory: false, allowForcePushes: false, allowDeletions: false } };
  repo.rulesets = [{ id: state.nextId(), name: 'Protect main', enforcement: 'active', include: ['~DEFAULT_BRANCH'], rules: [{ type: 'deletion' }, { type: 'non_fast_forward' }] }];
  const ci = repo.workflows[0]!;
  repo.runs.push(
    { id: state.nextId(), workflowId: ci.id, runNumber: 1, event: 'push', headBranch: 'main', headSha: commits[2]!.sha, actor: ME, createdAt: iso(30), outcome: 'success', inputs: {} },
    { id: state.nextId(), workflowId: ci.id, runNumber: 2, event: 'pull_request', headBranch: 'feature/password-reset', headSha: head, actor: 'jordan-patel', createdAt: iso(10), outcome: 'failure', inputs: {} },
    { id: state.nextId(), workflowId: ci.id, runNumber: 3, event: 'push', headBranch: 'main', headSha: head, actor: 'jordan-patel', createdAt: iso(9), outcome: 'success', inputs: {} },
  );

  ISSUES.forEach((d, index) => {
    const number = index + 1;
    const createdAt = iso(d.ageDays);
    const closedAt = d.closed || d.pull?.merged ? iso(Math.max(0, d.ageDays - 3)) : null;
    const headSha = d.pull ? repo.refs.find((r) => r.ref === `refs/heads/${d.pull!.head}`)?.sha ?? head : '';
    const issue: IssueRecord = {
      id: state.nextId(),
      number,
      title: d.title,
      body: d.body,
      state: closedAt ? 'closed' : 'open',
      stateReason: d.closed ?? null,
      labels: [...d.labels],
      assignees: [...d.assignees],
      user: d.author ?? (d.assignees[0] ?? ME),
      locked: false,
      createdAt,
      updatedAt: closedAt ?? iso(Math.max(0, d.ageDays - 1)),
      closedAt,
      closedBy: closedAt ? ME : null,
      comments: (d.comments ?? []).map((c, i) => ({ id: state.nextId(), body: c.body, user: c.user, createdAt: iso(d.ageDays, i + 1), updatedAt: iso(d.ageDays, i + 1) })),
      parent: d.parent ?? null,
      subIssues: [],
      pull: d.pull
        ? { headRef: d.pull.head, headSha, baseRef: 'main', baseSha: head, draft: d.pull.draft ?? false, merged: d.pull.merged ?? false, mergedAt: d.pull.merged ? closedAt : null, mergedBy: d.pull.merged ? ME : null }
        : null,
    };
    repo.issues.push(issue);
  });
  for (const issue of repo.issues) if (issue.parent !== null) repo.issues.find((p) => p.number === issue.parent)?.subIssues.push(issue.number);
  return repo;
}

function seedProject(state: GitHubState, repo: RepoRecord, now: Date): ProjectRecord {
  const createdAt = new Date(now.getTime() - 35 * DAY).toISOString();
  const projectId = state.nextId();
  const field = (name: string, dataType: FieldRecord['dataType'], options: FieldRecord['options'] = []): FieldRecord => ({ id: state.nextId(), name, dataType, options, createdAt });
  const colors = ['GRAY', 'YELLOW', 'PURPLE', 'GREEN'] as const;
  const descriptions = ['This item hasn\'t been started', 'This is actively being worked on', 'This item is being reviewed', 'This has been completed'];
  const status = field(
    'Status',
    'SINGLE_SELECT',
    DEMO_STATUS_OPTIONS.map((name, i) => ({ id: optionIdFor(projectId, name), name, color: colors[i]!, description: descriptions[i]! })),
  );
  const estimate = field('Estimate', 'NUMBER');
  // Two-week iterations: two completed, the current one (from today) and the next.
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const sprints = [-28, -14, 0, 14].map((offset, i) => ({ id: optionIdFor(projectId, `iteration ${i + 1}`), title: `Iteration ${i + 1}`, startDate: new Date(today + offset * DAY).toISOString().slice(0, 10), duration: 14 }));
  const iteration: FieldRecord = { ...field('Iteration', 'ITERATION'), iteration: { startDay: new Date(today).getUTCDay(), duration: 14, iterations: sprints } };
  const fields = [field('Title', 'TITLE'), field('Assignees', 'ASSIGNEES'), status, field('Labels', 'LABELS'), field('Repository', 'REPOSITORY'), estimate, field('Target date', 'DATE'), iteration];
  const items: ItemRecord[] = [];
  /** Done work sits in the iteration it was closed in; work under way in the current one; the rest is backlog. */
  const sprintOf = (s: string | undefined, closedAt: string | null): string | undefined => {
    if (s === 'Done' && closedAt) return sprints.find((x) => Date.parse(x.startDate) <= Date.parse(closedAt) && Date.parse(closedAt) < Date.parse(x.startDate) + x.duration * DAY)?.id;
    return s === 'In Progress' || s === 'In Review' ? sprints[2]!.id : undefined;
  };
  const values = (s: string | undefined, e: number | undefined, closedAt: string | null = null): ItemRecord['values'] => {
    const v: ItemRecord['values'] = {};
    if (s) v[String(status.id)] = { optionId: optionIdFor(projectId, s) };
    if (e !== undefined) v[String(estimate.id)] = { number: e };
    const sprint = sprintOf(s, closedAt);
    if (sprint) v[String(iteration.id)] = { iterationId: sprint };
    return v;
  };
  ISSUES.forEach((d, index) => {
    if (!d.status) return;
    const issue = repo.issues[index]!;
    items.push({
      id: state.nextId(),
      contentType: issue.pull ? 'PULL_REQUEST' : 'ISSUE',
      repoId: repo.id,
      number: issue.number,
      draft: null,
      values: values(d.status, d.estimate, issue.closedAt),
      archived: false,
      creator: ME,
      createdAt: issue.createdAt,
      updatedAt: issue.updatedAt,
    });
  });
  for (const d of DRAFTS) {
    items.push({
      id: state.nextId(),
      contentType: 'DRAFT_ISSUE',
      repoId: null,
      number: null,
      draft: { id: state.nextId(), title: d.title, body: d.body, assignees: [], creator: ME },
      values: values(d.status, undefined),
      archived: false,
      creator: ME,
      createdAt,
      updatedAt: createdAt,
    });
  }
  return {
    id: projectId,
    number: SANDBOX_GITHUB.projectNumber,
    owner: SANDBOX_GITHUB.owner,
    title: 'Contoso Web Roadmap',
    shortDescription: 'What the web team is doing now and next.',
    public: false,
    closed: false,
    creator: ME,
    createdAt,
    updatedAt: now.toISOString(),
    fields,
    items,
  };
}

/**
 * The demo: contoso/contoso-web with 15 issues (sub-issues under #1, closed ones, comments) and 3
 * pull requests (open, merged, draft), commits, branches, a tag and release, CI and Deploy
 * workflows with runs, and the organization's Project 1 "Contoso Web Roadmap" whose items are
 * issues, a pull request and draft issues across Status Todo / In Progress / In Review / Done, with
 * an Estimate and two-week Iterations (two completed, the current one, the next).
 */
export function seedDemo(state: GitHubState, now: Date): void {
  // GitHub gives a new organization three issue types: Task, Bug and Feature.
  const org = state.user('contoso');
  if (org) {
    const at = now.toISOString();
    org.issueTypes = [
      { name: 'Task', description: 'A specific piece of work', color: 'yellow' as const },
      { name: 'Bug', description: 'An unexpected problem or behavior', color: 'red' as const },
      { name: 'Feature', description: 'A request, idea, or new functionality', color: 'blue' as const },
    ].map((t) => ({ id: state.nextId(), ...t, isEnabled: true, createdAt: at, updatedAt: at }));
  }
  const repo = seedRepo(state, now);
  state.doc.repos.push(repo);
  state.doc.projects.push(seedProject(state, repo, now));
}
