/**
 * The README and docs/ link to each other, to bench/ and to source files. A moved or renamed file or heading breaks
 * a link without failing anything else, so every relative link is checked here: its file must exist and, when it
 * names a heading (`file.md#anchor`), the heading must be there (anchors as GitHub renders them).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Pages of issue 13 that other branches write while this one links them. A missing one is reported as a todo, not
 * a broken link; once merged, each is checked like any other page. Empty this list after the merge.
 */
const WRITTEN_ELSEWHERE: string[] = [];

const pages = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];

/** The text outside fenced code blocks and inline code: a link written inside code is an example, not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** The targets of the page's inline links `[text](target)`, titles dropped. */
function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] as string);
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens; repeats get -1, -2, … */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutCode = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const match of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = (match[1] as string).replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** What is wrong with one link from `page`, or undefined when it reaches its file and heading. */
function brokenLink(page: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto: …: not this repository's
  const [pathPart = '', anchor] = target.split('#', 2) as [string, string | undefined];
  const file = pathPart === '' ? join(ROOT, page) : resolve(ROOT, dirname(page), decodeURIComponent(pathPart));
  const inRepo = relative(ROOT, file);
  if (inRepo.startsWith('..')) return `${target}: points outside the repository`;
  if (!existsSync(file)) {
    return WRITTEN_ELSEWHERE.includes(inRepo) ? undefined : `${target}: no such file (${inRepo})`;
  }
  if (anchor === undefined || anchor === '') return undefined;
  if (!file.endsWith('.md') || statSync(file).isDirectory()) return undefined; // line anchors in code: not checked
  const anchors = headingAnchors(readFileSync(file, 'utf8'));
  return anchors.has(anchor) ? undefined : `${target}: ${inRepo} has no heading #${anchor}`;
}

describe('documentation links', () => {
  for (const page of pages) {
    it(`every relative link in ${page} reaches an existing file and heading`, () => {
      const text = readFileSync(join(ROOT, page), 'utf8');
      const broken = linkTargets(text)
        .map((target) => brokenLink(page, target))
        .filter((problem) => problem !== undefined);
      expect(broken).toEqual([]);
    });
  }

  for (const page of WRITTEN_ELSEWHERE.filter((p) => !existsSync(join(ROOT, p)))) {
    it.todo(`${page} exists (written on another branch of issue 13)`);
  }

  it('finds a broken file link and a missing heading, so a pass means something', () => {
    expect(brokenLink('README.md', 'docs/no-such-page.md')).toMatch(/no such file/);
    expect(brokenLink('docs/reading.md', 'reading.md#no-such-heading')).toMatch(/no heading #no-such-heading/);
    expect(brokenLink('docs/reading.md', '#paging')).toBeUndefined();
    expect(brokenLink('docs/reading.md', '../README.md#the-map-of-src')).toBeUndefined();
  });

  it('names headings as GitHub does: code and punctuation dropped, repeats numbered', () => {
    const anchors = headingAnchors(
      '# The map of `src/`\n## Long filters are split, not refused\n## Bounds\n## Bounds\n',
    );
    expect([...anchors]).toEqual(['the-map-of-src', 'long-filters-are-split-not-refused', 'bounds', 'bounds-1']);
  });
});

describe('the README', () => {
  it('stays a five-minute read: at most 150 lines, the rest in docs/', () => {
    const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(150);
  });

  it('links every page of docs/', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const unlinked = pages.filter((page) => page !== 'README.md' && !readme.includes(`](${page})`));
    expect(unlinked).toEqual([]);
  });
});

describe('the performance block', () => {
  it('is kept, begin and end markers in order, where the lead copies bench/peers-results.md into', () => {
    const text = readFileSync(join(ROOT, 'docs/benchmarks.md'), 'utf8');
    const begin = text.indexOf('<!-- performance: begin');
    const end = text.indexOf('<!-- performance: end -->');
    expect(begin).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(begin);
  });
});
