import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { contactFromDetails } from '../lib/campaigns/contact.ts';
import { displayNumber } from '../lib/campaigns/format.ts';
import type { CurrentTab } from '../lib/current-tab.ts';
import { describeFailure } from '../lib/errors.ts';
import { sendMessage } from '../lib/messaging.ts';
import type {
  BulkJobView,
  BulkPreview,
  CampaignListView,
  ContentRequest,
  PageNumber,
  PageNumbersAnswer,
} from '../lib/protocol/campaigns.ts';
import { MAX_BULK_JOB_NUMBERS, MAX_BULK_NUMBERS } from '../lib/protocol/campaigns.ts';
import './campaigns.css';

export interface ThisPageTabProps {
  tab: CurrentTab | undefined;
  tabReady: boolean;
  /** The tab is shown: numbers are read when it first is. */
  active: boolean;
}

type PageState =
  | { kind: 'loading' }
  | { kind: 'unavailable'; sentence: string }
  | { kind: 'ready'; numbers: PageNumber[]; settled: boolean };

const keyOf = (n: { e164: string; extension?: string }) => `${n.e164};${n.extension ?? ''}`;
const POLL_MS = 400;

function whoOf(number: PageNumber): string {
  const d = number.details;
  const name = d.full_name ?? [d.first_name, d.last_name].filter(Boolean).join(' ');
  return [name, d.company].filter(Boolean).join(', ');
}

const PAGE_NUMBERS: ContentRequest = { type: 'campaigns/page-numbers' };

/**
 * Every number of the page, from each frame where detection runs (a CRM may show a record in a
 * frame), top frame first, each number once; undefined when no frame answers.
 */
async function readPage(tabId: number): Promise<PageNumbersAnswer | undefined> {
  let frameIds: number[] = [];
  try {
    const frames = await browser.scripting.executeScript({ target: { tabId, allFrames: true }, func: () => true });
    frameIds = frames.map((frame) => frame.frameId).sort((a, b) => a - b);
  } catch {
    // No access to list the frames: ask whichever frame answers first.
  }
  const ask = (options?: { frameId: number }) =>
    (browser.tabs.sendMessage(tabId, PAGE_NUMBERS, options) as Promise<PageNumbersAnswer | undefined>).catch(
      () => undefined,
    );
  const answers = (
    frameIds.length > 0 ? await Promise.all(frameIds.map((frameId) => ask({ frameId }))) : [await ask()]
  ).filter((answer): answer is PageNumbersAnswer => answer !== undefined);
  if (answers.length === 0) return undefined;
  const seen = new Set<string>();
  const numbers: PageNumber[] = [];
  for (const number of answers.flatMap((answer) => answer.numbers)) {
    if (seen.has(keyOf(number))) continue;
    seen.add(keyOf(number));
    numbers.push(number);
  }
  return { settled: answers.every((answer) => answer.settled), numbers };
}

/**
 * The popup's "This page" tab (issue 4, "Bulk"): every number found on the page with a checkbox,
 * and the selected ones added to one campaign by a job in the background, with its progress, a
 * Cancel button and a summary. Closing the popup does not stop the job; opening it again shows
 * where it is.
 */
/** "25,000 numbers are selected; a bulk add takes at most 50,000…" */
function tooMany(count: number): string {
  return `${count.toLocaleString('en')} numbers are selected; a bulk add takes at most ${MAX_BULK_JOB_NUMBERS.toLocaleString('en')} at a time. Untick some, then add the rest afterwards.`;
}

/** Screening and calling hours for any number of numbers, asked a message-full at a time. */
async function previewInChunks(numbers: string[]): Promise<BulkPreview | undefined> {
  let merged: BulkPreview | undefined;
  for (let i = 0; i < numbers.length; i += MAX_BULK_NUMBERS) {
    const reply = await sendMessage('bulk/preview', { numbers: numbers.slice(i, i + MAX_BULK_NUMBERS) });
    if (!reply.ok) return undefined;
    merged = merged
      ? { ...merged, blocked: [...merged.blocked, ...reply.value.blocked], outsideHours: merged.outsideHours + reply.value.outsideHours }
      : reply.value;
  }
  return merged;
}

export function ThisPageTab({ tab, tabReady, active }: ThisPageTabProps) {
  const [page, setPage] = useState<PageState>({ kind: 'loading' });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [campaigns, setCampaigns] = useState<CampaignListView>();
  const [choice, setChoice] = useState('');
  const [preview, setPreview] = useState<BulkPreview>();
  const [handing, setHanding] = useState('');
  const [job, setJob] = useState<BulkJobView | null>();
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const started = useRef(false);
  const known = useRef(new Set<string>());

  // Numbers on the page: asked of the tab's content script, again until detection has settled.
  useEffect(() => {
    if (!active || !tabReady || started.current) return;
    started.current = true;
    let stopped = false;
    const read = async () => {
      if (!tab) {
        setPage({ kind: 'unavailable', sentence: 'There is no page to read numbers from.' });
        return;
      }
      const answer = await readPage(tab.id);
      if (stopped) return;
      if (!answer) {
        setPage({
          kind: 'unavailable',
          sentence:
            'Numbers are not detected on this page. Turn on “Detect numbers on this site” below, then open this tab again.',
        });
        return;
      }
      // New numbers start selected, as the first ones did; the user's unticks are kept.
      const fresh = answer.numbers.map(keyOf).filter((key) => !known.current.has(key));
      for (const key of fresh) known.current.add(key);
      if (fresh.length > 0) {
        setSelected((current) => {
          const next = new Set(current);
          for (const key of fresh) next.add(key);
          return next;
        });
      }
      setPage({ kind: 'ready', numbers: answer.numbers, settled: answer.settled });
      if (!answer.settled) setTimeout(() => void read(), 700);
    };
    void read();
    void sendMessage('campaigns/list', {}).then((reply) => {
      if (reply.ok) setCampaigns(reply.value);
      else setMessage(describeFailure(reply.error));
    });
    return () => {
      stopped = true;
    };
  }, [active, tabReady, tab]);

  // The background's job: read when the tab opens, then followed while it runs.
  useEffect(() => {
    if (!active) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const poll = async () => {
      const reply = await sendMessage('bulk/status', {});
      if (stopped) return;
      if (reply.ok) setJob(reply.value);
      if (reply.ok && reply.value?.state === 'running') timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [active, job?.id, job?.state]);

  const numbers = page.kind === 'ready' ? page.numbers : [];
  const chosen = numbers.filter((n) => selected.has(keyOf(n)));
  const chosenKey = chosen.map(keyOf).join(',');

  // What screening and calling hours say about the selection, before anything is sent.
  useEffect(() => {
    if (chosen.length === 0) {
      setPreview(undefined);
      return;
    }
    let stale = false;
    const timer = setTimeout(() => {
      void previewInChunks([...new Set(chosen.map((n) => n.e164))]).then((merged) => {
        if (!stale && merged) setPreview(merged);
      });
    }, 250);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
    // `chosenKey` stands for `chosen`: the preview is asked again only when the selection changes.
  }, [chosenKey]);

  const options = useMemo(
    () =>
      (campaigns?.services ?? []).map((service) => ({
        service,
        campaigns: service.campaigns.map((c) => ({
          value: `${service.service}|${c.id}`,
          label: `${c.name} (${c.status})`,
        })),
      })),
    [campaigns],
  );

  const start = async () => {
    const [serviceId, ...rest] = choice.split('|');
    const service = options.find((o) => o.service.service === serviceId)?.service.service;
    if (!service || rest.length === 0 || chosen.length === 0) return;
    if (chosen.length > MAX_BULK_JOB_NUMBERS) {
      setMessage(tooMany(chosen.length));
      return;
    }
    setBusy(true);
    setMessage('');
    const contacts = chosen.map((n) => contactFromDetails(n.e164, n.extension, n.details));
    // More than one message carries: the chunks are handed over first, then the last starts it.
    const chunks: (typeof contacts)[] = [];
    for (let i = 0; i < contacts.length; i += MAX_BULK_NUMBERS) chunks.push(contacts.slice(i, i + MAX_BULK_NUMBERS));
    const last = chunks.pop()!;
    const stageId = chunks.length > 0 ? crypto.randomUUID() : undefined;
    let staged = 0;
    for (const chunk of chunks) {
      setHanding(`Handing the numbers to the background: ${(staged + chunk.length).toLocaleString('en')} of ${contacts.length.toLocaleString('en')}…`);
      const handed = await sendMessage('bulk/stage', { stageId: stageId!, contacts: chunk });
      if (!handed.ok || !handed.value.ok) {
        setBusy(false);
        setHanding('');
        setMessage(handed.ok ? (handed.value.ok ? '' : handed.value.reason) : describeFailure(handed.error));
        return;
      }
      staged = handed.value.staged;
    }
    const reply = await sendMessage('bulk/start', {
      service,
      campaignId: rest.join('|'),
      contacts: last,
      ...(stageId ? { stageId, staged } : {}),
    });
    setBusy(false);
    setHanding('');
    if (!reply.ok) setMessage(describeFailure(reply.error));
    else if (!reply.value.ok) setMessage(reply.value.reason);
    else setJob(reply.value.job);
  };

  const cancel = async () => {
    setBusy(true);
    const reply = await sendMessage('bulk/cancel', {});
    setBusy(false);
    if (reply.ok) setJob(reply.value);
  };

  const dismiss = async () => {
    await sendMessage('bulk/dismiss', {});
    setJob(null);
  };

  if (job)
    return <BulkJobPanel job={job} busy={busy} onCancel={() => void cancel()} onDismiss={() => void dismiss()} />;

  if (page.kind === 'loading') return <p class="muted">Reading the numbers on this page…</p>;
  if (page.kind === 'unavailable') return <p class="notice">{page.sentence}</p>;

  const allChecked = numbers.length > 0 && chosen.length === numbers.length;
  const campaignName = options
    .flatMap((o) => o.campaigns)
    .find((c) => c.value === choice)
    ?.label.replace(/ \([^)]*\)$/, '');
  const blocked = preview?.blocked.length ?? 0;

  return (
    <div class="this-page">
      <p class="this-page__count" role="status">
        {numbers.length === 0
          ? page.settled
            ? 'No phone numbers were found on this page.'
            : 'Still looking for numbers on this page…'
          : `${numbers.length} ${numbers.length === 1 ? 'number' : 'numbers'} on this page${page.settled ? '' : ' so far'}; ${chosen.length} selected.`}
      </p>
      {numbers.length > 0 && (
        <>
          <label class="choice this-page__all">
            <input
              type="checkbox"
              checked={allChecked}
              ref={(box) => {
                if (box) box.indeterminate = chosen.length > 0 && !allChecked;
              }}
              onChange={(event) => setSelected(event.currentTarget.checked ? new Set(numbers.map(keyOf)) : new Set())}
            />
            Select all ({numbers.length})
          </label>
          <ul class="this-page__list" aria-label="Numbers on this page">
            {numbers.map((n) => {
              const key = keyOf(n);
              const who = whoOf(n);
              return (
                <li key={key}>
                  <label class="choice">
                    <input
                      type="checkbox"
                      checked={selected.has(key)}
                      onChange={(event) => {
                        const checked = event.currentTarget.checked;
                        setSelected((current) => {
                          const next = new Set(current);
                          if (checked) next.add(key);
                          else next.delete(key);
                          return next;
                        });
                      }}
                    />
                    <span class="this-page__number">{displayNumber(n.e164, n.extension)}</span>
                    {who && <span class="this-page__who">{who}</span>}
                  </label>
                </li>
              );
            })}
          </ul>

          {campaigns?.noneConfigured ? (
            <p class="notice">No campaign service is set up. Add Upcall, SIP Caller or Call-Em-All in Settings.</p>
          ) : (
            <div class="field">
              <label for="bulk-campaign">Campaign</label>
              <select id="bulk-campaign" value={choice} onChange={(event) => setChoice(event.currentTarget.value)}>
                <option value="">Choose a campaign…</option>
                {options.map(({ service, campaigns: list }) => (
                  <optgroup key={service.service} label={service.name}>
                    {list.map((c) => (
                      <option key={c.value} value={c.value}>
                        {c.label}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            </div>
          )}

          {preview && (blocked > 0 || preview.outsideHours > 0) && (
            <ul class="this-page__warnings">
              {blocked > 0 && (
                <li class="this-page__warning--bad">
                  {blocked} of the selected numbers {blocked === 1 ? 'is' : 'are'} on the do-not-call list and will be
                  skipped. To add one anyway, use its button on the page.
                </li>
              )}
              {preview.outsideHours > 0 && (
                <li>
                  {preview.outsideHours} {preview.outsideHours === 1 ? 'is' : 'are'} outside calling hours, or may be,
                  where {preview.outsideHours === 1 ? 'it rings' : 'they ring'} ({preview.callingHours});{' '}
                  {preview.outsideHours === 1 ? 'it is' : 'they are'} added anyway.
                </li>
              )}
            </ul>
          )}

          {chosen.length > MAX_BULK_JOB_NUMBERS && <p class="notice notice--warning">{tooMany(chosen.length)}</p>}
          <div class="this-page__actions">
            <button
              type="button"
              class="button button--primary"
              disabled={busy || chosen.length === 0 || !campaignName || chosen.length > MAX_BULK_JOB_NUMBERS}
              onClick={() => void start()}
            >
              {campaignName ? `Add ${chosen.length} to ${campaignName}` : `Add ${chosen.length} to a campaign`}
            </button>
          </div>
        </>
      )}
      <p class="muted" role="status" aria-live="polite">
        {handing}
      </p>
      {message && (
        <p class="field__error" role="alert">
          {message}
        </p>
      )}
    </div>
  );
}

interface BulkJobPanelProps {
  job: BulkJobView;
  busy: boolean;
  onCancel: () => void;
  onDismiss: () => void;
}

function BulkJobPanel({ job, busy, onCancel, onDismiss }: BulkJobPanelProps) {
  const running = job.state === 'running';
  const waitSeconds = job.pausedUntil ? Math.max(1, Math.ceil((job.pausedUntil - job.now) / 1000)) : 0;
  const where = `${job.campaignName} (${job.serviceName})`;
  const heading = running
    ? `Adding to ${where}`
    : job.state === 'cancelled'
      ? `Cancelled: ${where}`
      : job.state === 'stopped'
        ? `Stopped: ${where}`
        : `Done: ${where}`;
  return (
    <div class="bulk" aria-busy={running}>
      <h2 class="bulk__title">{heading}</h2>
      <progress
        class="bulk__progress"
        max={job.total}
        value={job.done}
        aria-label={`Added so far to ${job.campaignName}`}
      />
      <p class="bulk__count" role="status" aria-live="polite">
        {job.done} of {job.total} done
        {waitSeconds > 0 ? ` · ${job.serviceName} asked us to slow down: waiting ${waitSeconds} s` : ''}
      </p>
      <dl class="bulk__summary">
        <dt>Added</dt>
        <dd>{job.added}</dd>
        <dt>Already there</dt>
        <dd>{job.duplicate}</dd>
        <dt>Blocked as do-not-call</dt>
        <dd>{job.doNotCall}</dd>
        <dt>Failed</dt>
        <dd>{job.failed}</dd>
        {job.notSent > 0 && (
          <>
            <dt>Not sent (cancelled)</dt>
            <dd>{job.notSent}</dd>
          </>
        )}
      </dl>
      {job.stopReason && <p class="field__error">{job.stopReason}</p>}
      {job.outsideHours > 0 && (
        <p class="muted bulk__note">
          {job.outsideHours === job.total ? `All ${job.total}` : `${job.outsideHours} of ${job.total}`} were, or may
          have been, outside calling hours ({job.callingHours}) where they ring when the add started; they were added
          all the same.
        </p>
      )}
      {job.failures.length > 0 && (
        <section class="bulk__failures" aria-label="Why some failed">
          <h3>Why some failed</h3>
          <ul>
            {job.failures.map((group) => (
              <li key={group.reason}>
                <span class="bulk__reason">{group.reason}</span>{' '}
                <span class="muted">
                  ({group.count}: {group.numbers.map((n) => displayNumber(n)).join(', ')}
                  {group.count > group.numbers.length ? ', …' : ''})
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {!running && job.blocked.length > 0 && (
        <details class="bulk__blocked">
          <summary>Blocked as do-not-call ({job.doNotCall})</summary>
          <ul>
            {job.blocked.map((b) => (
              <li key={b.e164}>{b.reason}</li>
            ))}
          </ul>
        </details>
      )}
      <div class="this-page__actions">
        {running ? (
          <button type="button" class="button button--danger" disabled={busy} onClick={onCancel}>
            {busy ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : (
          <button type="button" class="button" onClick={onDismiss}>
            Add more numbers
          </button>
        )}
      </div>
      {running && (
        <p class="muted bulk__note">
          You can close this popup: the numbers keep being added, and it shows the progress when you open it again.
        </p>
      )}
    </div>
  );
}
