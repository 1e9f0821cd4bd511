import { useEffect, useState } from 'react';
import { AttachmentDrafts, type Draft } from '../../../protocol/attachment-drafts.js';

/**
 * The files chosen for the next reply in one conversation (protocol/attachment-drafts.ts does the
 * work). Leaving the conversation stops its uploads and drops the list: an upload no message
 * carries is deleted by the server within a day.
 */
export function useFileDrafts(uploadUrl: string): {
  drafts: readonly Draft[];
  files: AttachmentDrafts | null;
} {
  const [drafts, setDrafts] = useState<readonly Draft[]>([]);
  const [files, setFiles] = useState<AttachmentDrafts | null>(null);
  useEffect(() => {
    const list = new AttachmentDrafts(() => uploadUrl, setDrafts);
    setFiles(list);
    setDrafts([]);
    return () => {
      for (const d of list.drafts) list.remove(d.id);
    };
  }, [uploadUrl]);
  return { drafts, files };
}
