import { useEffect, useMemo, useState } from 'preact/hooks';
import { getCountries } from 'libphonenumber-js/min';
import { describeFailure } from '../lib/errors.ts';
import { sendMessage } from '../lib/messaging.ts';
import { originPattern, requestOrigins } from '../lib/permissions.ts';
import type { SecretMove, SecretsPatch, SettingsView } from '../lib/protocol/settings.ts';
import { SECRET_FIELDS, SERVICE_IDS, SERVICE_NAMES, type ServiceId } from '../lib/services.ts';
import { CONTACT_DETAIL_FIELDS, type FieldErrors, type Settings } from '../lib/settings.ts';
import { Field } from './Field.tsx';
import { SecretField } from './SecretField.tsx';
import { SecretMoveConfirm } from './SecretMoveConfirm.tsx';
import { ServiceSection, type ConnectionStatus } from './ServiceSection.tsx';
import { CallingHoursSettings } from './CallingHoursSettings.tsx';
import { DoNotCallList } from './DoNotCallList.tsx';
import { MultisenderDefaults } from './MultisenderDefaults.tsx';
import { SitesList } from './SitesList.tsx';
import { SettingsTransfer } from './SettingsTransfer.tsx';

interface SettingField {
  path: string;
  label: string;
  type?: 'text' | 'url';
  placeholder?: string;
  hint?: string;
}

interface SectionSpec {
  service: ServiceId;
  description: string;
  settings: SettingField[];
}

const SECTIONS: SectionSpec[] = [
  {
    service: 'crm',
    description: 'Where calls are logged (OnePageCRM API v3 calls resource). HTTP Basic: your user ID and API key.',
    settings: [
      { path: 'crm.userId', label: 'CRM user ID' },
      { path: 'crm.baseUrl', label: 'CRM base URL', type: 'url', placeholder: 'https://app.onepagecrm.com/api/v3' },
      {
        path: 'crm.contactPagePattern',
        label: 'CRM contact page pattern',
        placeholder: 'https://app.onepagecrm.com/contacts/{id}',
        hint: 'The address of a contact page, with {id} where the contact ID is and * for anything. Used to fill in the contact ID when you log a call.',
      },
    ],
  },
  {
    service: 'upcall',
    description: 'Adds numbers to Upcall campaigns.',
    settings: [{ path: 'upcall.baseUrl', label: 'Upcall base URL', type: 'url', placeholder: 'https://api.upcall.com/api/v1' }],
  },
  {
    service: 'sipcaller',
    description: 'Adds numbers to active dynamic SIP Caller campaigns.',
    settings: [
      { path: 'sipcaller.accountId', label: 'SIP Caller account ID' },
      { path: 'sipcaller.baseUrl', label: 'SIP Caller base URL', type: 'url', placeholder: 'https://api.sipcaller.com/v1' },
      {
        path: 'sipcaller.varOrder',
        label: 'SIP Caller campaign variables',
        hint: `Contact details sent as the campaign's variables, in order, separated by commas. Any of: ${CONTACT_DETAIL_FIELDS.join(', ')}.`,
      },
    ],
  },
  {
    service: 'callemall',
    description: 'Adds numbers to Call-Em-All lists and screens against its opt-outs. Signed with OAuth 1.0a.',
    settings: [
      { path: 'callemall.baseUrl', label: 'Call-Em-All base URL', type: 'url', placeholder: 'https://rest.call-em-all.com/v1' },
    ],
  },
  {
    service: 'multisender',
    description: 'Places click-to-calls. Multisender publishes no default address: enter the one from your account.',
    settings: [{ path: 'multisender.baseUrl', label: 'Multisender base URL', type: 'url', placeholder: 'https://…/v1' }],
  },
];

export function OptionsPage() {
  const [view, setView] = useState<SettingsView>();
  const [draft, setDraft] = useState<Settings>();
  const [secrets, setSecrets] = useState<SecretsPatch>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [connection, setConnection] = useState<Partial<Record<ServiceId, ConnectionStatus>>>({});
  const [saveState, setSaveState] = useState<{ state: 'idle' | 'saving' | 'saved' | 'failed'; message?: string }>({
    state: 'idle',
  });
  const [loadError, setLoadError] = useState<string>();
  const [notices, setNotices] = useState<string[]>([]);
  /** Saved secrets that would go to a new host: asked before anything is sent there. */
  const [moving, setMoving] = useState<{ moves: SecretMove[]; action: 'save' } | { moves: SecretMove[]; action: 'test'; service: ServiceId }>();

  useEffect(() => {
    void sendMessage('settings/get', {}).then((reply) => {
      if (reply.ok) applyView(reply.value);
      else setLoadError(describeFailure(reply.error));
    });
  }, []);

  function applyView(next: SettingsView) {
    setView(next);
    setDraft(next.settings);
    setSecrets({});
  }

  const countries = useMemo(() => countryOptions(), []);

  if (loadError) return <p class="notice notice--error">{loadError}</p>;
  if (!view || !draft) return <p class="muted">Loading settings…</p>;

  const setPath = (path: string, value: unknown) => {
    setDraft((current) => (current ? (setAtPath(current, path, value) as Settings) : current));
    setErrors((current) => {
      const { [path]: _removed, ...rest } = current;
      return rest;
    });
  };
  const setSecret = (service: ServiceId, key: string, value: string | null | undefined) => {
    setSecrets((current) => ({ ...current, [service]: { ...current[service], [key]: value } }));
  };

  /** Origins of services that will have credentials once saved. */
  const originsToGrant = (services: readonly ServiceId[]) =>
    services
      .filter((service) =>
        SECRET_FIELDS[service].some(({ key }) => {
          const typed = secrets[service]?.[key];
          return typed === undefined ? view.secrets[service][key] !== '' : typed !== null && typed !== '';
        }),
      )
      .map((service) => originPattern(String(getAtPath(draft, `${service}.baseUrl`) ?? '')))
      .filter((pattern): pattern is string => pattern !== undefined);

  const save = async (confirmSecretOrigins: ServiceId[] = []) => {
    // The permission prompt must come first, inside the click (a user gesture).
    const granting = requestOrigins(originsToGrant(SERVICE_IDS)).catch(() => false);
    setSaveState({ state: 'saving' });
    setMoving(undefined);
    const granted = await granting;
    const reply = await sendMessage('settings/save', { settings: draft, secrets, confirmSecretOrigins });
    if (!reply.ok) {
      setSaveState({ state: 'failed', message: describeFailure(reply.error) });
      return;
    }
    if (!reply.value.ok) {
      setErrors(reply.value.errors);
      if (reply.value.confirm) setMoving({ moves: reply.value.confirm, action: 'save' });
      const count = Object.keys(reply.value.errors).length;
      setSaveState({
        state: 'failed',
        message: reply.value.confirm
          ? 'Not saved yet: confirm where your saved credentials may go.'
          : `Not saved: ${count} field${count === 1 ? ' needs' : 's need'} attention.`,
      });
      return;
    }
    applyView(reply.value.view);
    setNotices(reply.value.notices ?? []);
    setErrors({});
    setSaveState({
      state: 'saved',
      message: granted
        ? 'Saved.'
        : 'Saved, but the browser did not allow access to every service address; those services cannot be reached until you save again and allow it.',
    });
  };

  const test = async (service: ServiceId, confirmSecretOrigins: ServiceId[] = []) => {
    const pattern = originPattern(String(getAtPath(draft, `${service}.baseUrl`) ?? ''));
    const granting = pattern ? requestOrigins([pattern]).catch(() => false) : Promise.resolve(true);
    setConnection((c) => ({ ...c, [service]: { state: 'testing', sentence: `Testing ${SERVICE_NAMES[service]}…` } }));
    await granting;
    const reply = await sendMessage('service/test', { service, settings: draft, secrets, confirmSecretOrigins });
    const status: ConnectionStatus = reply.ok
      ? { state: reply.value.ok ? 'ok' : 'failed', sentence: reply.value.sentence }
      : { state: 'failed', sentence: describeFailure(reply.error) };
    if (reply.ok && reply.value.confirm) setMoving({ moves: [reply.value.confirm], action: 'test', service });
    setConnection((c) => ({ ...c, [service]: status }));
  };

  return (
    <div class="options">
      <header class="page-header">
        <h1>CRM Call Companion settings</h1>
        <p class="muted">Tokens and keys stay in the extension's background storage; pages and this form only see them masked.</p>
      </header>

      {moving && (
        <SecretMoveConfirm
          moves={moving.moves}
          action={moving.action}
          onCancel={() => setMoving(undefined)}
          onConfirm={() => {
            const services = moving.moves.map((m) => m.service);
            if (moving.action === 'save') void save(services);
            else {
              setMoving(undefined);
              void test(moving.service, services);
            }
          }}
        />
      )}

      {notices.length > 0 && (
        <div class="notice notice--warning" role="status">
          {notices.map((notice) => (
            <p key={notice}>{notice}</p>
          ))}
        </div>
      )}

      {view.problems.length > 0 && (
        <div class="notice notice--warning" role="alert">
          <p>Some saved settings were invalid and have been reset to their defaults:</p>
          <ul>
            {view.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}

      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
        noValidate
      >
        <section class="card" aria-labelledby="general-title">
          <header class="card__header">
            <h2 id="general-title">Numbers</h2>
          </header>
          <div class="fields">
            <div class={`field${errors.defaultCountry ? ' field--invalid' : ''}`}>
              <label for="defaultCountry">Default country</label>
              <select
                id="defaultCountry"
                value={draft.defaultCountry}
                aria-describedby="defaultCountry-hint"
                onChange={(event) => setPath('defaultCountry', event.currentTarget.value)}
              >
                {countries.map(({ code, name }) => (
                  <option key={code} value={code}>
                    {name} ({code})
                  </option>
                ))}
              </select>
              <p class="field__hint" id="defaultCountry-hint">
                For numbers written without a country code, like (650) 555-0100.
              </p>
              {errors.defaultCountry && <p class="field__error">{errors.defaultCountry}</p>}
            </div>
          </div>
        </section>
        <CallingHoursSettings value={draft.callingHours} errors={errors} onChange={setPath} />

        {SECTIONS.map(({ service, description, settings }) => (
          <ServiceSection
            key={service}
            id={service}
            title={SERVICE_NAMES[service]}
            description={description}
            configured={view.configured[service]}
            status={connection[service] ?? { state: 'idle' }}
            onTest={() => void test(service)}
          >
            {SECRET_FIELDS[service].map(({ key, label }) => (
              <SecretField
                key={key}
                id={`${service}-${key}`}
                label={label}
                savedMask={view.secrets[service][key] ?? ''}
                draft={secrets[service]?.[key]}
                onChange={(value) => setSecret(service, key, value)}
                error={errors[`${service}.${key}`]}
              />
            ))}
            {settings.map((field) => (
              <Field
                key={field.path}
                id={field.path.replace('.', '-')}
                label={field.label}
                type={field.type}
                placeholder={field.placeholder}
                hint={field.hint}
                value={displayValue(getAtPath(draft, field.path))}
                onInput={(value) => setPath(field.path, parseValue(getAtPath(view.settings, field.path), value))}
                error={errors[field.path] ?? Object.entries(errors).find(([k]) => k.startsWith(`${field.path}.`))?.[1]}
              />
            ))}
            {service === 'multisender' && <MultisenderDefaults value={draft.multisender} errors={errors} tokenDraft={secrets.multisender?.token} onChange={(field, value) => setPath(`multisender.${field}`, value)} />}
          </ServiceSection>
        ))}

        <div class="save-bar">
          <button type="submit" class="button button--primary" disabled={saveState.state === 'saving'}>
            {saveState.state === 'saving' ? 'Saving…' : 'Save settings'}
          </button>
          <p class={`save-bar__status save-bar__status--${saveState.state}`} role="status" aria-live="polite">
            {saveState.message ?? ''}
          </p>
        </div>
      </form>

      <DoNotCallList />
      <SitesList />
      <SettingsTransfer onImported={applyView} />
    </div>
  );
}

function countryOptions(): { code: string; name: string }[] {
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  return getCountries()
    .map((code) => ({ code, name: names.of(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function getAtPath(root: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], root);
}

function setAtPath<T extends object>(root: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  const current = root as Record<string, unknown>;
  if (rest.length === 0) return { ...current, [head]: value } as T;
  return { ...current, [head]: setAtPath((current[head] as object) ?? {}, rest.join('.'), value) } as T;
}

/** Arrays (SIP Caller variables) are edited as comma-separated text. */
function displayValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  return value === undefined || value === null ? '' : String(value);
}

function parseValue(example: unknown, text: string): unknown {
  if (Array.isArray(example)) {
    return text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
  }
  return text;
}
