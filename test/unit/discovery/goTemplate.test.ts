import assert from 'node:assert/strict';
import { renderFastTemplate, renderGoTemplate } from '../../../src/core/discovery/goTemplate';

describe('ApplicationSet templates', () => {
  const data = { name: 'Billing_API', path: { path: 'apps/team-a/api', basename: 'api', segments: ['apps', 'team-a', 'api'] }, values: { ns: '' }, list: ['a', 'b'], map: { x: 1 } };

  it('goTemplate: fields, pipelines, parentheses, index, if/else if/else, range, with, variables, trimming, comments', () => {
    assert.equal(renderGoTemplate('{{ .path.basename }}/{{ index .path.segments 1 }}', data), 'api/team-a');
    assert.equal(renderGoTemplate('{{ .name | lower | replace "_" "-" }}', data), 'billing-api');
    assert.equal(renderGoTemplate('{{ printf "%s-%d" (lower .name) (len .list) }}', data), 'billing_api-2');
    assert.equal(renderGoTemplate('{{ if eq .path.basename "web" }}w{{ else if eq .path.basename "api" }}a{{ else }}o{{ end }}', data), 'a');
    assert.equal(renderGoTemplate('{{ range $i, $v := .list }}{{ $i }}={{ $v }},{{ end }}', data), '0=a,1=b,');
    assert.equal(renderGoTemplate('{{ with .path }}{{ .basename }}{{ end }}{{ $x := "y" }}{{ $x }}{{/* note */}}', data), 'apiy');
    assert.equal(renderGoTemplate('a  {{- " b " -}}  c', data), 'a b c');
    assert.equal(renderGoTemplate('{{ .missing }}', data), '<no value>');
    assert.equal(renderGoTemplate('{{ .map }} {{ .list }}', data), 'map[x:1] [a b]');
  });

  it('goTemplate: sprig default, lower, upper, replace, trimPrefix, trimSuffix, quote, toYaml, nindent; Argo CD normalize', () => {
    assert.equal(renderGoTemplate('{{ default "web" .values.ns }}|{{ .missing | default "d" }}|{{ default "no" "yes" }}', data), 'web|d|yes');
    assert.equal(renderGoTemplate('{{ upper "a" }}{{ trimPrefix "apps/" .path.path }}{{ trimSuffix "/api" .path.path }}', data), 'Ateam-a/apiapps/team-a');
    assert.equal(renderGoTemplate('{{ .path.basename | quote }} {{ squote "x" }}', data), '"api" \'x\'');
    assert.equal(renderGoTemplate('m:{{ toYaml .map | nindent 2 }}', data), 'm:\n  x: 1');
    assert.equal(renderGoTemplate('{{ toYaml .list }}', data), '- a\n- b');
    assert.equal(renderGoTemplate('{{ normalize .name }}', data), 'billing-api');
    assert.equal(renderGoTemplate('{{ trunc 4 .name }}|{{ trunc -3 .name }}|{{ substr 1 3 .name }}|{{ substr 2 99 "abc" }}', data), 'Bill|API|il|c');
    assert.equal(renderGoTemplate('{{ sha256sum "a" | trunc 8 }} {{ sha1sum "a" | trunc 8 }} {{ adler32sum "Wikipedia" }}', data), 'ca978112 86f7e437 300286872');
    assert.equal(renderGoTemplate('{{ has "b" .list }} {{ has "z" .list }} {{ keys .map .path | sortAlpha }}', data), 'true false [basename path segments x]');
  });

  it('goTemplate: missingkey=error fails on a missing key; unknown functions and bad syntax fail', () => {
    assert.throws(() => renderGoTemplate('{{ .nope }}', data, { missingKeyError: true }), /map has no entry for key "nope"/);
    assert.throws(() => renderGoTemplate('{{ .path.nope }}', data, { missingKeyError: true }), /map has no entry for key "nope"/);
    assert.throws(() => renderGoTemplate('{{ frobnicate .name }}', data), /function "frobnicate" not defined/);
    assert.throws(() => renderGoTemplate('{{ if .name }}x', data), /has no \{\{end\}\}/);
  });

  it('other delimiters (Flux Operator `<<` `>>`), caller functions, and a function\'s result read as `fn.field`', () => {
    const options = { delimiters: { left: '<<', right: '>>' }, missingKeyError: true, functions: { inputs: () => ({ name: 'Team_A', list: ['x', 'y'] }) } };
    assert.equal(renderGoTemplate('<< inputs.name | lower >>-<< get inputs "name" >> {{ kept }}', undefined, options), 'team_a-Team_A {{ kept }}');
    assert.equal(renderGoTemplate('a\n<<- range $v := inputs.list >>\n- << $v >>\n<<- end >>', undefined, options), 'a\n- x\n- y');
    assert.throws(() => renderGoTemplate('<< inputs.nope >>', undefined, options), /map has no entry for key "nope"/);
    assert.throws(() => renderGoTemplate('<< if inputs.name >>x', undefined, options), /<<if>> has no <<end>>/);
  });

  it('fasttemplate: {{key}} and {{ key }} from the flat parameters; an unknown tag stays as written', () => {
    assert.equal(renderFastTemplate('{{path.basename}}-{{ path[0] }}-{{nope}}', { 'path.basename': 'api', 'path[0]': 'apps' }), 'api-apps-{{nope}}');
  });
});
