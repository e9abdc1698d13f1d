// Regenerates locales/<lang>.countries.json (ISO 3166-1 alpha-2 -> localised name). The codes
// come from the npm package i18n-iso-countries; the names are CLDR's, through Node's
// Intl.DisplayNames — the short names browsers and operating systems show ("China", "Iran",
// "North Macedonia", "Corea del Sur"), where the package's official names put China under P
// and South Korea under R. Run by hand when adding a language: node scripts/gen-countries.mjs xx
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
const require = createRequire(import.meta.url);
const countries = require('i18n-iso-countries');
const codes = Object.keys(countries.getAlpha2Codes()).filter((code) => code !== 'XK'); // XK: user-assigned, not ISO 3166-1
const langs = process.argv.slice(2).length ? process.argv.slice(2) : ['en', 'es'];
// The CLDR locale of each interface language: Spanish is the seed's Latin-American Spanish
// ("Arabia Saudita", "Rumania"), not Spain's.
const cldrLocale = { es: 'es-419' };
for (const lang of langs) {
  const display = new Intl.DisplayNames([cldrLocale[lang] ?? lang], { type: 'region', fallback: 'none' });
  const names = Object.fromEntries(codes.map((code) => {
    const name = display.of(code);
    if (!name) throw new Error(`${lang}: no CLDR name for ${code}`);
    return [code, name];
  }));
  const sorted = Object.fromEntries(Object.entries(names)
    .sort(([, a], [, b]) => a.localeCompare(b, cldrLocale[lang] ?? lang)));
  writeFileSync(`locales/${lang}.countries.json`, JSON.stringify(sorted, null, 1) + '\n');
  console.log(lang, Object.keys(sorted).length);
}
