import { type FormEvent, useEffect, useState } from 'react';
import type { Widget } from '../../../protocol/api.js';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../../../protocol/languages.js';
import { PROACTIVE_LIMITS, type ProactiveRuleBody } from '../../../protocol/proactive.js';
import { errorMessage } from '../api.js';
import { useSession } from '../lib/session-context.js';
import { proactiveApi } from '../prechat-api.js';
import { FormError, TextField } from './field.js';

const PATH = /^\/[A-Za-z0-9/_.~%*!$&'()+,;=:@-]*$/;

/**
 * The proactive message: after some seconds on pages whose path matches a pattern, shown once per
 * visitor beside the launcher (on a phone only a dot on it). It never opens the chat. Administrators only.
 */
export function ProactiveCard({ widget }: { widget: Widget }) {
  const { me } = useSession();
  const ws = me.workspace.id;
  const [rule, setRule] = useState<ProactiveRuleBody | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    proactiveApi.get(ws, widget.id).then(
      ({ widgetId: _id, version: _v, ...body }) => setRule(body),
      (e) => setError(errorMessage(e)),
    );
  }, [ws, widget.id]);

  const change = (patch: Partial<ProactiveRuleBody>) => setRule((r) => (r ? { ...r, ...patch } : r));
  const pathError =
    rule && !PATH.test(rule.path)
      ? 'Start with / and use a path’s characters and * (any characters), for example /pricing*.'
      : null;
  const textError = rule && !rule.text.trim() ? 'Write the message.' : null;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!rule || pathError || textError) return;
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const { widgetId: _id, version: _v, ...body } = await proactiveApi.save(ws, widget.id, rule);
      setRule(body);
      setMessage('Proactive message saved.');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="proactive-title" data-testid="proactive-card">
      <h2 id="proactive-title" className="card-title">
        Proactive message
      </h2>
      <p className="muted">
        Shown once per visitor beside the launcher, after the delay, on pages whose path matches. It never
        opens the chat; on screens narrower than 600 px only a dot appears on the launcher.
      </p>
      {message && <p role="status">{message}</p>}
      <FormError message={error} />
      {rule && (
        <form className="form" onSubmit={(e) => void save(e)} noValidate>
          <label className="choice">
            <input
              type="checkbox"
              checked={rule.enabled}
              onChange={(e) => change({ enabled: e.target.checked })}
              data-testid="proactive-enabled"
            />
            <span>Show the proactive message</span>
          </label>
          <TextField
            label="After (seconds)"
            type="number"
            min={0}
            max={PROACTIVE_LIMITS.maxDelaySeconds}
            value={rule.delaySeconds}
            onChange={(e) =>
              change({
                delaySeconds: Math.max(
                  0,
                  Math.min(PROACTIVE_LIMITS.maxDelaySeconds, Math.round(Number(e.target.value) || 0)),
                ),
              })
            }
            data-testid="proactive-delay"
          />
          <TextField
            label="On pages whose path matches"
            hint="A path with * for any characters, for example /pricing* or /shop/*/checkout. Not a regular expression."
            maxLength={PROACTIVE_LIMITS.maxPathChars}
            spellCheck={false}
            autoCapitalize="off"
            value={rule.path}
            onChange={(e) => change({ path: e.target.value.trim() })}
            error={pathError}
            data-testid="proactive-path"
          />
          <TextField
            label="Message (the widget’s default language)"
            maxLength={PROACTIVE_LIMITS.maxTextChars}
            value={rule.text}
            onChange={(e) => change({ text: e.target.value })}
            error={textError}
            data-testid="proactive-text"
          />
          <fieldset className="fieldset">
            <legend>In other languages (optional; empty: the default message)</legend>
            {LANGUAGES.map((lang: Language) => (
              <TextField
                key={lang}
                label={LANGUAGE_NAMES[lang]}
                lang={lang}
                dir={lang === 'ar' ? 'rtl' : 'ltr'}
                maxLength={PROACTIVE_LIMITS.maxTextChars}
                value={rule.textTranslations[lang] ?? ''}
                onChange={(e) =>
                  change({ textTranslations: { ...rule.textTranslations, [lang]: e.target.value } })
                }
                data-testid={`proactive-text-${lang}`}
              />
            ))}
          </fieldset>
          <div className="form-actions">
            <button
              type="submit"
              className="button button-primary"
              disabled={busy || pathError !== null || textError !== null}
              data-testid="proactive-save"
            >
              {busy ? 'Saving…' : 'Save proactive message'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
