import { request } from 'undici';
import { readFileSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import { parseProfitJson } from '/work/main/dist/src/profit/json.js';
const auth = readFileSync('/tmp/prof/auth.txt','utf8').trim();
const bufs = [];
for (const line of readFileSync('/tmp/prof/calls.txt','utf8').split('\n')) {
  const r = await request('http://127.0.0.1:4730' + line, { headers: { authorization: auth } }); bufs.push(Buffer.from(await r.body.arrayBuffer()));
}
const BLOCK = 1024;
function asciiText(buf) {
  const n = buf.length;
  if (isAscii(buf)) return buf.latin1Slice(0, n);
  let out = '';
  let from = 0; // start of the pending ASCII run
  for (let b = 0; b < n; b += BLOCK) {
    const end = Math.min(n, b + BLOCK);
    if (isAscii(buf.subarray(b, end))) continue;
    for (let i = Math.max(b, from); i < end; i++) {
      if (buf[i] < 0x80) continue;
      let j = i + 1;
      while (j < n && buf[j] >= 0x80) j++;
      out += buf.latin1Slice(from, i);
      const s = buf.utf8Slice(i, j);
      for (let k = 0; k < s.length; k++) out += '\\u' + s.charCodeAt(k).toString(16).padStart(4, '0');
      from = j; i = j - 1;
    }
  }
  return out + buf.latin1Slice(from, n);
}
for (const b of bufs) { const a = JSON.stringify(JSON.parse(b.toString('utf8'))); const c = JSON.stringify(JSON.parse(asciiText(b))); if (a !== c) throw new Error('differs'); }
function time(f, n = 300) { for (let i = 0; i < 30; i++) for (const b of bufs) f(b); const s = process.cpuUsage(); for (let i = 0; i < n; i++) for (const b of bufs) f(b); const u = process.cpuUsage(s); return ((u.user + u.system) / n / 1000).toFixed(3); }
for (let k = 0; k < 3; k++) console.log('utf8+parse', time(b => JSON.parse(b.toString('utf8'))), 'ascii+parse', time(b => JSON.parse(asciiText(b))), 'utf8+profit', time(b => parseProfitJson(b.toString('utf8'))), 'ascii+profit', time(b => parseProfitJson(asciiText(b))), 'asciiText', time(asciiText));
