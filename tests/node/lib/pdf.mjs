// PDFs made in the test, never checked-in fixtures: a valid N-page PDF written by hand with a
// correct xref table, an encrypted copy (qpdf CLI), and helpers to count pages and hash bytes.
//
//   const pdf = makePdf({ pages: 2, label: 'NDA' });        // Buffer
//   const big = makePdf({ pages: 1, padBytes: 1_500_000 });  // > 1.5 MB, still valid
//   const enc = await encryptPdf(pdf);                        // needs `qpdf`
//   await pageCount(buf)                                      // qpdf --show-npages (or pdfinfo)

import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, writeFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function escapePdfString(s) {
  return s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');
}

/**
 * A valid PDF 1.4 with `pages` pages (612x792), each showing "<label> page i/N".
 * `padBytes` > 0 adds a form XObject (referenced from every page's resources, never painted)
 * holding that many bytes of comment lines, to make big files that are still valid PDFs.
 * `unique` (default true) adds a random token to the text, so two calls never produce the
 * same bytes.
 */
export function makePdf({ pages = 1, label = 'Countersign test document', padBytes = 0, unique = true } = {}) {
  const token = unique ? ` ${randomBytes(6).toString('hex')}` : '';
  const objects = []; // [objectNumber, Buffer body (between "N 0 obj\n" and "\nendobj\n")]
  const pageIds = [];
  const firstPageObj = 4;
  const padObj = padBytes > 0 ? firstPageObj + 2 * pages : 0;
  for (let i = 0; i < pages; i += 1) {
    pageIds.push(firstPageObj + 2 * i);
  }
  objects.push([1, Buffer.from('<< /Type /Catalog /Pages 2 0 R >>', 'latin1')]);
  objects.push([2, Buffer.from(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages} >>`, 'latin1')]);
  objects.push([3, Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>', 'latin1')]);
  for (let i = 0; i < pages; i += 1) {
    const pageId = pageIds[i];
    const contentId = pageId + 1;
    const xobj = padObj ? ` /XObject << /Pad ${padObj} 0 R >>` : '';
    objects.push([pageId, Buffer.from(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >>${xobj} >> /Contents ${contentId} 0 R >>`,
      'latin1')]);
    const text = escapePdfString(`${label} page ${i + 1}/${pages}${token}`);
    const content = Buffer.from(`BT /F1 18 Tf 72 720 Td (${text}) Tj ET\n`, 'latin1');
    objects.push([contentId, Buffer.concat([
      Buffer.from(`<< /Length ${content.length} >>\nstream\n`, 'latin1'), content, Buffer.from('\nendstream', 'latin1')])]);
  }
  if (padObj) {
    const line = `% padding ${'x'.repeat(100)}\n`;
    const n = Math.ceil(padBytes / line.length);
    const data = Buffer.from(line.repeat(n), 'latin1');
    objects.push([padObj, Buffer.concat([
      Buffer.from(`<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Length ${data.length} >>\nstream\n`, 'latin1'),
      data, Buffer.from('\nendstream', 'latin1')])]);
  }
  objects.sort((a, b) => a[0] - b[0]);

  const chunks = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0].length;
  const offsets = new Map();
  for (const [num, body] of objects) {
    offsets.set(num, offset);
    const piece = Buffer.concat([Buffer.from(`${num} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    chunks.push(piece);
    offset += piece.length;
  }
  const size = objects.length + 1;
  let xref = `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let num = 1; num < size; num += 1) {
    const off = offsets.get(num);
    if (off === undefined) throw new Error(`object ${num} missing`);
    xref += `${String(off).padStart(10, '0')} 00000 n \n`;
  }
  xref += `trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`;
  chunks.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(chunks);
}

/** Bytes that are not a PDF at all (but named .pdf by the tests). */
export function garbagePdf() {
  return Buffer.concat([Buffer.from('this is not a PDF, just some text\n'), randomBytes(256)]);
}

function run(cmd, args, { okCodes = [0] } = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 << 20, encoding: 'buffer' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      if (!okCodes.includes(code)) {
        reject(new Error(`${cmd} ${args.join(' ')} failed (${err?.message}): ${stderr}`));
        return;
      }
      resolve({ code, stdout, stderr });
    });
  });
}

async function withTempDir(fn) {
  const dir = await mkdtemp(join(tmpdir(), 'countersign-pdf-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `pdf` encrypted with AES-256 (user password "user", owner password "owner") by qpdf. */
export async function encryptPdf(pdf) {
  return withTempDir(async (dir) => {
    const inPath = join(dir, 'in.pdf');
    const outPath = join(dir, 'out.pdf');
    await writeFile(inPath, pdf);
    await run('qpdf', ['--encrypt', 'user', 'owner', '256', '--', inPath, outPath]);
    return readFile(outPath);
  });
}

/** Number of pages of a PDF held in `buf` (qpdf --show-npages; pdfinfo as a fallback). */
export async function pageCount(buf) {
  return withTempDir(async (dir) => {
    const p = join(dir, 'doc.pdf');
    await writeFile(p, buf);
    try {
      // qpdf exits 3 for warnings (e.g. a repaired file); the count is still printed.
      const r = await run('qpdf', ['--show-npages', p], { okCodes: [0, 3] });
      const n = parseInt(String(r.stdout).trim(), 10);
      if (Number.isInteger(n)) return n;
    } catch {
      // fall through to pdfinfo
    }
    const r = await run('pdfinfo', [p]);
    const m = /^Pages:\s+(\d+)/m.exec(String(r.stdout));
    if (!m) throw new Error(`pdfinfo printed no page count: ${r.stdout}`);
    return parseInt(m[1], 10);
  });
}

/** True when qpdf --check accepts the PDF (exit 0, or 3 = warnings only). */
export async function isValidPdf(buf) {
  return withTempDir(async (dir) => {
    const p = join(dir, 'doc.pdf');
    await writeFile(p, buf);
    try {
      await run('qpdf', ['--check', p], { okCodes: [0, 3] });
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * The text of a PDF held in `buf` as pdftotext extracts it (UTF-8), of page `page` (1-based)
 * only when given. Reads the PDF from stdin: no temporary file.
 */
export function pdfText(buf, page) {
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  return execFileSync('pdftotext', ['-enc', 'UTF-8', ...range, '-', '-'], { input: buf }).toString();
}

/** Lowercase hex SHA-256 of a Buffer / Uint8Array / string. */
export function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

/** What pdfsig prints about the signatures of the PDF held in `buf` (stdout and stderr). */
export async function pdfsigReport(buf) {
  return withTempDir(async (dir) => {
    const p = join(dir, 'signed.pdf');
    await writeFile(p, buf);
    const r = await run('pdfsig', [p], { okCodes: [0, 1, 2] });
    return `${r.stdout}${r.stderr}`;
  });
}
