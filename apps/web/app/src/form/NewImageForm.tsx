import { type FormEvent, type KeyboardEvent, type ReactNode, useEffect, useId, useMemo, useState } from 'react';
import { ApiError, describeError, formatSeconds } from '../api/client';
import { useCreateJob, useEstimate, useModels } from '../api/hooks';
import type { Model } from '../api/types';
import { Empty, ErrorNote, Loading } from '../components/states';
import { Link } from '../router';
import {
  type Draft,
  draftToRequest,
  fieldMessage,
  loadDraft,
  onDraftReplaced,
  MAX_SEED,
  OUTPUT_FORMATS,
  QUALITIES,
  saveDraft,
  sizePresets,
  validateDraft,
} from './draft';
import { useDebounced } from './useDebounced';

const ESTIMATE_DEBOUNCE_MS = 400;

function Field({
  id,
  label,
  error,
  hint,
  children,
}: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && !error && <small className="muted">{hint}</small>}
      {error && (
        <small className="field-error" id={`${id}-error`} role="alert">
          {label} {error}
        </small>
      )}
    </div>
  );
}

export function NewImageForm({ onSubmitted }: { onSubmitted?: (jobId: string) => void }) {
  const models = useModels();
  if (models.isPending) {
    return <Loading what="models" />;
  }
  // the error in its section, so the page says what could not be loaded
  if (models.isError) {
    return (
      <section className="card">
        <h2>New image</h2>
        <ErrorNote error={models.error} retry={() => void models.refetch()} />
      </section>
    );
  }
  if (models.data.items.length === 0) {
    return (
      <section className="card">
        <h2>New image</h2>
        <Empty>No model is available right now. Ask an administrator to configure one.</Empty>
      </section>
    );
  }
  return <Form models={models.data.items} {...(onSubmitted ? { onSubmitted } : {})} />;
}

function Form({ models, onSubmitted }: { models: Model[]; onSubmitted?: (jobId: string) => void }) {
  const [draft, setDraft] = useState<Draft>(() => loadDraft());
  const [touched, setTouched] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const create = useCreateJob();
  const ids = useId();
  const id = (name: string) => `${ids}-${name}`;

  const model =
    models.find((candidate) => candidate.id === draft.modelId) ?? models.find((m) => m.default) ?? models[0]!;
  const presets = useMemo(() => sizePresets(model), [model]);
  const size = presets.some((p) => `${p.width}x${p.height}` === draft.size)
    ? draft.size
    : `${model.defaults.width}x${model.defaults.height}`;
  const effective: Draft = {
    ...draft,
    modelId: model.id,
    size,
    numImages: Math.min(draft.numImages, model.limits.maxImages),
  };
  const issues = validateDraft(effective, model);
  const valid = Object.keys(issues).length === 0;
  const request = valid ? draftToRequest(effective, model) : undefined;
  const estimate = useEstimate(useDebounced(request, ESTIMATE_DEBOUNCE_MS));

  useEffect(() => saveDraft(draft), [draft]);
  // Re-run / New seed while the form is open (the list under it): take the job's parameters
  useEffect(
    () =>
      onDraftReplaced((next) => {
        setDraft(next);
        setServerErrors({});
        setTouched(false);
      }),
    [],
  );

  const update = (patch: Partial<Draft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    // the last submission's answer was about the form as it was
    if (create.isError || create.isSuccess) {
      create.reset();
    }
    setServerErrors((current) => {
      const next = { ...current };
      Object.keys(patch).forEach((key) => delete next[key]);
      return next;
    });
  };

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    setTouched(true);
    if (!request || create.isPending) {
      return;
    }
    create.mutate(request, {
      onSuccess: (accepted) => {
        setTouched(false);
        onSubmitted?.(accepted.jobId);
      },
      onError: (error) =>
        setServerErrors(
          error instanceof ApiError
            ? Object.fromEntries(
                Object.entries(error.fieldErrors).map(([field, message]) => [field, fieldMessage(field, message)]),
              )
            : {},
        ),
    });
  };

  const submitOnShortcut = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      submit();
    }
  };

  const errorFor = (field: string): string | undefined =>
    serverErrors[field] ?? (touched || (field !== 'prompt' && field in issues) ? issues[field] : undefined);
  const describedBy = (field: string) =>
    errorFor(field) ? { 'aria-invalid': true, 'aria-describedby': `${id(field)}-error` } : {};
  const unknownFieldErrors = Object.entries(serverErrors).filter(
    ([field]) =>
      ![
        'prompt',
        'negativePrompt',
        'modelId',
        'width',
        'height',
        'steps',
        'quality',
        'seed',
        'numImages',
        'outputFormat',
      ].includes(field),
  );

  return (
    <form className="card new-image" onSubmit={submit} onKeyDown={submitOnShortcut} aria-label="New image" noValidate>
      <h2>New image</h2>
      <Field id={id('prompt')} label="Prompt" error={errorFor('prompt')}>
        <textarea
          id={id('prompt')}
          rows={3}
          value={draft.prompt}
          placeholder="A lighthouse on a cliff at dawn, oil painting"
          onChange={(event) => update({ prompt: event.target.value })}
          {...describedBy('prompt')}
        />
      </Field>
      <Field
        id={id('negativePrompt')}
        label="Negative prompt"
        error={errorFor('negativePrompt')}
        hint="What to keep out of the image (optional)"
      >
        <input
          id={id('negativePrompt')}
          value={draft.negativePrompt}
          onChange={(event) => update({ negativePrompt: event.target.value })}
          {...describedBy('negativePrompt')}
        />
      </Field>
      <div className="row">
        <Field id={id('modelId')} label="Model" error={errorFor('modelId')} hint={model.description}>
          <select
            id={id('modelId')}
            value={model.id}
            onChange={(event) => update({ modelId: event.target.value, size: '', guidanceScale: undefined })}
          >
            {models.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.displayName}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('size')} label="Size" error={errorFor('width') ?? errorFor('height')}>
          <select id={id('size')} value={size} onChange={(event) => update({ size: event.target.value })}>
            {presets.map((preset) => (
              <option key={preset.label} value={`${preset.width}x${preset.height}`}>
                {preset.label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="row">
        <fieldset className="field">
          <legend>Detail</legend>
          <div className="inline">
            <select
              aria-label="Detail by"
              value={draft.detail}
              onChange={(event) => update({ detail: event.target.value as Draft['detail'] })}
            >
              <option value="quality">Quality preset</option>
              <option value="steps">Steps</option>
            </select>
            {draft.detail === 'quality' ? (
              <select
                aria-label="Quality"
                value={draft.quality}
                onChange={(event) => update({ quality: event.target.value as Draft['quality'] })}
              >
                {QUALITIES.map((quality) => (
                  <option key={quality} value={quality}>
                    {quality}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id('steps')}
                aria-label="Steps"
                type="number"
                inputMode="numeric"
                min={model.limits.minSteps}
                max={model.limits.maxSteps}
                placeholder={String(model.defaults.steps)}
                value={draft.steps}
                onChange={(event) => update({ steps: event.target.value })}
                {...describedBy('steps')}
              />
            )}
          </div>
          {errorFor('steps') && (
            <small className="field-error" id={`${id('steps')}-error`} role="alert">
              Steps {errorFor('steps')}
            </small>
          )}
        </fieldset>
        <fieldset className="field">
          <legend>Seed</legend>
          <div className="inline">
            <select
              aria-label="Seed mode"
              value={draft.seedMode}
              onChange={(event) => update({ seedMode: event.target.value as Draft['seedMode'] })}
            >
              <option value="random">Random</option>
              <option value="fixed">Fixed</option>
            </select>
            {draft.seedMode === 'fixed' && (
              <input
                id={id('seed')}
                aria-label="Seed"
                type="number"
                inputMode="numeric"
                min={0}
                max={MAX_SEED}
                value={draft.seed}
                onChange={(event) => update({ seed: event.target.value })}
                {...describedBy('seed')}
              />
            )}
          </div>
          {errorFor('seed') && (
            <small className="field-error" id={`${id('seed')}-error`} role="alert">
              Seed {errorFor('seed')}
            </small>
          )}
        </fieldset>
      </div>
      <div className="row">
        <Field id={id('numImages')} label="Images" error={errorFor('numImages')}>
          <select
            id={id('numImages')}
            value={effective.numImages}
            onChange={(event) => update({ numImages: Number(event.target.value) })}
          >
            {Array.from({ length: model.limits.maxImages }, (_, index) => index + 1).map((count) => (
              <option key={count} value={count}>
                {count}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('outputFormat')} label="Format" error={errorFor('outputFormat')}>
          <select
            id={id('outputFormat')}
            value={draft.outputFormat}
            onChange={(event) => update({ outputFormat: event.target.value as Draft['outputFormat'] })}
          >
            <option value="">Model default ({model.defaults.outputFormat})</option>
            {OUTPUT_FORMATS.map((format) => (
              <option key={format} value={format}>
                {format}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <EstimateLine estimate={estimate} />
      {unknownFieldErrors.map(([field, message]) => (
        <p key={field} className="error" role="alert">
          {field} {message}
        </p>
      ))}
      {create.isError && <ErrorNote error={create.error} />}
      {/* the job's row is under the form, often below the fold (always on a phone): say where it went */}
      {create.isSuccess && (
        <p className="muted" role="status">
          Submitted. <Link href={`/jobs/${create.data.jobId}`}>Follow it</Link> or watch it under{' '}
          <a href="#jobs-heading">Your jobs</a>.
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? 'Submitting…' : 'Generate'}
        </button>
        <small className="muted">
          <kbd>Ctrl</kbd>/<kbd>⌘</kbd>+<kbd>Enter</kbd>
        </small>
      </div>
    </form>
  );
}

function EstimateLine({ estimate }: { estimate: ReturnType<typeof useEstimate> }) {
  if (estimate.isError) {
    return <p className="estimate muted">No estimate: {describeError(estimate.error)}</p>;
  }
  if (!estimate.data) {
    return <p className="estimate muted">Estimate: fill in a prompt</p>;
  }
  const { cost, wait, budget } = estimate.data;
  return (
    <p className="estimate" aria-live="polite" data-testid="estimate">
      About <strong>${cost.usd.toFixed(4)}</strong> ({cost.gpuSeconds.toFixed(1)} GPU s on {cost.instanceType}) · ready
      in {formatSeconds(wait.warmSeconds)} when warm, {formatSeconds(wait.coldSeconds)} from a cold start
      {budget.remainingUsd !== null && <> · ${budget.remainingUsd.toFixed(2)} left this month</>}
      {!budget.fits && (
        <strong className="warn"> · over your budget until {new Date(budget.resetsAt).toLocaleDateString()}</strong>
      )}
    </p>
  );
}
