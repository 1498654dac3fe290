import { Arg, Copy, DockerfileParser, Env, From, type Instruction, type ModifiableInstruction } from 'dockerfile-ast';

/** dockerfile-ast's positions (0-based line and character), as its instructions return them. */
type Position = NonNullable<ReturnType<Instruction['getArgumentsRange']>>['start'];
import { isSensitiveKey, redactText } from '../../../core/redact';
import { lineStart, newlineOf } from './textEdits';
import { type Hit, type ReviewFile } from './types';

/**
 * Dockerfile rules over dockerfile-ast's parse (the parser behind VS Code's Docker language
 * server): stages, FROM images, ENV/ARG properties, flags and line ranges come from it, so
 * continuation lines, escapes and parser directives are read as Docker reads them.
 */

interface Stage {
  readonly index: number;
  readonly from: From;
  readonly name: string | undefined;
  readonly instructions: Instruction[];
}

/** Files copied into an image that hold secrets (a template such as .env.example does not). */
const SECRET_FILE = /(^|\/)(\.env(\.(?!example$|sample$|template$|dist$|defaults?$)[\w-]+)?|id_(rsa|dsa|ecdsa|ed25519)|[^/]*\.(pem|key|p12|pfx|jks|keystore)|\.npmrc|\.pypirc|\.netrc|\.git-credentials|credentials(\.json)?|\.aws\/credentials|\.docker\/config\.json|kubeconfig)$/i;
const ROOT_USERS = new Set(['root', '0']);
const VARIABLE = /\$\{?[A-Za-z_]/;

export function reviewDockerfile(file: ReviewFile): Hit[] {
  const { text } = file;
  const dockerfile = DockerfileParser.parse(text);
  const offset = (pos: Position): number => lineStart(text, pos.line + 1) + pos.character;
  const hits: Hit[] = [];
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction instanceof From) stages.push({ index: stages.length, from: instruction, name: instruction.getBuildStage() ?? undefined, instructions: [] });
    stages[stages.length - 1]?.instructions.push(instruction);
  }
  if (stages.length === 0) return hits;
  const stageLabel = (s: Stage): string => `stage ${s.name ?? s.index}`;
  const line = (i: Instruction): number => i.getRange().start.line + 1;
  const byName = new Map(stages.filter((s) => s.name).map((s) => [s.name!.toLowerCase(), s]));

  // Build args that hold secrets: declared before FROM (global) or in a stage.
  for (const arg of dockerfile.getInstructions().filter((i): i is Arg => i instanceof Arg)) {
    const property = arg.getProperty();
    if (!property || !isSensitiveKey(property.getName())) continue;
    const value = property.getValue();
    hits.push({
      ruleId: 'dockerfile/secret-in-env',
      line: line(arg),
      anchor: `ARG ${property.getName()}`,
      detail: value
        ? `ARG ${property.getName()} has a default value, which is stored in the image history`
        : `ARG ${property.getName()} carries a secret into the build; its value is recorded in the history of every layer that uses it`,
      severity: value ? 'critical' : 'high',
    });
  }

  for (const stage of stages) {
    const label = stageLabel(stage);
    const image = stage.from.getImageName();
    const parent = image ? byName.get(image.toLowerCase()) : undefined;
    if (image && !parent && image !== 'scratch' && !VARIABLE.test(stage.from.getImage() ?? '')) {
      const tag = stage.from.getImageTag();
      const digest = stage.from.getImageDigest();
      if (!digest && (!tag || tag === 'latest')) {
        hits.push({ ruleId: 'dockerfile/unpinned-base-image', line: line(stage.from), anchor: `${label} FROM ${image}`, detail: `FROM ${stage.from.getImage()} ${tag ? 'uses the "latest" tag' : 'has no tag'}` });
      }
    }
    for (const instruction of stage.instructions) {
      const keyword = instruction.getKeyword();
      if (instruction instanceof Env) {
        for (const property of instruction.getProperties()) {
          const value = property.getValue() ?? '';
          const secretName = isSensitiveKey(property.getName());
          const secretValue = value !== '' && redactText(value) !== value;
          if ((secretName && value !== '' && !/^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(value)) || secretValue) {
            hits.push({ ruleId: 'dockerfile/secret-in-env', line: property.getRange().start.line + 1, anchor: `${label} ENV ${property.getName()}`, detail: `ENV ${property.getName()} sets a secret value in the image` });
          }
        }
      }
      if (instruction instanceof Copy || keyword === 'ADD') {
        const args = (instruction as ModifiableInstruction).getArguments().map((a) => a.getValue());
        const sources = args.slice(0, -1);
        for (const source of sources) {
          if (SECRET_FILE.test(source.replace(/^\.\//, '').replace(/\/$/, ''))) {
            hits.push({ ruleId: 'dockerfile/secret-file-copied', line: line(instruction), anchor: `${label} ${keyword} ${source}`, detail: `${keyword} copies ${source} into the image` });
          }
        }
        if (keyword === 'ADD') {
          const checksum = (instruction as ModifiableInstruction).getFlags().some((f) => f.getName() === 'checksum');
          for (const source of sources) {
            if (/^https?:\/\//i.test(source) && !checksum) hits.push({ ruleId: 'dockerfile/add-from-url', line: line(instruction), anchor: `${label} ADD ${source}`, detail: `ADD downloads ${source} without a checksum` });
          }
        }
      }
      if (keyword === 'RUN') hits.push(...packageCacheHits(text, instruction as ModifiableInstruction, label, stage, offset));
      if (keyword === 'EXPOSE') {
        for (const arg of instruction.getArguments()) {
          const port = /^(\d+)(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/i.exec(arg.getValue());
          if (port && Number(port[1]) < 1024) {
            hits.push({ ruleId: 'dockerfile/privileged-port', line: line(instruction), anchor: `${label} EXPOSE ${port[1]}`, detail: `EXPOSE ${arg.getValue()} is a privileged port` });
          }
        }
      }
    }
  }

  // The final stage, with the stages it builds on (FROM build): USER and HEALTHCHECK are inherited.
  const final = stages[stages.length - 1]!;
  const chain: Stage[] = [];
  for (let s: Stage | undefined = final; s && !chain.includes(s); ) {
    chain.push(s);
    const image = s.from.getImageName();
    s = image ? byName.get(image.toLowerCase()) : undefined;
  }
  const inherited = chain.reverse().flatMap((s) => s.instructions);
  const lastUser = [...inherited].reverse().find((i) => i.getKeyword() === 'USER');
  const nl = newlineOf(text);
  if (!lastUser) {
    const start = final.instructions.find((i) => i.getKeyword() === 'CMD' || i.getKeyword() === 'ENTRYPOINT');
    const at = start ? lineStart(text, line(start)) : text.length;
    const prefix = !start && text.length > 0 && !text.endsWith('\n') ? nl : '';
    hits.push({
      ruleId: 'dockerfile/runs-as-root',
      line: line(final.from),
      anchor: `${stageLabel(final)} USER`,
      detail: 'The final stage sets no USER, so the container runs as root',
      fix: { description: 'Run as the unprivileged user 10001', replacements: [{ from: at, to: at, text: `${prefix}USER 10001${nl}` }] },
    });
  } else {
    const user = (lastUser.getArgumentsContent() ?? '').trim().split(':')[0]!.toLowerCase();
    if (ROOT_USERS.has(user)) {
      const range = lastUser.getArgumentsRange();
      hits.push({
        ruleId: 'dockerfile/runs-as-root',
        line: line(lastUser),
        anchor: `${stageLabel(final)} USER`,
        detail: `The last USER is ${lastUser.getArgumentsContent()}, so the container runs as root`,
        ...(range ? { fix: { description: 'Run as the unprivileged user 10001', replacements: [{ from: offset(range.start), to: offset(range.end), text: '10001' }] } } : {}),
      });
    }
  }
  const healthcheck = [...inherited].reverse().find((i) => i.getKeyword() === 'HEALTHCHECK');
  if (!healthcheck || /^none$/i.test((healthcheck.getArgumentsContent() ?? '').trim())) {
    hits.push({ ruleId: 'dockerfile/no-healthcheck', line: healthcheck ? line(healthcheck) : line(final.from), anchor: `${stageLabel(final)} HEALTHCHECK`, detail: healthcheck ? 'HEALTHCHECK NONE turns the health check off' : 'The final stage has no HEALTHCHECK' });
  }
  return hits;
}

/** apt, apk, pip and dnf/yum caches left in the layer a RUN creates (a cache mount keeps them out). */
function packageCacheHits(text: string, run: ModifiableInstruction, label: string, stage: Stage, offset: (p: Position) => number): Hit[] {
  if (run.getFlags().some((f) => f.getName() === 'mount' && /type=cache/.test(f.getValue() ?? ''))) return [];
  const content = run.getArgumentsContent() ?? '';
  const argsRange = run.getArgumentsRange();
  if (!argsRange) return [];
  const hits: Hit[] = [];
  const line = run.getRange().start.line + 1;
  const end = offset(argsRange.end);
  const pipNoCache = stage.instructions.some((i) => i instanceof Env && i.getProperties().some((p) => p.getName() === 'PIP_NO_CACHE_DIR'));
  if (/\bapt(-get)?\s+(-\S+\s+)*install\b/.test(content) && !/\/var\/lib\/apt\/lists/.test(content)) {
    hits.push({
      ruleId: 'dockerfile/package-cache',
      line,
      anchor: `${label} RUN apt-get install`,
      detail: 'apt-get install leaves /var/lib/apt/lists in the layer',
      fix: { description: 'Remove the apt package lists in the same RUN', replacements: [{ from: end, to: end, text: ' \\\n    && rm -rf /var/lib/apt/lists/*' }] },
    });
  }
  const apk = /\bapk\s+add\b/.exec(content);
  if (apk && !/--no-cache\b/.test(content)) {
    const at = rawOffsetOf(text, offset(argsRange.start), end, /\bapk\s+add\b/);
    hits.push({
      ruleId: 'dockerfile/package-cache',
      line,
      anchor: `${label} RUN apk add`,
      detail: 'apk add without --no-cache keeps the package index in the layer',
      ...(at !== undefined ? { fix: { description: 'Add --no-cache to apk add', replacements: [{ from: at, to: at, text: ' --no-cache' }] } } : {}),
    });
  }
  if (/\bpip3?\s+install\b/.test(content) && !/--no-cache-dir\b/.test(content) && !pipNoCache) {
    const at = rawOffsetOf(text, offset(argsRange.start), end, /\bpip3?\s+install\b/);
    hits.push({
      ruleId: 'dockerfile/package-cache',
      line,
      anchor: `${label} RUN pip install`,
      detail: 'pip install without --no-cache-dir keeps the wheel cache in the layer',
      ...(at !== undefined ? { fix: { description: 'Add --no-cache-dir to pip install', replacements: [{ from: at, to: at, text: ' --no-cache-dir' }] } } : {}),
    });
  }
  const rpm = /\b(dnf|yum|microdnf)\s+(-\S+\s+)*install\b/.exec(content);
  if (rpm && !new RegExp(`\\b${rpm[1]}\\s+clean\\s+all\\b`).test(content) && !/\/var\/cache\/(dnf|yum)/.test(content)) {
    hits.push({
      ruleId: 'dockerfile/package-cache',
      line,
      anchor: `${label} RUN ${rpm[1]} install`,
      detail: `${rpm[1]} install leaves its cache in the layer`,
      fix: { description: `Run ${rpm[1]} clean all in the same RUN`, replacements: [{ from: end, to: end, text: ` \\\n    && ${rpm[1]} clean all` }] },
    });
  }
  return hits;
}

/** The offset just after the first match of `pattern` in text[from, to): where a flag is inserted. */
function rawOffsetOf(text: string, from: number, to: number, pattern: RegExp): number | undefined {
  const m = pattern.exec(text.slice(from, to));
  return m ? from + m.index + m[0].length : undefined;
}
