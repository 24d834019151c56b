import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError, SessionUser } from '../shared/api-client';
import { ErrorBanner, LanguageSwitch, SignOutButton } from '../shared/components';
import { asApiError, useAsync } from '../shared/hooks';
import { useAgentEvents } from './agent-events';
import { AgentStatePanel } from './agent-state-panel';
import { CallNotice, type PlacedCallNotice } from './call-notice';
import { CallPanel, remoteLabel, type PlacingCall } from './call-panel';
import { ClientCardView } from './client-card-view';
import { HelpDialog, SettingsDialog } from './dialogs';
import { useShortcuts } from './keyboard-shortcuts';
import { preferences, usePreferences } from './media-devices';
import { isFarFailure, type CallInfo } from './phone';
import { softphoneApi, type AgentEvent, type AgentSnapshot, type ClientCard, type ClientCardPart, type ServerConsultState, type SoftphoneConfig, type TransferTarget } from './softphone-api';
import { useT } from './softphone-i18n';
import { StatusBar } from './status-bar';
import { TransferPanel, type ConsultState, type TransferMode } from './transfer-panel';
import { usePhone } from './use-phone';
import { useRingSignals } from './use-ring-signals';
import { WorkPanel, type DialTarget } from './work-panel';
import { WrapUpForm, type WrapUpCall } from './wrap-up-form';
import { SeedWorkflowsPanel } from './seed-workflows-panel';
import { MyEvaluationsPanel } from './my-evaluations';
import { MonitoringBar } from './monitoring-bar';

/** The operator's softphone screen: loads its configuration, then the workspace. */
export function SoftphoneApp(props: { user: SessionUser; onSignedOut: () => void }): preact.JSX.Element {
  const t = useT();
  const config = useAsync(() => softphoneApi.config(), [props.user.id]);
  if (!config.data) {
    return (
      <div class="sp-shell">
        <header class="topbar">
          <span class="brand">Switchboard</span>
          <span class="spacer" />
          <LanguageSwitch />
          <SignOutButton onSignedOut={props.onSignedOut} />
        </header>
        <main class="sp-message">
          {config.loading ? <p class="muted" role="status">{t('loadingConfig')}</p> : (
            <div class="card stack">
              <h1>{t('cannotStart')}</h1>
              <ErrorBanner error={config.error} />
              <button type="button" class="primary" onClick={config.reload}>{t('retry')}</button>
            </div>
          )}
        </main>
      </div>
    );
  }
  return <Workspace config={config.data} onSignedOut={props.onSignedOut} />;
}

/** The card shown in the middle column: of a call (offered, live or in wrap-up) or of a client picked from the work list. */
interface CardEntry {
  card: ClientCard | null;
  error: ApiError | null;
}

function cardFromPart(part: ClientCardPart, callId: string | null): ClientCard {
  return { callId, callerNumber: null, callerE164: null, client: part.client, lastCalls: part.lastCalls, ivrPath: [], routingReason: null, queue: null, waitMs: null };
}

/** What the SIP INVITE told us, when the server cannot give a card (yet). */
function cardFromInvite(info: CallInfo): ClientCard {
  return { callId: info.callId, callerNumber: info.remoteNumber, callerE164: null, client: null, lastCalls: [], ivrPath: [], routingReason: info.reason, queue: null, waitMs: null };
}

/** The transfer panel's view of the server's consult state; null when the consult is over. */
function consultStatusOf(state: ServerConsultState): ConsultState['status'] | null {
  if (state === 'ringing') return 'ringing';
  if (state === 'talking') return 'active';
  if (state === 'failed') return 'failed';
  return null;
}

interface Offered {
  callId: string;
  clientId: number | null;
  at: number;
}

/**
 * `#dial=<target>` (the admin's "call it" opens `/softphone/#dial=ivr-draft-main-v3`):
 * the address this page was asked to call. Read with decodeURIComponent, not
 * URLSearchParams, which would turn the `+` of a number into a space.
 */
function dialFromHash(): string | null {
  const match = /^#\/?(?:.*[&?])?dial=([^&]*)/.exec(location.hash);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]).trim() || null;
  } catch {
    return null;
  }
}

/** Forgets the `#dial=` request, without a history entry, so that a reload does not call again. */
function clearDialHash(): void {
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
}

/** What the dial pad sends through the server (a phone number) rather than dialling from this phone: no letters in it. */
function isPhoneNumber(target: string): boolean {
  return !/[A-Za-z]/.test(target);
}

function Workspace(props: { config: SoftphoneConfig; onSignedOut: () => void }): preact.JSX.Element {
  const t = useT();
  const prefs = usePreferences();
  const { config } = props;
  const staffId = config.staff.id;
  const [agent, setAgent] = useState<AgentSnapshot | null>(null);
  const [offered, setOffered] = useState<Offered | null>(null);
  const [cards, setCards] = useState<Record<string, CardEntry>>({});
  const [focusClient, setFocusClient] = useState<number | null>(null);
  const [wrapUp, setWrapUp] = useState<WrapUpCall | null>(null);
  const [placing, setPlacing] = useState<PlacingCall | null>(null);
  const placingRef = useRef<PlacingCall | null>(null);
  const [transferOpen, setTransferOpen] = useState(false);
  const [consult, setConsult] = useState<ConsultState | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  /** What the server said about the call it placed (outside the client's calling window, the do-not-call list overridden). */
  const [callNotice, setCallNotice] = useState<PlacedCallNotice | null>(null);
  const [transferError, setTransferError] = useState<ApiError | null>(null);
  const [dialog, setDialog] = useState<'help' | 'settings' | null>(null);
  const [version, setVersion] = useState(0);
  const [toast, setToast] = useState<string | null>(null);
  const [notice, setNotice] = useState<Extract<AgentEvent, { type: 'staff.notification' }>['notification'] | null>(null);
  const reasons = useAsync(() => softphoneApi.notReadyReasons(), []);
  const dispositions = useAsync(() => softphoneApi.dispositionCodes(), []);
  const clientTypes = useAsync(() => softphoneApi.clientTypes(), []);

  const setPlacingCall = (value: PlacingCall | null): void => {
    placingRef.current = value;
    setPlacing(value);
  };

  // Our own click-to-call comes back as an INVITE marked outbound: take it without a click.
  const autoAnswer = (info: CallInfo): boolean => {
    const pending = placingRef.current;
    if (info.direction === 'outbound' && pending && Date.now() - pending.at < 60_000 && (pending.callId === null || pending.callId === info.callId)) {
      setPlacingCall(null);
      return true;
    }
    return info.direction === 'inbound' && preferences().autoAnswer;
  };
  const { phone, snapshot } = usePhone(config.sip, autoAnswer);
  const current = snapshot.current;
  const callState = snapshot.call;
  const inCall = callState === 'connected' || callState === 'on_hold';

  const refreshAgent = async (): Promise<void> => {
    const fresh = await softphoneApi.agent(staffId);
    setAgent({ state: fresh.state, reason: fresh.reason, since: fresh.since, wrapUpUntil: fresh.wrapUntil });
  };

  // The call the server offered and this agent took: its wrap-up form opens when the server ends it, even when
  // the call was answered elsewhere (a desk phone) or the page did not see the SIP side.
  const takenRef = useRef<string | null>(null);
  const offeredRef = useRef<Offered | null>(null);
  const cardsRef = useRef(cards);
  cardsRef.current = cards;
  const openWrapUp = (callId: string): void => {
    const card = cardsRef.current[`call:${callId}`]?.card;
    const who = card?.client?.name ?? card?.callerNumber ?? '';
    setWrapUp((w) => (w?.callId === callId ? w : { callId, who, talkMs: null, clientType: card?.client?.clientType ?? null }));
  };

  const onEvent = (event: AgentEvent): void => {
    switch (event.type) {
      case 'hello':
        setAgent(event.agent);
        // After a reload in wrap-up, the form of the call being wrapped up comes back.
        if (event.agent?.state === 'wrap_up' && event.agent.callId) openWrapUp(event.agent.callId);
        if (event.agent?.state === 'on_call' && event.agent.callId) takenRef.current = event.agent.callId;
        break;
      case 'agent.state':
        setAgent({ state: event.state, reason: event.reason || null, since: event.since, wrapUpUntil: event.wrapUpUntil });
        if (event.state === 'on_call' && offeredRef.current) takenRef.current = offeredRef.current.callId;
        break;
      case 'call.offered': {
        const next = { callId: event.callId, clientId: event.clientId, at: Date.now() };
        offeredRef.current = next;
        setOffered(next);
        setFocusClient(null);
        if (event.card) {
          const card = event.card;
          setCards((c) => ({ ...c, [`call:${event.callId}`]: { card, error: null } }));
        }
        break;
      }
      case 'call.ended':
        if (offeredRef.current?.callId === event.callId) offeredRef.current = null;
        setOffered((o) => (o?.callId === event.callId ? null : o));
        if (takenRef.current === event.callId) {
          takenRef.current = null;
          openWrapUp(event.callId);
          setVersion((v) => v + 1);
        }
        phone?.serverEnded(event.callId);
        break;
      case 'staff.notification':
        setNotice(event.notification);
        break;
      default:
        break;
    }
  };
  const events = useAgentEvents(true, onEvent);

  // Which card the middle column shows.
  const liveCallId = current?.callId ?? offered?.callId ?? null;
  const cardKey = liveCallId ? `call:${liveCallId}` : focusClient !== null ? `client:${focusClient}` : wrapUp ? `call:${wrapUp.callId}` : null;
  const entry = cardKey ? cards[cardKey] : undefined;

  useEffect(() => {
    if (!cardKey || cards[cardKey]) return;
    let alive = true;
    const store = (value: CardEntry): void => {
      if (alive) setCards((c) => ({ ...c, [cardKey]: c[cardKey]?.card ? c[cardKey] : value }));
    };
    const load = async (): Promise<void> => {
      if (cardKey.startsWith('client:')) {
        const id = Number(cardKey.slice('client:'.length));
        store({ card: cardFromPart(await softphoneApi.clientCard(id), null), error: null });
        return;
      }
      const callId = cardKey.slice('call:'.length);
      // A call this phone placed is written to the server's records only when it ends: its card is the client's
      // (or what the INVITE says); asking for the call's card would only get a 404.
      if (current?.callId === callId && current.direction === 'outbound') {
        store({ card: current.clientId !== null ? cardFromPart(await softphoneApi.clientCard(current.clientId), callId) : cardFromInvite(current), error: null });
        return;
      }
      try {
        store({ card: await softphoneApi.callCard(callId), error: null });
      } catch (err) {
        // The call is not known to the server yet (an outbound call being set up): fall back to the client, then to the INVITE.
        const clientId = current?.callId === callId ? current.clientId : offered?.callId === callId ? offered.clientId : null;
        if (clientId !== null) store({ card: cardFromPart(await softphoneApi.clientCard(clientId), callId), error: null });
        else if (current?.callId === callId) store({ card: cardFromInvite(current), error: null });
        else throw err;
      }
    };
    load().catch((err: unknown) => store({ card: null, error: asApiError(err) }));
    return () => {
      alive = false;
    };
  }, [cardKey]);

  useRingSignals(snapshot, prefs);
  useEffect(() => void phone?.applyOutput(prefs.output), [phone, prefs.output]);

  // The client's name on the call on the phone, or on the one that just ended, from its card (already loaded for the call).
  const clientNameOf = (callId: string | null): string | null => (callId ? cardsRef.current[`call:${callId}`]?.card?.client?.name ?? null : null);
  const clientName = clientNameOf((current ?? snapshot.last)?.callId ?? null);

  // A call that ended: the wrap-up form for it, and fresh history a moment later (the call row is written as the call ends).
  const lastId = snapshot.last?.sessionId ?? null;
  useEffect(() => {
    const last = snapshot.last;
    if (!last) return undefined;
    setTransferOpen(false);
    setConsult(null);
    setTransferError(null);
    // Only a call that was talked on: a click-to-call whose client never answered has nothing to wrap up.
    if (last.connectedAt && last.callId) {
      setWrapUp({ callId: last.callId, who: remoteLabel(last, clientNameOf(last.callId)).name, talkMs: (last.endedAt ?? Date.now()) - last.connectedAt });
    }
    // A call this phone placed and the server refused (403, 404, an invalid draft…): say why, it is gone from the panel.
    // A busy, declined or unanswered colleague is said by the call panel itself.
    if (last.dialled && last.endedBy === 'failed' && last.lastError && !isFarFailure(last.far)) setError(asApiError(new Error(t('callRefused', { who: last.remoteNumber, why: last.lastError }))));
    const timer = setTimeout(() => setVersion((v) => v + 1), 1500);
    return () => clearTimeout(timer);
  }, [lastId]);

  // A click-to-call whose INVITE never came.
  useEffect(() => {
    if (!placing) return undefined;
    const timer = setTimeout(() => {
      if (placingRef.current === placing) {
        setPlacingCall(null);
        setError(asApiError(new Error(t('placingTimedOut'))));
      }
    }, 60_000);
    return () => clearTimeout(timer);
  }, [placing]);

  useEffect(() => {
    if (!toast) return undefined;
    const timer = setTimeout(() => setToast(null), 4000);
    return () => clearTimeout(timer);
  }, [toast]);

  const run = async (action: () => Promise<unknown>, after?: () => void): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      after?.();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const agentAction = (action: () => Promise<unknown>): void => {
    void run(async () => {
      await action();
      // The event socket normally says it first; this covers a socket that is down right now.
      await refreshAgent();
    });
  };
  const ready = (): void => {
    // A click is the moment browsers allow asking for notifications.
    if (prefs.notifications && typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission();
    agentAction(() => softphoneApi.setState(staffId, 'ready'));
  };

  const phoneUsable = snapshot.registration === 'registered' && callState === 'idle';
  const dial = (target: DialTarget): void => {
    if (!phoneUsable) {
      setError(asApiError(new Error(t('phoneNotReady'))));
      return;
    }
    // An internal address (a draft IVR flow, a colleague) is dialled by this phone; the server challenges and routes it.
    if (target.clientId === undefined && target.number !== undefined && !isPhoneNumber(target.number)) {
      const address = target.number;
      setError(null);
      phone?.dial(address).then((placed) => {
        if (!placed) setError(asApiError(new Error(t('phoneNotReady'))));
      }, (err: unknown) => setError(asApiError(err)));
      return;
    }
    const pending: PlacingCall = { label: target.label, at: Date.now(), callId: null };
    setPlacingCall(pending);
    if (target.clientId !== undefined) setFocusClient(target.clientId);
    void run(async () => {
      setCallNotice(null);
      const { callId, notice, outsideWindow } = await softphoneApi.outbound(target.campaignCallId !== undefined ? { campaignCallId: target.campaignCallId }
        : target.clientId !== undefined ? { clientId: target.clientId } : { number: target.number ?? '' });
      setCallNotice(notice !== undefined || outsideWindow !== undefined ? { notice, outsideWindow } : null);
      if (placingRef.current === pending) pending.callId = callId;
    }).then(() => {
      // A refused click-to-call leaves nothing to wait for.
      if (placingRef.current === pending && !pending.callId) setPlacingCall(null);
    });
  };

  const transfer = (mode: TransferMode, target: TransferTarget, label: string): void => {
    const callId = current?.callId;
    if (!callId) return;
    setTransferError(null);
    setBusy(true);
    const work = mode === 'blind'
      ? softphoneApi.blindTransfer(callId, target).then(() => {
        setToast(t('transferredTo', { who: label }));
        setTransferOpen(false);
      })
      : (async () => {
        setConsult({ target, label, status: 'starting' });
        const started = await softphoneApi.consult(callId, target);
        // The server answers while the target rings; the poll below follows it to talking (or failed).
        setConsult({ target, label, status: consultStatusOf(started.consult.state) ?? 'ringing' });
      })();
    work.catch((err: unknown) => {
      setTransferError(asApiError(err));
      if (mode === 'warm') setConsult(null);
    }).finally(() => setBusy(false));
  };
  // The consult's progress lives on the server (the target answers, declines or hangs up): follow it, so that
  // "Complete" is offered only once the target is on the line.
  const consultStatus = consult?.status ?? null;
  const consultCallId = current?.callId ?? null;
  useEffect(() => {
    if (!consultCallId || (consultStatus !== 'ringing' && consultStatus !== 'active' && consultStatus !== 'failed')) return undefined;
    let alive = true;
    const timer = setTimeout(() => {
      softphoneApi.consultState(consultCallId).then((view) => {
        const status = consultStatusOf(view.consult.state);
        if (alive) setConsult((c) => (c && c.status !== 'starting' && c.status !== 'finishing' ? (status ? { ...c, status } : null) : c));
      }, (err: unknown) => {
        // 404: the consult is over (the call ended under it); anything else: ask again at the next tick.
        if (alive && asApiError(err).status === 404) setConsult((c) => (c && c.status !== 'starting' && c.status !== 'finishing' ? null : c));
        else if (alive) setConsult((c) => (c ? { ...c } : c));
      });
    }, consultStatus === 'ringing' ? 700 : 2000);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [consultCallId, consultStatus, consult]);
  const finishConsult = (complete: boolean): void => {
    const callId = current?.callId;
    const active = consult;
    if (!callId || !active) return;
    setBusy(true);
    setTransferError(null);
    setConsult({ ...active, status: 'finishing' });
    (complete ? softphoneApi.consultComplete(callId) : softphoneApi.consultCancel(callId))
      .then(() => {
        setConsult(null);
        if (complete) {
          setToast(t('transferredTo', { who: active.label }));
          setTransferOpen(false);
        }
      }, (err: unknown) => {
        setConsult(active);
        setTransferError(asApiError(err));
      })
      .finally(() => setBusy(false));
  };

  const hold = (on: boolean): void => void phone?.setHold(on);
  const mute = (on: boolean): void => phone?.setMuted(on);
  useShortcuts({
    kbAnswer: () => { if (callState === 'ringing') void phone?.answer(); },
    kbHangUp: () => { if (callState !== 'idle') void phone?.hangUp(); },
    kbHold: () => { if (inCall && !consult) hold(callState === 'connected'); },
    kbMute: () => { if (inCall && current) mute(!current.muted); },
    kbReady: () => { if (agent && ['not_ready', 'logged_out'].includes(agent.state)) ready(); },
    kbHelp: () => setDialog((d) => (d === 'help' ? null : 'help')),
    kbClose: () => {
      if (!dialog && !consult) setTransferOpen(false);
    },
  });

  // `#dial=<target>`: dialled once, through the dial pad's path, as soon as the phone is registered and free.
  const pendingDial = useRef<string | null>(dialFromHash());
  const [dialRequests, setDialRequests] = useState(0);
  useEffect(() => {
    // A softphone tab already open is sent to a new #dial= by the admin app (same window name): no reload then.
    const onHash = (): void => {
      const target = dialFromHash();
      if (!target) return;
      pendingDial.current = target;
      setDialRequests((n) => n + 1);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    const target = pendingDial.current;
    if (!target) return;
    const drop = (message: string | null): void => {
      pendingDial.current = null;
      clearDialHash();
      if (message) setError(asApiError(new Error(message)));
    };
    if (!config.sip) return drop(t('dialNoPhone', { who: target }));
    if (snapshot.registration === 'offline') return drop(t('telephonyOffline'));
    // Still connecting or registering: wait for the next change.
    if (snapshot.registration !== 'registered' || !phone) return;
    if (callState !== 'idle' || placingRef.current) return drop(t('phoneNotReady'));
    drop(null);
    dial({ number: target, label: target });
  }, [snapshot.registration, phone, dialRequests]);

  const registration = config.sip ? snapshot.registration : 'none';
  const card = entry?.card ?? null;
  const cardHeading = current && liveCallId === current.callId
    ? callState === 'ringing' ? t('cardRinging') : callState === 'calling_far' || callState === 'dialing' ? t('cardCalling') : t('cardInCall')
    : offered && liveCallId === offered.callId ? t('cardOffered') : cardKey?.startsWith('client:') ? t('cardClient') : wrapUp ? t('cardLastCall') : undefined;
  const canCall = config.staff.canDialOut && phoneUsable;

  return (
    <div class="sp-shell">
      <StatusBar
        staffName={config.staff.name} role={config.staff.role}
        events={events} registration={registration} registrationAttempt={snapshot.attempt}
        onSettings={() => setDialog('settings')} onHelp={() => setDialog('help')} onSignedOut={props.onSignedOut}
      />
      <div class="sp-banners">
        {!config.sip && <div class="banner warn" role="status">{t('noSipLogin')}</div>}
        {registration === 'offline' && <div class="banner warn" role="status" data-testid="telephony-offline">{t('telephonyOffline')}</div>}
        {registration === 'reconnecting' && (
          <div class="banner warn" role="status">{t('phoneLost', { n: snapshot.attempt, s: snapshot.retryInMs !== null ? Math.ceil(snapshot.retryInMs / 1000) : 0 })}{inCall ? ` ${t('callContinues')}` : ''}</div>
        )}
        {registration === 'rejected' && <div class="banner error" role="alert">{t('phoneRefused', { why: snapshot.registrationError ?? '' })}</div>}
        {events.status === 'reconnecting' && <div class="banner warn" role="status">{t('eventsLost', { n: events.attempt })}</div>}
        {callNotice && <CallNotice placed={callNotice} onDismiss={() => setCallNotice(null)} />}
      </div>
      <main class="sp-main">
        <div class="sp-col sp-left">
          <AgentStatePanel
            agent={agent} reasons={reasons.data ?? []} busy={busy}
            onReady={ready}
            onNotReady={(reason) => agentAction(() => softphoneApi.setState(staffId, 'not_ready', reason))}
            onLogOut={() => agentAction(() => softphoneApi.setState(staffId, 'logged_out'))}
            onEndWrapUp={() => agentAction(() => softphoneApi.endWrapUp(staffId))}
            onExtendWrapUp={(seconds) => agentAction(() => softphoneApi.extendWrapUp(staffId, seconds))}
          />
          {current?.monitor ? (
            <MonitoringBar monitor={current.monitor} connected={inCall} sideCalls={snapshot.sideCalls} onHangUp={() => void phone?.hangUp()} />
          ) : <CallPanel
            snapshot={snapshot} phoneUsable={phoneUsable} canDialOut={config.staff.canDialOut} placing={placing} clientName={clientName}
            transferOpen={transferOpen} consultActive={consult !== null}
            error={error?.message ?? null} onDismissError={() => { setError(null); phone?.clearError(); }}
            onAnswer={() => void phone?.answer()} onHangUp={() => void phone?.hangUp()}
            onHold={hold} onMute={mute} onDtmf={(key) => void phone?.sendDtmf(key)}
            onToggleTransfer={() => setTransferOpen((o) => !o)}
            onDial={(number) => dial({ number, label: number })}
            onCancelPlacing={() => setPlacingCall(null)}
          />}
        </div>
        <div class="sp-col sp-center">
          {transferOpen && inCall && current?.callId && (
            <TransferPanel
              callId={current.callId} consult={consult} busy={busy} error={transferError} onDismissError={() => setTransferError(null)}
              onTransfer={transfer} onCompleteConsult={() => finishConsult(true)} onCancelConsult={() => finishConsult(false)}
              onClose={() => setTransferOpen(false)}
            />
          )}
          {wrapUp && !inCall && callState !== 'ringing' && (
            <WrapUpForm
              key={wrapUp.callId} call={wrapUp} codes={dispositions.data ?? []}
              onSaved={(andReady) => {
                setVersion((v) => v + 1);
                if (andReady && agent?.state === 'wrap_up') agentAction(() => softphoneApi.endWrapUp(staffId));
              }}
              onDismiss={() => setWrapUp(null)}
            />
          )}
          {dispositions.error && <ErrorBanner error={dispositions.error} onDismiss={dispositions.reload} />}
          {entry?.error && <ErrorBanner error={entry.error} />}
          {card ? (
            <ClientCardView
              card={card} heading={cardHeading} clientTypes={clientTypes.data ?? []} canCall={canCall && !inCall}
              onCall={dial}
              onCreated={(part) => cardKey && setCards((c) => ({ ...c, [cardKey]: { card: { ...(c[cardKey]?.card ?? cardFromPart(part, null)), client: part.client, lastCalls: part.lastCalls }, error: null } }))}
            />
          ) : cardKey && !entry ? (
            <section class="card sp-empty-card" aria-busy="true"><p class="muted">{t('loadingCard')}</p></section>
          ) : !cardKey && current?.dialled ? (
            <section class="card sp-empty-card" data-testid="dialled-call">
              <h2>{t('dialledTitle', { who: current.remoteNumber })}</h2>
              <p class="muted">{t('dialledText')}</p>
            </section>
          ) : !cardKey ? (
            <section class="card sp-empty-card">
              <h2>{t('waitingTitle')}</h2>
              <p class="muted">{agent?.state === 'ready' ? t('waitingReady') : t('waitingNotReady')}</p>
            </section>
          ) : null}
        </div>
        <div class="sp-col sp-right">
          <WorkPanel version={version} canCall={canCall} dispositions={dispositions.data ?? []} onCall={dial} onOpenClient={(id) => setFocusClient(id)} />
          <SeedWorkflowsPanel role={config.staff.role} live={notice} />
          <MyEvaluationsPanel />
        </div>
      </main>
      {toast && <div class="toast" role="status">{toast}</div>}
      {dialog === 'help' && <HelpDialog onClose={() => setDialog(null)} />}
      {dialog === 'settings' && <SettingsDialog onClose={() => setDialog(null)} />}
    </div>
  );
}
