import { type FormEvent, useState } from 'react';
import type { Article, ArticleBody, KnowledgeLanguage } from '../../../protocol/knowledge-api.js';
import { KNOWLEDGE_LANGUAGES, KNOWLEDGE_LIMITS } from '../../../protocol/knowledge-api.js';
import { LANGUAGE_NAMES } from '../../../protocol/languages.js';
import { ApiError, errorMessage } from '../api.js';
import { FormError, TextAreaField, TextField } from './field.js';
import { SelectField } from './select-field.js';

const LANGUAGE_OPTIONS = KNOWLEDGE_LANGUAGES.map((l) => ({
  value: l,
  label: l === 'other' ? 'Any language (used when none in the visitor’s answers)' : LANGUAGE_NAMES[l],
}));

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** Create or edit one article. Alternative questions one per line; tags separated by commas. */
export function ArticleForm({
  article,
  onSave,
  onCancel,
}: {
  article: Article | null;
  onSave: (body: ArticleBody) => Promise<void>;
  onCancel: () => void;
}) {
  const [title, setTitle] = useState(article?.title ?? '');
  const [body, setBody] = useState(article?.body ?? '');
  const [questions, setQuestions] = useState(article?.questions.join('\n') ?? '');
  const [tags, setTags] = useState(article?.tags.join(', ') ?? '');
  const [published, setPublished] = useState(article?.published ?? true);
  const [language, setLanguage] = useState<KnowledgeLanguage>(article?.language ?? 'en');
  const [error, setError] = useState<{ message: string; details: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSave({
        title,
        body,
        questions: lines(questions),
        tags: tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
        language,
        published,
      });
    } catch (err) {
      setError({ message: errorMessage(err), details: err instanceof ApiError ? err.details : [] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card article-form"
      onSubmit={submit}
      aria-label={article ? 'Edit article' : 'New article'}
    >
      <FormError message={error?.message ?? null} details={error?.details ?? []} />
      <TextField
        label="Title"
        value={title}
        required
        maxLength={KNOWLEDGE_LIMITS.maxTitleChars}
        onChange={(e) => setTitle(e.currentTarget.value)}
      />
      <TextAreaField
        label="Answer"
        hint="Plain text. The bot sends it as it is and cites the title."
        value={body}
        required
        rows={5}
        maxLength={KNOWLEDGE_LIMITS.maxBodyChars}
        onChange={(e) => setBody(e.currentTarget.value)}
      />
      <TextAreaField
        label="Alternative questions"
        hint="One per line: other ways customers ask this."
        value={questions}
        rows={3}
        onChange={(e) => setQuestions(e.currentTarget.value)}
      />
      <SelectField
        label="Language"
        hint="The bot answers a visitor from articles in their language first, then from the widget’s default language."
        options={LANGUAGE_OPTIONS}
        value={language}
        onChange={(e) => setLanguage(e.currentTarget.value as KnowledgeLanguage)}
        data-testid="article-language"
      />
      <TextField
        label="Tags"
        hint="Separated by commas."
        value={tags}
        onChange={(e) => setTags(e.currentTarget.value)}
      />
      <label className="checkbox">
        <input type="checkbox" checked={published} onChange={(e) => setPublished(e.currentTarget.checked)} />{' '}
        Published (the bot answers with it)
      </label>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save article'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
