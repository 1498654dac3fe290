import assert from 'node:assert/strict';
import { classifyHttpFailure, isRetryableFailure, ModelError, parseRetryAfter, type HttpFailure, type ModelFailure } from '../../../../src/core/ai/modelErrors';

describe('model error vocabulary', () => {
  const cases: [string, HttpFailure, ModelFailure][] = [
    ['OpenAI bad key', { status: 401, code: 'invalid_api_key', message: 'Incorrect API key provided' }, 'badKey'],
    ['Gemini bad key (400)', { status: 400, code: 'API_KEY_INVALID', message: 'API key not valid. Please pass a valid API key.' }, 'badKey'],
    ['IAM bad key', { status: 400, code: 'BXNIM0415E', message: 'Provided API key could not be found.' }, 'badKey'],
    ['OpenAI unknown model', { status: 404, code: 'model_not_found', message: 'The model `x` does not exist' }, 'unknownModel'],
    ['Ollama unknown model', { status: 404, message: 'model "x" not found, try pulling it first' }, 'unknownModel'],
    ['OpenAI context', { status: 400, code: 'context_length_exceeded', message: "This model's maximum context length is 128000 tokens." }, 'contextTooLong'],
    ['Gemini context', { status: 400, code: 'INVALID_ARGUMENT', message: 'The input token count (40000) exceeds the maximum number of tokens allowed (32768).' }, 'contextTooLong'],
    ['watsonx context', { status: 400, code: 'invalid_input_argument', message: 'the number of input tokens 9 cannot exceed the total tokens limit 8 for this model' }, 'contextTooLong'],
    ['Azure content filter', { status: 400, code: 'content_filter', message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy." }, 'refused'],
    ['rate limit', { status: 429, code: 'rate_limit_exceeded' }, 'rateLimited'],
    ['Gemini quota', { status: 429, code: 'RESOURCE_EXHAUSTED' }, 'rateLimited'],
    ['outage', { status: 503 }, 'outage'],
    ['other client error', { status: 400, code: 'invalid_request_error', message: 'messages: must not be empty' }, 'badRequest'],
  ];
  for (const [name, failure, expected] of cases) {
    it(`classifies ${name} as ${expected}`, () => assert.equal(classifyHttpFailure(failure), expected));
  }

  it('reads Retry-After as seconds or as a date', () => {
    assert.equal(parseRetryAfter('2'), 2000);
    assert.equal(parseRetryAfter('0.25'), 250);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6_000);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });

  it('says what to do, keeps the shared code, and retries only transient failures', () => {
    const error = new ModelError('badKey', 'gemini', 'gemini-2.5-flash', 'API key not valid');
    assert.equal(error.code, 'unauthorized');
    assert.match(error.message, /Gemini refused the API key\. Run "AI DevOps: Set Personal Access Token or API Key…"/);
    assert.equal(new ModelError('noModel', 'vscode', '').code, 'notConfigured');
    assert.match(new ModelError('noModel', 'vscode', '').message, /Select Model/);
    assert.equal(new ModelError('stalled', 'ollama', 'llama3.2').code, 'timeout');
    assert.equal(isRetryableFailure(new ModelError('rateLimited', 'openai', 'm')), true);
    assert.equal(isRetryableFailure(new ModelError('outage', 'openai', 'm')), true);
    assert.equal(isRetryableFailure(new ModelError('network', 'openai', 'm')), true);
    assert.equal(isRetryableFailure(new ModelError('stalled', 'openai', 'm')), false);
    assert.equal(isRetryableFailure(new ModelError('badKey', 'openai', 'm')), false);
    assert.equal(isRetryableFailure(new Error('x')), false);
  });
});
