import { ATTACHMENT_KINDS } from '../../../protocol/attachment-kinds.js';
import type { Attachment } from '../../../protocol/attachments.js';
import type { Author } from '../../../protocol/common.js';
import { fileSize } from '../../../protocol/file-size.js';
import { can } from '../../../protocol/permissions.js';
import { useSession } from '../lib/session-context.js';

/**
 * A message's files: images as thumbnails that open full size in a new tab, other files as a card
 * that downloads. Both come from the download route with the agent's session; a role without
 * personal data is not given a visitor's files (the server answers 403), so it sees a card saying so.
 */
export function MessageFiles({ attachments, author }: { attachments: Attachment[]; author: Author }) {
  const { me } = useSession();
  const hidden = author.kind === 'visitor' && !can(me.role, 'personal-data.read');
  const url = (a: Attachment) => `/api/v1/workspaces/${me.workspace.id}/attachments/${a.id}`;
  return (
    <div className="message-files" data-testid="message-files">
      {attachments.map((a) => {
        const kind = ATTACHMENT_KINDS[a.kind];
        if (hidden)
          return (
            <div key={a.id} className="file-card is-hidden" data-testid="file-hidden">
              <span className="file-card-name">{kind.label}</span>
              <span className="file-card-meta">Hidden: your role does not see visitors’ files</span>
            </div>
          );
        return kind.image ? (
          <a
            key={a.id}
            className="file-thumb"
            href={url(a)}
            target="_blank"
            rel="noopener noreferrer"
            data-testid="file-image"
            aria-label={`Open image ${a.name} full size`}
          >
            <img src={url(a)} alt={a.name} width={a.width ?? undefined} height={a.height ?? undefined} />
          </a>
        ) : (
          <a key={a.id} className="file-card" href={url(a)} download={a.name} data-testid="file-card">
            <span className="file-card-name">{a.name}</span>
            <span className="file-card-meta">
              {kind.label} · {fileSize(a.size)}
            </span>
          </a>
        );
      })}
    </div>
  );
}
