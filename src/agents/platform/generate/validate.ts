import { DockerfileParser } from 'dockerfile-ast';
import { isDevOpsError } from '../../../core/errors';
import { type AgentContext } from '../../runtime/context';
import { type Finding, type PlannedCommand } from '../../runtime/plan';
import { reviewFiles } from '../hardening';
import { parseHcl } from '../hardening/hcl';
import { parseYamlFile } from '../hardening/yamlSupport';
import { type GeneratedFile } from './types';

/**
 * Everything generated is checked before it is shown: parsed as what it claims to be (HCL with the
 * Lezer grammar, YAML, Dockerfile, JSON), Kubernetes objects against their schemas (done where
 * they are built, with kubernetes-models), and reviewed by every hardening rule. Tools that are
 * not libraries (promtool, terraform) run through the command policy: when installed, their check
 * becomes a step of the plan after the files are written; when not, the note says so and how to
 * install them. A missing tool is never reported as a pass.
 */
export interface Validation {
  /** One line per check that ran, for "what I found". */
  readonly passed: string[];
  /** Problems in what was generated: a bug of this agent, shown rather than hidden. */
  readonly problems: string[];
  readonly findings: Finding[];
}

export async function validateGenerated(files: readonly GeneratedFile[]): Promise<Validation> {
  const passed: string[] = [];
  const problems: string[] = [];
  const count = { hcl: 0, yaml: 0, json: 0, docker: 0 };
  for (const f of files) {
    if (f.path.endsWith('.tf')) {
      const parsed = parseHcl(f.content);
      if (parsed.ok) count.hcl++;
      else problems.push(`${f.path}: ${parsed.reason}`);
    } else if (/\.ya?ml$/.test(f.path)) {
      const parsed = parseYamlFile(f.content);
      if (parsed.ok) count.yaml++;
      else problems.push(`${f.path}: ${parsed.reason}`);
    } else if (f.path.endsWith('.json')) {
      try {
        JSON.parse(f.content);
        count.json++;
      } catch (error) {
        problems.push(`${f.path}: not valid JSON (${(error as Error).message})`);
      }
    } else if (/(^|\/)Dockerfile$/.test(f.path)) {
      const instructions = DockerfileParser.parse(f.content).getInstructions();
      if (instructions.length > 0 && instructions[0]!.getKeyword() === 'FROM') count.docker++;
      else problems.push(`${f.path}: not a Dockerfile that starts with FROM`);
    }
  }
  if (count.hcl) passed.push(`${count.hcl} Terraform file${count.hcl === 1 ? '' : 's'} parsed as HCL`);
  if (count.yaml) passed.push(`${count.yaml} YAML file${count.yaml === 1 ? '' : 's'} parsed`);
  if (count.json) passed.push(`${count.json} JSON file${count.json === 1 ? '' : 's'} parsed`);
  if (count.docker) passed.push('the Dockerfile parsed');
  const findings = await reviewFiles(files.map((f) => ({ path: f.path, text: f.content })));
  if (findings.length === 0) passed.push(`every generated file passes the ${files.length > 0 ? 'hardening rules' : 'review'}`);
  else problems.push(...findings.map((f) => `${f.file}:${f.line ?? 1}: ${f.ruleId} ${f.message.split('. ')[0]}`));
  return { passed, problems, findings };
}

export interface ToolCheck {
  /** Commands to run after the files are written (the tool is installed and may run). */
  readonly commands: PlannedCommand[];
  readonly notes: string[];
  readonly facts: string[];
}

/** Whether a tool is installed and may run: its version, through the command policy and approval. */
async function probe(ctx: AgentContext, file: string, args: string[], install: string): Promise<{ ok: true; version: string } | { ok: false; note: string }> {
  try {
    const result = await ctx.commands.run({ file, args, why: `Is ${file} installed? It checks the generated files after they are written.`, timeoutMs: 30_000 });
    if (result.exitCode === 0) return { ok: true, version: (result.stdout || result.stderr).split('\n')[0]!.trim().slice(0, 120) };
    return { ok: false, note: `${file} is installed but did not answer (exit ${result.exitCode}); its check was skipped.` };
  } catch (error) {
    if (!isDevOpsError(error)) throw error;
    if (error.code === 'cancelled') throw error;
    if (error.code === 'notFound') return { ok: false, note: `Skipped the ${file} check: ${file} is not installed (${install}).` };
    return { ok: false, note: `Skipped the ${file} check: ${error.message}` };
  }
}

export async function promtoolChecks(ctx: AgentContext, rules: string, config: string): Promise<ToolCheck> {
  const p = await probe(ctx, 'promtool', ['--version'], 'Debian and Ubuntu: apt-get install prometheus; or the Prometheus release archive');
  if (!p.ok) return { commands: [], notes: [p.note], facts: [] };
  return {
    commands: [
      { file: 'promtool', args: ['check', 'rules', rules], why: 'Check the generated alert rules with Prometheus\'s own checker.' },
      { file: 'promtool', args: ['check', 'config', '--syntax-only', config], why: 'Check the generated Prometheus configuration.' },
    ],
    notes: [],
    facts: [`promtool (${p.version}) checks the rules and the configuration after they are written`],
  };
}

export async function terraformChecks(ctx: AgentContext, dir: string): Promise<ToolCheck> {
  const p = await probe(ctx, 'terraform', ['version'], 'HashiCorp\'s release or apt repository');
  if (!p.ok) return { commands: [], notes: [p.note], facts: [] };
  const initialised = await ctx.files.exists(`${dir}/.terraform`);
  return {
    commands: [
      { file: 'terraform', args: ['fmt', '-check', '-recursive', dir], why: 'Check that the generated Terraform is formatted as terraform fmt would.' },
      ...(initialised ? [{ file: 'terraform', args: ['validate', '-no-color'], cwd: dir, why: 'Validate the Terraform against the installed providers.' }] : []),
    ],
    notes: initialised ? [] : [`terraform validate was skipped: it needs the azurerm provider, which terraform init downloads; run terraform init and terraform validate in ${dir} when you have network access.`],
    facts: [`terraform (${p.version}) checks the formatting after the files are written`],
  };
}
