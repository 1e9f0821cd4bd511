import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  docx,
  jpegWithExif,
  odt,
  pdf,
  png,
  pptx,
  svgWithScript,
  windowsExecutable,
  xlsx,
  zipOf,
} from '../../../test/support/sample-files.js';
import { cleanFileName } from './clean-file-name.js';
import { detectKind } from './detect-kind.js';

describe('the kind of a file comes from its content', () => {
  it('recognises each accepted kind by its magic bytes', async () => {
    expect(detectKind(await png())).toBe('png');
    expect(detectKind(await jpegWithExif())).toBe('jpeg');
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: 'red' } })
      .gif()
      .toBuffer();
    expect(detectKind(gif)).toBe('gif');
    const webp = await sharp({ create: { width: 4, height: 4, channels: 3, background: 'red' } })
      .webp()
      .toBuffer();
    expect(detectKind(webp)).toBe('webp');
    expect(detectKind(pdf())).toBe('pdf');
    expect(detectKind(Buffer.from('Order 1234\r\nDelivered: no\tæøå ✓\n'))).toBe('text');
    expect(detectKind(docx())).toBe('docx');
    expect(detectKind(xlsx())).toBe('xlsx');
    expect(detectKind(pptx())).toBe('pptx');
    expect(detectKind(odt())).toBe('odt');
  });

  it('refuses executables, markup that could run script, macros, other archives and binary data', () => {
    expect(detectKind(windowsExecutable())).toBeNull();
    expect(detectKind(Buffer.from('\x7fELF\x02\x01\x01', 'latin1'))).toBeNull();
    expect(detectKind(svgWithScript())).toBeNull();
    expect(detectKind(Buffer.from('hello\n<!DOCTYPE html><p>hi'))).toBeNull();
    expect(detectKind(Buffer.from('  <html><script>alert(1)</script>'))).toBeNull();
    expect(detectKind(Buffer.from('<?xml version="1.0"?><x/>'))).toBeNull();
    expect(
      detectKind(
        zipOf([
          ['[Content_Types].xml', '<Types/>'],
          ['word/document.xml', '<w:document/>'],
          ['word/vbaProject.bin', 'macro'],
        ]),
      ),
    ).toBeNull();
    expect(detectKind(zipOf([['payload.exe', 'MZ']]))).toBeNull();
    expect(detectKind(Buffer.from([0x00, 0x01, 0x02, 0xff]))).toBeNull();
    expect(detectKind(Buffer.from([0xc3, 0x28]))).toBeNull();
  });
});

describe('file names are cleaned', () => {
  it('drops paths, control and direction characters, keeps the real extension, bounds the length', () => {
    expect(cleanFileName('../../etc/passwd', 'text')).toBe('passwd.txt');
    expect(cleanFileName('C:\\Users\\me\\photo.JPG', 'jpeg')).toBe('photo.JPG');
    expect(cleanFileName('invoice\u202Efdp.exe', 'pdf')).toBe('invoicefdp.exe.pdf');
    expect(cleanFileName('report.exe', 'pdf')).toBe('report.exe.pdf');
    expect(cleanFileName('a<b>:c|d?.txt', 'text')).toBe('a_b__c_d_.txt');
    expect(cleanFileName(' ..hidden. ', 'text')).toBe('hidden.txt');
    expect(cleanFileName(undefined, 'png')).toBe('file.png');
    expect(cleanFileName('\u0000\u0007', 'png')).toBe('file.png');
    const long = cleanFileName(`${'x'.repeat(300)}.pdf`, 'pdf');
    expect(long.length).toBe(120);
    expect(long.endsWith('.pdf')).toBe(true);
  });
});
