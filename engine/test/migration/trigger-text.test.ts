import assert from 'node:assert/strict';
import { test } from 'node:test';
import { triggerOnTable, triggerSignature } from '../../src/migration/trigger-text.js';

test('a trigger statement is pointed at another table: only its name and ON table change', () => {
  const s = 'CREATE DEFINER=`root`@`localhost` TRIGGER items_ai AFTER INSERT ON `items` FOR EACH ROW INSERT INTO audit (item_id) VALUES (NEW.id)';
  assert.equal(triggerOnTable(s, 'main', 'items_ai', 'items_sb7_new'), 'CREATE DEFINER=`root`@`localhost` TRIGGER `main`.`items_ai` AFTER INSERT ON `main`.`items_sb7_new` FOR EACH ROW INSERT INTO audit (item_id) VALUES (NEW.id)');
});

test('qualified names, ANSI quotes and FOLLOWS are read; the body is what information_schema shows', () => {
  const s = 'CREATE DEFINER="root"@"%" TRIGGER "main"."b" BEFORE UPDATE ON main."items" FOR EACH ROW FOLLOWS a SET NEW.k = NEW.k + 1';
  assert.equal(triggerOnTable(s, 'x', 'b', 'y'), 'CREATE DEFINER="root"@"%" TRIGGER `x`.`b` BEFORE UPDATE ON `x`.`y` FOR EACH ROW FOLLOWS a SET NEW.k = NEW.k + 1');
  assert.equal(triggerSignature(s), 'BEFORE UPDATE SET NEW.k = NEW.k + 1');
});

test('a statement that is not a trigger is refused with what to report', () => {
  assert.throws(() => triggerOnTable('CREATE VIEW v AS SELECT 1', 'd', 'v', 't'), /could not read this trigger's statement/);
});
