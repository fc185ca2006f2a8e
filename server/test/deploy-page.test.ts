import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sqlSpans } from '../src/features/deploy-page.js';

test('statement tokens for the page: bare words are keywords (the engine quotes every name), strings, numbers, comments', () => {
  const sql = "ALTER TABLE `users` ADD COLUMN `nick` varchar(20) NOT NULL DEFAULT 'a;b' /* why */";
  const spans = sqlSpans(sql).map((s) => [sql.slice(s.start, s.end), s.kind]);
  assert.deepEqual(spans, [
    ['ALTER', 'keyword'], ['TABLE', 'keyword'], ['`users`', 'identifier'], ['ADD', 'keyword'], ['COLUMN', 'keyword'], ['`nick`', 'identifier'],
    ['varchar', 'keyword'], ['(', 'operator'], ['20', 'number'], [')', 'operator'], ['NOT', 'keyword'], ['NULL', 'keyword'], ['DEFAULT', 'keyword'],
    ["'a;b'", 'string'], ['/* why */', 'comment'],
  ]);
  // An unclosed string runs to the end as one token: offsets never pass the text.
  const open = "COMMENT 'x</script>";
  assert.deepEqual(sqlSpans(open).map((s) => [open.slice(s.start, s.end), s.kind]), [['COMMENT', 'keyword'], ["'x</script>", 'string']]);
});
