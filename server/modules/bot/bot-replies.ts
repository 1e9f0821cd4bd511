import type { MessageAction } from '../../../protocol/structured.js';
import { STRUCTURED_LIMITS } from '../../../protocol/structured.js';
import type { KnowledgeArticlesTable } from '../../platform/db/schema.js';

export const HANDOFF_ACTION: MessageAction = { id: 'handoff', kind: 'handoff', label: 'Talk to a person' };

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

export function suggestionReply(hasSuggestions: boolean): string {
  return hasSuggestions
    ? 'I’m not sure I have the answer to that. Is it one of these?'
    : 'Sorry, I could not find an answer to that. Try asking another way, or talk to a person.';
}
