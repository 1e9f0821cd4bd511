/** @jsxImportSource preact */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CallState, Ringing, VisitorCall } from './call-session.js';
import { useTexts } from './i18n/context.js';

/** The incoming-call prompt, the in-call view and its end; the call itself is a lazy chunk. */
export function CallView(props: {
  ringing: Ringing;
  start: (onChange: (v: CallState) => void) => Promise<VisitorCall>;
  onDone: () => void;
}) {
  const { ringing, onDone } = props;
  const { t } = useTexts();
  const [view, setView] = useState<CallState | null>(null);
  const [call, setCall] = useState<VisitorCall | null>(null);
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    let made: VisitorCall | null = null;
    let live = true;
    void props.start(setView).then((c) => {
      made = c;
      if (!live) return c.dispose();
      (window as unknown as { parleyCall?: VisitorCall }).parleyCall = c;
      setCall(c);
    });
    return () => {
      live = false;
      made?.dispose();
    };
  }, [props.start]);
  useEffect(() => {
    if (call) first.current?.focus();
  }, [call]);
  useEffect(() => {
    if (view?.phase === 'ended') first.current?.focus();
  }, [view?.phase]);
  if (!call) return null;
  const v = view ?? call.view;
  const video = ringing.media === 'video';
  const incoming = video ? 'callIncomingVideo' : 'callIncomingVoice';
  return (
    <section class="pw-call" aria-label={t('callRegion')} data-testid="call">
      {v.phase === 'ringing' && (
        <>
          <p class="pw-call-state" role="alert" data-testid="call-state">
            {t(incoming, { name: ringing.agentName })}
          </p>
          <div class="pw-call-actions">
            {video && (
              <button
                type="button"
                class="pw-call-button pw-call-accept"
                ref={first}
                onClick={() => void call.accept(true)}
              >
                {t('callAcceptVideo')}
              </button>
            )}
            <button
              type="button"
              class="pw-call-button pw-call-accept"
              ref={video ? undefined : first}
              onClick={() => void call.accept(false)}
            >
              {t('callAcceptAudio')}
            </button>
            <button type="button" class="pw-call-button pw-call-decline" onClick={() => call.decline()}>
              {t('callDecline')}
            </button>
          </div>
        </>
      )}
      {(v.phase === 'connecting' || v.phase === 'active') && (
        <>
          <p class="pw-call-state" role="status" data-testid="call-state">
            {t(v.phase === 'active' ? 'callActive' : 'callConnecting')}
          </p>
          <div class="pw-call-stage">
            <Media stream={v.remote} class="pw-call-remote" label={t('callRemote')} muted={false} />
            {v.local && v.local.getVideoTracks().length > 0 && (
              <Media stream={v.local} class="pw-call-local" label={t('callSelf')} muted />
            )}
          </div>
          <div class="pw-call-actions">
            <button
              type="button"
              class="pw-call-button"
              aria-pressed={v.muted}
              onClick={() => call.toggleMute()}
            >
              {t(v.muted ? 'callUnmute' : 'callMute')}
            </button>
            {v.local && v.local.getVideoTracks().length > 0 && (
              <button
                type="button"
                class="pw-call-button"
                aria-pressed={v.cameraOff}
                onClick={() => call.toggleCamera()}
              >
                {t(v.cameraOff ? 'callCameraOn' : 'callCameraOff')}
              </button>
            )}
            <button type="button" class="pw-call-button pw-call-decline" onClick={() => call.end()}>
              {t('callEnd')}
            </button>
          </div>
        </>
      )}
      {v.phase === 'ended' && (
        <div class="pw-call-actions">
          <p class="pw-call-state" role="status" data-testid="call-outcome">
            {t(v.ended ?? 'callEnded')}
          </p>
          <button type="button" class="pw-call-button" ref={first} onClick={onDone}>
            {t('callDismiss')}
          </button>
        </div>
      )}
    </section>
  );
}

function Media(props: { stream: MediaStream | null; class: string; label: string; muted: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== props.stream) ref.current.srcObject = props.stream;
  }, [props.stream]);
  return (
    <video ref={ref} class={props.class} aria-label={props.label} autoPlay playsInline muted={props.muted} />
  );
}
