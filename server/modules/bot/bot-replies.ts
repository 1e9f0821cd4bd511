import type { MessageAction } from '../../../protocol/structured.js';
import { STRUCTURED_LIMITS } from '../../../protocol/structured.js';
import { visitorText } from '../../i18n/visitor-texts.js';
import type { KnowledgeArticlesTable } from '../../platform/db/schema.js';

/** The button under the bot's answers that asks for a person, in the conversation's language. */
export function handoffAction(language: string | null): MessageAction {
  return { id: 'handoff', kind: 'handoff', label: visitorText(language, 'handoffAction') };
}

/** A suggestion button: pressing it answers with that article. The id carries the article's id. */
export function articleAction(article: Pick<KnowledgeArticlesTable, 'id' | 'title'>): MessageAction {
  const label =
    article.title.length > STRUCTURED_LIMITS.maxLabelChars
      ? `${article.title.slice(0, STRUCTURED_LIMITS.maxLabelChars - 1)}…`
      : article.title;
  return { id: `article_${article.id.replace(/-/g, '')}`, kind: 'reply', label };
}

export function articleIdOf(actionId: string): string | null {
  const m = /^article_([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/.exec(actionId);
  return m ? m.slice(1).join('-') : null;
}

export function suggestionReply(language: string | null, hasSuggestions: boolean): string {
  return visitorText(language, hasSuggestions ? 'suggestions' : 'noAnswer');
}
