// Plain constants, no schema library: the widget's message view imports this without TypeBox.
/**
 * The kinds of file Parley accepts as attachments. The kind is decided from the content (magic
 * bytes), never from the name or the client's MIME type; a workspace allows a subset of these.
 */
export const ATTACHMENT_KINDS = {
  png: { mediaType: 'image/png', extensions: ['png'], image: true, label: 'PNG image' },
  jpeg: { mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg'], image: true, label: 'JPEG image' },
  gif: { mediaType: 'image/gif', extensions: ['gif'], image: true, label: 'GIF image' },
  webp: { mediaType: 'image/webp', extensions: ['webp'], image: true, label: 'WebP image' },
  pdf: { mediaType: 'application/pdf', extensions: ['pdf'], image: false, label: 'PDF document' },
  text: { mediaType: 'text/plain; charset=utf-8', extensions: ['txt'], image: false, label: 'Text file' },
  docx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx'],
    image: false,
    label: 'Word document',
  },
  xlsx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extensions: ['xlsx'],
    image: false,
    label: 'Excel spreadsheet',
  },
  pptx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    extensions: ['pptx'],
    image: false,
    label: 'PowerPoint presentation',
  },
  odt: {
    mediaType: 'application/vnd.oasis.opendocument.text',
    extensions: ['odt'],
    image: false,
    label: 'OpenDocument text',
  },
} as const;

export type AttachmentKind = keyof typeof ATTACHMENT_KINDS;
