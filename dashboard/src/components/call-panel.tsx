import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useNow } from '../hooks/use-now.js';
import { CallSession, type CallView, END_WORDS } from '../lib/call-session.js';
import { useSession } from '../lib/session-context.js';

/**
 * "Voice call" and "Video call" for an agent who may write to the conversation, shown only when the
 * conversation's widget has calls on; while a call runs, the in-call panel replaces the buttons.
 */
export function CallControls({ conversationId, widgetId }: { conversationId: string; widgetId: string }) {
  const { realtime } = useSession();
  const [session] = useState(() => new CallSession(realtime, conversationId));
  useEffect(() => () => session.dispose(), [session]);
  const subscribe = useCallback((cb: () => void) => session.listen(cb), [session]);
  const view = useSyncExternalStore(subscribe, () => session.snapshot);
  const callsOn = useCallsOn(widgetId);
  // Tests read the peer connection's statistics through this.
  useEffect(() => {
    (window as unknown as { parleyCall?: CallSession }).parleyCall = session;
  }, [session]);

  if (!callsOn) return null;
  const live = view.phase !== 'idle' && view.phase !== 'ended';
  return (
    <section className="call" aria-label="Call" data-testid="call">
      {!live && (
        <div className="call-start">
          <button type="button" className="button button-small" onClick={() => void session.start('audio')}>
            Voice call
          </button>
          <button type="button" className="button button-small" onClick={() => void session.start('video')}>
            Video call
          </button>
          {view.phase === 'ended' && (
            <p
              className={view.error ? 'call-error' : 'call-note muted'}
              role="status"
              data-testid="call-outcome"
            >
              {view.error ?? (view.endReason ? END_WORDS[view.endReason] : '')}
            </p>
          )}
        </div>
      )}
      {live && <InCall session={session} view={view} />}
    </section>
  );
}

function InCall({ session, view }: { session: CallSession; view: CallView }) {
  const now = useNow(1000);
  const video = view.media === 'video';
  return (
    <div className="call-live">
      <p className="call-state" role="status" data-testid="call-state">
        {phaseWords(view)}
        {view.activeSince !== null && <span className="call-timer"> {timer(now - view.activeSince)}</span>}
      </p>
      <div className={video ? 'call-stage' : 'call-stage call-stage-audio'}>
        <MediaView stream={view.remote} className="call-remote" label="The visitor" muted={false} />
        {video && <MediaView stream={view.local} className="call-local" label="Your camera" muted />}
      </div>
      {view.error && (
        <p className="call-error" role="alert">
          {view.error}
        </p>
      )}
      <div className="call-actions">
        <button
          type="button"
          className="button button-small"
          aria-pressed={view.muted}
          onClick={() => session.toggleMute()}
        >
          {view.muted ? 'Unmute' : 'Mute'}
        </button>
        {video && (
          <button
            type="button"
            className="button button-small"
            aria-pressed={view.cameraOff}
            onClick={() => session.toggleCamera()}
          >
            {view.cameraOff ? 'Camera on' : 'Camera off'}
          </button>
        )}
        {video && (
          <button
            type="button"
            className="button button-small"
            aria-pressed={view.sharing}
            disabled={view.phase !== 'active' && view.phase !== 'connecting'}
            onClick={() => void session.toggleShare()}
          >
            {view.sharing ? 'Stop sharing' : 'Share screen'}
          </button>
        )}
        <button type="button" className="button button-small button-danger" onClick={() => session.end()}>
          End call
        </button>
      </div>
    </div>
  );
}

function MediaView(props: { stream: MediaStream | null; className: string; label: string; muted: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== props.stream) ref.current.srcObject = props.stream;
  }, [props.stream]);
  return (
    <video
      ref={ref}
      className={props.className}
      aria-label={props.label}
      autoPlay
      playsInline
      muted={props.muted}
    />
  );
}

function phaseWords(view: CallView): string {
  const kind = view.media === 'video' ? 'Video call' : 'Voice call';
  if (view.phase === 'starting') return `${kind}: starting…`;
  if (view.phase === 'ringing') return `${kind}: ringing the visitor…`;
  if (view.phase === 'connecting') return `${kind}: connecting…`;
  return `${kind} in progress`;
}

function timer(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The widget's public answer says whether calls are on (agents without widget rights may read it). */
function useCallsOn(widgetId: string): boolean {
  const [on, setOn] = useState(false);
  useEffect(() => {
    let live = true;
    fetch(`/api/v1/widgets/${encodeURIComponent(widgetId)}/public`, { credentials: 'omit' })
      .then((r) => (r.ok ? r.json() : null))
      .then((b: { calls?: boolean } | null) => {
        if (live) setOn(b?.calls === true);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [widgetId]);
  return on;
}
