import { pullFailure } from './engine-image.js';

describe('pullFailure (the answer to POST /images/create)', () => {
  it('is the registry’s error from the progress stream, even under a 200', () => {
    const body = [
      JSON.stringify({ status: 'Trying to pull docker.io/localstack/localstack:3.8.1...' }),
      JSON.stringify({
        progressDetail: {},
        errorDetail: { message: 'pinging container registry registry-1.docker.io: no such host' },
        error: 'pinging container registry registry-1.docker.io: no such host',
      }),
    ].join('\n');
    expect(pullFailure(200, body)).toBe('pinging container registry registry-1.docker.io: no such host');
  });

  it('is nothing when the pull went through', () => {
    const body = [
      JSON.stringify({ status: 'Pulling from localstack/localstack', id: '3.8.1' }),
      JSON.stringify({ status: 'Status: Downloaded newer image for localstack/localstack:3.8.1' }),
    ].join('\n');
    expect(pullFailure(200, body)).toBeUndefined();
  });

  it('is the message of a refused request', () => {
    expect(pullFailure(404, JSON.stringify({ message: 'pull access denied for localstack/nope' }))).toBe(
      'pull access denied for localstack/nope',
    );
    expect(pullFailure(500, '')).toBe('HTTP 500');
  });
});
