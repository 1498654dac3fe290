import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { type Finding, type Severity } from './plan';

/**
 * Findings as a SARIF 2.1.0 log (what GitHub code scanning, Azure DevOps' SARIF viewer and VS
 * Code's SARIF Viewer read). Every agent's findings share one shape, so one writer serves the
 * platform, security and QA agents. The fingerprint goes into partialFingerprints, which is what
 * makes a result the same result across runs; suppressed findings stay in the log, marked.
 */

const LEVEL: Readonly<Record<Severity, Sarif.Result.level>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub code scanning ranks security results by this rule property (0-10). */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

export const FINGERPRINT_KEY = 'aiDevops/v1';

export interface SarifTool {
  readonly name: string;
  readonly version: string;
  readonly informationUri?: string;
}

/** The first sentence of a finding's message: the rule's short description in the log. */
const firstSentence = (message: string): string => /^(.*?[.!?])(\s|$)/.exec(message)?.[1] ?? message;

export function toSarif(findings: readonly Finding[], tool: SarifTool, workspaceRoot?: string): Sarif.Log {
  const rules: Sarif.ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  for (const f of findings) {
    if (ruleIndex.has(f.ruleId)) continue;
    ruleIndex.set(f.ruleId, rules.length);
    rules.push({
      id: f.ruleId,
      shortDescription: { text: firstSentence(f.message) },
      ...(f.helpUri ? { helpUri: f.helpUri } : {}),
      defaultConfiguration: { level: LEVEL[f.severity] },
      properties: { 'security-severity': SECURITY_SEVERITY[f.severity], ...(f.category ? { tags: [f.category] } : {}) },
    });
  }
  const results: Sarif.Result[] = findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIndex.get(f.ruleId)!,
    level: LEVEL[f.severity],
    message: { text: f.message },
    ...(f.file
      ? {
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(f.file), uriBaseId: 'SRCROOT' },
                ...(f.line ? { region: { startLine: f.line, ...(f.column ? { startColumn: f.column } : {}), ...(f.endLine ? { endLine: f.endLine } : {}) } } : {}),
              },
            },
          ],
        }
      : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    properties: { severity: f.severity, ...(f.category ? { category: f.category } : {}) },
    ...(f.suppressed ? { suppressions: [{ kind: 'inSource' as const, justification: f.suppressed.reason }] } : {}),
  }));
  const run: Sarif.Run = {
    tool: { driver: { name: tool.name, version: tool.version, ...(tool.informationUri ? { informationUri: tool.informationUri } : {}), rules } },
    ...(workspaceRoot ? { originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(workspaceRoot.endsWith('/') ? workspaceRoot : `${workspaceRoot}/`).href } } } : {}),
    results,
  };
  return { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] };
}
