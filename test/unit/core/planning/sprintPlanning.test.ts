import assert from 'node:assert/strict';
import { type BacklogRow, type IterationInfo } from '../../../../src/core/planning/sprint/backlog';
import { workingDays } from '../../../../src/core/planning/sprint/calendar';
import { teamCapacity } from '../../../../src/core/planning/sprint/capacity';
import { fitSprint } from '../../../../src/core/planning/sprint/sprintFit';
import { sprintStatus, statusMarkdown } from '../../../../src/core/planning/sprint/statusReport';
import { forecast, velocityOf } from '../../../../src/core/planning/sprint/velocity';

/**
 * Fixture history with answers computed by hand (in the comments), not by the code under test.
 * Iterations are two weeks, Monday to Friday twice; the team works Monday to Friday.
 */
const WEEK = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const;
const it_ = (name: string, start: string, finish: string, timeFrame: IterationInfo['timeFrame']): IterationInfo => ({ id: name, name, path: `P\\${name}`, start: `${start}T00:00:00Z`, finish: `${finish}T00:00:00Z`, timeFrame });
const S1 = it_('Sprint 1', '2026-02-02', '2026-02-13', 'past');
const S2 = it_('Sprint 2', '2026-02-16', '2026-02-27', 'past');
const S3 = it_('Sprint 3', '2026-03-02', '2026-03-13', 'current');
const S4 = it_('Sprint 4', '2026-03-16', '2026-03-27', 'future');
const ITERATIONS = [S1, S2, S3, S4];

let nextId = 1;
function row(fields: Partial<BacklogRow> & Pick<BacklogRow, 'title'>): BacklogRow {
  const category = fields.category ?? 'Proposed';
  return { id: nextId++, type: fields.level === 'task' ? 'Task' : 'User Story', state: { Proposed: 'New', InProgress: 'Active', Resolved: 'Resolved', Completed: 'Closed', Removed: 'Removed' }[category], category, level: 'requirement', blocked: false, ...fields };
}

describe('sprint planning: capacity, velocity, forecast and fit, hand-computed', () => {
  describe('capacity with the team\'s and people\'s days off', () => {
    const members = [
      // 6 h a day, off Thursday 12 to Saturday 14 March: Thursday and Friday are working days lost.
      { member: 'avery@contoso.com', displayName: 'Avery', activities: [{ name: 'Development', perDay: 6 }], daysOff: [{ start: '2026-03-12T00:00:00Z', end: '2026-03-14T00:00:00Z' }] },
      // Design 3 + Development 3 = 6 h a day.
      { member: 'jordan@contoso.com', displayName: 'Jordan', activities: [{ name: 'Design', perDay: 3 }, { name: 'Development', perDay: 3 }], daysOff: [] },
      // 5 h a day; their own day off is the team's day off, so it is not lost twice.
      { member: 'sam@contoso.com', displayName: 'Sam', activities: [{ name: 'Testing', perDay: 5 }], daysOff: [{ start: '2026-03-09T00:00:00Z', end: '2026-03-09T00:00:00Z' }] },
    ];

    it('counts working days, then the team\'s day off, then each person\'s', () => {
      assert.equal(workingDays(S3.start!, S3.finish!, WEEK).length, 10);
      const c = teamCapacity({ start: S3.start!, finish: S3.finish!, workingDays: WEEK, teamDaysOff: [{ start: '2026-03-09T00:00:00Z', end: '2026-03-09T00:00:00Z' }], members });
      // 10 working days, Monday 9 off for everyone: 9. Avery 9 - 2 = 7 days x 6 = 42; Jordan 9 x 6 = 54; Sam 9 x 5 = 45.
      assert.equal(c.workingDays, 10);
      assert.equal(c.teamDaysOff, 1);
      assert.deepEqual(c.members.map((m) => [m.displayName, m.days, m.daysOff, m.hours]), [['Avery', 7, 2, 42], ['Jordan', 9, 0, 54], ['Sam', 9, 0, 45]]);
      assert.equal(c.hours, 141);
      // Without any days off: (6 + 6 + 5) x 10.
      assert.equal(c.hoursWithoutDaysOff, 170);
    });

    it('counts only the days left in the current iteration', () => {
      // From Wednesday 11: Wed, Thu, Fri. Avery is off Thu and Fri: 1 day x 6; Jordan 3 x 6; Sam 3 x 5.
      const c = teamCapacity({ start: S3.start!, finish: S3.finish!, workingDays: WEEK, teamDaysOff: [], members, from: '2026-03-11T15:30:00Z' });
      assert.deepEqual(c.members.map((m) => m.hours), [6, 18, 15]);
      assert.equal(c.hours, 39);
    });

    it('counts weekends only where the team works them', () => {
      assert.equal(workingDays('2026-03-02T00:00:00Z', '2026-03-15T00:00:00Z', [...WEEK, 'saturday']).length, 12);
    });
  });

  describe('velocity as the widget counts it, and the forecast', () => {
    const history: BacklogRow[] = [
      // Sprint 1 (ends 13 Feb): 5 done in time, 3 done on 16 Feb (late), 8 still active (incomplete). Velocity 5 + 3 = 8.
      row({ title: 's1 done', estimate: 5, category: 'Completed', iterationPath: S1.path, closedAt: '2026-02-12T16:00:00Z' }),
      row({ title: 's1 late', estimate: 3, category: 'Completed', iterationPath: S1.path, closedAt: '2026-02-16T10:00:00Z' }),
      row({ title: 's1 open', estimate: 8, category: 'InProgress', iterationPath: S1.path }),
      row({ title: 's1 task', level: 'task', remainingWork: 0, category: 'Completed', iterationPath: S1.path, closedAt: '2026-02-10T10:00:00Z' }),
      // Sprint 2: 8 + 5 (no closed date: counted as in time); a removed item and an unestimated one add nothing. Velocity 13.
      row({ title: 's2 done', estimate: 8, category: 'Completed', iterationPath: S2.path, closedAt: '2026-02-26T09:00:00Z' }),
      row({ title: 's2 done, no date', estimate: 5, category: 'Completed', iterationPath: S2.path }),
      row({ title: 's2 removed', estimate: 2, category: 'Removed', iterationPath: S2.path }),
      row({ title: 's2 unestimated', category: 'Completed', iterationPath: S2.path, closedAt: '2026-02-20T09:00:00Z' }),
      // The current sprint is not history.
      row({ title: 's3 done', estimate: 20, category: 'Completed', iterationPath: S3.path, closedAt: '2026-03-03T09:00:00Z' }),
    ];

    it('sums the estimates of completed backlog items per past iteration, late ones apart', () => {
      const v = velocityOf(ITERATIONS, history);
      assert.deepEqual(
        v.iterations.map((i) => [i.iteration, i.completed, i.completedLate, i.incomplete, i.velocity, i.unestimatedCompleted]),
        [['Sprint 1', 5, 3, 8, 8, 0], ['Sprint 2', 13, 0, 0, 13, 1]],
      );
      // (8 + 13) / 2
      assert.equal(v.average, 10.5);
    });

    it('gives the team days of grace before completed work is late', () => {
      // Closed on 16 Feb is within 3 days of the 13 Feb finish.
      const v = velocityOf(ITERATIONS, history, { lateAfterDays: 3 });
      assert.deepEqual(v.iterations.map((i) => [i.completed, i.completedLate]), [[8, 0], [13, 0]]);
    });

    it('has no velocity before a past iteration has work', () => {
      assert.equal(velocityOf(ITERATIONS, []).average, undefined);
    });

    it('walks the backlog in priority order and cuts it at multiples of the velocity', () => {
      const backlog = [
        row({ title: 'E', estimate: 13, priority: 3 }),
        row({ title: 'A', estimate: 5, priority: 1, rank: 1 }),
        row({ title: 'B', estimate: 8, priority: 1, rank: 2 }),
        row({ title: 'D', priority: 2, rank: 9 }),
        row({ title: 'C', estimate: 3, priority: 2, rank: 1 }),
        row({ title: 'F', estimate: 2, priority: 4 }),
        row({ title: 'done', estimate: 40, category: 'Completed' }),
      ];
      const f = forecast(backlog, 10.5, [S4, S3]);
      // Cumulative 5 | 13, 16 | 29, 31 against 10.5, 21, 31.5: sprints of 5, 11 and 15.
      assert.deepEqual(f.sprints.map((s) => [s.sprint, s.iteration ?? null, s.items.map((i) => i.title).join(''), s.points]), [[1, 'Sprint 3', 'A', 5], [2, 'Sprint 4', 'BC', 11], [3, null, 'EF', 15]]);
      assert.equal(f.points, 31);
      // ceil(31 / 10.5) = ceil(2.95)
      assert.equal(f.sprintsNeeded, 3);
      assert.deepEqual(f.unestimated.map((i) => i.title), ['D']);
      assert.deepEqual(f.tooBig.map((i) => i.title), ['E']);
      assert.throws(() => forecast(backlog, 0), /velocity above zero/);
    });
  });

  describe('what fits the next sprint', () => {
    // Sprint 4: 10 working days. Avery 6 h x 10 = 60; Jordan 4 h a day, off the whole first week: 4 x 5 = 20. 80 h of 100.
    const capacity = teamCapacity({
      start: S4.start!,
      finish: S4.finish!,
      workingDays: WEEK,
      teamDaysOff: [],
      members: [
        { member: 'avery@contoso.com', displayName: 'Avery', activities: [{ name: 'Development', perDay: 6 }], daysOff: [] },
        { member: 'jordan@contoso.com', displayName: 'Jordan', activities: [{ name: 'Development', perDay: 4 }], daysOff: [{ start: '2026-03-16T00:00:00Z', end: '2026-03-20T00:00:00Z' }] },
      ],
    });
    const avery = 'Avery <avery@contoso.com>';
    const jordan = 'Jordan <jordan@contoso.com>';
    const rows: BacklogRow[] = [];
    const story = (f: Partial<BacklogRow> & Pick<BacklogRow, 'title'>, tasks: [string, number][] = []): BacklogRow => {
      const s = row({ iterationPath: 'P', ...f });
      rows.push(s, ...tasks.map(([who, hours]) => row({ title: `${f.title} task`, level: 'task', parentId: s.id, assignedTo: who, remainingWork: hours, iterationPath: s.iterationPath })));
      return s;
    };
    story({ title: 'X committed', estimate: 3, iterationPath: S4.path, category: 'InProgress' }, [[avery, 10]]);
    story({ title: 'R1', estimate: 3, priority: 1, rank: 1 }, [[avery, 8]]);
    story({ title: 'R2 blocked', estimate: 5, priority: 1, rank: 2, blocked: true });
    story({ title: 'R3 unestimated', priority: 2, rank: 1 });
    story({ title: 'R4 too many points', estimate: 3, priority: 2, rank: 2 }, [[jordan, 24]]);
    story({ title: 'R5 overloads Jordan', estimate: 2, priority: 3, rank: 1 }, [[jordan, 24]]);
    story({ title: 'R6', estimate: 2, priority: 3, rank: 2 }, [[jordan, 12]]);
    story({ title: 'R7', estimate: 0.4, priority: 4 });
    story({ title: 'R8 planned into Sprint 3', estimate: 1, priority: 1, iterationPath: S3.path });
    story({ title: 'R9 already active', estimate: 1, priority: 1, category: 'InProgress' });

    it('proposes what fits the velocity scaled by days off, the team\'s hours and each person\'s, and says why the rest does not', () => {
      assert.equal(capacity.hours, 80);
      const fit = fitSprint({ iteration: S4, rows, iterations: ITERATIONS, capacity, velocity: 10.5, unit: 'Story Points' });
      // Points budget: 10.5 x 80 / 100 = 8.4. Committed: X (3 points, Avery 10 h).
      assert.deepEqual(fit.committed.map((c) => c.title), ['X committed']);
      // R1: 6 points, 18 h. R4: 6 + 3 = 9 > 8.4. R5: 8 points but Jordan 24 h > 20. R6: 8, Jordan 12. R7: 8.4 exactly.
      assert.deepEqual(fit.proposed.map((c) => c.title), ['R1', 'R6', 'R7']);
      assert.deepEqual(fit.flagged.map((f) => [f.title, f.reason, f.why]), [
        ['R2 blocked', 'blocked', 'blocked: unblock it before it is planned'],
        ['R3 unestimated', 'unestimated', 'no Story Points and no task hours: estimate it first'],
        ['R4 too many points', 'overVelocity', 'needs 3 Story Points; 2.4 of 8.4 left'],
        ['R5 overloads Jordan', 'overloadsPerson', 'would overload Jordan: 24 h more on 0 h planned, capacity 20 h'],
      ]);
      assert.deepEqual(fit.points, { budget: 8.4, committed: 3, proposed: 5.4 });
      assert.deepEqual(fit.hours, { budget: 80, committed: 10, proposed: 20 });
      assert.deepEqual(fit.people.map((p) => [p.displayName, p.capacity, p.committed, p.proposed]), [['Avery', 60, 10, 8], ['Jordan', 20, 0, 12]]);
    });

    it('flags work beyond the team\'s hours when no velocity is known', () => {
      const small = teamCapacity({ start: S4.start!, finish: S4.finish!, workingDays: WEEK, teamDaysOff: [], members: [{ member: 'a', displayName: 'A', activities: [{ name: '', perDay: 2 }], daysOff: [] }] });
      const big = row({ title: 'Big', estimate: 5, iterationPath: 'P' });
      const t = row({ title: 'Big task', level: 'task', parentId: big.id, remainingWork: 25, iterationPath: 'P' });
      const fit = fitSprint({ iteration: S4, rows: [big, t], iterations: ITERATIONS, capacity: small, unit: 'Effort' });
      // 2 h x 10 days = 20 h; the task is unassigned, so only the team's hours are checked.
      assert.deepEqual(fit.flagged.map((f) => f.why), ['its tasks need 25 h; the team has 20 h of 20 h left']);
      assert.equal(fit.points, undefined);
    });
  });

  describe('status report', () => {
    const now = new Date('2026-03-11T12:00:00Z');
    const rows = [
      row({ title: 'Done story', estimate: 3, category: 'Completed', iterationPath: S3.path }),
      row({ title: 'Working story', estimate: 5, category: 'InProgress', iterationPath: S3.path, assignedTo: 'Avery <avery@contoso.com>' }),
      row({ title: 'Stuck | story', estimate: 2, category: 'InProgress', iterationPath: S3.path, blocked: true, changedAt: '2026-03-05T09:00:00Z' }),
      row({ title: 'New story', iterationPath: S3.path }),
      row({ title: 'Avery task', level: 'task', category: 'InProgress', remainingWork: 10, assignedTo: 'Avery <avery@contoso.com>', iterationPath: S3.path }),
      row({ title: 'Left behind', estimate: 1, category: 'InProgress', iterationPath: S1.path }),
      row({ title: 'Past target', estimate: 1, iterationPath: 'P', dueAt: '2026-03-01T00:00:00Z' }),
    ];
    // From Wednesday 11: Avery has 3 days x 2 h.
    const capacity = teamCapacity({ start: S3.start!, finish: S3.finish!, workingDays: WEEK, teamDaysOff: [], members: [{ member: 'avery@contoso.com', displayName: 'Avery', activities: [{ name: 'Development', perDay: 2 }], daysOff: [] }], from: now.toISOString() });

    it('sorts the iteration\'s work and finds the risks', () => {
      const s = sprintStatus({ iteration: S3, iterations: ITERATIONS, rows, now, capacity });
      assert.deepEqual([s.done, s.inProgress, s.blocked, s.notStarted].map((l) => l.map((e) => e.title)), [['Done story'], ['Working story', 'Avery task'], ['Stuck | story'], ['New story']]);
      assert.deepEqual(s.points, { done: 3, planned: 10 });
      assert.deepEqual(s.risks.map((r) => [r.kind, r.title, r.why]), [
        ['overdue', 'Left behind', 'still Active in Sprint 1, which ended 2026-02-13'],
        ['overdue', 'Past target', 'target date 2026-03-01 has passed (New)'],
        ['unestimated', 'New story', 'User Story with no estimate in Sprint 3'],
        // 5 March 09:00 to 11 March 12:00: 6 whole days.
        ['blockedTooLong', 'Stuck | story', 'blocked and unchanged for 6 days (its history does not say when it was blocked)'],
        ['overloaded', 'Avery', '10 h of remaining work on 1 task, 6 h of capacity left'],
      ]);
    });

    it('writes Markdown in which outside text cannot make tables or links', () => {
      const s = sprintStatus({ iteration: S3, iterations: ITERATIONS, rows, now, capacity });
      const md = statusMarkdown({ where: 'Portal', unit: 'Story Points', now, status: s, velocity: velocityOf(ITERATIONS, rows), forecast: forecast(rows, 4, [S4]), reference: (id) => `AB#${id}` });
      assert.match(md, /^# Status of Sprint 3: Portal\n/);
      assert.match(md, /3 of 10 Story Points done/);
      assert.match(md, /## Blocked \(1\)\n\n- AB#\d+ Stuck \\\| story/);
      assert.match(md, /\*\*Blocked too long\*\*/);
      // Open backlog: 5 + 2 + 1 + 1 = 9 points (the new story has none) at 4 a sprint: ceil(2.25) = 3; the first item alone is over 4.
      assert.match(md, /## Forecast\n\nThe estimated backlog \(9 Story Points\) takes 3 sprints at 4 Story Points a sprint/);
      assert.match(md, /- Sprint \+1 \(Sprint 4\): nothing finishes \(the next item is bigger than a sprint\)\n- Sprint \+2: 8 Story Points: /);
    });
  });
});
