/**
 * The SARIF 2.1.0 (rtm.5, the released grammar) JSON schema as the npm package
 * @microsoft/jest-sarif ships it, compiled once, offline.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

// The schema's language pattern is not valid with the u flag; JSON Schema draft-04 regexes are ECMA 262 without it.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
export const validateSarif = ajv.compile(JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object);

export interface SarifLog {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; rules: Array<{ id: string; helpUri: string; defaultConfiguration: { enabled: boolean; level: string } }> } };
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations?: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }>;
    }>;
  }>;
}

/** Parses a log and fails the test, with the schema's complaints, unless it is valid SARIF 2.1.0. */
export function validLog(text: string): SarifLog {
  const log = JSON.parse(text) as SarifLog;
  assert.ok(validateSarif(log), `not valid SARIF 2.1.0: ${ajv.errorsText(validateSarif.errors)}`);
  return log;
}
