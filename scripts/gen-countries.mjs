// Regenerates locales/<lang>.countries.json (ISO 3166-1 alpha-2 -> localised name) from the
// npm package i18n-iso-countries. Run by hand when adding a language: node scripts/gen-countries.mjs xx
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
const require = createRequire(import.meta.url);
const countries = require('i18n-iso-countries');
const langs = process.argv.slice(2).length ? process.argv.slice(2) : ['en', 'es'];
for (const lang of langs) {
  countries.registerLocale(require(`i18n-iso-countries/langs/${lang}.json`));
  const names = countries.getNames(lang, { select: 'official' });
  delete names.XK; // user-assigned code, not part of ISO 3166-1
  const sorted = Object.fromEntries(Object.entries(names)
    .sort(([, a], [, b]) => a.localeCompare(b, lang)));
  writeFileSync(`locales/${lang}.countries.json`, JSON.stringify(sorted, null, 1) + '\n');
  console.log(lang, Object.keys(sorted).length);
}
