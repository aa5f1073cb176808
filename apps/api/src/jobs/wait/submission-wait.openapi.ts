import type { ApiHeaderOptions } from '@nestjs/swagger';

export const PREFER_HEADER_DOC: ApiHeaderOptions = {
  name: 'Prefer',
  required: false,
  description:
    '`wait=N` (RFC 7240): hold the answer up to N seconds (at most the deployment’s JOBS_MAX_WAIT_SECONDS, 25 by ' +
    'default) for the job to end. Ended in time: `201` with the final job; otherwise the usual `202`. Either way ' +
    '`Preference-Applied: wait=<seconds waited at most>` says the preference was honoured; a longer wait is cut to ' +
    'the cap and says so (`wait=99999` gives `Preference-Applied: wait=25`). `wait=0`, or a `wait` that is not a ' +
    'whole number of seconds (`wait`, `wait=abc`, `wait=-1`, `wait=1.5`), is ignored: the usual `202` at once, ' +
    'without `Preference-Applied`. Other preferences (`respond-async`, `return`) are ignored; of two `wait` ' +
    'preferences the first counts.',
  schema: { type: 'string', example: 'wait=20' },
};

export const PREFERENCE_APPLIED_HEADER_DOC = {
  'Preference-Applied': {
    description: 'Present when `Prefer: wait` was honoured: `wait=<seconds>`, the longest the answer was held',
    required: false,
    schema: { type: 'string', pattern: '^wait=[0-9]+$', example: 'wait=20' },
  },
};
