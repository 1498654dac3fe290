import { type SecretLintRuleCreator, type SecretLintRuleContext } from '@secretlint/types';

/**
 * The credentials our users' repositories leak that secretlint's recommended preset does not
 * know, written as secretlint rules so one engine runs them all (the preset covers AWS, GCP, npm,
 * Slack, basic auth, OpenAI, GitHub classic and fine-grained tokens, private keys, MySQL,
 * PostgreSQL and MongoDB URLs, and more). Each reports the range of the credential only; its
 * text never leaves the engine (our findings are built from the rule id and the place).
 */

interface PatternRule {
  readonly id: string;
  readonly messageId: string;
  readonly label: string;
  readonly docs: string;
  /** Global regexes; capture group 1, when present, is the credential inside the match. */
  readonly patterns: readonly RegExp[];
}

function ruleFrom(spec: PatternRule): SecretLintRuleCreator {
  const messages = { [spec.messageId]: { en: () => `found ${spec.label}` } };
  return {
    messages,
    meta: { id: spec.id, recommended: true, type: 'scanner', supportedContentTypes: ['text'], docs: { url: spec.docs } },
    create(context: SecretLintRuleContext) {
      const t = context.createTranslator(messages);
      return {
        file(source) {
          for (const pattern of spec.patterns) {
            for (const match of source.content.matchAll(pattern)) {
              const whole = match[0];
              const inner = match[1];
              const start = (match.index ?? 0) + (inner !== undefined ? whole.indexOf(inner) : 0);
              context.report({ message: t(spec.messageId), range: [start, start + (inner ?? whole).length] });
            }
          }
        },
      };
    },
  };
}

/** Key names that say an assignment holds an Azure DevOps token. */
const ADO_KEY = String.raw`(?:azure[_-]?devops|azdo|\bado|vsts|devops|system[._]accesstoken|personal[_-]?access[_-]?token)[\w.-]*`;
const ASSIGN = String.raw`["']?\s*(?::|=|=>)\s*["']?`;

export const OUR_RULES: readonly PatternRule[] = [
  {
    id: 'ai-devops/azure-devops-pat',
    messageId: 'AZURE_DEVOPS_PAT',
    label: 'an Azure DevOps personal access token',
    docs: 'https://learn.microsoft.com/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate',
    patterns: [
      // The 84-character format carries the AZDO signature at position 76.
      /(?<![A-Za-z0-9])[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}(?![A-Za-z0-9])/g,
      // The 52-character format is plain base32: only where a key name says what it is.
      new RegExp(String.raw`${ADO_KEY}${ASSIGN}([a-z2-7]{52})(?![A-Za-z0-9])`, 'gi'),
    ],
  },
  {
    id: 'ai-devops/azure-storage-connection-string',
    messageId: 'AZURE_STORAGE_KEY',
    label: 'an Azure Storage account key in a connection string',
    docs: 'https://learn.microsoft.com/azure/storage/common/storage-account-keys-manage',
    patterns: [/AccountName=[^;"'\s]{1,100};\s*AccountKey=([A-Za-z0-9+/]{40,100}={0,2})/g],
  },
  {
    id: 'ai-devops/azure-service-bus-connection-string',
    messageId: 'AZURE_SAS_KEY',
    label: 'an Azure Service Bus or Event Hubs shared access key in a connection string',
    docs: 'https://learn.microsoft.com/azure/service-bus-messaging/service-bus-sas',
    patterns: [/Endpoint=sb:\/\/[^;"'\s]{1,200};\s*SharedAccessKeyName=[^;"'\s]{1,100};\s*SharedAccessKey=([A-Za-z0-9+/]{40,100}={0,2})/g],
  },
  {
    id: 'ai-devops/gemini-api-key',
    messageId: 'GEMINI_API_KEY',
    label: 'a Google Gemini (Google Cloud) API key',
    docs: 'https://ai.google.dev/gemini-api/docs/api-key',
    patterns: [/(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g],
  },
  {
    id: 'ai-devops/watsonx-api-key',
    messageId: 'IBM_CLOUD_API_KEY',
    label: 'an IBM Cloud (watsonx.ai) API key',
    docs: 'https://cloud.ibm.com/docs/account?topic=account-userapikey',
    patterns: [new RegExp(String.raw`(?:watsonx|wml|ibm[_-]?cloud|ibm)[\w.-]*(?:api[_-]?key|apikey)${ASSIGN}([A-Za-z0-9_-]{44})(?![A-Za-z0-9_-])`, 'gi')],
  },
  {
    id: 'ai-devops/database-url',
    messageId: 'DATABASE_PASSWORD',
    label: 'a database password in a connection string',
    docs: 'https://owasp.org/www-community/vulnerabilities/Use_of_hard-coded_password',
    patterns: [
      // URL forms the preset does not cover (it has MySQL, PostgreSQL and MongoDB).
      /\b(?:rediss?|amqps?|mssql|sqlserver|mariadb|cockroachdb|oracle|couchdb|neo4j(?:\+s)?|clickhouse):\/\/[^:/\s@"']{0,100}:([^@/\s"']{1,200})@[^\s"'/]{1,200}/gi,
      // ADO.NET / ODBC style: Server=…;User Id=…;Password=…
      /(?:Server|Data Source|Host)=[^;"'\n]{1,200};(?:[^;"'\n]{1,200};){0,6}\s*(?:Password|Pwd)=([^;"'\s]{1,200})/gi,
    ],
  },
];

export const OUR_RULE_CREATORS: readonly SecretLintRuleCreator[] = OUR_RULES.map(ruleFrom);

const PRESET_LABELS: Readonly<Record<string, string>> = {
  aws: 'an AWS credential',
  gcp: 'a Google Cloud service account key',
  npm: 'an npm token',
  slack: 'a Slack token or webhook',
  basicauth: 'a password in a URL',
  openai: 'an OpenAI API key',
  anthropic: 'an Anthropic API key',
  privatekey: 'a private key',
  github: 'a GitHub token',
  gitlab: 'a GitLab token',
  'database-connection-string': 'a database password in a connection string',
  stripe: 'a Stripe key',
  sendgrid: 'a SendGrid API key',
};

/** Labels for every rule, ours and the preset's, by secretlint rule id and message id. */
export function secretLabel(ruleId: string, messageId: string | undefined): string {
  const ours = OUR_RULES.find((r) => r.id === ruleId);
  if (ours) return ours.label;
  const known = PRESET_LABELS[ruleId.replace(/^@secretlint\/secretlint-rule-/, '')];
  if (known) return known;
  const words = (messageId ?? ruleId.replace(/^@secretlint\/secretlint-rule-/, ''))
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
  return `a secret (${words})`;
}
