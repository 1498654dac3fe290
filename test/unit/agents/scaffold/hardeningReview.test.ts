import assert from 'node:assert/strict';
import { reviewFilesDetailed } from '../../../../src/agents/platform/hardening';
import { DATABASES, TEMPLATES } from '../../../../src/agents/scaffold/options';
import { renderProject } from '../../../../src/agents/scaffold/templates';

/**
 * What the scaffold agent writes must pass the platform agent's own hardening review (Dockerfile,
 * docker-compose, GitHub Actions with actionlint, Azure Pipelines): a project we generate should
 * not be the first thing `ai-devops platform harden` complains about.
 */
describe('generated container and pipeline files under the hardening review', function () {
  this.timeout(180_000);

  for (const template of TEMPLATES) {
    const databases = template === 'react' || template === 'vue' ? [undefined] : DATABASES;
    it(`${template}: no findings for ${databases.filter(Boolean).join(', ') || 'the default options'}`, async () => {
      for (const database of databases) {
        const out = renderProject({ template, name: 'orders-api', ...(database ? { database } : {}) });
        const files = out.files.filter((f) => f.path === 'Dockerfile' || /\.ya?ml$/.test(f.path)).map((f) => ({ path: f.path, text: f.content }));
        const result = await reviewFilesDetailed(files);
        assert.deepEqual(result.skipped, [], `${template}/${database}: files the review could not read`);
        assert.ok(result.reviewed.some((r) => r.file === 'Dockerfile') && result.reviewed.some((r) => r.file === '.github/workflows/ci.yml'), `${template}/${database}: not reviewed`);
        assert.deepEqual(result.findings.map((f) => `${f.ruleId} ${f.file ?? ''}: ${f.message}`), [], `${template}/${database}`);
      }
    });
  }
});
