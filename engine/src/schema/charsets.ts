/**
 * Character set facts normalization needs: the default collation a charset implies and its
 * bytes per character. MariaDB 10.11 values read from information_schema.CHARACTER_SETS;
 * MySQL 8.0 differs for utf8mb4 (utf8mb4_0900_ai_ci) and adds gb18030.
 */

const MARIADB_1011 = 'armscii8:armscii8_general_ci:1 ascii:ascii_general_ci:1 big5:big5_chinese_ci:2 binary:binary:1 cp1250:cp1250_general_ci:1 cp1251:cp1251_general_ci:1 cp1256:cp1256_general_ci:1 cp1257:cp1257_general_ci:1 cp850:cp850_general_ci:1 cp852:cp852_general_ci:1 cp866:cp866_general_ci:1 cp932:cp932_japanese_ci:2 dec8:dec8_swedish_ci:1 eucjpms:eucjpms_japanese_ci:3 euckr:euckr_korean_ci:2 gb2312:gb2312_chinese_ci:2 gbk:gbk_chinese_ci:2 geostd8:geostd8_general_ci:1 greek:greek_general_ci:1 hebrew:hebrew_general_ci:1 hp8:hp8_english_ci:1 keybcs2:keybcs2_general_ci:1 koi8r:koi8r_general_ci:1 koi8u:koi8u_general_ci:1 latin1:latin1_swedish_ci:1 latin2:latin2_general_ci:1 latin5:latin5_turkish_ci:1 latin7:latin7_general_ci:1 macce:macce_general_ci:1 macroman:macroman_general_ci:1 sjis:sjis_japanese_ci:2 swe7:swe7_swedish_ci:1 tis620:tis620_thai_ci:1 ucs2:ucs2_general_ci:2 ujis:ujis_japanese_ci:3 utf16:utf16_general_ci:4 utf16le:utf16le_general_ci:4 utf32:utf32_general_ci:4 utf8mb3:utf8mb3_general_ci:3 utf8mb4:utf8mb4_general_ci:4';

interface CharsetFact {
  collation: string;
  maxLen: number;
}

function table(spec: string): Record<string, CharsetFact> {
  const out: Record<string, CharsetFact> = {};
  for (const entry of spec.split(' ')) {
    const [name, collation, maxLen] = entry.split(':');
    out[name] = { collation, maxLen: Number(maxLen) };
  }
  return out;
}

const MARIADB = table(MARIADB_1011);
const MYSQL: Record<string, CharsetFact> = { ...MARIADB, utf8mb4: { collation: 'utf8mb4_0900_ai_ci', maxLen: 4 }, gb18030: { collation: 'gb18030_chinese_ci', maxLen: 4 } };

/** `utf8` is an alias of `utf8mb3` on MariaDB 10.6+ and MySQL 8.0, which print the long name. */
export function canonicalCharset(name: string): string {
  const lower = name.toLowerCase();
  return lower === 'utf8' ? 'utf8mb3' : lower;
}

export function canonicalCollation(name: string): string {
  const lower = name.toLowerCase();
  return lower.startsWith('utf8_') ? 'utf8mb3_' + lower.slice(5) : lower;
}

/** The collation a bare `CHARACTER SET x` implies; `overrides` (read from the server) win. */
export function defaultCollation(charset: string, flavor: 'mariadb' | 'mysql', overrides?: Record<string, string>): string {
  const cs = canonicalCharset(charset);
  return overrides?.[cs] ?? (flavor === 'mysql' ? MYSQL : MARIADB)[cs]?.collation ?? `${cs}_general_ci`;
}

/** The charset a collation belongs to: its name up to the first underscore (`binary` is its own). */
export function charsetOfCollation(collation: string): string {
  const c = canonicalCollation(collation);
  if (c === 'binary') return 'binary';
  const i = c.indexOf('_');
  return i < 0 ? c : c.slice(0, i);
}

export function maxBytesPerChar(charset: string): number {
  return MARIADB[canonicalCharset(charset)]?.maxLen ?? MYSQL[canonicalCharset(charset)]?.maxLen ?? 4;
}

/** Whether a server of either flavor knows this character set (utf8 included). */
export function isCharsetName(name: string): boolean {
  const cs = canonicalCharset(name);
  return cs in MARIADB || cs in MYSQL;
}
