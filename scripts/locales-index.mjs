// Trunk post-build hook (Trunk.toml): writes locales/index.json beside the locale files that
// index.html's copy-dir put in the build, listing each language, its own name and its two files:
//   {"languages": [{"code": "es", "name": "Español", "files": ["/locales/es.json", "/locales/es.countries.json"]}, …]}
// The service worker precaches the files it names, so a language switched to offline works.
// (The app itself knows the languages from its build, src/i18n.rs; it fetches a language's two
// files only when that language is asked for. English is compiled in and not listed.)
// Generated here rather than kept in locales/: the builds read every locales/<lang>.json as a
// language.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(process.env.TRUNK_STAGING_DIR ?? process.argv[2] ?? 'dist', 'locales');
if (!existsSync(dir)) throw new Error(`${dir}: no locale files in the build (index.html's copy-dir)`);
const languages = readdirSync(dir)
  .filter((f) => /^[a-z]{2,3}\.json$/.test(f) && f !== 'en.json')
  .sort()
  .map((f) => {
    const code = f.slice(0, -'.json'.length);
    const texts = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    const countries = `${code}.countries.json`;
    if (!existsSync(join(dir, countries))) throw new Error(`locales/${countries} is missing`);
    return { code, name: texts._language_name ?? code, files: [`/locales/${f}`, `/locales/${countries}`] };
  });
writeFileSync(join(dir, 'index.json'), `${JSON.stringify({ languages })}\n`);
