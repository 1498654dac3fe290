/** GitHub's REST error bodies: `{ message, documentation_url, status }` (status as a string, as github.com sends it since 2024). */
export const REST_DOCS = 'https://docs.github.com/rest';

export interface ValidationErrorItem {
  readonly resource: string;
  readonly code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom';
  readonly field?: string;
  readonly message?: string;
  readonly value?: unknown;
}

export class GitHubHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(typeof body === 'object' && body !== null && 'message' in body ? String((body as { message: unknown }).message) : `HTTP ${status}`);
  }
}

export function errorBody(status: number, message: string, documentationUrl = REST_DOCS): { message: string; documentation_url: string; status: string } {
  return { message, documentation_url: documentationUrl, status: String(status) };
}

export const notFound = (docs = REST_DOCS): GitHubHttpError => new GitHubHttpError(404, errorBody(404, 'Not Found', docs));

export const badRequest = (message: string, docs = REST_DOCS): GitHubHttpError => new GitHubHttpError(400, errorBody(400, message, docs));

/** 422 "Validation Failed" with GitHub's `errors` list. */
export function validationFailed(errors: readonly ValidationErrorItem[], docs = REST_DOCS): GitHubHttpError {
  return new GitHubHttpError(422, { message: 'Validation Failed', errors, documentation_url: docs, status: '422' });
}

/** 422 with a message only, as GitHub answers e.g. "Reference already exists". */
export const unprocessable = (message: string, docs = REST_DOCS): GitHubHttpError => new GitHubHttpError(422, errorBody(422, message, docs));
