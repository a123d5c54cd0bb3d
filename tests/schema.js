// schema.js SPEC DIR_IN DIR_OUT: for every file name in DIR_IN, prints
// "NAME in=valid|invalid out=valid|invalid|missing". Validation with ajv
// (draft-07) against the Compose spec; YAML read by js-yaml, merges resolved.
// Needs the npm packages ajv, ajv-formats and js-yaml on NODE_PATH.
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const yaml = require('js-yaml');

const [spec, dirIn, dirOut] = process.argv.slice(2);
const schema = JSON.parse(fs.readFileSync(spec, 'utf8'));
delete schema.$schema; // ajv knows draft-07 under its http id only
const ajv = new Ajv({ strict: false, allErrors: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function check(file) {
  if (!fs.existsSync(file)) return 'missing';
  try {
    const doc = yaml.load(fs.readFileSync(file, 'utf8'));
    return validate(doc) ? 'valid' : 'invalid';
  } catch (e) {
    return 'unreadable';
  }
}

for (const name of fs.readdirSync(dirIn).sort()) {
  const a = check(path.join(dirIn, name));
  const b = check(path.join(dirOut, name));
  console.log(`${name} in=${a} out=${b}`);
}
