import { GraphQLError } from 'graphql';

/**
 * An error GitHub reports in the `errors` array with a top-level `type` (NOT_FOUND, FORBIDDEN,
 * UNPROCESSABLE, ...), which clients such as @octokit/graphql read as `errors[i].type`.
 */
export class GitHubGraphQLError extends GraphQLError {
  constructor(
    readonly type: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export const notFoundError = (message: string): GitHubGraphQLError => new GitHubGraphQLError('NOT_FOUND', message);
export const unprocessableError = (message: string): GitHubGraphQLError => new GitHubGraphQLError('UNPROCESSABLE', message);
export const forbiddenError = (message: string): GitHubGraphQLError => new GitHubGraphQLError('FORBIDDEN', message);
